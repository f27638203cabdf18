package org.cjassessment.service;

/**
 * Text cells for CSV that spreadsheets open safely (OWASP "CSV Injection"): a cell starting with {@code = + - @},
 * a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets, so it is prefixed with a single
 * quote, which they show as text. Only text from input (essay ids, grades) is escaped; numbers the service formats
 * itself are written as they are, so that a negative score stays a number.
 */
public final class CsvCells {

  private CsvCells() {}

  /** The text with a leading {@code '} if a spreadsheet would read it as a formula. */
  public static String defuse(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    char c = text.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
  }

  /** One RFC 4180 cell: defused, then quoted when it holds a comma, quote or line break. */
  public static String text(String text) {
    if (text == null) {
      return "";
    }
    String s = defuse(text);
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  /** A cell the program produced (a number, a boolean, a JSON object): quoted when needed, never prefixed. */
  public static String value(String text) {
    if (text == null) {
      return "";
    }
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
