package io.macroscope.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP behaviour of the client (retries, auth, caching, error mapping) against a scripted
 * loopback server; the real-registry behaviour is covered by the integration tests.
 */
class RestSchemaRegistryTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authHeaders = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    authHeaders.add(auth == null ? "" : auth);
    exchange.getRequestBody().readAllBytes();
    if (failuresLeft.getAndDecrement() > 0) {
      reply(exchange, 503, "{\"error_code\":50301,\"message\":\"busy\"}");
    } else if (path.endsWith("/subjects/t-value/versions")) {
      reply(exchange, 200, "{\"id\":12}");
    } else if (path.endsWith("/schemas/ids/12")) {
      String body = "{\"schema\":" + quote(SCHEMA.toString()) + "}";
      reply(exchange, 200, body);
    } else if (path.endsWith("/subjects/missing-value")) {
      reply(exchange, 404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
    } else if (path.endsWith("/subjects/t-value")) {
      reply(exchange, 200, "{\"id\":12,\"version\":1,\"subject\":\"t-value\"}");
    } else if (path.contains("/compatibility/")) {
      reply(exchange, 200, "{\"is_compatible\":false}");
    } else if (path.endsWith("/schemas/ids/99")) {
      reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
    } else {
      reply(exchange, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private RestSchemaRegistry client(Map<String, Object> extra) {
    Map<String, Object> configs = new java.util.HashMap<>(extra);
    configs.put(
        RegistryClientConfig.URL_CONFIG,
        "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v6");
    configs.put(RegistryClientConfig.RETRY_BACKOFF_MS_CONFIG, 1);
    return new RestSchemaRegistry(RegistryClientConfig.from(configs));
  }

  @Test
  void shouldRegisterOnceAndServeLaterCallsFromCache() {
    RestSchemaRegistry registry = client(Map.of());
    assertEquals(12, registry.register("t-value", SCHEMA));
    assertEquals(12, registry.register("t-value", SCHEMA));
    assertEquals(SCHEMA, registry.byId(12)); // known from the registration: no request
    assertEquals(List.of("POST /apis/ccompat/v6/subjects/t-value/versions"), requests);
  }

  @Test
  void shouldFetchSchemaByIdOnceThenFromCache() {
    RestSchemaRegistry registry = client(Map.of());
    assertEquals(SCHEMA, registry.byId(12));
    assertEquals(SCHEMA, registry.byId(12));
    assertEquals(1, requests.size());
  }

  @Test
  void shouldRetryServerErrorsThenSucceed() {
    failuresLeft.set(2);
    RestSchemaRegistry registry = client(Map.of(RegistryClientConfig.RETRIES_CONFIG, 3));
    assertEquals(12, registry.register("t-value", SCHEMA));
    assertEquals(3, requests.size());
  }

  @Test
  void shouldGiveUpAfterConfiguredRetries() {
    failuresLeft.set(10);
    RestSchemaRegistry registry = client(Map.of(RegistryClientConfig.RETRIES_CONFIG, 2));
    RegistryException e =
        assertThrows(RegistryException.class, () -> registry.register("t-value", SCHEMA));
    assertEquals(503, e.httpStatus());
    assertEquals(3, requests.size());
  }

  @Test
  void shouldNotRetryClientErrors() {
    RestSchemaRegistry registry = client(Map.of());
    RegistryException e =
        assertThrows(RegistryException.class, () -> registry.register("other-value", SCHEMA));
    assertEquals(422, e.httpStatus());
    assertEquals(42201, e.errorCode());
    assertEquals(1, requests.size());
  }

  @Test
  void shouldSendBasicAuthCredentials() {
    RestSchemaRegistry registry =
        client(Map.of(RegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG, "alice:secret"));
    registry.register("t-value", SCHEMA);
    assertEquals(List.of("Basic YWxpY2U6c2VjcmV0"), authHeaders);
  }

  @Test
  void shouldMapMissingIdToUnknownSchema() {
    assertThrows(UnknownSchemaException.class, () -> client(Map.of()).byId(99));
  }

  @Test
  void shouldReturnEmptyLookupForUnknownSubject() {
    RestSchemaRegistry registry = client(Map.of());
    assertTrue(registry.lookup("missing-value", SCHEMA).isEmpty());
    assertEquals(12, registry.lookup("t-value", SCHEMA).getAsInt());
  }

  @Test
  void shouldReportCompatibilityVerdict() {
    assertFalse(client(Map.of()).isCompatible("t-value", SCHEMA));
  }

  @Test
  void shouldReportUnreachableRegistryAfterRetries() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RestSchemaRegistry registry =
        new RestSchemaRegistry(
            RegistryClientConfig.from(
                Map.of(
                    RegistryClientConfig.URL_CONFIG, "http://127.0.0.1:" + closedPort,
                    RegistryClientConfig.RETRIES_CONFIG, 1,
                    RegistryClientConfig.RETRY_BACKOFF_MS_CONFIG, 1)));
    RegistryUnavailableException e =
        assertThrows(RegistryUnavailableException.class, () -> registry.byId(1));
    assertEquals("registry-unavailable", e.kind());
    assertTrue(e.getMessage().contains("after 2 attempt(s)"), e.getMessage());
  }

  @Test
  void shouldRejectMissingUrlWithActionableMessage() {
    var e =
        assertThrows(
            org.apache.kafka.common.config.ConfigException.class,
            () -> RegistryClientConfig.from(Map.of()));
    assertTrue(e.getMessage().contains("schema.registry.url"));
  }
}
