#!/usr/bin/env bash
# Benchmark of datasets-service's analyser alone (SPEC §13): generates a JSONL file of SIZE_MB
# (default 100; pass 1000 for the 1 GB run), analyses it RUNS times in one JVM at -Xmx256m and prints
# MB/s per run (wall clock and per CPU-second of the analysing thread, bench/datasets/AnalyseCpu.java) and
# the JVM's peak RSS. Baseline in the same run: SLMGEN's own Python rule set
# (libslmgen/core ingest + quality + analyzer) on the same file when SLMGEN_SRC points at a checkout
# of eshanized/SLMGen, else `cat` of the file.
# Usage: bench/datasets/analyse.sh [SIZE_MB] [RUNS]
set -euo pipefail
SIZE_MB=${1:-100}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d)}; mkdir -p "$WORK"
FILE="$WORK/bench-${SIZE_MB}mb.jsonl"
[ -f "$FILE" ] || python3 "$ROOT/bench/datasets/gen.py" "$FILE" "$SIZE_MB"

cd "$ROOT"
./mvnw -B -q -o compile -pl datasets-service -am >/dev/null
# the analyser needs jackson-core only: from the packaged app when there is one, else from the dependency plugin
JACKSON=$(ls "$ROOT"/datasets-service/target/quarkus-app/lib/main/com.fasterxml.jackson.core.jackson-core-*.jar 2>/dev/null | head -1 || true)
if [ -n "$JACKSON" ]; then
  CP="$ROOT/datasets-service/target/classes:$JACKSON"
else
  ./mvnw -B -q -o dependency:build-classpath -pl datasets-service -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
  CP="$ROOT/datasets-service/target/classes:$(cat "$WORK/cp.txt")"
fi

echo "== baseline"
start=$(date +%s.%N); cat "$FILE" > /dev/null; end=$(date +%s.%N)
echo "cat: $(python3 -c "print(f'{$SIZE_MB/($end-$start):.1f} MB/s')")"
if [ -n "${SLMGEN_SRC:-}" ]; then
  start=$(date +%s.%N)
  python3 - "$FILE" "$SLMGEN_SRC" <<'PY'
import sys, types, importlib.util
src = sys.argv[2] + "/libslmgen"
sys.path.insert(0, src)
core = types.ModuleType("core"); core.__path__ = []; sys.modules["core"] = core
def load(n, p):
    s = importlib.util.spec_from_file_location(n, p); m = importlib.util.module_from_spec(s); s.loader.exec_module(m); return m
ingest = load("core.ingest", src + "/core/ingest.py"); quality = load("core.quality", src + "/core/quality.py")
analyzer = load("core.analyzer", src + "/core/analyzer.py")
data, stats, err = ingest.ingest_data(sys.argv[1]); quality.validate_quality(data); analyzer.analyze_dataset(data)
PY
  end=$(date +%s.%N)
  echo "SLMGEN (Python): $(python3 -c "print(f'{$SIZE_MB/($end-$start):.1f} MB/s')")"
fi

echo "== analyser (one core, -Xmx256m; MB/s by wall clock and per CPU-second of the analysing thread)"
if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f "peak RSS: %M KiB, process CPU: user %U s + sys %S s" java -Xmx256m -XX:ActiveProcessorCount=1 -cp "$CP" "$ROOT/bench/datasets/AnalyseCpu.java" "$FILE" "$RUNS"
else
  java -Xmx256m -XX:ActiveProcessorCount=1 -cp "$CP" "$ROOT/bench/datasets/AnalyseCpu.java" "$FILE" "$RUNS"
fi
