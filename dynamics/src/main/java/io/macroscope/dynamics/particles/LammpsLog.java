package io.macroscope.dynamics.particles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thermo tables of a LAMMPS log ({@code thermo_style one} or {@code custom}): a header line
 * whose first word is {@code Step}, then one row of numbers per thermo output until the run ends.
 * Lines that are not rows of the current header (warnings, {@code Loop time of ...}, input echo)
 * are skipped, so several runs in one log are read in turn; a step written twice (the last row of
 * one run and the first of the next) keeps its first row.
 */
public final class LammpsLog {

  private LammpsLog() {}

  /**
   * Every thermo row by step, as column name → value text (the step itself excluded).
   *
   * @throws IllegalArgumentException naming the file if it holds no thermo table
   */
  public static Map<Long, Map<String, String>> thermo(Path log) throws IOException {
    Map<Long, Map<String, String>> rows = new HashMap<>();
    List<String> header = null;
    try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        String[] t = text.trim().split("\\s+");
        if (t[0].equals("Step")) {
          header = List.of(t);
        } else if (header != null && t.length == header.size() && numeric(t)) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int c = 1; c < t.length; c++) {
            row.put(header.get(c), t[c]);
          }
          rows.putIfAbsent(Long.parseLong(t[0]), row);
        }
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          log + ": no thermo table (a line starting with Step, then rows of numbers)");
    }
    return rows;
  }

  private static boolean numeric(String[] tokens) {
    try {
      Long.parseLong(tokens[0]);
      for (int i = 1; i < tokens.length; i++) {
        Double.parseDouble(tokens[i]);
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
