package io.macroscope.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Client of a Confluent-API schema registry over HTTP (register, fetch by id, look up,
 * compatibility), with caches in both directions, timeouts, retries with exponential back-off over
 * the configured URLs, basic auth and TLS. Thread-safe.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final Optional<String> authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  public RestSchemaRegistry(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .version(HttpClient.Version.HTTP_1_1);
    config.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
    this.authorization =
        config
            .basicAuthUserInfo()
            .map(
                info ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new RegistryException("registry answered without an id: " + answer, 200, -1);
    }
    remember(subject, schema, id);
    return id;
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    try {
      JsonNode answer = call("POST", "subjects/" + encode(subject), schemaBody(schema));
      int id = answer.path("id").asInt();
      remember(subject, schema, id);
      return OptionalInt.of(id);
    } catch (RegistryException e) {
      if (e.httpStatus() == 404) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  @Override
  public Schema byId(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer;
    try {
      answer = call("GET", "schemas/ids/" + id, null);
    } catch (RegistryException e) {
      if (e.httpStatus() == 404) {
        throw new UnknownSchemaException("schema id " + id + " is not known to the registry");
      }
      throw e;
    }
    String text = answer.path("schema").asText(null);
    if (text == null) {
      throw new RegistryException("registry answered without a schema for id " + id, 200, -1);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new UnknownSchemaException(
          "schema id " + id + " is not an Avro schema: " + e.getMessage());
    }
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public void setCompatibility(String subject, String level) {
    call(
        "PUT",
        "config/" + encode(subject),
        JSON.createObjectNode().put("compatibility", level).toString());
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer =
          call(
              "POST",
              "compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema));
      return answer.path("is_compatible").asBoolean(false);
    } catch (RegistryException e) {
      if (e.httpStatus() == 404) {
        return true; // nothing registered yet: anything is compatible
      }
      throw e;
    }
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * One logical request: tries each URL in turn, retrying connection failures, timeouts and 5xx
   * answers with exponential back-off; 4xx answers are final.
   */
  private JsonNode call(String method, String path, String body) {
    int attempts = config.retries() + 1;
    Exception last = null;
    long backoff = config.retryBackoff().toMillis();
    for (int attempt = 0; attempt < attempts; attempt++) {
      URI base = config.urls().get(attempt % config.urls().size());
      try {
        HttpResponse<String> response = http.send(request(base, method, path, body), ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        }
        RegistryException error = error(method, base.resolve(path), status, response.body());
        if (status < 500) {
          throw error;
        }
        last = error;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted while calling the registry", e);
      }
      if (attempt + 1 < attempts) {
        sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
    if (last instanceof RegistryException registryError) {
      throw registryError;
    }
    throw new RegistryUnavailableException(
        "schema registry at "
            + config.urls()
            + " unreachable after "
            + attempts
            + " attempt(s): "
            + last,
        last);
  }

  private HttpRequest request(URI base, String method, String path, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    authorization.ifPresent(value -> builder.header("Authorization", value));
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return builder.build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private static RegistryException error(String method, URI uri, int status, String body) {
    int code = -1;
    String message = body;
    try {
      JsonNode node = JSON.readTree(body);
      code = node.path("error_code").asInt(-1);
      message = node.path("message").asText(body);
    } catch (IOException | RuntimeException e) {
      // not JSON: keep the raw body as the message
    }
    return new RegistryException(
        method + " " + uri + " failed with HTTP " + status + ": " + message, status, code);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while waiting to retry", e);
    }
  }
}
