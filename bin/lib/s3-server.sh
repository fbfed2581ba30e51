# Shared by bin/ scripts: the S3-compatible server of the object-store suites, moto's standalone
# server (Apache-2.0, from PyPI, into the project's .venv), which speaks the S3 HTTP protocol,
# conditional PUTs (If-None-Match: *, Lance's commits) included. The tests start and stop it on
# 127.0.0.1 themselves (dev.lancet.testing.S3TestServer, -Dlancet.test.moto-server=<its path>).
# Sourced, not run; needs python-env.sh first.

LANCET_MOTO_VERSION=5.2.5

lancet_s3_install() {
  [ -x "$LANCET_VENV/bin/python" ] || python3 -m venv "$LANCET_VENV"
  if ! "$LANCET_VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$LANCET_MOTO_VERSION')" 2>/dev/null \
      || [ ! -x "$LANCET_VENV/bin/moto_server" ]; then
    echo "Installing Python moto[server]==$LANCET_MOTO_VERSION into $LANCET_VENV (once)..." >&2
    "$LANCET_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$LANCET_MOTO_VERSION" >&2
  fi
}

LANCET_MOTO_PORT=27555

# Starts moto's server on 127.0.0.1 with an empty bucket; sets LANCET_S3_PID and LANCET_S3_CONF (the
# lancet-sql --conf arguments of a warehouse at s3://lancet-bucket/<prefix>). Call it directly.
lancet_s3_start() { # prefix log
  "$LANCET_VENV/bin/moto_server" -H 127.0.0.1 -p "$LANCET_MOTO_PORT" > "$2" 2>&1 &
  LANCET_S3_PID=$!
  local _
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$LANCET_MOTO_PORT/" && break
    sleep 0.1
  done
  curl -sf -X PUT "http://127.0.0.1:$LANCET_MOTO_PORT/lancet-bucket" > /dev/null \
    || { echo "moto's server did not start:" >&2; cat "$2" >&2; return 1; }
  LANCET_S3_CONF=(--conf "spark.sql.catalog.lancet.root=s3://lancet-bucket/$1"
    --conf "spark.sql.catalog.lancet.storage.endpoint=http://127.0.0.1:$LANCET_MOTO_PORT"
    --conf spark.sql.catalog.lancet.storage.allow_http=true
    --conf spark.sql.catalog.lancet.storage.region=us-east-1
    --conf spark.sql.catalog.lancet.storage.access_key_id=lancet-test
    --conf spark.sql.catalog.lancet.storage.secret_access_key=lancet-test-secret-2b8e)
}

lancet_s3_stop() {
  [ -n "${LANCET_S3_PID:-}" ] && kill "$LANCET_S3_PID" 2>/dev/null || true
  LANCET_S3_PID=""
}
