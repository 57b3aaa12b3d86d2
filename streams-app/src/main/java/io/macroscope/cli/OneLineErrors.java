package io.macroscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on stderr: usage errors (bad arguments, missing files, invalid
 * settings) exit with 2, run-time failures with 1. The stack trace is printed only when {@code
 * MACROSCOPE_DEBUG} is set.
 */
final class OneLineErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int USAGE = 2;
  static final int FAILURE = 1;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr()
        .println(
            "macroscope: "
                + e.getMessage()
                + " (see `"
                + cmd.getCommandSpec().qualifiedName()
                + " --help`)");
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    if (System.getenv("MACROSCOPE_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    cmd.getErr().println("macroscope " + cmd.getCommandName() + ": error: " + describe(e));
    return e instanceof IllegalArgumentException
            || e instanceof java.nio.file.NoSuchFileException
            || e instanceof org.apache.kafka.common.config.ConfigException
        ? USAGE
        : FAILURE;
  }

  /** The innermost meaningful message, on one line. */
  static String describe(Throwable e) {
    if (e instanceof java.nio.file.NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
