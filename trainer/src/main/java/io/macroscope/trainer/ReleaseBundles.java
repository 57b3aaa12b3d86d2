package io.macroscope.trainer;

import io.macroscope.dynamics.bundle.BundleArchive;
import io.macroscope.dynamics.bundle.ModelBundle;
import io.macroscope.schemas.ModelRelease;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The bundle a release announces: fetched (inline bytes or a {@code file:} URI), its SHA-256
 * checked against the release, unpacked once into a cache (every file checked against the
 * manifest). Shared by the streams-app (serving) and the trainer (evaluating the serving model).
 */
public final class ReleaseBundles {

  private ReleaseBundles() {}

  /**
   * @throws IllegalArgumentException with a one-line reason when the bundle cannot be fetched, does
   *     not match its SHA-256 or is not a valid bundle
   */
  public static ModelBundle fetch(ModelRelease release, Path cacheDir) {
    byte[] zip = bytes(release);
    String sha = BundleArchive.sha256(zip);
    if (!sha.equalsIgnoreCase(release.getSha256())) {
      throw new IllegalArgumentException(
          "bundle SHA-256 " + sha + " does not match the release's " + release.getSha256());
    }
    Path dir =
        cacheDir
            .resolve(safe(release.getModelName()))
            .resolve(safe(release.getVersion()) + "-" + sha.substring(0, 12));
    if (!Files.isDirectory(dir)) {
      BundleArchive.unzip(zip, dir);
    }
    return ModelBundle.read(dir);
  }

  /** The zipped bundle of a release. */
  public static byte[] bytes(ModelRelease release) {
    if (release.getBundle() != null) {
      ByteBuffer inline = release.getBundle().duplicate();
      byte[] bytes = new byte[inline.remaining()];
      inline.get(bytes);
      return bytes;
    }
    URI uri;
    try {
      uri = URI.create(release.getBundleUri());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bundleUri '" + release.getBundleUri() + "' is not a URI");
    }
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "bundleUri scheme '"
              + uri.getScheme()
              + "' is not supported (file: URIs or inline bundles)");
    }
    Path file = Path.of(uri);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("bundle archive " + file + " does not exist");
    }
    return BundleArchive.read(file);
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
  }
}
