package io.macroscope.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the schema-registry client, read from Kafka-style configs. Key names follow
 * Confluent's, so existing client configuration files work unchanged.
 */
public record RegistryClientConfig(
    List<URI> urls,
    Duration requestTimeout,
    int retries,
    Duration retryBackoff,
    Optional<String> basicAuthUserInfo,
    Optional<SSLContext> sslContext) {

  public static final String URL_CONFIG = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
  public static final String RETRIES_CONFIG = "schema.registry.retries";
  public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
  public static final String SSL_TRUSTSTORE_LOCATION_CONFIG =
      "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG =
      "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  public static final String SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
  public static final String SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";

  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_RETRIES = 3;
  public static final long DEFAULT_RETRY_BACKOFF_MS = 200;

  public RegistryClientConfig {
    if (urls.isEmpty()) {
      throw new ConfigException(URL_CONFIG + " must name at least one registry URL");
    }
    if (retries < 0) {
      throw new ConfigException(RETRIES_CONFIG + " must be >= 0, got " + retries);
    }
    urls = List.copyOf(urls);
  }

  /** A config for one registry URL with default timeouts, no auth, JVM-default TLS. */
  public static RegistryClientConfig of(String url) {
    return from(Map.of(URL_CONFIG, url));
  }

  /** Reads the client settings from Kafka-style configs; unknown keys are ignored. */
  public static RegistryClientConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL_CONFIG);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException("missing " + URL_CONFIG + ": set it to the schema registry's URL");
    }
    List<URI> urls = new ArrayList<>();
    for (String part : url.toString().split(",")) {
      if (!part.isBlank()) {
        String trimmed = part.trim();
        urls.add(URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/"));
      }
    }
    return new RegistryClientConfig(
        urls,
        Duration.ofMillis(
            longValue(configs, REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT_MS)),
        (int) longValue(configs, RETRIES_CONFIG, DEFAULT_RETRIES),
        Duration.ofMillis(longValue(configs, RETRY_BACKOFF_MS_CONFIG, DEFAULT_RETRY_BACKOFF_MS)),
        Optional.ofNullable(configs.get(BASIC_AUTH_USER_INFO_CONFIG))
            .map(Object::toString)
            .filter(s -> !s.isBlank()),
        sslContext(configs));
  }

  private static long longValue(Map<String, ?> configs, String key, long fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }

  private static Optional<SSLContext> sslContext(Map<String, ?> configs) {
    Object trustLocation = configs.get(SSL_TRUSTSTORE_LOCATION_CONFIG);
    Object keyLocation = configs.get(SSL_KEYSTORE_LOCATION_CONFIG);
    if (trustLocation == null && keyLocation == null) {
      return Optional.empty();
    }
    try {
      TrustManagerFactory tmf = null;
      if (trustLocation != null) {
        KeyStore trust =
            load(
                trustLocation.toString(),
                configs.get(SSL_TRUSTSTORE_PASSWORD_CONFIG),
                configs.get(SSL_TRUSTSTORE_TYPE_CONFIG));
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (keyLocation != null) {
        Object password = configs.get(SSL_KEYSTORE_PASSWORD_CONFIG);
        KeyStore keys =
            load(keyLocation.toString(), password, configs.get(SSL_KEYSTORE_TYPE_CONFIG));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password == null ? null : password.toString().toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return Optional.of(context);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("cannot set up TLS for the schema registry client: " + e);
    }
  }

  private static KeyStore load(String location, Object password, Object type)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(type == null ? "PKCS12" : type.toString());
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password == null ? null : password.toString().toCharArray());
    }
    return store;
  }
}
