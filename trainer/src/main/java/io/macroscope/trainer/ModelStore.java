package io.macroscope.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where released bundles live. A local directory by default; an object store implements the same
 * two calls (the streams-app fetches what {@link #put} returns).
 */
public interface ModelStore {

  /** Stores a zipped bundle under {@code name}/{@code version} and returns its URI. */
  URI put(String name, String version, byte[] zip);

  /** A directory of zips: {@code DIR/NAME/VERSION.zip}, written atomically. */
  static ModelStore local(Path dir) {
    return (name, version, zip) -> {
      try {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path target = folder.resolve(version + ".zip");
        Path temp = Files.createTempFile(folder, "." + version, ".partial");
        Files.write(temp, zip);
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target.toAbsolutePath().toUri();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store bundle " + name + "/" + version, e);
      }
    };
  }
}
