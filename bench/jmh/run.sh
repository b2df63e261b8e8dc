#!/usr/bin/env bash
# SPEC §13 token verification: builds the JMH jar (profile jmh, no tests; offline when the local repository already has JMH) and runs it with
# short settings, then prints p50/p99 per benchmark and the ≤ 50 µs p50 check last.
# Usage: bench/jmh/run.sh [extra JMH args, e.g. a benchmark regex or -f 2 -i 10]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# BENCH_JAR=/path/to/benchmarks.jar runs a jar built earlier (e.g. a copy from before a change) instead
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
if [ -z "${BENCH_JAR:-}" ]; then
  ./mvnw -B -q -o -Pjmh package -pl bench/jmh -am -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -Pjmh package -pl bench/jmh -am -DskipTests
fi
mkdir -p "$here/target"
out="$here/target/jmh-result.json"
echo "# $(date -u '+%F %T') UTC, nproc=$(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$jar" -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$out" "$@" >"$here/target/jmh-output.txt" 2>&1 \
  || { tail -40 "$here/target/jmh-output.txt"; exit 1; }
grep -E '^(Benchmark|TokenVerification)' "$here/target/jmh-output.txt" | grep -v ':p0\.\(00\|90\|95\|999\|9999\)\|:p1\.00' || true

# the same cases by thread CPU time (robust on a loaded machine, where wall-clock samples include
# every deschedule); set SKIP_CPU=1 to leave it out
if [ -z "${SKIP_CPU:-}" ]; then
  echo
  java -cp "$jar" io.slmgen.bench.jmh.CpuPerOp 2>/dev/null
fi

python3 - "$out" <<'PY'
import json, sys
target = 50.0  # µs, SPEC §13
rows = json.load(open(sys.argv[1]))
sample = {}
avg = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[-1]
    m = r["primaryMetric"]
    if r["mode"] == "sample":
        p = m["scorePercentiles"]
        sample[name] = (p["50.0"], p["99.0"], m["scoreUnit"])
    elif r["mode"] == "avgt":
        avg[name] = (m["score"], m["scoreError"], m["scoreUnit"])
print()
print(f"{'benchmark':<16} {'p50':>10} {'p99':>10} {'mean (avgt)':>18}")
for name in sorted(set(sample) | set(avg)):
    p50, p99, unit = sample.get(name, (float('nan'), float('nan'), 'us/op'))
    a = avg.get(name)
    mean = f"{a[0]:.2f} ± {a[1]:.2f}" if a else "-"
    print(f"{name:<16} {p50:>7.2f} µs {p99:>7.2f} µs {mean:>15} µs")
print()
ok = True
for name in sorted(sample):
    p50 = sample[name][0]
    verdict = "met" if p50 <= target else "MISSED"
    ok &= p50 <= target
    print(f"target p50 <= {target:.0f} µs: {name:<14} p50 {p50:.2f} µs -> {verdict}")
print("target (all benchmarks):", "met" if ok else "MISSED")
PY
