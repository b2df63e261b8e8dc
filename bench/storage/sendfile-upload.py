#!/usr/bin/env python3
"""Uploads a file with sendfile(2) (the client costs almost no CPU, unlike curl's 64 KiB read/write loop),
so the measured rate is the server's. Prints the seconds from the first header byte to the response.

Usage: sendfile-upload.py URL FILE CONTENT_TYPE [header: value ...]
"""
import os
import socket
import sys
import time
from urllib.parse import urlsplit

url, path, ctype = sys.argv[1], sys.argv[2], sys.argv[3]
extra = sys.argv[4:]
u = urlsplit(url)
size = os.path.getsize(path)
target = u.path + ("?" + u.query if u.query else "")
head = [f"POST {target} HTTP/1.1", f"Host: {u.netloc}", f"Content-Type: {ctype}",
        f"Content-Length: {size}", "Connection: close"] + extra
t0 = time.time()
with socket.create_connection((u.hostname, u.port or 80)) as s, open(path, "rb") as f:
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    s.sendfile(f)
    resp = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        resp += chunk
t1 = time.time()
status = resp.split(b" ", 2)[1].decode() if resp else "none"
if status != "200":
    sys.stderr.write(resp.decode(errors="replace") + "\n")
    sys.exit(1)
print(f"{t1 - t0:.4f}")
