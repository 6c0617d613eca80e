#!/usr/bin/env bash
# jena-riot.sh - Apache Jena RIOT: jena-riot.sh --validate FILE... | --count FILE... | --output=nt FILE
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/jena-common.sh"
jena_run riotcmd.riot "$@"
