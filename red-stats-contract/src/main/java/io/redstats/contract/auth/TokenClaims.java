package io.redstats.contract.auth;

/** Claim names and the issuer of RED_STATS tokens. */
public final class TokenClaims {
  public static final String ISSUER = "redstats";

  /** The client a token acts for; absent on producer and admin tokens. */
  public static final String CLIENT_ID = "client_id";

  public static final String SCOPE = "scope";

  /** HS256 wants a key of at least 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  private TokenClaims() {}
}
