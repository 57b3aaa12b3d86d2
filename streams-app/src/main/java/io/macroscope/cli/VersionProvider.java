package io.macroscope.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by Maven), or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Macroscope.class.getPackage().getImplementationVersion();
    return new String[] {"macroscope " + (version == null ? "dev" : version)};
  }
}
