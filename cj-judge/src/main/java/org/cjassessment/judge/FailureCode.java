package org.cjassessment.judge;

/**
 * Why a judge gave no verdict; the name travels as {@code error_detail.error_code} (upstream ErrorCode strings
 * where one exists).
 */
public enum FailureCode {
  /** 429 still after the last retry. */
  RATE_LIMIT,
  /** 5xx, 529 or a connection failure still after the last retry. */
  SERVICE_UNAVAILABLE,
  /** No answer within the timeout, still after the last retry. */
  TIMEOUT,
  /** 401 / 403: the key is wrong or lacks permission; retrying cannot help. */
  AUTHENTICATION_ERROR,
  /** 400 and other 4xx: the provider rejected the request as built. */
  INVALID_REQUEST,
  /** The account is out of credit ({@code insufficient_quota}). */
  QUOTA_EXCEEDED,
  /** The model refused (a refusal field, {@code stop_reason: refusal}, a content filter). */
  CONTENT_REFUSED,
  /** The answer was cut off ({@code finish_reason: length}, {@code stop_reason: max_tokens}). */
  OUTPUT_TRUNCATED,
  /** The body was not the protocol's JSON, or the answer did not match the schema. */
  INVALID_RESPONSE,
  /** The simulated judge's configured error rate, or an essay it has no truth for. */
  SIMULATED_ERROR,
  /** A bug in the judge (it threw). */
  UNKNOWN_ERROR
}
