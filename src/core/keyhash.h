/* keyhash.h - a fast hash of a cache key's text, written as hex.
 *
 * The caches under $XDG_CACHE_HOME/migralint name an entry by a hash of
 * everything it depends on: for a 3,000-migration folder, 300 KB of key
 * text hashed on every pre-commit run. libgit2's SHA-1 (the collision-
 * detecting one) took 27 instructions a byte; this takes about two. It is
 * not cryptographic: the keys are the user's own files, and a cache that
 * is tampered with can lie in any case (the cache folder is the user's). */
#ifndef MIGRALINT_KEYHASH_H
#define MIGRALINT_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

/* Writes hexlen (at most 48) hex digits of the hash of data, and a NUL. */
void keyhash_hex(const void *data, size_t len, char *out, size_t hexlen);
/* 64 bits of the same hash: a checksum of a cache file's bytes. */
uint64_t keyhash64(const void *data, size_t len);

#endif
