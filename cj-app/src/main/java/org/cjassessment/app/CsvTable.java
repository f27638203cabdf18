package org.cjassessment.app;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV file with a header row, read into rows of column → trimmed value, with line numbers for messages.
 *
 * <p>Read as people save CSV files: UTF-8 with or without a byte-order mark (Excel writes one), any line ending, blank
 * lines skipped, column names in any case and with blanks around them, trailing empty cells ignored. What would be
 * read wrongly is refused with the line: text that is not UTF-8, a column named twice, a row with more values than
 * the header has columns (an unquoted comma inside a value).
 */
public record CsvTable(Path path, List<String> header, List<Row> rows) {

  public record Row(int line, Map<String, String> values) {
    public String get(String column) {
      String v = values.get(column);
      return v == null ? "" : v.trim();
    }
  }

  public static CsvTable read(Path path, String... requiredColumns) {
    String text = text(path, requiredColumns);
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
        .enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(text)) {
      List<String> header = null;
      List<Row> rows = new ArrayList<>();
      while (it.hasNextValue()) {
        int line = it.getCurrentLocation().getLineNr();
        String[] values = it.nextValue();
        if (header == null) {
          header = header(path, values);
        } else if (!blank(values)) {
          rows.add(new Row(line, row(path, line, header, values)));
        }
      }
      if (header == null) {
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
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw u;
      }
      String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
          ? " line " + p.getLocation().getLineNr() : "";
      throw new UserInputException(path + where + ": not a readable CSV file (" + oneLine(e.getMessage()) + ")", e);
    }
  }

  /** The whole file as text: UTF-8, without a byte-order mark. */
  private static String text(Path path, String... requiredColumns) {
    if (Files.isDirectory(path)) {
      throw new UserInputException(path + ": is a directory, expected a CSV file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new UserInputException(path + ": no such file", e);
    } catch (IOException e) {
      throw new UserInputException(path + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new UserInputException(path + ": is not UTF-8 text (save it as CSV UTF-8)", e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new UserInputException(path + ": is empty, expected a header row with " + String.join(",",
          requiredColumns));
    }
    return text;
  }

  /** Column names trimmed and in lower case; a name given twice would hide one of the two columns. */
  private static List<String> header(Path path, String[] values) {
    List<String> header = new ArrayList<>();
    for (String value : values) {
      String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && header.contains(name)) {
        throw new UserInputException(path + ": column '" + name + "' appears twice in the header");
      }
      header.add(name);
    }
    while (!header.isEmpty() && header.get(header.size() - 1).isEmpty()) {
      header.remove(header.size() - 1);
    }
    return header;
  }

  private static Map<String, String> row(Path path, int line, List<String> header, String[] values) {
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      String value = values[i] == null ? "" : values[i];
      if (i >= header.size()) {
        if (!value.isBlank()) {
          throw new UserInputException(path + " line " + line + ": " + values.length + " values, but the header has "
              + header.size() + " columns (" + String.join(",", header) + "); quote a value that contains a comma");
        }
      } else if (!header.get(i).isEmpty()) {
        row.put(header.get(i), value);
      }
    }
    return row;
  }

  private static boolean blank(String[] values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
