#!/usr/bin/env bash
# setup.sh - makes clang with libFuzzer available for `make fuzz`, the way
# scripts/setup.sh does for the build: Debian packages, installed when
# running as root, otherwise the exact apt-get line is printed.
#
# Debian's `clang` depends on clang-N; libFuzzer's runtime
# (libclang_rt.fuzzer-x86_64.a) comes in libclang-rt-N-dev (bookworm: N=14).
# With --check it only answers (exit 0 when usable) and installs nothing;
# --list-packages prints the packages it would install (tests/setup_guard.py).
set -euo pipefail

if [ "${1:-}" = --list-packages ]; then
    # clang may not be installed yet (a fresh machine): bookworm's is 14.
    major=$(clang --version 2>/dev/null | sed -nE 's/.*clang version ([0-9]+).*/\1/p' | head -1) || true
    printf '%s\n' clang "libclang-rt-${major:-14}-dev"
    exit 0
fi

usable() {
    command -v clang >/dev/null 2>&1 || return 1
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/migralint-fuzzcheck.XXXXXX")
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$dir/t.c"
    local ok=0
    clang -fsanitize=fuzzer,address,undefined "$dir/t.c" -o "$dir/t" >/dev/null 2>&1 || ok=1
    rm -rf "$dir"
    return $ok
}

if usable; then
    exit 0
fi
[ "${1:-}" = --check ] && exit 1

major=$(clang --version 2>/dev/null | sed -nE 's/.*clang version ([0-9]+).*/\1/p' | head -1) || true # clang is missing on a fresh machine: pipefail must not end the script here
pkgs=(clang)
[ -n "$major" ] && pkgs+=("libclang-rt-$major-dev")
if [ "$(id -u)" -ne 0 ]; then
    printf 'fuzz: clang with libFuzzer is missing; run:\n  sudo apt-get install -y --no-install-recommends %s\n' "${pkgs[*]}" >&2
    exit 1
fi
echo "fuzz: installing Debian packages: ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null
if [ -z "$major" ]; then # clang was missing too: its runtime package now
    major=$(clang --version | sed -nE 's/.*clang version ([0-9]+).*/\1/p' | head -1)
    apt-get install -y -q --no-install-recommends "libclang-rt-$major-dev" >/dev/null
fi
usable || { echo "fuzz: clang still cannot link -fsanitize=fuzzer" >&2; exit 1; }
