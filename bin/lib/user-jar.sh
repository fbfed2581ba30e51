# Shared by bin/ scripts: a user's UDF jar built outside Lancet's build, exactly as the README tells
# users (the README's compile lines), and a check of the reference flow's output.
# Sourced, not run.

# Builds examples/user-jar's UDFs into <dir>/acme-features.jar with the README's own compile lines
# (its compile-lines block, run as written but for the output folder); prints the jar's path.
lancet_user_jar() { # dir
  local dir="$1" lines
  lines="$(sed -n '/^<!-- compile-lines/,/^<!-- end of compile-lines/p' "$LANCET_ROOT/README.md" \
    | sed -n '/^```bash$/,/^```$/p' | sed '1d;$d')"
  grep -q '^out=/tmp/acme-features ' <<< "$lines" || { echo "README: no compile-lines block" >&2; return 1; }
  (cd "$LANCET_ROOT" && bash -euo pipefail -c "${lines/out=\/tmp\/acme-features /out=\"$dir\" }") >&2
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
  # The batched UDF of the same jar: 2 words in each of the 5 captions.
  if ! grep -Eq '^(\| 10 +\||10)$' <<< "$out"; then
    echo "$name: the batched UDF of the user's jar did not count 10 words:"; echo "$out"; return 1
  fi
  # The UDF built against Guava 18 (bundled in the jar) ran with its own Guava: 5 labels.
  if [ "$(grep -Ec 'clip\{file=[a-c]+\.mp4\}' <<< "$out")" != 5 ]; then
    echo "$name: the UDF built against Guava 18 did not label the 5 clips:"; echo "$out"; return 1
  fi
  echo "$name: the reference flow on a user's jar computed 2, 1, 0, 2 rows and every clip's pixels, 10 words and 5 labels (Guava 18 in the user's jar)"
}
