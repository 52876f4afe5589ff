package io.redstats.ingest.intake;

/** The {@code reason} tag of the {@code redstats.ingest.refused} metric. */
final class RefusalReason {
  static final String INVALID = "invalid";
  static final String MALFORMED = "malformed";
  static final String TOO_LARGE = "too_large";
  static final String UNSUPPORTED_TYPE = "unsupported_type";
  static final String UNAVAILABLE = "unavailable";
  static final String CONFLICT = "conflict";
  static final String OTHER_CLIENT = "other_client";

  private RefusalReason() {}
}
