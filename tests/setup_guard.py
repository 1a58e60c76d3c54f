#!/usr/bin/python3
"""setup_guard.py - every command and Python module the tests use comes from a
Debian package that scripts/setup.sh installs (or that any Debian machine has).

A fresh bookworm machine has only the packages of priority "required" (what
`debootstrap --variant=minbase` lays down), plus `make`. Everything else the
build, `make demo` and `make test` call must be in setup.sh's list, or be pulled
in by a package of that list. Developers' machines hide a missing entry (the
package was installed by hand long ago), so this check reads the scripts
instead of trusting the machine:

  1. commands: the first word of each simple command in the shell scripts of
     tests/, fuzz/ and scripts/ (a cheap tokenizer, not a shell parser: it
     only has to find names, and a name that is not an executable on Debian's
     PATH is ignored);
  2. Python modules: every `import X` / `from X import` in the Python files
     and in the Python code the shell scripts embed;
  3. each is resolved to its file on Debian's own paths (/usr/bin/python3 for
     modules, never a pyenv or virtualenv), then to its package with dpkg;
  4. the package must be listed by `scripts/setup.sh --list-packages`, be a
     dependency (recursively) of a listed package, or be of priority required.

Prints one line per problem, naming the package to add, and exits 1; exits 0
quietly otherwise. Usage: setup_guard.py ROOT
"""
import os
import re
import shutil
import subprocess
import sys

DEBIAN_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
# Words that open a command but are not one; the command is the next word.
PREFIXES = {"env", "nice", "command", "exec", "time", "xargs", "timeout", "then",
            "do", "else", "elif", "if", "while", "until", "!", "{", "(", "runuser",
            "setsid", "stdbuf", "nohup"}
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.+-]*$")
IMPORT = re.compile(r"(?:^\s*|;\s*|['\"]\s*)(?:import\s+([\w\s,.]+)|from\s+([\w.]+)\s+import)")
HEREDOC = re.compile(r"<<-?\s*'?\"?([A-Za-z_]+)'?\"?")


def shell_files(root):
    for sub in ("tests", "fuzz", "scripts", "hooks"):
        for base, _dirs, files in os.walk(os.path.join(root, sub)):
            for f in sorted(files):
                if f.endswith(".sh") or f == "pre-commit":
                    yield os.path.join(base, f)


def python_files(root):
    for sub in ("tests", "fuzz", "scripts"):
        for base, _dirs, files in os.walk(os.path.join(root, sub)):
            for f in sorted(files):
                if f.endswith(".py"):
                    yield os.path.join(base, f)


def split_heredocs(text):
    """Returns (shell text, embedded lines): heredoc bodies are not shell."""
    shell, body, end = [], [], None
    for line in text.splitlines():
        if end is not None:
            if line.strip() == end:
                end = None
            else:
                body.append(line)
            continue
        shell.append(line)
        m = HEREDOC.search(line)
        if m and "<<<" not in line:
            end = m.group(1)
    return "\n".join(shell), body


def functions_defined(text):
    return set(re.findall(r"(?m)^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)", text))


def segments(text):
    """Splits shell text into simple commands, outside quotes; `$(...)` opens a
    command even inside double quotes. Quoted text becomes the word Q."""
    out, cur, stack, i = [], [], ["n"], 0

    def cut():
        out.append("".join(cur))
        cur.clear()

    while i < len(text):
        c, top, two = text[i], stack[-1], text[i:i + 2]
        if top == "s":
            if c == "'":
                stack.pop()
        elif top == "d":
            if c == "\\":
                i += 1
            elif c == '"':
                stack.pop()
            elif two == "$(":
                stack.append("n")
                cut()
                i += 1
        elif c == "\\":
            i += 1
        elif c in "'\"":
            stack.append("s" if c == "'" else "d")
            cur.append(" Q ")
        elif two == "$(":
            stack.append("n")
            cut()
            i += 1
        elif c == ")" and len(stack) > 1:
            stack.pop()
            cut()
        elif c == "#" and (not cur or cur[-1] in " \t"):
            while i < len(text) and text[i] != "\n":
                i += 1
            cut()
        elif c in ";|&`()\n":
            cut()
        else:
            cur.append(c)
        i += 1
    cut()
    return out


def first_words(text):
    """The word in command position of each simple command."""
    for part in segments(text):
        words = part.split()
        while words and (words[0] in PREFIXES or ASSIGNMENT.match(words[0])
                         or words[0].startswith("-") or words[0].isdigit()):
            words.pop(0)
        if words and NAME.match(words[0]):
            yield words[0]


def package_map(paths):
    """Maps each path to the package that owns it (or its /usr-merged twin, or
    what a symlink points at), from dpkg's file lists in one pass."""
    want = {}
    for p in paths:
        for q in {p, os.path.realpath(p)}:
            for r in (q, q[4:] if q.startswith("/usr/") else "/usr" + q):
                want.setdefault(r, []).append(p)
    owner, info = {}, "/var/lib/dpkg/info"
    for f in sorted(os.listdir(info)):
        if not f.endswith(".list"):
            continue
        pkg = f[:-5].split(":")[0]
        with open(os.path.join(info, f), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                for p in want.get(line.rstrip("\n"), ()):
                    owner.setdefault(p, pkg)
    return owner


def installed_packages():
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Priority}\t${Depends}, ${Pre-Depends}\n"],
        capture_output=True, text=True, check=True).stdout
    deps, required = {}, set()
    for line in out.splitlines():
        name, prio, dep = (line.split("\t") + ["", ""])[:3]
        if prio == "required":
            required.add(name)
        names = set()
        for alt in dep.split(","):
            for a in alt.split("|"):
                a = a.strip().split(" ")[0].split(":")[0]
                if a:
                    names.add(a)
        deps[name] = names
    return deps, required


def closure(listed, deps):
    seen, todo = set(), list(listed)
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(deps.get(p, ()))
    return seen


def listed_packages(root):
    """What scripts/setup.sh installs, and fuzz/setup.sh for the fuzzers."""
    names = set()
    for script in ("scripts/setup.sh", "fuzz/setup.sh"):
        r = subprocess.run(["bash", os.path.join(root, script), "--list-packages"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"setup_guard: `bash {script} --list-packages` failed with exit "
                     f"{r.returncode}: {r.stderr.strip()}")
        names.update(r.stdout.split())
    return names


def modules_in(lines):
    mods = set()
    for line in lines:
        for m in IMPORT.finditer(line):
            if m.group(1):
                for item in m.group(1).split(","):
                    item = item.strip().split(" ")[0]
                    if item:
                        mods.add(item.split(".")[0])
            elif m.group(2) and not m.group(2).startswith("."):
                mods.add(m.group(2).split(".")[0])
    return {m for m in mods if NAME.match(m)}


def fixture_modules(root):
    """Python packages and modules the fixtures define (a test imports the
    fixture project's own models): not Debian's to provide."""
    mods = set()
    for d, _, files in os.walk(os.path.join(root, "fixtures")):
        if "__init__.py" in files:
            mods.add(os.path.basename(d))
        mods.update(f[:-3] for f in files if f.endswith(".py"))
    return mods


def module_paths(mods):
    """Where Debian's own python3 finds each module ('' when it does not)."""
    code = ("import importlib.util,sys\n"
            "for m in sys.argv[1:]:\n"
            "    try: s=importlib.util.find_spec(m)\n"
            "    except Exception: s=None\n"
            "    print(m, '' if s is None else (s.origin or ''))")
    r = subprocess.run(["/usr/bin/python3", "-c", code] + sorted(mods), capture_output=True,
                       text=True, cwd="/", check=True,
                       env={"PATH": DEBIAN_PATH, "PYTHONNOUSERSITE": "1"})
    return dict((line.split(" ", 1) + [""])[:2] for line in r.stdout.splitlines())


def commands_used(root, embedded):
    commands = {}
    for f in shell_files(root):
        shell, body = split_heredocs(open(f, encoding="utf-8").read())
        embedded.extend(body)
        embedded.extend(shell.splitlines())  # python3 -c '...' strings
        local = functions_defined(shell)
        for w in first_words(shell):
            if w not in local:
                commands.setdefault(w, os.path.relpath(f, root))
    return commands


def main(root):
    problems, uses, embedded = [], {}, []
    paths = {}  # path -> what needs it
    for cmd, where in sorted(commands_used(root, embedded).items()):
        path = shutil.which(cmd, path=DEBIAN_PATH)
        if path is not None:  # else a builtin, a function or not a command
            paths.setdefault(path, f"{where}: runs {cmd}")
    for f in python_files(root):
        embedded.extend(open(f, encoding="utf-8").read().splitlines())
    own = {os.path.splitext(os.path.basename(f))[0] for f in python_files(root)}
    own |= fixture_modules(root)
    for mod, path in sorted(module_paths(modules_in(embedded) - own).items()):
        if path == "":
            problems.append(f"the tests import the Python module {mod}, which Debian's "
                            "/usr/bin/python3 cannot find: add its python3-* package")
        elif path not in ("built-in", "frozen"):
            paths.setdefault(path, f"imports {mod}")
    owner = package_map(paths)
    for path, why in sorted(paths.items()):
        if path not in owner:
            problems.append(f"{why} ({path}), which no Debian package installs")
        else:
            uses.setdefault(owner[path], why)
    deps, required = installed_packages()
    allowed = closure(listed_packages(root), deps) | closure(required, deps)
    for pkg, why in sorted(uses.items()):
        if pkg not in allowed:
            problems.append(f"{why}: package {pkg} is not installed by scripts/setup.sh "
                            f"(add {pkg} to its package list)")
    for p in problems:
        print("setup_guard: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")))
