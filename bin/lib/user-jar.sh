# Shared by bin/ scripts: a user's UDF jar built outside Lancet's build, exactly as the README tells
# users (javac -parameters against the udf-bridge jar), and a check of the reference flow's output.
# Sourced, not run.

# Compiles examples/user-jar's UDF into <dir>/acme-features.jar; prints the jar's path.
lancet_user_jar() { # dir
  local dir="$1" api="$LANCET_ROOT/udf-bridge/target/lancet-udf-bridge-0.1.0-SNAPSHOT.jar"
  mkdir -p "$dir/classes"
  javac -parameters -cp "$api" -d "$dir/classes" "$LANCET_ROOT"/examples/user-jar/src/com/acme/features/*.java >&2
  jar cf "$dir/acme-features.jar" -C "$dir/classes" .
  echo "$dir/acme-features.jar"
}

# Checks the output of examples/user-jar/flow.sql (a console's tables or spark-sql's tab-separated
# rows): the backfills computed 2, 1, 0 and 2 rows, and every clip has its pixels.
lancet_check_flow() { # name output
  local name="$1" out="$2" computed pixels
  computed="$(echo "$out" | awk -F'|' '/^\| pixels +\|/ {gsub(/ /, "", $3); printf "%s ", $3}
                                      /^pixels\t/ {split($0, f, "\t"); printf "%s ", f[2]}')"
  pixels="$(echo "$out" | awk -F'|' '/^\| [a-c]+\.mp4 +\|/ {gsub(/ /, "", $2); gsub(/ /, "", $3); printf "%s=%s ", $2, $3}
                                    /^[a-c]+\.mp4\t/ {split($0, f, "\t"); printf "%s=%s ", f[1], f[2]}')"
  if [ "$computed" != "2 1 0 2 " ] || [ "$pixels" != "a.mp4=307200 ab.mp4=921600 ac.mp4=76800 b.mp4=2073600 c.mp4=480000 " ]; then
    echo "$name: the reference flow on a user's jar went wrong (rows computed: '$computed'; pixels: '$pixels'):"
    echo "$out"
    return 1
  fi
  echo "$name: the reference flow on a user's jar computed 2, 1, 0, 2 rows and every clip's pixels"
}
