package io.macroscope.dynamics.particles;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * The lines of a text trajectory, counted so that every error names the source and the line (the
 * extended XYZ and LAMMPS dump readers share it).
 */
final class NumberedLines {

  private final BufferedReader in;
  private final String source;
  private long line;

  NumberedLines(BufferedReader in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Lines consumed so far (the number of the last line read). */
  long count() {
    return line;
  }

  /** The next line that is not blank, or null at the end of input. */
  String nextNonBlank() throws IOException {
    String text;
    do {
      text = in.readLine();
      if (text == null) {
        return null;
      }
      line++;
    } while (text.isBlank());
    return text;
  }

  /** The next line; the end of input here is an error with {@code endMessage}. */
  String next(String endMessage) throws IOException {
    String text = in.readLine();
    if (text == null) {
      throw error(endMessage);
    }
    line++;
    return text;
  }

  /**
   * Row {@code i} of {@code n} in a block of per-particle lines, split on whitespace; a missing row
   * or a row without {@code width} values is an error ("{@code kind} line has 2 values, {@code
   * declared} 3").
   */
  String[] row(int i, int n, int width, String kind, String declared) throws IOException {
    String[] values =
        next("file ends after " + i + " of " + n + " " + kind + " lines").trim().split("\\s+");
    if (values.length != width) {
      throw error(kind + " line has " + values.length + " values, " + declared + " " + width);
    }
    return values;
  }

  /** An error at the current line: "source:line: message". */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(source + ":" + line + ": " + message);
  }

  /** At most 40 characters of {@code s}, for quoting input in a message. */
  static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
