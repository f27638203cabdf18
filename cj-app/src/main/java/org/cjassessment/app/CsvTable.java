package org.cjassessment.app;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A CSV file with a header row, read into rows of column → trimmed value, with line numbers for messages. */
public record CsvTable(Path path, List<String> header, List<Row> rows) {

  public record Row(int line, Map<String, String> values) {
    public String get(String column) {
      String v = values.get(column);
      return v == null ? "" : v.trim();
    }
  }

  public static CsvTable read(Path path, String... requiredColumns) {
    if (!Files.exists(path)) {
      throw new UserInputException(path + ": no such file");
    }
    if (Files.isDirectory(path)) {
      throw new UserInputException(path + ": is a directory, expected a CSV file");
    }
    try {
      if (Files.size(path) == 0 || Files.readString(path, StandardCharsets.UTF_8).isBlank()) {
        throw new UserInputException(path + ": is empty, expected a header row with "
            + String.join(",", requiredColumns));
      }
    } catch (IOException e) {
      throw new UserInputException(path + ": cannot be read (" + e.getMessage() + ")", e);
    }
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema).readValues(reader)) {
      List<Row> rows = new ArrayList<>();
      while (it.hasNextValue()) {
        int line = it.getCurrentLocation().getLineNr();
        rows.add(new Row(line, it.nextValue()));
      }
      CsvSchema actual = (CsvSchema) it.getParser().getSchema();
      List<String> header = new ArrayList<>();
      actual.forEach(c -> header.add(c.getName()));
      if (header.isEmpty()) {
        throw new UserInputException(
            path + ": is empty, expected a header row with " + String.join(",", requiredColumns));
      }
      for (String column : requiredColumns) {
        if (!header.contains(column)) {
          throw new UserInputException(path + ": no '" + column + "' column (header is: " + String.join(",", header)
              + "; needs at least " + String.join(",", requiredColumns) + ")");
        }
      }
      if (rows.isEmpty()) {
        throw new UserInputException(path + ": has a header but no rows");
      }
      return new CsvTable(path, header, rows);
    } catch (NoSuchFileException e) {
      throw new UserInputException(path + ": no such file", e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw u;
      }
      throw new UserInputException(path + ": not a readable CSV file (" + oneLine(e.getMessage()) + ")", e);
    }
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
