package io.redstats.contract.auth;

/**
 * What a token may do, carried in its standard {@code scope} claim (space separated). Spring
 * Security maps each to an authority {@code SCOPE_<name>}.
 */
public final class Scopes {
  /** Upload images to RED. */
  public static final String UPLOAD = "upload";

  /** Post measurements to ingest (RED's producer token). */
  public static final String INGEST = "ingest";

  /** Open a WebSocket for alerts. */
  public static final String SUBSCRIBE = "subscribe";

  /** Ask for counts. */
  public static final String QUERY = "query";

  /** Operate the deployment: sees every client, lists subscriptions. */
  public static final String ADMIN = "admin";

  private Scopes() {}

  public static String authority(String scope) {
    return "SCOPE_" + scope;
  }
}
