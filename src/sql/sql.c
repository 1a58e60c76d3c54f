/* sql.c - libpg_query front end: scan, split, parse (see sql.h).
 *
 * The whole range is parsed in one call first, because that is by far the
 * fastest path and the common case. Only when it fails is the range split
 * with the scanner-based splitter and each statement parsed on its own, so
 * one bad statement costs its own finding and nothing more. */
#include "sql.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../core/strbuf.h"
#include "../mysql/mysql.h"
#include "json.h"

typedef struct vec {
    void *items;
    size_t count, cap, size;
} vec;

static void *vec_push(vec *v)
{
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = realloc(v->items, v->cap * v->size);
        if (!v->items)
            abort();
    }
    void *p = (char *)v->items + v->count++ * v->size;
    memset(p, 0, v->size);
    return p;
}

static sql_token_kind token_kind_of(int token, int keyword_kind)
{
    switch (token) {
    case PG_QUERY__TOKEN__SQL_COMMENT:
        return SQL_TOK_COMMENT;
    case PG_QUERY__TOKEN__C_COMMENT:
        return SQL_TOK_BLOCK_COMMENT;
    case PG_QUERY__TOKEN__IDENT:
        return SQL_TOK_IDENT;
    case PG_QUERY__TOKEN__SCONST:
    case PG_QUERY__TOKEN__USCONST:
    case PG_QUERY__TOKEN__BCONST:
    case PG_QUERY__TOKEN__XCONST:
        return SQL_TOK_STRING;
    default:
        break;
    }
    if (keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
        return SQL_TOK_KEYWORD;
    if (token < 256)
        return SQL_TOK_PUNCT;
    return SQL_TOK_OTHER;
}

/* PostgreSQL reports the error cursor in characters, not bytes. */
static size_t char_to_byte(const char *text, int cursorpos)
{
    size_t i = 0;
    int chars = 0;
    while (text[i] && chars < cursorpos - 1) {
        i++;
        while ((text[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return i;
}

/* The scanner's output is a protobuf ScanResult (pg_query.proto: field 2,
 * repeated ScanToken {1 start, 2 end, 4 token, 5 keyword_kind}, all
 * varints). protobuf-c's generic unpack allocates a struct per token and
 * cost 7% of a check; these few lines read the same wire format into the
 * token array directly. Anything unexpected (a group, a truncated field)
 * makes pb_tokens fail and protobuf-c read the message instead. */
typedef struct pb_reader {
    const uint8_t *p, *end;
} pb_reader;

static bool pb_varint(pb_reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70 && r->p < r->end; shift += 7) {
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Skips a field's value; false on a wire type protobuf 3 does not write. */
static bool pb_skip(pb_reader *r, unsigned wire)
{
    uint64_t n;
    switch (wire) {
    case 0:
        return pb_varint(r, &n);
    case 1:
    case 5:
        n = wire == 1 ? 8 : 4;
        break;
    case 2:
        if (!pb_varint(r, &n))
            return false;
        break;
    default:
        return false;
    }
    if (n > (uint64_t)(r->end - r->p))
        return false;
    r->p += n;
    return true;
}

static bool pb_token(pb_reader *r, sql_token *t, size_t base)
{
    int32_t field[6] = {0};
    while (r->p < r->end) {
        uint64_t key, v;
        if (!pb_varint(r, &key))
            return false;
        unsigned num = (unsigned)(key >> 3), wire = (unsigned)(key & 7);
        if (wire != 0 || num == 0 || num > 5) {
            if (!pb_skip(r, wire))
                return false;
            continue;
        }
        if (!pb_varint(r, &v))
            return false;
        field[num] = (int32_t)(uint32_t)(v & 0xffffffffu);
    }
    t->start = base + (size_t)field[1];
    t->end = base + (size_t)field[2];
    t->kind = token_kind_of(field[4], field[5]);
    t->pg_token = field[4];
    return true;
}

static bool pb_tokens(sql_file *f, const uint8_t *data, size_t len, size_t base)
{
    pb_reader r = {data, data + len};
    sql_token *tokens = NULL;
    size_t n = 0, cap = 0;
    while (r.p < r.end) {
        uint64_t key, size;
        if (!pb_varint(&r, &key))
            goto fail;
        if (key != ((2 << 3) | 2)) { /* not a token: the version, or unknown */
            if (!pb_skip(&r, (unsigned)(key & 7)))
                goto fail;
            continue;
        }
        if (!pb_varint(&r, &size) || size > (uint64_t)(r.end - r.p))
            goto fail;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            sql_token *grown = realloc(tokens, cap * sizeof *tokens);
            if (!grown)
                abort();
            tokens = grown;
        }
        pb_reader sub = {r.p, r.p + size};
        memset(&tokens[n], 0, sizeof tokens[n]);
        if (!pb_token(&sub, &tokens[n++], base))
            goto fail;
        r.p += size;
    }
    f->tokens = tokens ? tokens : calloc(1, sizeof *f->tokens);
    if (!f->tokens)
        abort();
    f->ntokens = n;
    return true;
fail:
    free(tokens);
    return false;
}

/* The unpacked scan result lives only until its tokens are copied out: one
 * scratch arena for it instead of a malloc and a free per token. */
static void *scratch_alloc(void *a, size_t size)
{
    return arena_alloc(a, size);
}

static void scratch_free(void *a, void *p)
{
    (void)a, (void)p; /* dropped with the arena */
}

static void unpack_tokens(sql_file *f, const PgQueryScanResult *r, size_t base)
{
    arena *scratch = arena_new();
    ProtobufCAllocator alloc = {scratch_alloc, scratch_free, scratch};
    PgQuery__ScanResult *s =
        pg_query__scan_result__unpack(&alloc, r->pbuf.len, (const uint8_t *)r->pbuf.data);
    if (s) {
        f->tokens = calloc(s->n_tokens ? s->n_tokens : 1, sizeof *f->tokens);
        if (!f->tokens)
            abort();
        for (size_t i = 0; i < s->n_tokens; i++) {
            sql_token *t = &f->tokens[i];
            t->start = base + (size_t)s->tokens[i]->start;
            t->end = base + (size_t)s->tokens[i]->end;
            t->kind = token_kind_of(s->tokens[i]->token, s->tokens[i]->keyword_kind);
            t->pg_token = s->tokens[i]->token;
        }
        f->ntokens = s->n_tokens;
    }
    arena_free(scratch);
}

static bool scan_into(sql_file *f, const char *text, size_t base, size_t *error_at)
{
    PgQueryScanResult r = pg_query_scan(text);
    if (r.error) {
        *error_at = char_to_byte(text, r.error->cursorpos);
        pg_query_free_scan_result(r);
        return false;
    }
    if (!pb_tokens(f, (const uint8_t *)r.pbuf.data, r.pbuf.len, base))
        unpack_tokens(f, &r, base);
    pg_query_free_scan_result(r);
    return true;
}

/* Tokens of text (a copy of the parsed range) shifted to absolute offsets.
 * A lexical error (an unterminated quote or comment) makes libpg_query
 * return no tokens at all, so we keep the tokens before the error. */
static void scan_tokens(sql_file *f, const char *text, size_t base)
{
    size_t error_at;
    if (scan_into(f, text, base, &error_at))
        return;
    char *prefix = strndup(text, error_at);
    if (!prefix)
        abort();
    if (!scan_into(f, prefix, base, &error_at)) {
        f->tokens = NULL;
        f->ntokens = 0;
    }
    free(prefix);
}

static bool is_comment(const sql_token *t)
{
    return t->kind == SQL_TOK_COMMENT || t->kind == SQL_TOK_BLOCK_COMMENT;
}

/* Index of the first token that starts at or after offset (binary search:
 * files can hold hundreds of thousands of tokens). */
static size_t first_token_from(const sql_file *f, size_t offset)
{
    size_t lo = 0, hi = f->ntokens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->tokens[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Narrows [from, to) to its first and last non-comment token, and records
 * which tokens belong to the statement (comments inside it included). */
static void stmt_bind_tokens(const sql_file *f, sql_stmt *s, size_t from, size_t to)
{
    size_t first = f->ntokens, last = f->ntokens;
    for (size_t i = first_token_from(f, from); i < f->ntokens && f->tokens[i].end <= to; i++) {
        const sql_token *t = &f->tokens[i];
        if (is_comment(t) || t->pg_token == ';')
            continue;
        if (first == f->ntokens)
            first = i;
        last = i;
    }
    if (first == f->ntokens) {
        s->start = from;
        s->end = to;
        s->first_token = f->ntokens;
        s->ntokens = 0;
        return;
    }
    s->start = f->tokens[first].start;
    s->end = f->tokens[last].end;
    s->first_token = first;
    s->ntokens = last - first + 1;
}

/* libpg_query locations are byte offsets into the string it was given;
 * shifting them here lets every consumer treat them as source offsets. */
static void shift_locations(cJSON *node, size_t base)
{
    for (cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (cJSON_IsNumber(c) && c->string && strcmp(c->string, "location") == 0) {
            if (c->valuedouble >= 0)
                cJSON_SetNumberValue(c, c->valuedouble + (double)base);
        } else if (c->child) {
            shift_locations(c, base);
        }
    }
}

static void stmt_set_error(sql_stmt *s, const PgQueryError *e, const char *text, size_t base,
                           arena *a)
{
    s->parse_error = true;
    s->error_message = arena_strdup(a, e->message ? e->message : "syntax error");
    if (e->cursorpos > 0)
        s->error_offset = base + char_to_byte(text, e->cursorpos);
    else
        s->error_offset = s->start;
}

struct parse_state {
    sql_file *f;
    vec stmts, trees;
    arena *a;
};

/* cJSON's parser writes a process-wide error position on every call, so the
 * parse-ahead thread and the main thread must not run it at the same time. */
static pthread_mutex_t json_mu = PTHREAD_MUTEX_INITIALIZER;

/* Parse trees are read by sql_json_read (json.c) into their file's arena;
 * cJSON's own allocator is left as it is for every other use. */
void sql_init(void)
{
}

cJSON *sql_json_parse(const char *text)
{
    pthread_mutex_lock(&json_mu);
    cJSON *j = cJSON_Parse(text);
    pthread_mutex_unlock(&json_mu);
    return j;
}

/* Parses text (starting at absolute offset base) in one go. Returns the tree,
 * or NULL with *err set when PostgreSQL rejects it. */
static cJSON *parse_json(const char *text, size_t base, arena *a, PgQueryError **err, char **fail)
{
    PgQueryParseResult r = pg_query_parse(text);
    cJSON *tree = NULL;
    *fail = NULL;
    if (r.error) {
        PgQueryError *e = calloc(1, sizeof *e);
        if (!e)
            abort();
        e->message = strdup(r.error->message ? r.error->message : "syntax error");
        e->cursorpos = r.error->cursorpos;
        *err = e;
    } else {
        /* The tree's keys and strings point into its JSON text: a copy in
         * the file's arena, so both go with the file. */
        tree = sql_json_read(a, arena_strndup(a, r.parse_tree, strlen(r.parse_tree)));
        if (!tree)
            *fail = "statement is nested too deeply to analyze";
        else if (base > 0) /* a whole file starts at 0: nothing to shift */
            shift_locations(tree, base);
    }
    pg_query_free_parse_result(r);
    return tree;
}

static void free_error(PgQueryError *e)
{
    if (e) {
        free(e->message);
        free(e);
    }
}

static void add_tree_stmts(struct parse_state *st, cJSON *tree, size_t from, size_t to, size_t base)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(tree, "stmts");
    cJSON *raw;
    cJSON_ArrayForEach(raw, list)
    {
        cJSON *wrapped = cJSON_GetObjectItemCaseSensitive(raw, "stmt");
        if (!wrapped || !wrapped->child)
            continue;
        size_t loc = base + (size_t)sql_get_int(raw, "stmt_location", 0);
        int len = sql_get_int(raw, "stmt_len", 0);
        size_t end = len > 0 ? loc + (size_t)len : to;
        if (loc < from)
            loc = from;
        sql_stmt *s = vec_push(&st->stmts);
        s->kind = wrapped->child->string;
        s->node = wrapped->child;
        stmt_bind_tokens(st->f, s, loc, end);
    }
}

static void parse_one(struct parse_state *st, const char *text, size_t from, size_t to)
{
    PgQueryError *err = NULL;
    char *fail = NULL;
    cJSON *tree = parse_json(text, from, st->a, &err, &fail);
    if (tree) {
        *(cJSON **)vec_push(&st->trees) = tree;
        add_tree_stmts(st, tree, from, to, from);
        return;
    }
    sql_stmt *s = vec_push(&st->stmts);
    stmt_bind_tokens(st->f, s, from, to);
    if (err) {
        stmt_set_error(s, err, text, from, st->a);
        free_error(err);
    } else {
        s->parse_error = true;
        s->error_message = fail;
        s->error_offset = s->start;
    }
}

static void parse_range(struct parse_state *st, const char *text, size_t base, size_t from,
                        size_t to)
{
    char *piece = strndup(text + (from - base), to - from);
    if (!piece)
        abort();
    parse_one(st, piece, from, to);
    free(piece);
}

/* The scanner-based splitter silently drops text it does not recognise as
 * the start of a statement ("SELEC 1;" vanishes). Any tokens between the
 * statements it found are parsed too, one ';'-separated run at a time, so
 * they become parse errors instead of disappearing. */
static void parse_gap(struct parse_state *st, const char *text, size_t base, size_t from, size_t to)
{
    const sql_file *f = st->f;
    size_t run_start = 0, run_end = 0;
    bool in_run = false;
    for (size_t i = first_token_from(f, from); i < f->ntokens && f->tokens[i].end <= to; i++) {
        const sql_token *t = &f->tokens[i];
        if (is_comment(t))
            continue;
        if (t->pg_token == ';') {
            if (in_run)
                parse_range(st, text, base, run_start, run_end);
            in_run = false;
            continue;
        }
        if (!in_run)
            run_start = t->start;
        run_end = t->end;
        in_run = true;
    }
    if (in_run)
        parse_range(st, text, base, run_start, run_end);
}

/* Parses the first n statements of a split result, and whatever the
 * splitter skipped between them (up to `to` after the last one). */
static void parse_pieces(struct parse_state *st, const char *text, size_t base, size_t to,
                         const PgQuerySplitResult *r, int n)
{
    size_t prev = base;
    for (int i = 0; i < n; i++) {
        size_t loc = base + (size_t)r->stmts[i]->stmt_location;
        size_t end = loc + (size_t)r->stmts[i]->stmt_len;
        parse_gap(st, text, base, prev, loc);
        parse_range(st, text, base, loc, end);
        prev = end;
    }
    parse_gap(st, text, base, prev, to);
}

/* A lexical error stops the splitter too. The statements before the one
 * holding the error are complete: parse them, then let the rest of the range
 * be one failing statement that carries PostgreSQL's message. */
static void parse_before_lex_error(struct parse_state *st, const char *text, size_t base, size_t to,
                                   size_t error_at)
{
    char *prefix = strndup(text, error_at);
    if (!prefix)
        abort();
    PgQuerySplitResult r = pg_query_split_with_scanner(prefix);
    size_t cut = 0;
    if (!r.error && r.n_stmts > 0) {
        int n = r.n_stmts;
        const PgQuerySplitStmt *last = r.stmts[n - 1];
        size_t last_end = (size_t)(last->stmt_location + last->stmt_len);
        bool last_complete = last_end < error_at && prefix[last_end] == ';';
        int complete = last_complete ? n : n - 1;
        cut = last_complete ? last_end + 1 : (size_t)last->stmt_location;
        parse_pieces(st, prefix, base, base + cut, &r, complete);
    }
    pg_query_free_split_result(r);
    free(prefix);
    parse_one(st, text + cut, base + cut, to);
}

/* The slow path: split with the scanner and parse statement by statement. */
static void parse_split(struct parse_state *st, const char *text, size_t base, size_t to)
{
    PgQuerySplitResult r = pg_query_split_with_scanner(text);
    if (r.error) {
        size_t error_at = char_to_byte(text, r.error->cursorpos);
        pg_query_free_split_result(r);
        parse_before_lex_error(st, text, base, to, error_at);
        return;
    }
    if (r.n_stmts == 0)
        parse_one(st, text, base, to);
    else
        parse_pieces(st, text, base, to, &r, r.n_stmts);
    pg_query_free_split_result(r);
}

/* libpg_query's memory context exists only once used, one per thread (a
 * parse-ahead worker's is freed by libpg_query when the thread ends). */
static _Thread_local bool sql_used;

void sql_shutdown(void)
{
    if (sql_used)
        pg_query_exit();
}

/* A file with its tokens and no statements yet; *text is its own copy of
 * the range, NUL-terminated, for the caller to free. */
static sql_file *file_scanned(const source *src, size_t start, size_t end, char **text)
{
    sql_init();
    sql_used = true;
    sql_file *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->src = src;
    f->start = start;
    f->end = end;
    f->arena = arena_new();
    *text = strndup(src->text + start, end - start);
    if (!*text)
        abort();
    scan_tokens(f, *text, start);
    return f;
}

sql_file *sql_file_parse(const source *src, size_t start, size_t end)
{
    char *text;
    sql_file *f = file_scanned(src, start, end, &text);
    struct parse_state st = {
        f, {NULL, 0, 0, sizeof(sql_stmt)}, {NULL, 0, 0, sizeof(cJSON *)}, f->arena};
    PgQueryError *err = NULL;
    char *fail = NULL;
    cJSON *tree = parse_json(text, start, f->arena, &err, &fail);
    if (tree) {
        *(cJSON **)vec_push(&st.trees) = tree;
        add_tree_stmts(&st, tree, start, end, start);
    } else {
        free_error(err);
        parse_split(&st, text, start, end);
    }
    free(text);
    f->stmts = st.stmts.items;
    f->nstmts = st.stmts.count;
    f->trees = st.trees.items;
    f->ntrees = st.trees.count;
    return f;
}

sql_file *sql_file_parse_dialect(const source *src, size_t start, size_t end, sql_dialect d)
{
    if (d == SQL_DIALECT_MYSQL)
        return mysql_file_parse(src, start, end);
    return sql_file_parse(src, start, end);
}

static const char *const dialect_names[SQL_DIALECT_COUNT] = {"postgresql", "mysql"};

const char *sql_dialect_name(sql_dialect d)
{
    return d < SQL_DIALECT_COUNT ? dialect_names[d] : "postgresql";
}

bool sql_dialect_parse(const char *name, sql_dialect *out)
{
    if (!name)
        return false;
    if (!strcasecmp(name, "postgresql") || !strcasecmp(name, "postgres"))
        *out = SQL_DIALECT_POSTGRESQL;
    else if (!strcasecmp(name, "mysql") || !strcasecmp(name, "mariadb"))
        *out = SQL_DIALECT_MYSQL;
    else
        return false;
    return true;
}

sql_file *sql_file_scan(const source *src, size_t start, size_t end)
{
    char *text;
    sql_file *f = file_scanned(src, start, end, &text);
    free(text);
    return f;
}

void sql_file_free(sql_file *f)
{
    if (!f)
        return;
    /* The trees and their JSON text are in the arena (see parse_json). */
    if (f->owned)
        mysql_file_release(f);
    free(f->trees);
    free(f->stmts);
    free(f->tokens);
    arena_free(f->arena);
    free(f);
}
