package io.redstats.api.security;

/** Whose images a client token may count; the notifier reads the same switch. */
public enum Visibility {
  /** A client token counts its own client's images only. */
  OWN,
  /** Every client's images are visible to every client token. */
  ALL
}
