package io.macroscope.dynamics.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A bundle directory as one zip (the form releases travel in): deterministic bytes for the same
 * files, so the release's SHA-256 identifies the content.
 */
public final class BundleArchive {

  private BundleArchive() {}

  /** The files of {@code dir} (flat; sub-directories are not part of a bundle) zipped by name. */
  public static byte[] zip(Path dir) {
    try (Stream<Path> listing = Files.list(dir)) {
      List<Path> files = listing.filter(Files::isRegularFile).sorted().toList();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        for (Path file : files) {
          ZipEntry entry = new ZipEntry(file.getFileName().toString());
          entry.setTime(0);
          zip.putNextEntry(entry);
          Files.copy(file, zip);
          zip.closeEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new BundleException("cannot zip bundle " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Unzips {@code zip} into {@code dir} (which must not exist) atomically: into a temporary sibling
   * first, renamed when complete, so a reader never sees half a bundle.
   *
   * @throws BundleException if the archive is malformed or names a path outside the bundle
   */
  public static Path unzip(byte[] zip, Path dir) {
    Path parent = dir.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
      int entries = 0;
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
        for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
          String name = entry.getName();
          if (entry.isDirectory()
              || name.contains("/")
              || name.contains("\\")
              || name.startsWith(".")) {
            throw new BundleException(
                "bundle archive entry '" + name + "' is not a plain file name");
          }
          Files.copy(in, staging.resolve(name));
          entries++;
        }
      }
      if (entries == 0) {
        throw new BundleException("bundle archive is empty or not a zip file");
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return dir;
    } catch (IOException e) {
      throw new BundleException("cannot unpack bundle into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a zipped bundle file. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundle archive " + file, e);
    }
  }
}
