package org.cjassessment.service.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key tokens and their stored form. A token is 32 random bytes (256 bits), so a plain SHA-256 of it is a safe
 * stored form: a slow password hash protects low-entropy secrets, which these are not.
 */
public final class ApiKeyHash {

  /** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
  public static final String TOKEN_PREFIX = "cjk_";
  /** The stored form: "sha256:" + 64 lowercase hex digits. */
  public static final String HASH_PREFIX = "sha256:";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyHash() {}

  /** A fresh token: the prefix and 32 random bytes in URL-safe base64 (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** "sha256:" + hex SHA-256 of the token's UTF-8 bytes. */
  public static String of(String token) {
    return HASH_PREFIX + HexFormat.of().formatHex(digest(token));
  }

  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
