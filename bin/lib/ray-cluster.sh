# Shared by bin/ scripts: a real Ray cluster on this machine's loopback, for the integration suite.
# Sourced, not run. Needs python3; installs Python's ray (matching the Java jars) into .venv.

LANCET_RAY_VERSION=2.39.0
LANCET_RAY_PORT=26379
LANCET_VENV="$LANCET_ROOT/.venv"

lancet_ray_install() {
  if [ ! -x "$LANCET_VENV/bin/ray" ] || ! "$LANCET_VENV/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$LANCET_RAY_VERSION')" 2>/dev/null; then
    echo "Installing Python ray==$LANCET_RAY_VERSION into $LANCET_VENV (once)..." >&2
    python3 -m venv "$LANCET_VENV"
    "$LANCET_VENV/bin/pip" install -q --disable-pip-version-check "ray==$LANCET_RAY_VERSION" >&2
  fi
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

lancet_ray_stop() {
  "$LANCET_VENV/bin/ray" stop --force > /dev/null 2>&1 || true
  [ -n "${LANCET_RAY_TMP:-}" ] && rm -rf "$LANCET_RAY_TMP"
}
