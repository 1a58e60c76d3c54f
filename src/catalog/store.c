/* store.c - the catalog's byte format (catalog_save, catalog_load), for the
 * on-disk cache of a replayed catalog: loading it must be much cheaper than
 * parsing and replaying thousands of migrations, and a damaged or outdated
 * file must read as "no catalog", never as a wrong one or a crash.
 *
 * Layout (all fixed-size integers little-endian):
 *
 *   header   8  magic "MLCATLG\x1a"
 *            4  format version, CAT_STORE_VERSION (store.h: bump it with
 *               any change to a catalog struct or to this layout)
 *            4  reserved, 0
 *            8  payload length: exactly the bytes after the header
 *            8  checksum of the payload (cat_store_checksum: keyhash64,
 *               src/core/keyhash.c; FNV-1a 64 by words up to version 3)
 *   payload  sections in the order below, each a tag byte, its body's
 *            length (u) and the body, which must be consumed exactly.
 *
 * Notation: u an unsigned LEB128 varint; i a signed one (zigzag, int
 * range); b one byte; s a string reference (0 NULL, k the k-th string of
 * S); @X a reference to an object of kind X (0 none, k the k-th of its
 * kind in the order written: Y types, T tables, C columns, K constraints,
 * I indexes, Q sequences); o an origin: s path, u start, u end, i line,
 * i col, i end line, i end col; [x] a u count followed by that many x.
 *
 *   S strings    u count, then that many distinct NUL-terminated strings
 *   N counts     u types, tables, columns, constraints, triggers, indexes,
 *                sequences, functions (columns, constraints and triggers
 *                of all tables together, numbered in table order)
 *   G globals    b temp_used, [s schemas], [s extensions]
 *   Y types      per type: b kind, s schema, s name, s base, [s values], o
 *   T tables     per table: b kind, s schema, s name, s partition_by, o,
 *                i next_attnum, @T parent, [column], [trigger: s name, o],
 *                [@I indexes], [constraint], [read: @T rel, @C column]
 *       column:     s name, i attnum, s type, s type_label, @Y user_type,
 *                   b flags, s default, @Q serial, b identity, s generated,
 *                   s collation, o
 *       constraint: s name, b type, [@C columns], s expr, b flags, @I index,
 *                   @T ref_table, @I ref_index, [@C ref_columns],
 *                   b on_delete, b on_update, o
 *   Q sequences  per sequence: s schema, s name, o, @T owner_table,
 *                @C owner_column, b identity
 *   I indexes    per index: s schema, s name, o, @T table,
 *                [key: @C column, s expr], [@C include], [@C reads],
 *                s method, s where, b flags, @K constraint, @I parent
 *   F functions  per function: s schema, s name, s args, b volatility,
 *                b procedure, o
 *
 * Every object's pointers become references, so the counts section lets
 * the reader allocate every object first and resolve references as it
 * reads. The maps (relations, types, constraint names, paths) are not
 * stored: the reader registers the objects as catalog_clone() does. */
#include "store.h"

#include "../core/keyhash.h"

#include <string.h>

/* The caches' key hash (src/core/keyhash.c), 64 bits of it: about two
 * instructions a byte where FNV-1a by words took seven and a half. Its
 * first lane takes each word through bijections only, so a change within
 * one word always changes the sum. */
uint64_t cat_store_checksum(const void *data, size_t len)
{
    return keyhash64(data, len);
}

void cat_store_put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

void cat_store_put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void cat_store_seal(unsigned char *buf, size_t len)
{
    size_t payload = len - CAT_STORE_HEADER;
    memcpy(buf, CAT_STORE_MAGIC, 8);
    cat_store_put_u32(buf + 8, CAT_STORE_VERSION);
    cat_store_put_u32(buf + 12, 0);
    cat_store_put_u64(buf + 16, payload);
    cat_store_put_u64(buf + 24, cat_store_checksum(buf + CAT_STORE_HEADER, payload));
}

const unsigned char *cat_store_payload(const unsigned char *data, size_t len, size_t *payload_len)
{
    return cat_store_payload_of(data, len, payload_len, true);
}

const unsigned char *cat_store_payload_of(const unsigned char *data, size_t len,
                                          size_t *payload_len, bool sum)
{
    if (!data || len < CAT_STORE_HEADER || memcmp(data, CAT_STORE_MAGIC, 8) != 0 ||
        get_le(data + 8, 4) != CAT_STORE_VERSION || get_le(data + 12, 4) != 0 ||
        get_le(data + 16, 8) != len - CAT_STORE_HEADER)
        return NULL;
    const unsigned char *payload = data + CAT_STORE_HEADER;
    *payload_len = len - CAT_STORE_HEADER;
    if (sum && get_le(data + 24, 8) != cat_store_checksum(payload, *payload_len))
        return NULL;
    return payload;
}
