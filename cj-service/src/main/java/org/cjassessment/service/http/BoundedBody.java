package org.cjassessment.service.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to a limit, whether or not the client declared its length (chunked bodies). */
final class BoundedBody {

  /** The body is over the limit: 413. */
  static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message);
    }
  }

  private BoundedBody() {}

  static byte[] read(Context ctx, long maxBytes) throws IOException {
    long declared = ctx.contentLength();
    if (declared > maxBytes) {
      throw new TooLarge(message(maxBytes) + " (Content-Length " + declared + ")");
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw new TooLarge(message(maxBytes) + " (read more than that)");
      }
      return body;
    }
  }

  static String message(long maxBytes) {
    return "request body is larger than the limit of " + maxBytes + " bytes (CJ_MAX_REQUEST_BYTES); split the batch "
        + "or raise the limit";
  }
}
