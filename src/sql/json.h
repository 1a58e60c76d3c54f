/* json.h - reads libpg_query's parse-tree JSON into cJSON nodes in place.
 *
 * The nodes are the same structs, types and values cJSON_Parse gives (so
 * every reader of a tree, sql_get* and direct cJSON access alike, is
 * unchanged), but they come from an arena, and keys and strings point into
 * the JSON text, unescaped where they stand. */
#ifndef MIGRALINT_SQL_JSON_H
#define MIGRALINT_SQL_JSON_H

#include <cjson/cJSON.h>

#include "../core/arena.h"

/* Parses the NUL-terminated text, which it rewrites and which must live as
 * long as the tree (put it in the same arena). NULL where cJSON_Parse fails
 * too: malformed JSON, or arrays and objects nested deeper than cJSON's
 * CJSON_NESTING_LIMIT. Never give the tree to cJSON_Delete. */
cJSON *sql_json_read(arena *a, char *text);

#endif
