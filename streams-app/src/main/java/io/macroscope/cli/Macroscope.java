package io.macroscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code macroscope} command line (run through {@code bin/macroscope}). Every sub-command has
 * {@code --help}; bad input ends with a one-line reason and a non-zero exit code, never a stack
 * trace (set {@code MACROSCOPE_DEBUG=1} to see one).
 */
@Command(
    name = "macroscope",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Live latent states, forecasts and alerts for microscopy video and simulations on Kafka.",
    subcommands = {
      DemoCommand.class,
      SimulateCommand.class,
      TrainCommand.class,
      EncodeCommand.class,
      ForecastCommand.class,
      EvaluateCommand.class,
      ImagesToSetsCommand.class,
      StreamsCommand.class,
      FeedCommand.class,
      TrainerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Macroscope {

  private Macroscope() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command tree (also walked by the tests of every command's help). */
  static CommandLine commandLine() {
    return new CommandLine(new Macroscope())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new OneLineErrors())
        .setParameterExceptionHandler(new OneLineErrors());
  }
}
