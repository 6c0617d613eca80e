#!/usr/bin/env bash
# virtuoso-up.sh - start a throwaway, loopback-only Virtuoso 7.2 (Debian's virtuoso-opensource-7-bin)
# in a state directory, for the sistercity-kg test suite or by hand.
#
# Only the binary package is used: the full "virtuoso-opensource" package starts a system-wide
# server listening on every interface, which a test suite must never do.
#
# stdout: KEY=VALUE lines (eval "$(bash virtuoso-up.sh)"), also written to $VIRTUOSO_DIR/env.
# Progress and errors go to stderr. Exit 0 = ready; 1 = failed (any server we started is stopped).
#
# Environment (all optional):
#   VIRTUOSO_DIR           state dir (db, ini, log, pid)     default ${TMPDIR:-/tmp}/sistercity-kg-virtuoso
#   VIRTUOSO_HTTP_PORT     HTTP/SPARQL port on 127.0.0.1      default 18890
#   VIRTUOSO_SQL_PORT      SQL (isql) port on 127.0.0.1       default 11111
#   VIRTUOSO_USER          user granted SPARQL_UPDATE         default sckg
#   VIRTUOSO_PASSWORD      its password                       default random (printed in the env lines)
#   VIRTUOSO_MAX_ROWS      [SPARQL] ResultSetMaxRows          default 1000000 (stock 10000 silently
#                          truncates SELECT, CONSTRUCT and Graph Store GET results)
#   VIRTUOSO_BUFFERS       NumberOfBuffers (8 KiB pages)      default 20000 (~160 MiB)
#   VIRTUOSO_INSTALL       1 = apt-get install the binary package when virtuoso-t is missing (root only)
#                          default 1
#   VIRTUOSO_START_TIMEOUT seconds to wait for the server     default 60
set -euo pipefail

DIR=${VIRTUOSO_DIR:-${TMPDIR:-/tmp}/sistercity-kg-virtuoso}
HTTP_PORT=${VIRTUOSO_HTTP_PORT:-18890}
SQL_PORT=${VIRTUOSO_SQL_PORT:-11111}
VUSER=${VIRTUOSO_USER:-sckg}
VPASS=${VIRTUOSO_PASSWORD:-u$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')}
MAX_ROWS=${VIRTUOSO_MAX_ROWS:-1000000}
BUFFERS=${VIRTUOSO_BUFFERS:-20000}
INSTALL=${VIRTUOSO_INSTALL:-1}
START_TIMEOUT=${VIRTUOSO_START_TIMEOUT:-60}
HOST=127.0.0.1
BASE="http://$HOST:$HTTP_PORT"

STARTED_PID=""
log() { printf '[virtuoso-up] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  # never leave a half-configured server behind: stop the one *we* started, by its PID
  if [ -n "$STARTED_PID" ] && kill -0 "$STARTED_PID" 2>/dev/null; then
    kill -TERM "$STARTED_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$STARTED_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$STARTED_PID" 2>/dev/null && kill -KILL "$STARTED_PID" 2>/dev/null
    rm -f "$DIR/virtuoso.pid"
  fi
  exit 1
}
case "$VUSER$VPASS" in *[\'\"\\\ ]*) die "user names and passwords must not contain quotes, backslashes or spaces";; esac

# Readiness: a trivial ASK answered with 200 (python3 is there wherever the test suite runs).
http_ok() {
  python3 - "$BASE/sparql?query=ASK%7B%7D" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=3).status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# ---- 1. the binary package -------------------------------------------------------
if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
  [ "$INSTALL" = 1 ] || die "virtuoso-t is not installed (apt-get install virtuoso-opensource-7-bin)"
  [ "$(id -u)" = 0 ] || die "virtuoso-t is not installed and this is not root: apt-get install virtuoso-opensource-7-bin"
  log "installing virtuoso-opensource-7-bin (binaries only: no service is started)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends virtuoso-opensource-7-bin >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends virtuoso-opensource-7-bin >&2
  fi
fi

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ -f "$DIR/virtuoso.pid" ] && kill -0 "$(cat "$DIR/virtuoso.pid")" 2>/dev/null; then
  die "a server from $DIR is still running (pid $(cat "$DIR/virtuoso.pid")); run virtuoso-down.sh first"
fi
for p in "$HTTP_PORT" "$SQL_PORT"; do
  port_busy "$p" && die "port $HOST:$p is already in use (set VIRTUOSO_HTTP_PORT / VIRTUOSO_SQL_PORT)"
done

# ---- 2. the ini: both listeners on the loopback address only --------------------
mkdir -p "$DIR/vsp"
cat > "$DIR/virtuoso.ini" <<INI
; written by sistercity-kg tests/servers/virtuoso-up.sh - loopback only
[Database]
DatabaseFile       = $DIR/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/virtuoso.lck
TransactionFile    = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/virtuoso-temp.db
TransactionFile    = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = $HOST:$SQL_PORT
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., $DIR
NumberOfBuffers      = $BUFFERS
MaxDirtyBuffers      = $(( BUFFERS * 3 / 4 ))
ThreadsPerQuery      = 2
MaxQueryMem          = 512M

[HTTPServer]
ServerPort           = $HOST:$HTTP_PORT
ServerRoot           = $DIR/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[URIQA]
DynamicLocal         = 0
DefaultHost          = $HOST:$HTTP_PORT

[SPARQL]
; the stock 10000 silently cuts results; the library also detects a cut at this limit
ResultSetMaxRows           = $MAX_ROWS
MaxSortedTopRows           = $MAX_ROWS
MaxQueryCostEstimationTime = 0
; >0 gives silent partial "anytime" answers with HTTP 200
MaxQueryExecutionTime      = 0
INI

# ---- 3. start in the foreground, backgrounded by us: we own the PID ---------------
log "starting virtuoso-t in $DIR (http $BASE, sql $HOST:$SQL_PORT)"
( cd "$DIR" && exec virtuoso-t +configfile "$DIR/virtuoso.ini" +foreground >"$DIR/stdout.log" 2>&1 </dev/null ) &
pid=$!
STARTED_PID=$pid
echo "$pid" > "$DIR/virtuoso.pid"
deadline=$(( $(date +%s) + START_TIMEOUT ))
until http_ok; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$DIR/virtuoso.log" "$DIR/stdout.log" >&2 || true
    rm -f "$DIR/virtuoso.pid"
    die "virtuoso-t exited during start-up"
  fi
  [ "$(date +%s)" -lt "$deadline" ] || die "not ready after ${START_TIMEOUT}s (see $DIR/virtuoso.log)"
  sleep 0.2
done

# ---- 4. dba password, update user, grants ----------------------------------------
# isql-vt exits 0 even when a statement fails, so also look for "*** Error" lines.
isql() {
  local out rc=0
  out=$(isql-vt "$HOST:$SQL_PORT" dba "$1" "EXEC=$2" 2>&1) || rc=$?
  printf '%s\n' "$out" >>"$DIR/isql.log"
  [ "$rc" = 0 ] && ! grep -q '\*\*\* Error' <<<"$out"
}
if [ -f "$DIR/.configured" ]; then
  # a database set up by an earlier run: its user and password stay as they were
  VUSER=$(cat "$DIR/user.name"); VPASS=$(cat "$DIR/user.pw")
else
  DBA_PW=p$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  # USER_SET_PASSWORD takes a string; "SET PASSWORD old new" fails on e.g. a leading digit
  isql dba "USER_SET_PASSWORD('dba', '$DBA_PW');" || die "could not set the dba password (see $DIR/isql.log)"
  ( umask 077; printf '%s\n' "$DBA_PW" > "$DIR/dba.pw" )
  isql "$DBA_PW" "DB.DBA.USER_CREATE('$VUSER', '$VPASS'); GRANT SPARQL_UPDATE TO \"$VUSER\"; checkpoint;" \
    || die "could not create the update user (see $DIR/isql.log)"
  ( umask 077; printf '%s' "$VUSER" > "$DIR/user.name"; printf '%s' "$VPASS" > "$DIR/user.pw" )
  touch "$DIR/.configured"
fi
log "ready (pid $pid); updates need HTTP Digest auth at $BASE/sparql-auth as '$VUSER'"

( umask 077; cat > "$DIR/env" <<ENV
VIRTUOSO_DIR=$DIR
VIRTUOSO_PID=$pid
VIRTUOSO_SPARQL=$BASE/sparql
VIRTUOSO_SPARQL_AUTH=$BASE/sparql-auth
VIRTUOSO_GSP=$BASE/sparql-graph-crud
VIRTUOSO_GSP_AUTH=$BASE/sparql-graph-crud-auth
VIRTUOSO_USER=$VUSER
VIRTUOSO_PASSWORD=$VPASS
VIRTUOSO_MAX_ROWS=$MAX_ROWS
ENV
)
cat "$DIR/env"
