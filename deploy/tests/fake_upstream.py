#!/usr/bin/env python3
"""Fake upstreams for deploy/tests/gateway-test.sh.

Usage: fake_upstream.py LOGFILE name=port [name=port ...]
Every port answers any method with JSON describing what it received:
  {"service", "port", "method", "path" (raw request target, as sent by nginx), "request_id",
   "transfer_encoding", "content_length", "body_len"}
The JSON also echoes the request headers the gateway decides on ("headers": apikey, cookie, origin, range,
upgrade, connection, host, x-forwarded-*).
Special cases:
  - a path whose query has fake_status=NNN answers that status with {"from": "upstream", ...}
    (206 also sends Content-Range and Accept-Ranges)
  - fake_own_headers=1: the answer also carries its own X-Content-Type-Options and Content-Security-Policy
  - fake_location=URL: the answer carries Location: URL (with fake_status=307: a redirect, as Next.js sends)
  - fake_drop=NAME: the server called NAME reads the request, then closes the connection without answering
    (a replica dying mid-request); other servers answer as usual
  - Upgrade: websocket: 101 Switching Protocols, then every byte received is echoed back
  - a path ending in /events or /stream answers server-sent events: one event, a 2 s pause, a second
    event, then closes (to prove the gateway does not buffer them)
Each answer also carries X-Request-Id: upstream-id and Access-Control-Allow-Origin: * (the gateway
must hide both). Every request is appended to LOGFILE as "service METHOD PATH".
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

LOG_LOCK = threading.Lock()


def make_handler(name, port, logfile):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def _read_body(self):
            te = self.headers.get("Transfer-Encoding", "")
            if "chunked" in te.lower():
                total = 0
                while True:
                    line = self.rfile.readline().strip()
                    size = int(line.split(b";")[0], 16)
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return total
                    remaining = size
                    while remaining:
                        chunk = self.rfile.read(min(remaining, 1 << 16))
                        remaining -= len(chunk)
                        total += len(chunk)
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            remaining, total = length, 0
            while remaining:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
                total += len(chunk)
            return total

        def _websocket(self):
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            self.connection.settimeout(5)
            try:
                while True:
                    data = self.connection.recv(4096)
                    if not data:
                        break
                    self.connection.sendall(data)
            except OSError:
                pass
            self.close_connection = True

        def _handle(self):
            body_len = self._read_body()
            with LOG_LOCK, open(logfile, "a") as f:
                f.write(f"{name} {self.command} {self.path}\n")
            split = urlsplit(self.path)
            qs = parse_qs(split.query)
            if qs.get("fake_drop", [None])[0] == name:
                self.close_connection = True
                self.connection.close()
                return
            if self.headers.get("Upgrade", "").lower() == "websocket":
                self._websocket()
                return
            info = {
                "service": name,
                "port": port,
                "method": self.command,
                "path": self.path,
                "request_id": self.headers.get("X-Request-Id"),
                "transfer_encoding": self.headers.get("Transfer-Encoding"),
                "content_length": self.headers.get("Content-Length"),
                "body_len": body_len,
                "host": self.headers.get("Host"),
                "headers": {h: self.headers.get(h) for h in ("apikey", "cookie", "origin", "range", "upgrade", "connection",
                                                              "host", "x-forwarded-for", "x-forwarded-host",
                                                              "x-forwarded-proto", "x-forwarded-port", "x-request-id")},
            }
            if split.path.endswith("/events") or split.path.endswith("/stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"data: first\n\n")
                self.wfile.flush()
                time.sleep(2)
                self.wfile.write(b"event: complete\ndata: second\n\n")
                self.wfile.flush()
                self.close_connection = True
                return
            status = 200
            if "fake_status" in qs:
                status = int(qs["fake_status"][0])
                info["from"] = "upstream"
            payload = json.dumps(info).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Request-Id", "upstream-id")
            self.send_header("Access-Control-Allow-Origin", "*")
            if status == 206:
                self.send_header("Content-Range", f"bytes 0-{len(payload) - 1}/1000")
                self.send_header("Accept-Ranges", "bytes")
            if "fake_location" in qs:
                self.send_header("Location", qs["fake_location"][0])
            if "fake_own_headers" in qs:
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Content-Security-Policy", "default-src 'self'")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    return Handler


def main():
    logfile = sys.argv[1]
    servers = []
    for spec in sys.argv[2:]:
        name, port = spec.split("=")
        srv = ThreadingHTTPServer(("127.0.0.1", int(port)), make_handler(name, int(port), logfile))
        srv.daemon_threads = True
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
