#!/usr/bin/env python3
"""seeds.py OUT - writes the seed corpora of the fuzz targets whose first
input byte is a selector (orm, code) and of lsp (framed messages) into
OUT/NAME/, from the fixtures. fuzz/run.sh runs it into build/fuzz/gen before
every run, so the seeds always follow the fixtures and nothing derived from
them is committed.
"""
import json, os, pathlib, re, shutil, sys

out_dir = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
root = pathlib.Path(__file__).resolve().parent.parent
os.chdir(root)

# Selector bytes: the order of src/orm/extractors.def and of fuzz_code.c's table.
ORM = ["drizzle", "prisma", "sqlalchemy", "django", "typeorm", "activerecord", "gorm"]
CODE = ["typeorm", "knex", "node-pg-migrate", "alembic", "django"]


def orm_kind(p, text):
    if p.suffix == ".prisma":
        return "prisma"
    if p.suffix == ".rb":
        return "activerecord"
    if p.suffix == ".go":
        return "gorm"
    if p.suffix == ".py":
        return "django" if "django" in text else "sqlalchemy"
    if p.suffix == ".ts":
        return "drizzle" if "drizzle-orm" in text else "typeorm"
    return None


def code_kind(p, text):
    if p.suffix not in (".py", ".js", ".ts") or p.name == "__init__.py":
        return None
    if p.suffix == ".py":
        return "alembic" if re.search(r"(?m)^down_revision", text) else "django"
    if "MigrationInterface" in text:
        return "typeorm"
    if re.search(r"\bpgm\b|MigrationBuilder|node-pg-migrate", text):
        return "node-pg-migrate"
    return "knex"


def write(target, name, data):
    out = out_dir / target
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)


def selected(target, kinds, tell, dirs):
    for d in dirs:
        for p in sorted(pathlib.Path(d).rglob("*")):
            if not p.is_file():
                continue
            data = p.read_bytes()
            kind = tell(p, data.decode("utf-8", "replace"))
            if kind in kinds:
                name = str(p.relative_to(d)).replace("/", "_")
                write(target, "%s_%s" % (pathlib.Path(d).name, name), bytes([kinds.index(kind)]) + data)


def frame(msgs):
    out = b""
    for m in msgs:
        body = json.dumps(m).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return out


def lsp():
    uri = "file:///w/db/migrations/0001_init.sql"
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": "file:///w", "capabilities": {}}}
    inited = {"jsonrpc": "2.0", "method": "initialized", "params": {}}
    text = "ALTER TABLE users ADD COLUMN email text NOT NULL;\nDROP TABLE orders;\n"
    opened = {"jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": {"textDocument": {"uri": uri, "languageId": "sql", "version": 1, "text": text}}}
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": 2},
                         "contentChanges": [{"text": "CREATE INDEX i ON t (c);\n"}]}}
    pos = {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}
    hover = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": pos}
    action = {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
              "params": {"textDocument": {"uri": uri},
                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 5}},
                         "context": {"diagnostics": []}}}
    save = {"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}}
    close = {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}
    shut = {"jsonrpc": "2.0", "id": 9, "method": "shutdown"}
    ex = {"jsonrpc": "2.0", "method": "exit"}
    write("lsp", "edit", frame([init, inited, opened, change, hover, action, save, close, shut, ex]))
    write("lsp", "malformed", b"Content-Length: 9\r\n\r\n{not json" + b"Content-Type: x\r\n\r\n"
          + frame([init, [1, 2, 3], {"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover"},
                   {"jsonrpc": "2.0", "id": 99, "result": None}, {"jsonrpc": "2.0", "id": 5, "method": "nope"},
                   shut, ex]))
    write("lsp", "uninitialized", frame([hover, opened, shut]))
    write("lsp", "eof", frame([init]) + b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    write("lsp", "exit-without-shutdown", frame([init, inited, ex]))


if out_dir is None:
    sys.exit("usage: fuzz/seeds.py OUT")
for t in ("orm", "code", "lsp"):
    shutil.rmtree(out_dir / t, ignore_errors=True)
selected("orm", ORM, orm_kind, ["fixtures/orm", "fixtures/drift"])
selected("code", CODE, code_kind, ["fixtures/code"])
lsp()
