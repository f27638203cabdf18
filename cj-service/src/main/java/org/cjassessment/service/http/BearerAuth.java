package org.cjassessment.service.http;

import io.javalin.http.Context;
import org.cjassessment.service.auth.Authenticator;
import org.cjassessment.service.auth.Client;

/** RFC 6750 bearer tokens: {@code Authorization: Bearer <token>} → the key's client, or 401 with a challenge. */
final class BearerAuth {

  private static final String REALM = "Bearer realm=\"cj-assessment\"";

  /** No or an unknown token; {@link #challenge()} is the {@code WWW-Authenticate} value to send. */
  static final class Unauthorized extends RuntimeException {
    private final String challenge;

    Unauthorized(String message, String challenge) {
      super(message);
      this.challenge = challenge;
    }

    String challenge() {
      return challenge;
    }
  }

  private BearerAuth() {}

  /** @return the client, or null when authentication is off */
  static Client client(Context ctx, Authenticator auth) {
    if (auth.anonymous()) {
      return null;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw new Unauthorized("an API key is required: send 'Authorization: Bearer <token>' (tokens come from "
          + "'cj apikey create')", REALM);
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Unauthorized("the Authorization header must be 'Bearer <token>'",
          REALM + ", error=\"invalid_request\"");
    }
    // The token is never echoed or logged.
    return auth.authenticate(h.substring(7).strip()).orElseThrow(() -> new Unauthorized(
        "the API key is not valid (unknown or revoked)", REALM + ", error=\"invalid_token\""));
  }
}
