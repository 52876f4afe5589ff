#!/usr/bin/env bash
# A ClickHouse server on 127.0.0.1 with its own copy of the packaged configuration.
#   clickhouse.sh start DIR HTTP_PORT TCP_PORT | stop DIR | status DIR
set -euo pipefail
SCRIPT_NAME=clickhouse.sh
USAGE="start DIR HTTP_PORT TCP_PORT | stop DIR | status DIR"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGED_CONFIG_DIR=${CLICKHOUSE_CONFIG_DIR:-/etc/clickhouse-server}
# The packaged mark cache is 5 GiB; allocated on demand, but a test box runs several servers.
MARK_CACHE_BYTES=268435456

clickhouse_binary() {
  local candidate
  for candidate in clickhouse-server /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  die "clickhouse-server is not installed (run deploy/local/install.sh)"
}

# Copies the packaged config.xml and users.xml and points every path and port at DIR:
# data and logs under DIR, HTTP and native ports as given, listening on 127.0.0.1 only,
# and no interserver (replication), MySQL, PostgreSQL or TLS ports, which would clash between
# several servers on one machine.
write_config() {
  local dir="$1" http_port="$2" tcp_port="$3"
  [[ -f "$PACKAGED_CONFIG_DIR/config.xml" ]] || die "$PACKAGED_CONFIG_DIR/config.xml not found (run deploy/local/install.sh)"
  cp "$PACKAGED_CONFIG_DIR/users.xml" "$dir/users.xml"
  sed -E \
    -e "s#/var/lib/clickhouse/#$dir/data/#g" \
    -e "s#/var/log/clickhouse-server/#$dir/#g" \
    -e "s#<http_port>[0-9]+</http_port>#<http_port>$http_port</http_port>#" \
    -e "s#<tcp_port>[0-9]+</tcp_port>#<tcp_port>$tcp_port</tcp_port>#" \
    -e "s#<mark_cache_size>[0-9]+</mark_cache_size>#<mark_cache_size>$MARK_CACHE_BYTES</mark_cache_size>#" \
    -e "/^[[:space:]]*<(interserver_http_port|https_port|tcp_port_secure|mysql_port|postgresql_port|interserver_https_port|listen_host)>[^<]*<\/[a-z_]+>[[:space:]]*$/d" \
    "$PACKAGED_CONFIG_DIR/config.xml" >"$dir/config.xml"
  # One listen_host right under the root element (<yandex> on 18.x, <clickhouse> on newer servers).
  sed -i -E "0,/^[[:space:]]*<(yandex|clickhouse)>/s##&\n    <listen_host>127.0.0.1</listen_host>#" "$dir/config.xml"
  grep -q "<listen_host>127.0.0.1</listen_host>" "$dir/config.xml" || die "could not set listen_host in $dir/config.xml"
  grep -q "<http_port>$http_port</http_port>" "$dir/config.xml" || die "could not set http_port in $dir/config.xml"
}

answers_ping() {
  [[ "$(curl -s --max-time 2 "http://127.0.0.1:$1/ping")" == "Ok." ]]
}

do_start() {
  local dir="$1" http_port="${2:-}" tcp_port="${3:-}"
  [[ -n "$http_port" && -n "$tcp_port" ]] || usage_die
  require_free_port "$http_port"
  require_free_port "$tcp_port"
  local binary
  binary="$(clickhouse_binary)"
  mkdir -p "$dir/data"
  write_config "$dir" "$http_port" "$tcp_port"
  spawn "$dir" "$dir/clickhouse-stdout.log" "$binary" --config-file="$dir/config.xml"
  wait_until "$dir" "ClickHouse on 127.0.0.1:$http_port" answers_ping "$http_port"
  log "ClickHouse started on http://127.0.0.1:$http_port (native $tcp_port, pid $(pid_of "$dir"), log $dir/clickhouse-server.log)"
}

do_stop() {
  stop_dir "$1" TERM
}

dispatch "$@"
