package io.redstats.testsupport;

/** The servers {@link RealServers} provides. */
public enum Server {
  KAFKA,
  CLICKHOUSE,
  POSTGRES
}
