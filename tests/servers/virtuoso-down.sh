#!/usr/bin/env bash
# virtuoso-down.sh - stop the Virtuoso that virtuoso-up.sh started, by the PID it recorded
# (SIGTERM, then SIGKILL after a grace period). Never matches processes by name.
#   --purge   also delete the state directory
# Environment: VIRTUOSO_DIR (default ${TMPDIR:-/tmp}/sistercity-kg-virtuoso), VIRTUOSO_STOP_TIMEOUT (default 15 s)
set -euo pipefail
DIR=${VIRTUOSO_DIR:-${TMPDIR:-/tmp}/sistercity-kg-virtuoso}
GRACE=${VIRTUOSO_STOP_TIMEOUT:-15}
log() { printf '[virtuoso-down] %s\n' "$*" >&2; }

if [ -f "$DIR/virtuoso.pid" ]; then
  pid=$(cat "$DIR/virtuoso.pid")
  # only signal it if that PID is still a virtuoso-t using *this* directory's ini
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "virtuoso-t .*$DIR/virtuoso.ini"; then
    kill -TERM "$pid"
    for _ in $(seq 1 $(( GRACE * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid ignored SIGTERM for ${GRACE}s; sending SIGKILL"; kill -KILL "$pid" || true; fi
    log "stopped pid $pid"
  else
    log "pid $pid is not running (or is not this directory's server); nothing to stop"
  fi
  rm -f "$DIR/virtuoso.pid"
else
  log "no pid file in $DIR; nothing to stop"
fi
if [ "${1:-}" = "--purge" ] && [ -d "$DIR" ]; then rm -rf -- "$DIR"; log "removed $DIR"; fi
