package org.cjassessment.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * A reason for unparsable JSON that quotes nothing of the input. Jackson's messages quote the offending token
 * ("Unrecognized token 'The'": the first word of an essay) and, unless switched off, a snippet of the source; the
 * input may be a student's essay, so the reason is built from the position alone.
 */
public final class JsonErrors {

  private JsonErrors() {}

  public static String describe(IOException e) {
    if (e instanceof JsonProcessingException p && p.getLocation() != null) {
      JsonLocation at = p.getLocation();
      return "not valid JSON (" + kind(p) + " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return "not valid JSON (" + e.getClass().getSimpleName() + ")";
  }

  private static String kind(JsonProcessingException p) {
    String m = p.getOriginalMessage() == null ? "" : p.getOriginalMessage();
    if (m.startsWith("Unexpected end-of-input")) {
      return "unexpected end of input";
    }
    if (m.startsWith("Unrecognized token")) {
      return "unrecognized token";
    }
    if (m.startsWith("Unexpected character")) {
      return "unexpected character";
    }
    if (m.startsWith("Duplicate field")) {
      return "a field given twice";
    }
    if (m.contains("Invalid UTF-8")) {
      return "invalid UTF-8";
    }
    return "syntax error";
  }

  /** An input value to quote in an error: at most 40 characters, control characters replaced. */
  public static String echo(String value) {
    if (value == null) {
      return "null";
    }
    String s = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
