#!/usr/bin/env bash
# jena-arq.sh - Apache Jena ARQ: jena-arq.sh --data DATA.ttl --query QUERY.rq [--results=csv|json]
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/jena-common.sh"
jena_run arq.arq "$@"
