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

  /** At most this much of a refused body is read (and dropped) so that its sender gets the 413. */
  static final long DRAIN_LIMIT = 32L * 1024 * 1024;

  private BoundedBody() {}

  static byte[] read(Context ctx, long maxBytes) throws IOException {
    long declared = ctx.contentLength();
    try (InputStream in = ctx.bodyInputStream()) {
      if (declared > maxBytes) {
        throw new TooLarge(message(maxBytes) + " (Content-Length " + declared + ")");
      }
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw new TooLarge(message(maxBytes) + " (read more than that)");
      }
      return body;
    }
  }

  /**
   * Reads and drops what is left of a refused request's body, up to {@link #DRAIN_LIMIT}. Answering with the body
   * unread (a 413 on its declared length, a 401 before the handler, a 415 on its content type) and closing made the
   * connection reset under the client, which then saw no response instead of the refusal (about one request in six,
   * {@code HttpSecurityTest}); past the limit the connection is closed anyway. A body already read ends at once.
   */
  static void discardUnread(Context ctx) {
    byte[] buffer = new byte[64 * 1024];
    long dropped = 0;
    try (InputStream in = ctx.bodyInputStream()) {
      for (int r; dropped < DRAIN_LIMIT && (r = in.read(buffer)) >= 0;) {
        dropped += r;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or the body was consumed elsewhere: nothing left to protect
    }
  }

  static String message(long maxBytes) {
    return "request body is larger than the limit of " + maxBytes + " bytes (CJ_MAX_REQUEST_BYTES); split the batch "
        + "or raise the limit";
  }
}
