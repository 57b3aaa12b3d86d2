package io.macroscope.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects an {@link EmbeddedCluster} (real KRaft broker and real schema
 * registry on loopback). One cluster serves the whole test run and is stopped at its end, so each
 * test pays the start-up (~3 s) once; tests isolate themselves with their own topic names.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedClusterExtension.class)
 * class MyIT {
 *   @Test void works(EmbeddedCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class EmbeddedClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("cluster", key -> Resource.start(), Resource.class)
        .cluster;
  }

  /** Closes the cluster and deletes its data when the root context (the test run) ends. */
  private record Resource(EmbeddedCluster cluster, Path dir)
      implements ExtensionContext.Store.CloseableResource {

    static Resource start() {
      try {
        Path dir = Files.createTempDirectory("macroscope-it-");
        return new Resource(EmbeddedCluster.start(dir), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      cluster.close();
      Utils.delete(dir.toFile());
    }
  }
}
