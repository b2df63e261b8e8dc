#!/usr/bin/env python3
"""A local stand-in for the Hugging Face Hub, for the end-to-end run (CI has no internet).

Usage: fake_hub.py PORT [PIDFILE]
catalog-service's custom-model validation (SPEC §15, POST /slmgen/validate-model) reads two things through
HF_ENDPOINT, as huggingface_hub does: GET /api/models/{owner}/{name} (model info) and
GET /{owner}/{name}/resolve/main/config.json. This server knows the repositories below and answers
every other id as the hub answers an anonymous caller for a repository it does not have
(401 with X-Error-Code: RepoNotFound). GET /requests returns how many requests it has answered, so a
test can see that catalog models and cached answers never reach it.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODELS = {
    # a compatible custom model (Llama architecture)
    "e2e-org/tiny-chat": {
        "info": {"id": "e2e-org/tiny-chat", "gated": False, "downloads": 1234, "likes": 56,
                 "safetensors": {"total": 1_100_000_000}},
        "config": {"architectures": ["LlamaForCausalLM"], "max_position_embeddings": 2048},
    },
    # an architecture Unsloth does not list
    "e2e-org/odd-arch": {
        "info": {"id": "e2e-org/odd-arch", "gated": False, "downloads": 7, "likes": 1},
        "config": {"architectures": ["BloomForCausalLM"], "n_positions": 4096},
    },
    # a gated repository: public info, config.json refused
    "e2e-org/gated-model": {
        "info": {"id": "e2e-org/gated-model", "gated": "manual", "downloads": 99, "likes": 9},
        "config": None,
    },
}

COUNT_LOCK = threading.Lock()
COUNT = 0


class Hub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        global COUNT
        path = self.path.split("?", 1)[0]
        if path == "/requests":
            self.send_json(200, {"requests": COUNT})
            return
        with COUNT_LOCK:
            COUNT += 1
        if path.startswith("/api/models/"):
            repo = path[len("/api/models/"):]
            model = MODELS.get(repo)
            if model is None:
                self.not_found()
            else:
                self.send_json(200, model["info"])
            return
        suffix = "/resolve/main/config.json"
        if path.endswith(suffix):
            repo = path[1:-len(suffix)]
            model = MODELS.get(repo)
            if model is None:
                self.not_found()
            elif model["config"] is None:
                self.send_json(401, {"error": "Access to model " + repo + " is restricted."},
                               {"X-Error-Code": "GatedRepo"})
            else:
                self.send_json(200, model["config"])
            return
        self.send_json(404, {"error": "not found"})

    def not_found(self):
        self.send_json(401, {"error": "Repository Not Found"}, {"X-Error-Code": "RepoNotFound"})


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Hub)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(str(os.getpid()))
    server.serve_forever()


if __name__ == "__main__":
    main()
