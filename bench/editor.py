#!/usr/bin/env python3
"""editor.py - the editor row of `make bench` (bench/editor.sh runs it).

Starts `migralint lsp` in REPO, opens FILE (the newest migration) as an
editor does, then sends EDITS full-text didChange notifications, each after
the diagnostics of the one before arrived, and times each from the moment
the change is written to the moment its publishDiagnostics is read: what a
user waits for. Prints one line of key=value figures:

    editor.py MIGRALINT REPO FILE [EDITS]
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse


def frame(msg):
    body = json.dumps(msg).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_msg(out):
    n = None
    while True:
        line = out.readline()
        if not line:
            raise SystemExit("editor.py: the server closed its output")
        if line == b"\r\n":
            break
        k, v = line.decode("ascii").split(":", 1)
        if k.strip().lower() == "content-length":
            n = int(v)
    return json.loads(out.read(n))


def wait_for(out, pred):
    while True:
        m = read_msg(out)
        if pred(m):
            return m


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_ms(pid):
    """CPU time the server used so far (user + system): on a loaded machine
    the wall-clock times above include waiting for a CPU, this does not."""
    try:  # nanoseconds on a CPU (the scheduler's count), when the kernel keeps it
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def main():
    exe, repo, path = sys.argv[1:4]
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    uri = "file://" + urllib.parse.quote(os.path.abspath(path))
    p = subprocess.Popen([exe, "lsp"], cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send = lambda m: (p.stdin.write(frame(m)), p.stdin.flush())
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": "file://" + urllib.parse.quote(repo),
                     "capabilities": {}}})
    wait_for(p.stdout, lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    text = open(path, encoding="utf-8").read()
    is_diag = lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)
    t0 = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "sql", "version": 1,
                                      "text": text}}})
    wait_for(p.stdout, is_diag)
    cold = time.perf_counter() - t0
    times, cpus, ndiags = [], [], 0
    for i in range(edits):
        # Typing: each edit adds a statement, some with findings.
        text += "ALTER TABLE t%d ADD COLUMN e%d int%s;\n" % (i + 1, i, " NOT NULL" if i % 2 else "")
        time.sleep(0.2)  # a pause in typing: the server's idle work runs
        c0 = cpu_ms(p.pid)
        t0 = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": i + 2},
                         "contentChanges": [{"text": text}]}})
        m = wait_for(p.stdout, is_diag)
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_ms(p.pid) - c0)
        ndiags = len(m["params"]["diagnostics"])
    rss = peak_rss_kib(p.pid)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(p.stdout, lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit"})
    p.wait(timeout=30)
    print("open_ms=%.1f median_ms=%.1f worst_ms=%.1f cpu_median_ms=%.1f peak_rss_kib=%d edits=%d "
          "last_diagnostics=%d" % (cold * 1000, statistics.median(times) * 1000, max(times) * 1000,
                                   statistics.median(cpus), rss, edits, ndiags))


main()
