package org.cjassessment.service.http;

import java.util.Locale;

/**
 * The body of {@code POST /api/v1/batches} is JSON. A request that declares another type (a form post, XML, plain
 * text) is refused with 415 and the fix; one that declares none is read as JSON, as most HTTP clients send it.
 */
final class JsonContentType {

  /** The request declared a type that is not JSON: 415. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  private JsonContentType() {}

  static void require(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (media.equals("application/json") || media.endsWith("+json")) {
      return;
    }
    throw new Unsupported("Content-Type " + (media.length() > 60 ? media.substring(0, 60) + "..." : media)
        + " is not JSON; send the body as application/json (curl: -H 'Content-Type: application/json')");
  }
}
