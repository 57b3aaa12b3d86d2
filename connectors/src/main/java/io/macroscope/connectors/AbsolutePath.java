package io.macroscope.connectors;

import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A {@link ConfigDef} validator for settings that name a file or folder: an absolute path. */
public final class AbsolutePath implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null || value.toString().isBlank() || !Path.of(value.toString()).isAbsolute()) {
      throw new ConfigException(name, value, "must be an absolute path");
    }
  }

  @Override
  public String toString() {
    return "an absolute path";
  }
}
