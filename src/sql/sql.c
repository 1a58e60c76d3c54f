/* sql.c - libpg_query front end: scan, split, parse (see sql.h).
 *
 * The whole range is parsed in one call first, because that is by far the
 * fastest path and the common case. Only when it fails is the range split
 * with the scanner-based splitter and each statement parsed on its own, so
 * one bad statement costs its own finding and nothing more. */
#include "sql.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../core/strbuf.h"
#include "../mysql/mysql.h"

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

/* Gives back what the doubling left unused, for arrays a file keeps as
 * long as it lives (its statements: up to half a megabyte on a large file). */
static void vec_fit(vec *v)
{
    if (v->count && v->count < v->cap) {
        void *fit = realloc(v->items, v->count * v->size);
        if (fit) {
            v->items = fit;
            v->cap = v->count;
        }
    }
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

/* scripts/pg_query_tokens.c, which setup.sh builds into libpg_query.a:
 * the scanner's tokens handed over one by one, in one pass. pg_query_scan
 * lexed twice and packed every token into a protobuf message that we read
 * back (268 M instructions of a 1,658 M check; 114 M of them protobuf). */
typedef void (*pg_query_token_fn)(void *ud, int start, int end, int token, int keyword_kind);
int pg_query_scan_tokens(const char *input, pg_query_token_fn fn, void *ud, int *cursorpos);

/* sql.h's 32-bit offsets: a file keeps every token while it is linted. */
_Static_assert(sizeof(sql_token) == 12, "sql_token grew past 12 bytes");

typedef struct token_sink {
    sql_file *f;
    size_t cap, base;
} token_sink;

static void take_token(void *ud, int start, int end, int token, int keyword_kind)
{
    token_sink *k = ud;
    sql_file *f = k->f;
    if (f->ntokens == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        sql_token *grown = realloc(f->tokens, k->cap * sizeof *f->tokens);
        if (!grown)
            abort();
        f->tokens = grown;
    }
    f->tokens[f->ntokens++] =
        (sql_token){(uint32_t)(k->base + (size_t)start), (uint32_t)(k->base + (size_t)end),
                    (uint8_t)token_kind_of(token, keyword_kind), (int16_t)token};
}

static void tokens_drop(sql_file *f)
{
    free(f->tokens);
    f->tokens = NULL;
    f->ntokens = 0;
}

/* The tokens taken are all the file's: never NULL, and no room unused (the
 * doubling left up to half the array, kept as long as the file is: a
 * quarter of a megabyte on the bench's large file). */
static void tokens_done(sql_file *f, const token_sink *k)
{
    if (!f->tokens && !(f->tokens = calloc(1, sizeof *f->tokens)))
        abort();
    if (f->ntokens && f->ntokens < k->cap) {
        sql_token *fit = realloc(f->tokens, f->ntokens * sizeof *f->tokens);
        if (fit)
            f->tokens = fit;
    }
}

static bool scan_into(sql_file *f, const char *text, size_t base, size_t *error_at)
{
    token_sink k = {f, 0, base};
    int cursorpos = 0;
    f->tokens = NULL;
    f->ntokens = 0;
    if (pg_query_scan_tokens(text, take_token, &k, &cursorpos) != 0) {
        tokens_drop(f); /* like pg_query_scan: no tokens after an error */
        *error_at = char_to_byte(text, cursorpos);
        return false;
    }
    tokens_done(f, &k);
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
    vec stmts;
    arena *a;
};

/* cJSON's parser writes a process-wide error position on every call, so the
 * parse-ahead thread and the main thread must not run it at the same time. */
static pthread_mutex_t json_mu = PTHREAD_MUTEX_INITIALIZER;

cJSON *sql_json_parse(const char *text)
{
    pthread_mutex_lock(&json_mu);
    cJSON *j = cJSON_Parse(text);
    pthread_mutex_unlock(&json_mu);
    return j;
}

/* scripts/pg_query_tree.c, which setup.sh builds into libpg_query.a:
 * PostgreSQL's raw parse tree as cJSON nodes, built in our arena with the
 * same keys and shape pg_query_parse's JSON text had. Writing that text and
 * reading it back was a quarter of a check of the bench corpus. */
typedef void *(*pg_query_tree_alloc_fn)(void *ud, size_t size);
cJSON *pg_query_parse_tree(const char *input, pg_query_tree_alloc_fn alloc, void *ud,
                           PgQueryError **error);
void pg_query_free_error(PgQueryError *error);
/* scripts/pg_query_tokens.c: while set, this thread's raw parses hand the
 * tokens they lex to fn, as pg_query_scan_tokens would. */
void pg_query_tokens_record(pg_query_token_fn fn, void *ud);

static void *tree_alloc(void *ud, size_t size)
{
    return arena_alloc(ud, size);
}

/* Parses text (starting at absolute offset base) in one go. Returns the tree,
 * in the arena, or NULL with *err set when PostgreSQL rejects it, or with
 * *fail set when it nests too deeply for the analysis. */
static cJSON *parse_tree(const char *text, size_t base, arena *a, PgQueryError **err, char **fail)
{
    PgQueryError *e = NULL;
    cJSON *tree = pg_query_parse_tree(text, tree_alloc, a, &e);
    *fail = NULL;
    if (e) {
        PgQueryError *copy = calloc(1, sizeof *copy);
        if (!copy)
            abort();
        copy->message = strdup(e->message ? e->message : "syntax error");
        copy->cursorpos = e->cursorpos;
        *err = copy;
        pg_query_free_error(e);
    } else if (!tree) {
        *fail = "statement is nested too deeply to analyze";
    } else if (base > 0) { /* a whole file starts at 0: nothing to shift */
        shift_locations(tree, base);
    }
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
        sql_stmt_note_facts(s, st->f->arena);
        stmt_bind_tokens(st->f, s, loc, end);
    }
}

static void parse_one(struct parse_state *st, const char *text, size_t from, size_t to)
{
    PgQueryError *err = NULL;
    char *fail = NULL;
    cJSON *tree = parse_tree(text, from, st->a, &err, &fail);
    if (tree) {
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

/* Where a walk through the tokens stands in a routine's BEGIN ATOMIC ...
 * END body (depth 0: outside; CASE ... END nests inside it). */
typedef struct atomic_walk {
    size_t tok;
    int depth;
} atomic_walk;

static bool next_is_atomic(const sql_file *f, size_t i)
{
    while (++i < f->ntokens && is_comment(&f->tokens[i]))
        ;
    return i < f->ntokens && f->tokens[i].pg_token == PG_QUERY__TOKEN__ATOMIC;
}

/* Walks the tokens before offset and says whether offset lies inside a
 * BEGIN ATOMIC body. pg_query_split_with_scanner cuts at every ';', those
 * of such a body too (PostgreSQL 14's SQL-standard routine bodies); psql
 * follows the body the same way, so that its ';'s do not end the
 * statement. Nothing else nests: BEGIN ATOMIC is only a routine's body. */
static bool atomic_inside(const sql_file *f, atomic_walk *w, size_t offset)
{
    for (; w->tok < f->ntokens && f->tokens[w->tok].start < offset; w->tok++) {
        int k = f->tokens[w->tok].pg_token;
        if (k == PG_QUERY__TOKEN__BEGIN_P && !w->depth && next_is_atomic(f, w->tok))
            w->depth = 1;
        else if (k == PG_QUERY__TOKEN__CASE && w->depth)
            w->depth++;
        else if (k == PG_QUERY__TOKEN__END_P && w->depth)
            w->depth--;
    }
    return w->depth > 0;
}

/* Parses the first n statements of a split result, and whatever the
 * splitter skipped between them (up to `to` after the last one). A piece
 * that ends inside a BEGIN ATOMIC body runs on to the end of the body. */
static void parse_pieces(struct parse_state *st, const char *text, size_t base, size_t to,
                         const PgQuerySplitResult *r, int n)
{
    size_t prev = base;
    atomic_walk w = {first_token_from(st->f, base), 0};
    for (int i = 0; i < n; i++) {
        size_t loc = base + (size_t)r->stmts[i]->stmt_location;
        size_t end = loc + (size_t)r->stmts[i]->stmt_len;
        while (i + 1 < n && atomic_inside(st->f, &w, end)) {
            i++;
            end = base + (size_t)r->stmts[i]->stmt_location + (size_t)r->stmts[i]->stmt_len;
        }
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

/* A file with no tokens and no statements yet. *text is the range,
 * NUL-terminated: the source's own text when the range runs to its end (a
 * source's text is NUL-terminated), else a copy in *copy for the caller to
 * free. */
static sql_file *file_new(const source *src, size_t start, size_t end, const char **text,
                          char **copy)
{
    sql_used = true;
    sql_file *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->src = src;
    f->start = start;
    f->end = end;
    f->arena = arena_new();
    *copy = NULL;
    if (end == src->len) {
        *text = src->text + start;
    } else {
        *text = *copy = strndup(src->text + start, end - start);
        if (!*copy)
            abort();
    }
    return f;
}

/* A range longer than WINDOWED_FROM is parsed a window of statements at
 * a time, each window at least PARSE_WINDOW bytes. PostgreSQL's raw tree
 * of the whole range (about 19 bytes per byte of SQL, in blocks of up to
 * 8 MB) otherwise coexists with all the trees built from it: 17 MB of raw
 * tree for the bench's 877 KiB file. The window's size is what one window
 * costs while it is parsed (again) with the rest of the file's state
 * alive: its raw tree and its cJSON trees, about 40 bytes per byte of SQL;
 * peak RSS on that file is 20.0 MB with 64 KiB windows, 18.7 with 32, 17.9
 * with 16, 17.8 with 8 (docs/decisions.md, stream8). */
#define WINDOWED_FROM (64 * 1024)
#define PARSE_WINDOW  (16 * 1024)

/* The end of the window starting at token *tok, at offset from: just past
 * the first ';' outside parentheses at least PARSE_WINDOW bytes on, or `to`.
 * The tokens come from PostgreSQL's own scanner, so a ';' inside a string,
 * a dollar-quoted body or a comment is never a cut. */
static size_t window_end(const sql_file *f, size_t *tok, size_t from, size_t to)
{
    int depth = 0;
    atomic_walk w = {*tok, 0}; /* a window never starts inside a body */
    for (size_t i = *tok; i < f->ntokens && f->tokens[i].end <= to; i++) {
        const sql_token *t = &f->tokens[i];
        if (t->pg_token == '(')
            depth++;
        else if (t->pg_token == ')')
            depth--;
        else if (t->pg_token == ';' && depth <= 0 && t->end - from >= PARSE_WINDOW && t->end < to &&
                 !atomic_inside(f, &w, t->start)) {
            *tok = i + 1;
            return t->end;
        }
    }
    *tok = f->ntokens;
    return to;
}

static sql_window_observer window_observer;

void sql_set_window_observer(sql_window_observer fn)
{
    window_observer = fn;
}

/* The windows of a file parsed a window at a time (sql.h, sql_file_hold). */
typedef struct sql_window {
    size_t from, to;     /* its text */
    size_t first, count; /* its statements */
} sql_window;

struct sql_windows {
    size_t n, cap;
    size_t held; /* the window whose trees live, or n */
    arena *trees;
    /* MIGRALINT_DEBUG_WINDOWS: what sql_file_free reports (tests/t_large.sh) */
    size_t parses;    /* windows parsed, the first parse included */
    size_t most_held; /* the most statements with a live tree at once */
};

/* Read when a windowed file is freed, not cached: the parse-ahead thread
 * frees files too. */
static bool windows_debug(void)
{
    return getenv("MIGRALINT_DEBUG_WINDOWS") != NULL;
}

static void window_push(sql_file *f, size_t from, size_t to, size_t first, size_t count)
{
    struct sql_windows *ws = f->windows;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 16;
        ws = realloc(ws, sizeof *ws + ws->cap * sizeof(sql_window));
        if (!ws)
            abort();
        f->windows = ws;
    }
    ((sql_window *)(ws + 1))[ws->n++] = (sql_window){from, to, first, count};
}

static sql_window *window_at(const struct sql_windows *ws, size_t k)
{
    return (sql_window *)(ws + 1) + k;
}

void sql_file_release_window(const sql_file *cf)
{
    sql_file *f = (sql_file *)cf; /* the held window is a cache, not the file's content */
    struct sql_windows *ws = f ? f->windows : NULL;
    if (!ws || ws->held == ws->n)
        return;
    const sql_window *w = window_at(ws, ws->held);
    for (size_t i = w->first; i < w->first + w->count; i++)
        f->stmts[i].node = NULL;
    arena_free(ws->trees);
    ws->trees = NULL;
    ws->held = ws->n;
}

/* Parses window k again and gives its statements their trees: the same
 * text through the same parser gives the statements parse_windows found. */
static void window_load(sql_file *f, size_t k)
{
    struct sql_windows *ws = f->windows;
    const sql_window *w = window_at(ws, k);
    char *piece = strndup(f->src->text + w->from, w->to - w->from);
    if (!piece)
        abort();
    sql_used = true;
    PgQueryError *err = NULL;
    char *fail = NULL;
    ws->trees = arena_new();
    cJSON *tree = parse_tree(piece, w->from, ws->trees, &err, &fail);
    free(piece);
    size_t i = w->first, end = w->first + w->count;
    cJSON *raw;
    cJSON_ArrayForEach(raw, cJSON_GetObjectItemCaseSensitive(tree, "stmts"))
    {
        cJSON *wrapped = cJSON_GetObjectItemCaseSensitive(raw, "stmt");
        if (wrapped && wrapped->child && i < end)
            f->stmts[i++].node = wrapped->child;
    }
    if (err || i != end) /* it parsed a moment ago */
        abort();
    ws->held = k;
    ws->parses++;
    if (w->count > ws->most_held)
        ws->most_held = w->count;
}

void sql_file_hold_window(const sql_file *cf, size_t i)
{
    sql_file *f = (sql_file *)cf;
    struct sql_windows *ws = f->windows;
    if (!ws || i >= f->nstmts)
        return;
    if (ws->held < ws->n) {
        const sql_window *w = window_at(ws, ws->held);
        if (i >= w->first && i < w->first + w->count)
            return;
    }
    size_t lo = 0, hi = ws->n; /* the last window starting at or before i */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (window_at(ws, mid)->first <= i)
            lo = mid;
        else
            hi = mid;
    }
    sql_file_release(f);
    window_load(f, lo);
}

/* Parses [start, end) window by window, each as sql_file_parse parses a
 * whole range. Windows that all parse give the statements, trees and
 * locations the whole range gives (it is the same `stmt ; stmt` list, cut
 * at its separators; locations are shifted to absolute offsets either way).
 * Each window's trees are parsed into an arena of their own and freed once
 * its statements are recorded (the first window's are kept: the first pass
 * over the file starts there); sql_file_hold parses a window again when a
 * pass needs its trees. So the file's trees never all live at once: for
 * the bench's 877 KiB file they were 22 MB, 25 times the file.
 * A window that fails (a syntax error, or a cut PostgreSQL's grammar does
 * not allow, inside BEGIN ATOMIC ... END) returns false with nothing kept,
 * and the caller parses the whole range as before. */
static bool parse_windows(struct parse_state *st, const char *text, size_t start, size_t end)
{
    sql_file *f = st->f;
    size_t tok = 0, from = start;
    f->windows = calloc(1, sizeof *f->windows);
    if (!f->windows)
        abort();
    while (from < end) {
        size_t cut = window_end(f, &tok, from, end);
        char *piece = NULL;
        if (cut < end && !(piece = strndup(text + (from - start), cut - from)))
            abort();
        PgQueryError *err = NULL;
        char *fail = NULL;
        arena *trees = arena_new();
        cJSON *tree = parse_tree(piece ? piece : text + (from - start), from, trees, &err, &fail);
        free(piece);
        if (!tree) {
            free_error(err);
            arena_free(trees);
            if (window_observer)
                window_observer(f, NULL);
            return false;
        }
        size_t first = st->stmts.count;
        add_tree_stmts(st, tree, from, cut, from);
        /* The kinds outlive the trees: they are the tree builder's string
         * literals (node_new in scripts/pg_query_tree.c keeps its key). */
        sql_stmt *stmts = st->stmts.items;
        for (size_t i = first; i < st->stmts.count && window_observer; i++)
            window_observer(f, &stmts[i]);
        window_push(f, from, cut, first, st->stmts.count - first);
        struct sql_windows *ws = f->windows;
        ws->parses++;
        if (ws->n == 1) {
            ws->trees = trees;
            ws->held = 0;
            ws->most_held = st->stmts.count - first;
        } else {
            for (size_t i = first; i < st->stmts.count; i++)
                stmts[i].node = NULL;
            arena_free(trees);
        }
        from = cut;
    }
    if (window_observer)
        window_observer(f, NULL);
    return true;
}

/* Forgets what parse_windows kept: its statements, the first window's
 * trees, and the file's arena, which held only what the observer kept. */
static void drop_windows(struct parse_state *st)
{
    st->stmts.count = 0;
    if (st->f->windows)
        arena_free(st->f->windows->trees);
    free(st->f->windows);
    st->f->windows = NULL;
    st->f->observed = NULL; /* in the arena */
    arena_free(st->f->arena);
    st->a = st->f->arena = arena_new();
}

/* The whole range parsed in one go, its tokens recorded as the parser
 * lexes them (scripts/pg_query_tokens.c): the same tokens a scan gives,
 * since a parse that succeeds has lexed all of the text. When it fails the
 * recorded tokens stop short and are dropped for a scan. */
static cJSON *parse_recording(sql_file *f, const char *text, size_t base)
{
    token_sink k = {f, 0, base};
    PgQueryError *err = NULL;
    char *fail = NULL;
    pg_query_tokens_record(take_token, &k);
    cJSON *tree = parse_tree(text, base, f->arena, &err, &fail);
    pg_query_tokens_record(NULL, NULL);
    free_error(err);
    if (tree)
        tokens_done(f, &k);
    else
        tokens_drop(f);
    return tree;
}

sql_file *sql_file_parse(const source *src, size_t start, size_t end)
{
    const char *text;
    char *copy;
    bool windowed = end - start > WINDOWED_FROM; /* cut at tokens: scanned first */
    sql_file *f = file_new(src, start, end, &text, &copy);
    struct parse_state st = {f, {NULL, 0, 0, sizeof(sql_stmt)}, f->arena};
    cJSON *tree = NULL;
    if (windowed) {
        scan_tokens(f, text, start);
        if (parse_windows(&st, text, start, end))
            goto done;
        drop_windows(&st);
        PgQueryError *err = NULL;
        char *fail = NULL;
        tree = parse_tree(text, start, f->arena, &err, &fail);
        free_error(err);
    } else if (!(tree = parse_recording(f, text, start))) {
        scan_tokens(f, text, start);
    }
    if (tree)
        add_tree_stmts(&st, tree, start, end, start);
    else
        parse_split(&st, text, start, end);
done:
    free(copy);
    vec_fit(&st.stmts);
    f->stmts = st.stmts.items;
    f->nstmts = st.stmts.count;
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
    const char *text;
    char *copy;
    sql_file *f = file_new(src, start, end, &text, &copy);
    scan_tokens(f, text, start);
    free(copy);
    return f;
}

void sql_file_free(sql_file *f)
{
    if (!f)
        return;
    /* The trees are in the arena (see parse_tree), or the held window's. */
    struct sql_windows *ws = f->windows;
    if (ws && windows_debug())
        fprintf(stderr,
                "migralint: debug: %s: %zu statements in %zu windows, %zu window parses, "
                "at most %zu statements with trees at once\n",
                f->src->path, f->nstmts, ws->n, ws->parses, ws->most_held);
    sql_file_release(f);
    free(ws);
    if (f->owned)
        mysql_file_release(f);
    free(f->stmts);
    free(f->tokens);
    arena_free(f->arena);
    free(f);
}
