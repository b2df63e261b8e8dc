#!/usr/bin/env python3
"""Sendfile uploads (sendfile-upload.py) against one running storage-service, with the CPU seconds its
threads spent during each upload, grouped by thread name (from /proc/PID/task/*/stat; "(s…)" = the
kernel's share), and its VmHWM / VmRSS after it: where the CPU per uploaded byte goes (MD5 pool, event
loop, writer, GC, JIT), robust to a loaded machine where wall time is not.

Usage: thread-cpu.py PID URL FILE [REPS] [header: value ...]
  URL is the object URL without the last name part (each rep appends -<rep>), e.g.
  thread-cpu.py 1234 http://127.0.0.1:8085/storage/v1/object/datasets/$USER_ID/bench/x src 3 \\
      "apikey: $ANON" "Authorization: Bearer $TOKEN"
"""
import os
import re
import subprocess
import sys

pid, url, path = sys.argv[1], sys.argv[2], sys.argv[3]
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 1
headers = sys.argv[5:]
tick = os.sysconf('SC_CLK_TCK')


def snapshot():
    threads = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read()
        except FileNotFoundError:
            continue
        comm = s[s.index('(') + 1:s.rindex(')')]
        f = s[s.rindex(')') + 2:].split()
        threads[t] = (comm, int(f[11]) + int(f[12]), int(f[12]))
    return threads


for r in range(reps):
    a = snapshot()
    out = subprocess.run(['python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sendfile-upload.py'),
                          f'{url}-{r}', path, 'application/x-ndjson'] + headers, capture_output=True, text=True)
    b = snapshot()
    total, system = {}, {}
    for t, (comm, cpu, sys_cpu) in b.items():
        _, cpu0, sys0 = a.get(t, (comm, 0, 0))
        if cpu > cpu0:
            g = re.sub(r'[-#]?\d+$', '', comm)
            total[g] = total.get(g, 0) + (cpu - cpu0) / tick
            system[g] = system.get(g, 0) + (sys_cpu - sys0) / tick
    mem = ' '.join(l.split()[0] + l.split()[1] + 'kB' for l in open(f'/proc/{pid}/status') if l.startswith(('VmHWM', 'VmRSS')))
    print(f'wall_s {out.stdout.strip() or out.stderr.strip()[:200]} cpu_s {sum(total.values()):.2f} '
          + ' '.join(f'{k}={v:.2f}(s{system[k]:.2f})' for k, v in sorted(total.items(), key=lambda x: -x[1]))
          + f' | {mem}', flush=True)
