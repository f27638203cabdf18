package org.cjassessment.app;

/** A mistake in what the user gave us (file, column, value): reported as one line on stderr and exit code 2. */
public final class UserInputException extends RuntimeException {
  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
