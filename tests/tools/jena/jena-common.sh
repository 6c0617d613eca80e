# jena-common.sh - sourced by the jena-*.sh scripts next to it (tests/tools/jena/).
# Runs Apache Jena 4.5 command classes from Debian's libapache-jena-java, which ships jars
# under /usr/share/java but no launcher scripts.
#
# Why the shim: Debian's jena-core.jar relocates its embedded Xerces classes to the package
# "xerces.*" but leaves their message bundles under org/apache/jena/ext/xerces/, so Jena dies at
# start-up (ExceptionInInitializerError in XSSimpleTypeDecl). We copy those .properties files to
# the relocated path in a cache folder put first on the classpath.
#
# Environment: JENA_JAVA_OPTS (default -Xmx1g), JENA_SHIM_DIR (cache folder),
#              JENA_LOG_LEVEL (slf4j-simple level, default warn).

jena_die() { printf 'jena: %s\n' "$*" >&2; exit 2; }

jena_shim() {
  local shim=${JENA_SHIM_DIR:-${TMPDIR:-/tmp}/sistercity-kg-jena-shim-$(id -u)}
  if [ ! -f "$shim/xerces/impl/xpath/regex/message.properties" ]; then
    mkdir -p "$shim"
    python3 - "$shim" <<'PY' || jena_die "cannot build the Xerces message shim in $shim"
import os, sys, zipfile
shim, prefix = sys.argv[1], "org/apache/jena/ext/xerces/"
with zipfile.ZipFile("/usr/share/java/jena-core.jar") as jar:
    for name in jar.namelist():
        if name.startswith(prefix) and name.endswith(".properties"):
            target = os.path.join(shim, "xerces", name[len(prefix):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(jar.read(name))
PY
  fi
  printf '%s' "$shim"
}

jena_classpath() {
  local dir=/usr/share/java cp jar
  [ -e "$dir/jena-cmds.jar" ] || jena_die "Apache Jena is not installed: apt-get install libapache-jena-java"
  cp=$(jena_shim) || exit 2
  # The Jena modules and the run-time dependencies Debian declares for libapache-jena-java;
  # slf4j-simple because riot and shacl report syntax errors through the logger; httpclient-cache
  # for the JSON-LD 1.0 reader (jsonld-java), which JenaBatch.java uses.
  for jar in jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index \
             jena-dboe-storage jena-dboe-trans-data jena-dboe-transaction jena-iri \
             jena-rdfconnection jena-shacl jena-shex jena-tdb jena-tdb2 \
             commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 \
             commons-logging dexx.collection gson guava httpclient httpclient-cache httpcore \
             jackson-annotations jackson-core jackson-databind jakarta.json-api jsonld-java \
             protobuf thrift titanium-json-ld slf4j-api slf4j-simple; do
    [ -e "$dir/$jar.jar" ] || jena_die "missing $dir/$jar.jar"
    cp="$cp:$dir/$jar.jar"
  done
  printf '%s' "$cp"
}

# jena_run MAIN_CLASS_OR_SOURCE_FILE ARGS...
jena_run() {
  command -v java >/dev/null || jena_die "java not found: apt-get install default-jre-headless"
  local main=$1 cp
  shift
  cp=$(jena_classpath) || exit 2
  # shellcheck disable=SC2086
  exec java ${JENA_JAVA_OPTS:--Xmx1g} \
    -Dorg.slf4j.simpleLogger.defaultLogLevel="${JENA_LOG_LEVEL:-warn}" \
    -Dorg.slf4j.simpleLogger.logFile=System.err \
    -cp "$cp" "$main" "$@"
}
