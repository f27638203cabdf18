package org.cjassessment.service.auth;

import java.util.Optional;

/** Turns the bearer token of a request into its client, or nothing when the token is missing or unknown. */
public interface Authenticator {

  /** @param bearerToken the token after "Bearer ", or null when the request carried none */
  Optional<Client> authenticate(String bearerToken);

  /** Whether requests without a token are let in (authentication off: {@code CJ_AUTH=none}). */
  default boolean anonymous() {
    return false;
  }

  /**
   * Authentication off: every request is the platform client, billed to the {@code user_id}/{@code org_id} of its
   * body. Only for a service bound to loopback (the composition root enforces it).
   */
  static Authenticator none() {
    return new Authenticator() {
      @Override
      public Optional<Client> authenticate(String bearerToken) {
        return Optional.empty();
      }

      @Override
      public boolean anonymous() {
        return true;
      }
    };
  }
}
