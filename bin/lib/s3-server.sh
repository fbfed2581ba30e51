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
