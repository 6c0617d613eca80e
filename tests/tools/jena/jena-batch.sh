#!/usr/bin/env bash
# jena-batch.sh - JenaBatch.java in one JVM (source-file mode, needs a JDK):
#   jena-batch.sh parse FILE...
#   jena-batch.sh shacl SHAPES.ttl VOCABULARY.ttl... -- FIXTURE.ttl...
set -euo pipefail
here="$(dirname "$(readlink -f "$0")")"
. "$here/jena-common.sh"
command -v javac >/dev/null || jena_die "javac not found (JenaBatch.java runs as a source file): apt-get install default-jdk-headless"
jena_run "$here/JenaBatch.java" "$@"
