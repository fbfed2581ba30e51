# Shared by bin/ scripts: the project's Python virtualenv (.venv) with Python's ray (the version of
# the Java jars), PySpark (the build's Spark version) and pytest, and a real Ray cluster on this
# machine's loopback for the integration suite. Sourced, not run. Needs python3.

LANCET_RAY_VERSION=2.39.0
LANCET_RAY_PORT=26379
LANCET_VENV="$LANCET_ROOT/.venv"

LANCET_PYSPARK_VERSION=3.5.7
LANCET_PYTEST_VERSION=9.2.0
LANCET_PYARROW_VERSION=26.0.1
LANCET_NBCLIENT_VERSION=0.10.2
LANCET_IPYKERNEL_VERSION=6.29.5
LANCET_PEXPECT_VERSION=4.9.0

# Installs a Python package at a version into .venv unless it is there already.
lancet_pip() { # module package version
  [ -x "$LANCET_VENV/bin/python" ] || python3 -m venv "$LANCET_VENV"
  if ! "$LANCET_VENV/bin/python" -c "import $1, sys; sys.exit($1.__version__ != '$3')" 2>/dev/null; then
    echo "Installing Python $2==$3 into $LANCET_VENV (once)..." >&2
    "$LANCET_VENV/bin/pip" install -q --disable-pip-version-check "$2==$3" >&2
  fi
}

lancet_ray_install() {
  lancet_pip ray ray "$LANCET_RAY_VERSION"
}

# PySpark at the build's Spark version, pytest, pyarrow (schemas and data for create_table),
# Jupyter's nbclient and ipykernel (the .ipynb notebook), pexpect (the console in a pseudo-terminal),
# and Lancet's own Python package.
lancet_python_install() {
  lancet_pip pyspark pyspark "$LANCET_PYSPARK_VERSION"
  lancet_pip pytest pytest "$LANCET_PYTEST_VERSION"
  lancet_pip pyarrow pyarrow "$LANCET_PYARROW_VERSION"
  lancet_pip nbclient nbclient "$LANCET_NBCLIENT_VERSION"
  lancet_pip ipykernel ipykernel "$LANCET_IPYKERNEL_VERSION"
  lancet_pip pexpect pexpect "$LANCET_PEXPECT_VERSION"
  "$LANCET_VENV/bin/pip" install -q --disable-pip-version-check "$LANCET_ROOT/connector/python" >&2
}

# Starts a head node on 127.0.0.1 (its files in a temp dir); sets LANCET_RAY_ADDRESS and LANCET_RAY_TMP.
# Call it directly, not in $(...): the variables must reach the caller.
lancet_ray_start() {
  LANCET_RAY_TMP="$(mktemp -d /tmp/lancet-ray.XXXXXX)"
  # Keep Ray on loopback: without this it advertises the first network interface.
  export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0
  "$LANCET_VENV/bin/ray" start --head --node-ip-address=127.0.0.1 --port="$LANCET_RAY_PORT" --num-cpus=2 \
    --include-dashboard=false --disable-usage-stats --temp-dir="$LANCET_RAY_TMP" > "$LANCET_RAY_TMP/start.log" 2>&1 \
    || { cat "$LANCET_RAY_TMP/start.log" >&2; return 1; }
  LANCET_RAY_ADDRESS="127.0.0.1:$LANCET_RAY_PORT"
}

# Adds a second node on 127.0.0.2 (one CPU) to the running cluster, in its own mount namespace
# with a private /tmp: it cannot see the driver's staging directory or anything else the driver
# keeps under /tmp (the tests' temp directories, the user's jar, the code dir, the head's files),
# as a node of another machine could not. What the node runs is bound back at its own path when
# it lives under /tmp: the clone (.venv, and the tables the tests share under target/), the venv's
# base Python and the JDK; none of them holds the driver's files. Needs root (unshare, mount).
# Sets LANCET_RAY_NODE_PID (its raylet) and checks the isolation.
lancet_ray_add_isolated_node() {
  local log="$LANCET_RAY_TMP/node-b.log" marker="$LANCET_RAY_TMP/visible-to-the-driver-only" keep
  touch "$marker"
  keep=("$LANCET_ROOT" "$("$LANCET_VENV/bin/python" -c 'import sys; print(sys.base_prefix)')"
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  # `ray start --address=127.0.0.1:...` on a worker node swaps 127.0.0.1 for the machine's first
  # interface (services.resolve_ip_for_localhost), where this loopback cluster does not listen:
  # the node is started through Ray's CLI with that swap turned off. The binds reach the hidden
  # /tmp through a descriptor opened before the tmpfs covers it (--no-canonicalize: mount would
  # otherwise resolve /proc/self/fd/3/... to the new, empty /tmp).
  unshare --mount --propagation private bash -c "exec 3</tmp && mount -t tmpfs -o size=6g lancet-node-b /tmp && \
    for d in \"\$@\"; do case \"\$d\" in /tmp/?*) mkdir -p \"\$d\" && \
      mount --no-canonicalize --bind \"/proc/self/fd/3/\${d#/tmp/}\" \"\$d\" || exit 1;; esac; done && \
    exec 3<&- && RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=1 exec '$LANCET_VENV/bin/python' -c '
import sys, ray._private.services as services
services.resolve_ip_for_localhost = lambda address: address
from ray.scripts.scripts import main
sys.argv[0] = \"ray\"
main()' start --address=127.0.0.1:$LANCET_RAY_PORT --node-ip-address=127.0.0.2 --num-cpus=1 \
    --resources='{\"node_b\": 1}' --dashboard-agent-listen-port=52366 --min-worker-port=20000 --max-worker-port=20999 \
    --disable-usage-stats" lancet-node-b "${keep[@]}" > "$log" 2>&1 || { cat "$log" >&2; return 1; }
  LANCET_RAY_NODE_PID="$(pgrep -f 'raylet.*--node_ip_address=127.0.0.2' | head -1)"
  [ -n "$LANCET_RAY_NODE_PID" ] || { echo "the second Ray node has no raylet:" >&2; cat "$log" >&2; return 1; }
  if nsenter -t "$LANCET_RAY_NODE_PID" -m test -e "$marker"; then
    echo "the second Ray node sees the driver's /tmp: it is not isolated" >&2
    return 1
  fi
}

# Prints the home of an installed JDK whose major version is not the one `java` runs (the machine's
# second JDK, e.g. Temurin 25 beside OpenJDK 17), or nothing.
lancet_other_jdk() {
  local mine home theirs
  mine="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  for home in /usr/lib/jvm/*/; do
    [ -x "$home/bin/java" ] || continue
    theirs="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [ -n "$theirs" ] && [ "$theirs" != "$mine" ]; then echo "${home%/}"; return; fi
  done
}

lancet_ray_stop() {
  "$LANCET_VENV/bin/ray" stop --force > /dev/null 2>&1 || true
  [ -n "${LANCET_RAY_TMP:-}" ] && rm -rf "$LANCET_RAY_TMP"
}
