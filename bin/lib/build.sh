# Shared by bin/ scripts: builds Lancet when sources changed and records how to launch it.
# Sourced, not run. Sets LANCET_CP and LANCET_JVM_FLAGS.

LANCET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LANCET_STATE="$LANCET_ROOT/examples/target/launcher"

lancet_needs_build() {
  [ -f "$LANCET_STATE/classpath" ] && [ -f "$LANCET_STATE/jvm-flags" ] || return 0
  # Any of the project's own sources or poms newer than the recorded classpath means a rebuild:
  # the root pom and each module's pom and src/main (the modules as the root pom lists them). Not
  # the whole tree: pip's pyspark in .venv (or benchmarks/.venv) ships examples/src/main/..., and
  # target/, node_modules and .git hold files the build does not read. Folders count too: deleting a
  # source changes its folder's time.
  local module paths=("$LANCET_ROOT/pom.xml")
  for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$LANCET_ROOT/pom.xml"); do
    paths+=("$LANCET_ROOT/$module/pom.xml")
    [ -d "$LANCET_ROOT/$module/src/main" ] && paths+=("$LANCET_ROOT/$module/src/main")
  done
  [ -n "$(find "${paths[@]}" \( -name .venv -o -name target -o -name node_modules -o -name .git \) -prune -o \
      -newer "$LANCET_STATE/classpath" -print -quit)" ]
}

# Maven's output without its colour codes.
lancet_no_ansi() { sed 's/\x1b\[[0-9;]*m//g'; }

# The JVM flags the root pom holds (lancet.jvm.flags, their one source of truth).
lancet_jvm_flags() {
  (cd "$LANCET_ROOT" && mvn -q -B -ntp -Dstyle.color=never -N help:evaluate -Dexpression=lancet.jvm.flags -DforceStdout 2> >(lancet_no_ansi >&2)) \
      | lancet_no_ansi
}

lancet_build() {
  echo "Building Lancet (first run or sources changed; this takes a minute)..." >&2
  # Maven prints ANSI resets even with -q -B; a log, a CI runner or a notebook would show them.
  (set -o pipefail; cd "$LANCET_ROOT" && mvn -q -B -ntp -DskipTests install 2>&1 | lancet_no_ansi) >&2
  lancet_record_launcher
}

# Records the examples module's runtime classpath and the JVM flags from the pom (one source of truth).
lancet_record_launcher() {
  mkdir -p "$LANCET_STATE"
  (set -o pipefail; cd "$LANCET_ROOT/examples" && mvn -q -B -ntp dependency:build-classpath \
      -DincludeScope=runtime -Dmdep.outputFile="$LANCET_STATE/deps" 2>&1 | lancet_no_ansi) >&2
  # bin/lib/logging first: its log4j2.properties (warnings on stderr) is what a Java program on this
  # class path logs with, not the log4j2.xml in Ray's jar (INFO on stdout).
  echo "$LANCET_ROOT/bin/lib/logging:$LANCET_ROOT/examples/target/classes:$(cat "$LANCET_STATE/deps")" \
    > "$LANCET_STATE/classpath.tmp"
  lancet_jvm_flags > "$LANCET_STATE/jvm-flags"
  mv "$LANCET_STATE/classpath.tmp" "$LANCET_STATE/classpath"
}

lancet_ensure_built() {
  command -v java >/dev/null || { echo "lancet: java (17+) is not on the PATH" >&2; exit 2; }
  command -v mvn >/dev/null || { echo "lancet: mvn (Maven 3.8+) is not on the PATH" >&2; exit 2; }
  if lancet_needs_build; then
    lancet_build
  fi
  LANCET_CP="$(cat "$LANCET_STATE/classpath")"
  LANCET_JVM_FLAGS="$(cat "$LANCET_STATE/jvm-flags")"
}
