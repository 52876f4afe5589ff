#!/usr/bin/env bash
# An HTTP + WebSocket load balancer on 127.0.0.1:PORT in front of 127.0.0.1:UPSTREAM_PORTs.
#   nginx.sh start DIR PORT UPSTREAM_PORT [UPSTREAM_PORT...] | stop DIR | status DIR
set -euo pipefail
SCRIPT_NAME=nginx.sh
USAGE="start DIR PORT UPSTREAM_PORT [UPSTREAM_PORT...] | stop DIR | status DIR"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A node that does not accept a connection within this is skipped for the next one.
CONNECT_TIMEOUT=1s
# WebSockets stay open for as long as a client listens; alerts may be minutes apart.
READ_TIMEOUT=1h
# After a failure a node is left out this long before it is tried again.
FAIL_TIMEOUT=5s

nginx_binary() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } ||
    die "nginx is not installed (run deploy/local/install.sh)"
}

write_config() {
  local dir="$1" port="$2"
  shift 2
  local servers="" upstream
  for upstream in "$@"; do
    require_port_number "$upstream"
    servers+="    server 127.0.0.1:$upstream max_fails=1 fail_timeout=$FAIL_TIMEOUT;"$'\n'
  done
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
daemon on;
pid $dir/pid;
error_log $dir/error.log warn;
worker_processes 1;

events {
  worker_connections 4096;
}

http {
  # \$uri, not \$request: the query is not needed here. Bearer tokens never travel in URLs (the
  # notifier refuses access_token=; browsers send the token as the socket's first message).
  log_format redstats '\$remote_addr [\$time_local] "\$request_method \$uri" \$status \$body_bytes_sent'
                      ' \$request_time upstream=\$upstream_addr';
  access_log $dir/access.log redstats;
  client_body_temp_path $dir/tmp/client_body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;

  # "Connection: upgrade" only when the client asked for a WebSocket.
  map \$http_upgrade \$connection_upgrade {
    default upgrade;
    ''      '';
  }

  upstream backends {
$servers  }

  server {
    listen 127.0.0.1:$port;

    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_connect_timeout $CONNECT_TIMEOUT;
      proxy_read_timeout $READ_TIMEOUT;
      proxy_send_timeout $READ_TIMEOUT;
      # A dead or unreachable node is skipped; the request goes to the next one.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 0;
      proxy_buffering off;
    }
  }
}
CONF
}

do_start() {
  local dir="$1" port="${2:-}"
  [[ -n "$port" && -n "${3:-}" ]] || usage_die
  require_free_port "$port"
  shift 2
  local binary
  binary="$(nginx_binary)"
  write_config "$dir" "$port" "$@"
  rm -f "$dir/pid"
  # nginx daemonizes itself; its master writes DIR/pid.
  "$binary" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null >>"$dir/nginx-stdout.log" 2>&1 ||
    { show_logs "$dir"; die "nginx on 127.0.0.1:$port did not start"; }
  local deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while [[ ! -s "$dir/pid" ]] && ((SECONDS < deadline)); do sleep 0.1; done
  wait_until "$dir" "nginx on 127.0.0.1:$port" port_in_use "$port"
  log "nginx started on 127.0.0.1:$port -> $* (pid $(pid_of "$dir"), logs $dir/error.log $dir/access.log)"
}

do_stop() {
  stop_dir "$1" TERM
}

dispatch "$@"
