package io.macroscope.connectors.alerts;

import io.macroscope.schemas.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs each alert as JSON to a webhook. A connection error, a timeout, 429 or 5xx is retried with
 * exponential back-off; when the retries run out, or the endpoint answers another 4xx, the record
 * goes to Connect's errant-record reporter and the next alert is delivered.
 */
public final class AlertWebhookSinkTask extends AlertSinkTask {

  private HttpClient client;
  private URI url;
  private int retries;
  private long backoff;
  private Duration timeout;
  private String authorization;

  @Override
  protected void open(Map<String, String> props) {
    AlertWebhookSinkConfig config = new AlertWebhookSinkConfig(props);
    url = URI.create(config.getString(AlertWebhookSinkConfig.URL));
    retries = config.getInt(AlertWebhookSinkConfig.RETRIES);
    backoff = config.getLong(AlertWebhookSinkConfig.RETRY_BACKOFF_MS);
    timeout = Duration.ofMillis(config.getLong(AlertWebhookSinkConfig.TIMEOUT_MS));
    var password = config.getPassword(AlertWebhookSinkConfig.AUTHORIZATION);
    authorization = password == null ? null : password.value();
    client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  protected void deliver(Alert alert, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Macroscope-Alert-Id", alert.getAlertId())
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    long wait = backoff;
    for (int attempt = 0; ; attempt++) {
      String failure;
      try {
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        failure = url + " answered " + status;
        if (status != 429 && status < 500) {
          throw new IOException(failure + " (not retried)");
        }
      } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
        failure = url + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
      }
      if (attempt >= retries) {
        throw new IOException(failure + " after " + (retries + 1) + " attempts");
      }
      Thread.sleep(wait);
      wait = Math.min(wait * 2, 60_000);
    }
  }
}
