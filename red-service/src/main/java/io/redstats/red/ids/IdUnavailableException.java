package io.redstats.red.ids;

/**
 * No image id may be issued now (the node's lease lapsed, the clock stepped back, RED is stopping):
 * the upload is answered 503, nothing is stored, and a retry is safe.
 */
public class IdUnavailableException extends RuntimeException {

  public IdUnavailableException(String message) {
    super(message);
  }
}
