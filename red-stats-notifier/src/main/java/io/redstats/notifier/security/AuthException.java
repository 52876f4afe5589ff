package io.redstats.notifier.security;

import org.springframework.http.HttpStatus;

/** A refused caller: 401 (no valid token) or 403 (valid token, not allowed). */
public final class AuthException extends RuntimeException {

  private final HttpStatus status;

  public AuthException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }
}
