package org.cjassessment.testing.llm;

/** A misbehaviour a fake provider can be scripted to show, each exactly as the real provider shows it. */
public enum Fault {
  /** 429 with {@code retry-after: 1} (seconds). */
  RATE_LIMITED,
  /** 429 with {@code retry-after} as an HTTP date 1–2 s ahead (whole seconds). */
  RATE_LIMITED_HTTP_DATE,
  /** 429 without retry-after, only the provider's reset headers (about one second). */
  RATE_LIMITED_RESET_HEADERS,
  /** 429/400 saying the account is out of credit (OpenAI {@code insufficient_quota}). */
  QUOTA_EXHAUSTED,
  /** 500. */
  SERVER_ERROR,
  /** 529 {@code overloaded_error} (Anthropic; the OpenAI fake answers 503). */
  OVERLOADED,
  /** Accepts the request and answers nothing until the client gives up (or the server closes). */
  HANG,
  /** 200 with a body that is not JSON. */
  MALFORMED_BODY,
  /** The model refuses (OpenAI {@code message.refusal}; Anthropic {@code stop_reason: refusal}). */
  REFUSAL,
  /** A well-formed answer that breaks the schema (winner "Essay C", no confidence). */
  SCHEMA_INVALID,
  /** The answer is cut off (OpenAI {@code finish_reason: length}; Anthropic {@code stop_reason: max_tokens}). */
  TRUNCATED,
  /** 401: wrong API key. */
  UNAUTHORIZED,
  /** 400: the provider rejects the request. */
  BAD_REQUEST
}
