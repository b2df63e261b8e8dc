#!/usr/bin/env python3
"""Every environment variable a service reads is documented in .env.example and passed through in every
deployment form (issue: "by configuration only"). Run by compose-test.sh; prints ok/FAIL lines and
"N passed, M failed".

A service reads a variable when one of its application.properties (or a shared module's
microprofile-config.properties) names it as ${VAR...}, or its Java code calls System.getenv("VAR").
Each such variable must be
  1. in .env.example (as VAR= or, for optional ones, a commented "# VAR=" line) with a comment above it;
  2. passed to the services by docker-compose.yml (x-service-env, ${VAR...} so .env can set it);
  3. in the Kubernetes base: the ConfigMap (deploy/k8s/base/configmap.yaml) or, for secrets, the
     Secret slmgen-secrets' documented keys (overlays/production/secrets.env.example), never both.
Variables only a run on one machine needs (test rigs, development switches) are listed in LOCAL_ONLY
with the reason; they still need their .env.example line.
"""
import glob, os, re, sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.chdir(REPO)

# secrets: only in the Secret (values never in a ConfigMap or the production overlay)
SECRETS = {"SUPABASE_JWT_SECRET", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_KEY", "DB_PASSWORD", "DB_USER",
           "SMTP_USER", "SMTP_PASSWORD", "OAUTH_GITHUB_CLIENT_SECRET", "OAUTH_GOOGLE_CLIENT_SECRET",
           "AUTH_GITHUB_SECRET", "AUTH_GOOGLE_SECRET", "STORAGE_S3_ACCESS_KEY", "STORAGE_S3_SECRET_KEY",
           "HF_TOKEN", "JOBS_SECRET_KEY", "AUTH_JWT_KEYS", "SLMGEN_EVENTS_LISTEN_PASSWORD"}
# documented in .env.example, but not passed by compose / Kubernetes on purpose
LOCAL_ONLY = {
    "SLMGEN_ALLOW_DEMO_SECRET": "development only: never set in Kubernetes (the services refuse the demo secret there)",
    "AUTH_RATE_LIMIT_EXEMPT_ADDRESSES": "test rigs sending every request from one address",
    "SLMGEN_JWT_NATIVE_CRYPTO": "a diagnostic switch of shared-jwt's signature code",
    "AUTH_GITHUB_ENABLED": "older name, read after OAUTH_GITHUB_CLIENT_ID's presence",
    "AUTH_GITHUB_CLIENT_ID": "older name of OAUTH_GITHUB_CLIENT_ID",
    "AUTH_GITHUB_SECRET": "older name of OAUTH_GITHUB_CLIENT_SECRET",
    "AUTH_GOOGLE_ENABLED": "older name, read after OAUTH_GOOGLE_CLIENT_ID's presence",
    "AUTH_GOOGLE_CLIENT_ID": "older name of OAUTH_GOOGLE_CLIENT_ID",
    "AUTH_GOOGLE_SECRET": "older name of OAUTH_GOOGLE_CLIENT_SECRET",
}

passed = failed = 0
def check(cond, what, why=""):
    global passed, failed
    if cond:
        passed += 1; print("ok   - " + what)
    else:
        failed += 1; print("FAIL - " + what + (f" ({why})" if why else ""))

read = {}
for f in sorted(glob.glob("*/src/main/resources/application.properties")
                + glob.glob("*/src/main/resources/META-INF/microprofile-config.properties")):
    for v in re.findall(r"\$\{([A-Z][A-Z0-9_]*)", open(f).read()):
        read.setdefault(v, set()).add(f.split("/")[0])
for f in glob.glob("*/src/main/java/**/*.java", recursive=True):
    for v in re.findall(r'System\.getenv\("([A-Z][A-Z0-9_]*)"\)', open(f).read()):
        read.setdefault(v, set()).add(f.split("/")[0])

example = open(".env.example").read().splitlines()
documented = {}
for i, line in enumerate(example):
    m = re.match(r"^#?\s?([A-Z][A-Z0-9_]*)=", line)
    if m:
        # a comment line directly above (or above a run of variables) explains it
        j = i - 1
        while j >= 0 and re.match(r"^#?\s?[A-Z][A-Z0-9_]*=", example[j]):
            j -= 1
        documented[m.group(1)] = j >= 0 and example[j].startswith("#")
compose = open("docker-compose.yml").read()
service_env = compose.split("x-service-env:", 1)[1].split("\nx-service:", 1)[0] if "x-service-env:" in compose else ""
compose_services = compose.split("\nservices:", 1)[1] if "\nservices:" in compose else ""
configmap = open("deploy/k8s/base/configmap.yaml").read()
k8s_other = "".join(open(f).read() for f in glob.glob("deploy/k8s/base/*.yaml") + glob.glob("deploy/k8s/components/*/*.yaml")
                    if not f.endswith("configmap.yaml"))
secret_keys = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", open("deploy/k8s/overlays/production/secrets.env.example").read(), re.M))
production = "".join(open(f).read() for f in glob.glob("deploy/k8s/overlays/production/*.yaml"))

for v in sorted(read):
    who = ",".join(sorted(read[v]))
    check(v in documented, f"{v} ({who}) is in .env.example")
    check(documented.get(v, False), f"{v} has a comment in .env.example")
    if v in LOCAL_ONLY:
        continue
    # compose: from .env (${VAR...} in x-service-env), or set by compose itself (service names, PORT per service)
    check(re.search(rf"^\s+{v}:", service_env, re.M) is not None or re.search(rf"^\s+{v}:", compose_services, re.M) is not None,
          f"{v} is passed through by docker-compose.yml")
    in_cm = re.search(rf"^\s+{v}:", configmap, re.M) is not None
    # Kubernetes may also set a variable per Deployment (PORT) or in a component (storage-s3)
    in_k8s = re.search(rf"^\s+(- name: )?{v}:?", k8s_other, re.M) is not None
    if v in SECRETS:
        check(v in secret_keys, f"{v} is a key of Secret slmgen-secrets (overlays/production/secrets.env.example)")
        check(not in_cm, f"{v} is not in the ConfigMap (a secret)")
        check(re.search(rf"^\s+{v}:\s*\S", production, re.M) is None, f"{v} has no value in the production overlay")
    else:
        check(in_cm or in_k8s, f"{v} is in the Kubernetes ConfigMap (deploy/k8s/base/configmap.yaml) or set by a Deployment or component")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
