# Shared by bin/ scripts: a real Spark standalone cluster on this machine's loopback (a master and
# two workers of one core each, on the addresses 127.0.0.1 and 127.0.0.2), started from pip's pyspark in .venv: its distribution has no
# sbin/start-*.sh, so the daemons are started with bin/spark-class and stopped by their process ids.
# Sourced, not run. Needs python-env.sh sourced first (and pyspark installed).

LANCET_SPARK_MASTER_PORT=27077

# Starts the master and two workers; sets LANCET_SPARK_MASTER (its URL) and LANCET_SPARK_TMP (their
# logs and work directories). Call it directly, not in $(...): the variables must reach the caller.
lancet_spark_cluster_start() {
  local home i keep pid
  home="$("$LANCET_VENV/bin/python" -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))')"
  LANCET_SPARK_TMP="$(mktemp -d /tmp/lancet-spark.XXXXXX)"
  LANCET_SPARK_MASTER="spark://127.0.0.1:$LANCET_SPARK_MASTER_PORT"
  SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 "$home/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$LANCET_SPARK_MASTER_PORT" --webui-port 0 > "$LANCET_SPARK_TMP/master.log" 2>&1 &
  echo $! > "$LANCET_SPARK_TMP/pids"
  lancet_spark_await "$LANCET_SPARK_TMP/master.log" "I have been elected leader" 1 || return 1
  # Each worker in its own mount namespace with a private /tmp, as the second Ray node: it and its
  # executors cannot see the driver's files (its temp directories, the user's jars, a local
  # warehouse), as a worker on another machine could not. What they run is bound back at its own
  # path when it lives under /tmp: the clone (.venv's Spark, the bundle jar) and the JDK.
  keep=("$LANCET_ROOT" "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for i in 1 2; do
    # Worker i on 127.0.0.i: two hosts to Spark, as two machines (a speculative attempt runs only on
    # another host than its first). Each worker announces one GPU (bin/lib/fake-gpus.sh, address i - 1) for the num_gpus tests.
    SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 SPARK_WORKER_DIR="$LANCET_SPARK_TMP/work-$i" LANCET_FAKE_GPU=$((i - 1)) \
      SPARK_WORKER_OPTS="-Dspark.worker.resource.gpu.amount=1 -Dspark.worker.resource.gpu.discoveryScript=$LANCET_ROOT/bin/lib/fake-gpus.sh" \
      unshare --mount --propagation private bash -c "exec 3</tmp && mount -t tmpfs -o size=4g lancet-spark-$i /tmp && \
        for d in \"\$@\"; do case \"\$d\" in /tmp/?*) mkdir -p \"\$d\" && \
          mount --no-canonicalize --bind \"/proc/self/fd/3/\${d#/tmp/}\" \"\$d\" || exit 1;; esac; done && \
        exec 3<&- && exec '$home/bin/spark-class' org.apache.spark.deploy.worker.Worker --host 127.0.0.$i --cores 1 \
          --memory 1500m --webui-port 0 '$LANCET_SPARK_MASTER'" "lancet-spark-worker-$i" "${keep[@]}" \
      > "$LANCET_SPARK_TMP/worker-$i.log" 2>&1 &
    echo $! >> "$LANCET_SPARK_TMP/pids"
  done
  lancet_spark_await "$LANCET_SPARK_TMP/master.log" "Registering worker" 2 || return 1
  touch "$LANCET_SPARK_TMP/visible-to-the-driver-only"
  for pid in $(tail -n 2 "$LANCET_SPARK_TMP/pids"); do
    if nsenter -t "$pid" -m test -e "$LANCET_SPARK_TMP/visible-to-the-driver-only"; then
      echo "a Spark worker sees the driver's /tmp: it is not isolated" >&2
      return 1
    fi
  done
}

# Waits (60 s at most) until a log has a line at least n times.
lancet_spark_await() { # log text n
  local _
  for _ in $(seq 1 600); do
    [ "$(grep -c "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0
    sleep 0.1
  done
  echo "the Spark cluster did not start ('$2' x $3 not in $1):" >&2
  cat "$LANCET_SPARK_TMP"/*.log >&2
  return 1
}

lancet_spark_cluster_stop() {
  [ -n "${LANCET_SPARK_TMP:-}" ] || return 0
  if [ -f "$LANCET_SPARK_TMP/pids" ]; then
    # The workers' executors are their children: the whole process groups go.
    while read -r pid; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done < "$LANCET_SPARK_TMP/pids"
    sleep 1
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$LANCET_SPARK_TMP/pids"
  fi
  rm -rf "$LANCET_SPARK_TMP"
  LANCET_SPARK_TMP=""
}
