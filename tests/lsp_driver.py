#!/usr/bin/env python3
"""lsp_driver.py - drives `migralint lsp` the way an editor does, for
tests/t_lsp.sh. Each scenario sends real framed JSON-RPC messages over the
server's stdin, reads every message it writes, and checks each one field by
field. Exits 0 when the scenario passes; prints what differed otherwise.

    lsp_driver.py SCENARIO REPO      (MIGRALINT names the binary)
"""
import json
import os
import subprocess
import sys
import threading
import queue
import re
import urllib.parse

FAILED = []


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print("  FAIL: " + what)


class Server:
    def __init__(self, cwd, args=()):
        self.p = subprocess.Popen([os.environ["MIGRALINT"], "lsp", *args], cwd=cwd,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.q = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._reader, daemon=True).start()
        self.stderr = b""
        # Joined in wait(): the log is read after the server exits, and the
        # thread may not have stored it yet when the process is reaped.
        self.errs = threading.Thread(target=self._errs, daemon=True)
        self.errs.start()

    def _errs(self):
        self.stderr = self.p.stderr.read()

    def _reader(self):
        out = self.p.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.q.put(None)
                    return
                line = line.decode("ascii")
                if line == "\r\n":
                    break
                if not line.endswith("\r\n"):
                    self.q.put(("bad-header", line))
                    return
                k, v = line[:-2].split(":", 1)
                headers[k.strip().lower()] = v.strip()
            n = int(headers["content-length"])
            body = out.read(n)
            self.q.put(json.loads(body.decode("utf-8")))

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params):
        self.next_id += 1
        m = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)
        return self.next_id

    def notify(self, method, params):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)

    def recv(self, timeout=20):
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            return "timeout"

    def reply(self, rid):
        m = self.recv()
        check(isinstance(m, dict) and m.get("id") == rid and m.get("jsonrpc") == "2.0",
              "want the reply to request %d, got %r" % (rid, m))
        return m if isinstance(m, dict) else {}

    def published(self, uri):
        m = self.recv()
        ok = isinstance(m, dict) and m.get("method") == "textDocument/publishDiagnostics"
        check(ok and m["params"]["uri"] == uri, "want diagnostics for %s, got %r" % (uri, m))
        return m["params"] if ok else {"diagnostics": []}

    def published_for(self, uri):
        """The next diagnostics of uri; those of other documents (linted
        again in the background) are passed over."""
        while True:
            m = self.recv()
            if not (isinstance(m, dict) and m.get("method") == "textDocument/publishDiagnostics"):
                check(False, "want diagnostics for %s, got %r" % (uri, m))
                return {"diagnostics": []}
            if m["params"]["uri"] == uri:
                return m["params"]

    def quiet(self):
        """Nothing more was written (checked after a request we await)."""
        check(self.q.empty(), "unexpected message %r" % (None if self.q.empty() else self.q.queue[0]))

    def wait(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        rc = self.p.wait(timeout=20)
        self.errs.join(timeout=20)
        return rc


def uri_of(path):
    return "file://" + urllib.parse.quote(path)


def initialize(s, repo):
    rid = s.request("initialize", {"processId": None, "rootUri": uri_of(repo),
                                   "capabilities": {}})
    r = s.reply(rid).get("result", {})
    caps = r.get("capabilities", {})
    check(caps.get("textDocumentSync") == {"openClose": True, "change": 1, "save": {}},
          "textDocumentSync %r" % caps.get("textDocumentSync"))
    check(caps.get("hoverProvider") is True, "hoverProvider")
    check(caps.get("codeActionProvider") == {"codeActionKinds": ["quickfix"]}, "codeActionProvider")
    check(caps.get("positionEncoding") == "utf-16", "positionEncoding")
    check(r.get("serverInfo", {}).get("name") == "migralint", "serverInfo")
    s.notify("initialized", {})


def shutdown(s):
    rid = s.request("shutdown", None)
    m = s.reply(rid)
    check("result" in m and m["result"] is None, "shutdown result %r" % m)
    s.notify("exit", None)
    rc = s.wait()
    check(rc == 0, "exit after shutdown: code %d, want 0" % rc)


def summary(diags):
    """(rule, start line, start char, end line, end char) per finding."""
    return sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["line"], d["range"]["end"]["character"]) for d in diags)


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


# --- scenarios -----------------------------------------------------------------

def scenario_edit(repo):
    """open an unsaved buffer, diagnostics in folder context, change, hover,
    code action, apply it, close, shutdown."""
    s = Server(repo)
    initialize(s, repo)
    path = os.path.join(repo, "migrations", "000002_widen.up.sql")
    uri = uri_of(path)
    # Unsaved text: the disk holds something else. varchar(20) -> (40) is
    # free because 000001 created the column as varchar(20): context.
    text = "-- widen\nALTER TABLE users ALTER COLUMN name TYPE varchar(40);\n"
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sql",
                                                         "version": 1, "text": text}})
    p = s.published(uri)
    check(p.get("version") == 1, "version 1")
    check(summary(p["diagnostics"]) == [("missing-lock-timeout", 1, 0, 1, 5)],
          "open: %r" % summary(p["diagnostics"]))

    # A type change that rewrites, after a comment holding U+1F600 (two
    # UTF-16 units) on the same line: the columns shift by one unit more
    # than code points.
    text = ("-- widen\n/* \U0001F600 */ ALTER TABLE users ALTER COLUMN name TYPE integer"
            " USING 0;\n")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": text}]})
    p = s.published(uri)
    check(p.get("version") == 2, "version 2")
    got = summary(p["diagnostics"])
    # "/* X */ " is 8 code points, 9 UTF-16 units; "name" starts at code
    # point 39, unit 40.
    check(got == [("alter-column-type", 1, 40, 1, 44), ("missing-lock-timeout", 1, 9, 1, 14)],
          "change: %r" % got)
    act = [d for d in p["diagnostics"] if d["code"] == "alter-column-type"]
    if act:
        d = act[0]
        check(d["severity"] == 1, "severity error = 1")
        check(d["source"] == "migralint", "source")
        check(d["codeDescription"]["href"] ==
              "https://github.com/migralint/migralint/blob/main/rules/alter-column-type.md",
              "codeDescription %r" % d.get("codeDescription"))
        check(d["message"].startswith("changing users.name from character varying(20) to integer rewrites"),
              "message %r" % d["message"])
        check("\nhelp: " in d["message"], "help in message")
    warn = [d for d in p["diagnostics"] if d["code"] == "missing-lock-timeout"]
    check(bool(warn) and warn[0]["severity"] == 2, "severity warning = 2")

    # Hover on the finding: the rule's document; elsewhere: null.
    rid = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": {"line": 1, "character": 42}})
    h = s.reply(rid).get("result") or {}
    v = h.get("contents", {}).get("value", "")
    check(h.get("contents", {}).get("kind") == "markdown", "hover kind")
    check(v.startswith("**alter-column-type** (error)\n\nchanging users.name from character varying(20)"),
          "hover head %r" % v[:80])
    check("## " in v or "# " in v, "hover has the rule document")
    check(h.get("range") == rng(1, 40, 1, 44), "hover range %r" % h.get("range"))
    rid = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": {"line": 0, "character": 2}})
    check(s.reply(rid).get("result", "missing") is None, "hover off a finding is null")

    # Code actions at the cursor: the finding under it; on the whole line:
    # one quick fix per finding.
    rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                "range": rng(1, 41, 1, 41),
                                                "context": {"diagnostics": []}})
    acts = s.reply(rid).get("result") or []
    check([a["title"] for a in acts] ==
          ["Ignore alter-column-type for this statement (migralint-ignore; write the reason)"],
          "code action at the cursor %r" % acts)
    rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                "range": rng(1, 0, 2, 0),
                                                "context": {"diagnostics": []}})
    acts = s.reply(rid).get("result") or []
    titles = sorted(a["title"] for a in acts)
    check(titles == ["Ignore alter-column-type for this statement (migralint-ignore; write the reason)",
                     "Ignore missing-lock-timeout for this statement (migralint-ignore; write the reason)"],
          "code actions %r" % titles)
    fix = [a for a in acts if "alter-column-type" in a["title"]]
    if fix:
        a = fix[0]
        check(a["kind"] == "quickfix", "kind quickfix")
        check(a["diagnostics"][0]["code"] == "alter-column-type", "action names its diagnostic")
        check(a["edit"] == {"changes": {uri: [{"range": rng(1, 0, 1, 0),
                                               "newText": "-- migralint-ignore alter-column-type: \n"}]}},
              "edit %r" % a["edit"])
    # Applying it as is: the reason is missing, so the finding stays and
    # ignore-without-reason says what to do.
    lines = text.split("\n")
    applied = "\n".join(lines[:1] + ["-- migralint-ignore alter-column-type: "] + lines[1:])
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": applied}]})
    got = [d[0] for d in summary(s.published(uri)["diagnostics"])]
    check(got == ["alter-column-type", "ignore-without-reason", "missing-lock-timeout"],
          "ignore without reason: %r" % got)
    with_reason = applied.replace("alter-column-type: ", "alter-column-type: users is tiny")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                        "contentChanges": [{"text": with_reason}]})
    got = [d[0] for d in summary(s.published(uri)["diagnostics"])]
    check(got == ["missing-lock-timeout"], "ignored with a reason: %r" % got)

    # Save re-lints; close clears.
    s.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    check([d[0] for d in summary(s.published(uri)["diagnostics"])] == ["missing-lock-timeout"],
          "after save")
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    p = s.published(uri)
    check(p["diagnostics"] == [] and "version" not in p, "close publishes an empty list: %r" % p)
    shutdown(s)
    check(s.stderr == b"", "stderr %r" % s.stderr)


def scenario_related(repo):
    """a finding with related information pointing at another file."""
    s = Server(repo)
    initialize(s, repo)
    path = os.path.join(repo, "migrations", "000003_drop.up.sql")
    uri = uri_of(path)
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "sql", "version": 7,
        "text": "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN fax;\n"}})
    p = s.published(uri)
    got = summary(p["diagnostics"])
    # the view reads fax: PostgreSQL refuses the drop without CASCADE
    check(got == [("drop-column", 1, 30, 1, 33), ("missing-down", 0, 0, 0, 0),
                  ("replay-conflict", 1, 30, 1, 33)],
          "drop-column: %r" % got)
    rel = [d["relatedInformation"] for d in p["diagnostics"] if d["code"] == "drop-column"
           and "relatedInformation" in d]
    check(len(rel) == 1 and len(rel[0]) == 1, "one related location: %r" % rel)
    for r in rel[0][:1] if rel else []:
        check(r["location"]["uri"] == uri_of(os.path.join(repo, "migrations",
                                                           "000001_create_users.up.sql")),
              "related uri %r" % r["location"]["uri"])
        check(r["location"]["range"]["start"]["line"] == 1, "related line %r" % r)
        check("fax_users" in r["message"], "related message %r" % r["message"])
    # the file-level finding gets a file-wide directive at the top
    rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                "range": rng(0, 0, 0, 0),
                                                "context": {"diagnostics": []}})
    acts = s.reply(rid).get("result") or []
    check(len(acts) == 1 and acts[0]["edit"]["changes"][uri] ==
          [{"range": rng(0, 0, 0, 0), "newText": "-- migralint-ignore-file missing-down: \n"}],
          "file-level action %r" % acts)
    shutdown(s)


def scenario_malformed(repo):
    """every kind of bad input gets an error or is skipped; the server lives."""
    s = Server(repo)
    # before initialize: requests are refused, notifications dropped
    s.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///x.sql", "text": "x"}})
    rid = s.request("textDocument/hover", {})
    m = s.reply(rid)
    check(m.get("error", {}).get("code") == -32002, "not initialized: %r" % m)
    initialize(s, repo)
    # a body that is not JSON
    s.raw(b"Content-Length: 9\r\n\r\n{not json")
    m = s.recv()
    check(isinstance(m, dict) and m.get("id") is None and m["error"]["code"] == -32700,
          "parse error %r" % m)
    # a header without Content-Length is skipped, the next message works
    s.raw(b"Content-Type: whatever\r\n\r\n")
    # JSON that is not a request
    s.send([1, 2, 3])
    m = s.recv()
    check(isinstance(m, dict) and m["error"]["code"] == -32600, "array body %r" % m)
    s.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover"})
    m = s.recv()
    check(isinstance(m, dict) and m["error"]["code"] == -32600, "object id %r" % m)
    # unknown method, bad params
    rid = s.request("workspace/symbol", {"query": ""})
    check(s.reply(rid).get("error", {}).get("code") == -32601, "unknown method")
    rid = s.request("textDocument/hover", {"textDocument": {}})
    check(s.reply(rid).get("error", {}).get("code") == -32602, "hover without uri")
    rid = s.request("textDocument/codeAction", [1])
    check(s.reply(rid).get("error", {}).get("code") == -32602, "codeAction with array params")
    rid = s.request("initialize", {"capabilities": {}})
    check(s.reply(rid).get("error", {}).get("code") == -32600, "second initialize")
    # notifications with nonsense are dropped without a reply
    s.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.sql"},
                                        "contentChanges": [{"text": "x"}]})
    s.notify("textDocument/didOpen", {"textDocument": 5})
    s.notify("$/cancelRequest", {"id": 1})
    s.send({"jsonrpc": "2.0", "id": 99, "result": None})  # a response: ignored
    # a document that does not parse: a finding, not a crash; a path with a
    # space and a non-ASCII name, percent-encoded in the URI
    path = os.path.join(repo, "migrations", "000009_été x.up.sql")
    uri = uri_of(path)
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sql",
                                                         "version": 1, "text": "CREAT TABLE;\n"}})
    p = s.published(uri)
    check(summary(p["diagnostics"]) == [("missing-down", 0, 0, 0, 0), ("parse-error", 0, 0, 0, 5)],
          "parse error finding %r" % summary(p["diagnostics"]))
    rid = s.request("textDocument/hover", {"textDocument": {"uri": "file:///not/open.sql"},
                                           "position": {"line": 0, "character": 0}})
    check(s.reply(rid).get("result", "missing") is None, "hover on a closed document")
    rid = s.request("shutdown", None)
    s.reply(rid)
    rid = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": {"line": 0, "character": 0}})
    check(s.reply(rid).get("error", {}).get("code") == -32600, "request after shutdown")
    s.notify("exit", None)
    check(s.wait() == 0, "exit code 0 after shutdown")
    check(b"Content-Length" in s.stderr, "the bad header is logged on stderr: %r" % s.stderr)


def scenario_config_error(repo):
    """a broken .migralint.json: the user is told, nothing is published
    but an empty list, and the server goes on."""
    with open(os.path.join(repo, ".migralint.json"), "w") as f:
        f.write('{"rules": {"no-such-rule": "error"}}')
    s = Server(repo)
    initialize(s, repo)
    uri = uri_of(os.path.join(repo, "migrations", "000002_widen.up.sql"))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sql",
                                                         "version": 1, "text": "DROP TABLE users;"}})
    m = s.recv()
    check(isinstance(m, dict) and m.get("method") == "window/showMessage" and
          m["params"] == {"type": 1, "message": "migralint: %s is not valid, so nothing is linted "
                          "(the server's log says where)" % os.path.join(repo, ".migralint.json")},
          "showMessage %r" % m)
    check(s.published(uri)["diagnostics"] == [], "empty diagnostics")
    os.remove(os.path.join(repo, ".migralint.json"))
    s.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    got = [d[0] for d in summary(s.published(uri)["diagnostics"])]
    # the view fax_users depends on users: a replay conflict as well
    check(got == ["drop-table", "missing-lock-timeout", "replay-conflict"],
          "linted again once the config is gone: %r" % got)
    shutdown(s)
    check(b".migralint.json:1" in s.stderr and b"no-such-rule" in s.stderr,
          "the config error in the log: %r" % s.stderr)


def scenario_burst(repo):
    """changes that arrive together are linted once, at the last version;
    a hover right behind a change sees the changed text's findings."""
    s = Server(repo)
    initialize(s, repo)
    uri = uri_of(os.path.join(repo, "migrations", "000002_widen.up.sql"))
    burst = b""
    for v in range(1, 6):
        text = "SET lock_timeout = '1s';\n" + "\n" * v + "DROP TABLE users;\n"
        m = {"jsonrpc": "2.0", "method": "textDocument/didOpen" if v == 1 else
             "textDocument/didChange",
             "params": {"textDocument": {"uri": uri, "languageId": "sql", "version": v,
                                         "text": text},
                        "contentChanges": [{"text": text}]}}
        body = json.dumps(m).encode()
        burst += b"Content-Length: %d\r\n\r\n" % len(body) + body
    body = json.dumps({"jsonrpc": "2.0", "id": 50, "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": uri},
                                  "position": {"line": 6, "character": 12}}}).encode()
    s.raw(burst + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p = s.published(uri)
    check(p.get("version") == 5, "one lint, at version 5: %r" % p.get("version"))
    check(("drop-table", 6, 11, 6, 16) in summary(p["diagnostics"]),
          "findings of version 5 %r" % summary(p["diagnostics"]))
    h = s.reply(50).get("result") or {}
    check(h.get("contents", {}).get("value", "").startswith("**drop-table**"), "hover %r" % h)
    shutdown(s)


def scenario_exit_without_shutdown(repo):
    s = Server(repo)
    initialize(s, repo)
    s.notify("exit", None)
    check(s.wait() == 1, "exit without shutdown: code 1")


def scenario_eof(repo):
    s = Server(repo)
    initialize(s, repo)
    s.raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")  # cut short
    check(s.wait() == 1, "end of input without shutdown: code 1")


def check_findings(repo, rel):
    """What `migralint check` says about rel, in the LSP's terms: copies the
    repository (with the editor's text saved) and runs check on it."""
    out = subprocess.run([os.environ["MIGRALINT"], "check", "--format", "json", "migrations"],
                         cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    found = json.loads(out.stdout.decode() or "[]")
    return sorted(finding(f["rule"], f["line"] - 1, f["column"] - 1, f["end_line"] - 1,
                          f["end_column"] - 1, f["message"]) for f in found if f["path"] == rel)


def finding(rule, l1, c1, l2, c2, message):
    """A finding without a span (missing-down) is one character wide in
    JSON and empty in LSP: both become empty here."""
    if l1 == l2 and c2 - c1 <= 1:
        c2 = c1
    return (rule, l1, c1, l2, c2, message)


def lsp_findings(diags):
    return sorted(finding(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                          d["range"]["end"]["line"], d["range"]["end"]["character"],
                          d["message"].split("\nhelp: ")[0]) for d in diags)


class Twin:
    """The server's repository and a copy where the editor's text is saved,
    for `check` to lint the same text the server holds in memory."""
    def __init__(self, repo, rel):
        import shutil
        self.repo, self.rel = repo, rel
        self.copy = repo + ".check"
        shutil.rmtree(self.copy, ignore_errors=True)
        shutil.copytree(repo, self.copy, symlinks=True)

    def disk(self, rel, text):
        """Writes rel in both (a checkout, a pull: the server is not told)."""
        for root in (self.repo, self.copy):
            path = os.path.join(root, rel)
            if text is None:
                os.remove(path)
            else:
                with open(path, "w") as f:
                    f.write(text)

    def compare(self, s, uri, version, text, what):
        s.notify("textDocument/didChange",
                 {"textDocument": {"uri": uri, "version": version},
                  "contentChanges": [{"text": text}]})
        got = lsp_findings(s.published(uri)["diagnostics"])
        with open(os.path.join(self.copy, self.rel), "w") as f:
            f.write(text)
        want = check_findings(self.copy, self.rel)
        check(got == want, "%s: the server says %r, check says %r" % (what, got, want))
        return got


EDITS = [
    "ALTER TABLE t1 ADD COLUMN a int NOT NULL;\n",
    "ALTER TABLE t2 ADD COLUMN note int;\n",
    "CREATE INDEX t3_note ON t3 (note);\nDROP TABLE t4;\n",
    "ALTER TABLE t5 ALTER COLUMN note TYPE varchar(10);\nALTER TABLE t6 DROP COLUMN nope;\n",
    "ALTER TABLE t7 ADD COLUMN ( oops;\n",
    "SET lock_timeout = '1s';\nALTER TABLE t8 RENAME TO t9;\n",
]


def open_twin(repo, rel, text, verbose=False):
    """a server on repo with rel open holding text (its first diagnostics
    read), and the Twin that lints the same texts with check."""
    twin = Twin(repo, rel)
    s = Server(repo, ["--verbose"] if verbose else [])
    initialize(s, repo)
    uri = uri_of(os.path.join(repo, rel))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sql",
                                                       "version": 1, "text": text}})
    s.published(uri)
    return twin, s, uri


def scenario_matches_check(repo):
    """after each edit of the newest migration the server's findings are
    check's findings for the same text, and the server replayed the earlier
    migrations once (its log says how often it resumed)."""
    rel = "migrations/000041_edit.up.sql"
    twin, s, uri = open_twin(repo, rel, "SELECT 1;\n", verbose=True)
    seen = set()
    for i, text in enumerate(EDITS):
        seen.add(tuple(twin.compare(s, uri, i + 2, text, "edit %d" % (i + 1))))
    check(len(seen) == len(EDITS), "every edit has findings of its own: %r" % seen)
    shutdown(s)
    stats = s.stderr.decode().strip().splitlines()[-1]
    check("%d resumes (%d migrations not replayed)" % (len(EDITS), 40 * len(EDITS)) in stats,
          "the edits resume from the kept schema: %r" % stats)


def scenario_filename_pattern(repo):
    """the configuration reaches the server as it reaches check (both open
    their runs through the engine): a "migrationFilePattern" the buffer's
    name breaks is a migration-filename finding in both."""
    rel = "migrations/000002_Bad-Name.up.sql"
    twin, s, uri = open_twin(repo, rel, "SELECT 1;\n")
    got = twin.compare(s, uri, 2, "SELECT 2;\n", "edit")
    check([f[0] for f in got] == ["migration-filename"], "the pattern is applied: %r" % got)
    shutdown(s)


def scenario_disk_changes(repo):
    """a change on disk the server is not told about (a checkout, a pull)
    reaches the next lint: an earlier migration edited, one added, one
    removed; each time the findings are check's."""
    rel = "migrations/000041_edit.up.sql"
    text = "ALTER TABLE t1 ADD COLUMN a int;\nALTER TABLE t2 ADD COLUMN b int;\n"
    twin, s, uri = open_twin(repo, rel, text, verbose=True)
    twin.compare(s, uri, 2, text, "before")
    twin.disk("migrations/000001_t1.up.sql",
              "CREATE TABLE t1 (id bigint PRIMARY KEY, note text, a int);\n")
    got = twin.compare(s, uri, 3, text + "\n", "an earlier migration changed")
    check(any("column a of table t1 already exists" in f[5] for f in got), "conflict %r" % got)
    twin.disk("migrations/000020_gone.up.sql", "DROP TABLE t2;\n")
    twin.disk("migrations/000020_gone.down.sql", "SELECT 1;\n")
    got = twin.compare(s, uri, 4, text, "a migration added")
    check(any("t2" in f[5] and "does not exist" in f[5] for f in got), "t2 gone %r" % got)
    twin.disk("migrations/000020_gone.up.sql", None)
    twin.disk("migrations/000020_gone.down.sql", None)
    got = twin.compare(s, uri, 5, text + "\n\n", "the migration removed")
    check(not any("t2" in f[5] and "does not exist" in f[5] for f in got), "t2 back %r" % got)
    shutdown(s)


GOOSE_EDITS = [
    # the text the set was built from, with a statement more: the set is reused
    "-- +goose Up\nALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en';\n"
    "ALTER TABLE users ADD COLUMN tz text;\n",
    # a Down section appears: the migration reads differently, built again
    "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN locale text;\n"
    "-- +goose Down\nALTER TABLE users DROP COLUMN locale;\n",
    # only the Down section's text moves: reused, with its new range
    "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN locale text;\n\n\n"
    "-- +goose Down\nALTER TABLE users DROP COLUMN nope;\nDROP TABLE users;\n",
    # no transaction: CONCURRENTLY is allowed now
    "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_locale ON users (email);\n"
    "-- +goose Down\nDROP INDEX CONCURRENTLY users_locale;\n",
    # back in a transaction
    "-- +goose Up\nCREATE INDEX CONCURRENTLY users_locale ON users (email);\n"
    "-- +goose Down\nDROP INDEX CONCURRENTLY users_locale;\n",
    # no Up marker: goose refuses the file
    "ALTER TABLE users ADD COLUMN locale text;\n",
]


def scenario_goose_edits(repo):
    """a goose migration in the middle of its folder, edited so that its
    sections, transaction mode and markers change: after each edit the
    server's findings are check's (the kept migration set is reused only
    when the file reads the same)."""
    rel = "migrations/20240301090000_add_users_locale.sql"
    with open(os.path.join(repo, rel)) as f:
        text = f.read()
    twin, s, uri = open_twin(repo, rel, text, verbose=True)
    for i, text in enumerate(GOOSE_EDITS):
        twin.compare(s, uri, i + 2, text, "goose edit %d" % (i + 1))
    shutdown(s)
    stats = s.stderr.decode().strip().splitlines()[-1]
    check(" 0 sets reused" not in stats, "the set is reused for some edits: %r" % stats)


def scenario_diesel_edits(repo):
    """diesel keeps each migration in a folder of its own (up.sql, down.sql):
    the buffer is that file, linted after the migrations before it."""
    rel = "migrations/2024-01-02-000000_add_email/up.sql"
    twin, s, uri = open_twin(repo, rel, "SELECT 1;\n")
    got = twin.compare(s, uri, 2, "ALTER TABLE users ADD COLUMN name text;\n", "diesel edit 1")
    check(any("column name of table users already exists" in f[5] for f in got),
          "the migration before it counts: %r" % got)
    twin.compare(s, uri, 3, "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN email text;\n",
                 "diesel edit 2")
    shutdown(s)


def scenario_two_open(repo):
    """two migrations open, the newest edited: the background lints of the
    other one do not cost the edited one its kept set and schema (the log
    counts the sets reused and the resumes)."""
    early, late = "migrations/000040_t40.up.sql", "migrations/000041_edit.up.sql"
    s = Server(repo, ["--verbose"])
    initialize(s, repo)
    uris = {r: uri_of(os.path.join(repo, r)) for r in (early, late)}
    for r in (early, late):
        with open(os.path.join(repo, r)) as f:
            s.notify("textDocument/didOpen", {"textDocument": {
                "uri": uris[r], "languageId": "sql", "version": 1, "text": f.read()}})
        s.published_for(uris[r])
    s.published_for(uris[early])  # linted again in the background after the newest opened
    for v in range(2, 5):
        s.notify("textDocument/didChange", {
            "textDocument": {"uri": uris[late], "version": v},
            "contentChanges": [{"text": "ALTER TABLE t%d ADD COLUMN c int;\n" % v}]})
        s.published_for(uris[late])
        s.published_for(uris[early])
    rid = s.request("shutdown", None)
    while True:
        m = s.recv()
        if not isinstance(m, dict) or m.get("id") == rid:
            break
    s.notify("exit", None)
    s.wait()
    lines = [l for l in s.stderr.decode().splitlines() if late + " linted" in l]
    last = lines[-1] if lines else ""
    m = re.search(r"(\d+) resumes .* (\d+) sets reused", last)
    check(m and int(m.group(1)) >= 3 and int(m.group(2)) >= 3,
          "the newest migration's edits reuse its set and schema: %r" % last)


def scenario_unsaved_earlier(repo):
    """an unsaved edit of an earlier migration reaches the later migrations
    open in the editor: they are linted again in the background, as check
    lints both texts saved; closing the earlier one brings the disk back."""
    early, late = "migrations/000040_t40.up.sql", "migrations/000041_edit.up.sql"
    twin = Twin(repo, late)
    s = Server(repo)
    initialize(s, repo)
    uris = {r: uri_of(os.path.join(repo, r)) for r in (early, late)}
    late_text = "SET lock_timeout = '1s';\nALTER TABLE t40 ADD COLUMN b int;\n"
    with open(os.path.join(repo, early)) as f:
        early_text = f.read()
    for v, (r, text) in enumerate(((early, early_text), (late, late_text))):
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uris[r], "languageId": "sql",
                                                           "version": 1, "text": text}})
        s.published_for(uris[r])
    with open(os.path.join(twin.copy, late), "w") as f:
        f.write(late_text)
    before = check_findings(twin.copy, late)
    check(before == [], "no findings before the edit: %r" % before)
    edited = "CREATE TABLE t40 (id bigint PRIMARY KEY, note text, b int);\n"
    s.notify("textDocument/didChange", {"textDocument": {"uri": uris[early], "version": 2},
                                        "contentChanges": [{"text": edited}]})
    s.published_for(uris[early])
    got = lsp_findings(s.published_for(uris[late])["diagnostics"])
    with open(os.path.join(twin.copy, early), "w") as f:
        f.write(edited)
    want = check_findings(twin.copy, late)
    check(got == want and any("column b of table t40 already exists" in f[5] for f in got),
          "the later migration after the unsaved edit: the server says %r, check says %r"
          % (got, want))
    s.notify("textDocument/didClose", {"textDocument": {"uri": uris[early]}})
    got = lsp_findings(s.published_for(uris[late])["diagnostics"])
    check(got == before, "after the close, the disk's text again: %r" % got)
    rid = s.request("shutdown", None)
    while True:  # background lints may still be on their way
        m = s.recv()
        if not isinstance(m, dict) or m.get("id") == rid:
            break
    s.notify("exit", None)
    check(s.wait() == 0, "exit after shutdown")


def main():
    scenario, repo = sys.argv[1], os.path.realpath(sys.argv[2])
    globals()["scenario_" + scenario](repo)
    if FAILED:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
