/* pg_query_tokens.c - PostgreSQL's scanner in one pass, token by token.
 *
 * Not part of migralint's own build: scripts/setup.sh compiles it with
 * libpg_query's flags and internal headers and adds it to libpg_query.a.
 * pg_query_scan() lexes its input twice, mallocs a struct per token and
 * packs them all into a protobuf message that src/sql/sql.c then read back:
 * 268 M instructions of a 1,658 M check of the bench corpus. This hands the
 * same tokens (start, end, token number, keyword kind, computed by
 * pg_query_scan's own rules below) to a callback in one pass, with the
 * same memory context and error handling.
 *
 * It also records the tokens of a raw parse as the parser lexes them, so a
 * file whose parse succeeds needs no second scan: setup.sh renames the
 * parser's (parser.o's base_yylex) calls of core_yylex to
 * pg_query_tokens_core_yylex below, which passes every token through and,
 * while pg_query_tokens_record has a callback set on this thread, hands it
 * over as pg_query_scan_tokens would. The grammar's filter sees comments
 * too (it skips them itself) and lexes each token once (its lookahead is
 * kept, not lexed again), so the calls give exactly the scan's tokens. */
#include "pg_query.h"
#include "pg_query_internal.h"

#include "gramparse.h"

/* pg_query_scan.c reads yyleng through the same cast of flex's state. */
struct yyguts_t {
    void *yyextra_r;
    FILE *yyin_r, *yyout_r;
    size_t yy_buffer_stack_top;
    size_t yy_buffer_stack_max;
    struct yy_buffer_state *yy_buffer_stack;
    char yy_hold_char;
    size_t yy_n_chars;
    size_t yyleng_r;
};

typedef void (*pg_query_token_fn)(void *ud, int start, int end, int token, int keyword_kind);

static int keyword_kind_of(int tok)
{
    switch (tok) {
#define PG_KEYWORD(a, b, c, d)                                                                     \
    case b:                                                                                        \
        return c + 1;
#include "parser/kwlist.h"
#undef PG_KEYWORD
    default:
        return 0;
    }
}

/* Where the token just lexed ends, by pg_query_scan's rule: the scanner's
 * own end for the tokens whose text it rewrote, else start plus length. */
static int token_end(int tok, int start, core_yyscan_t yyscanner)
{
    struct yyguts_t *g = (struct yyguts_t *)yyscanner;
    if (tok == SCONST || tok == USCONST || tok == BCONST || tok == XCONST || tok == IDENT ||
        tok == UIDENT || tok == C_COMMENT)
        return ((core_yy_extra_type *)g->yyextra_r)->yyllocend;
    return start + (int)g->yyleng_r;
}

typedef struct token_recorder {
    pg_query_token_fn fn;
    void *ud;
} token_recorder;

/* Per thread: the parse-ahead worker parses beside the main thread. */
static __thread token_recorder recorder;

/* From now on this thread's raw parses hand their tokens to fn (NULL: no
 * longer). A parse that fails leaves part of the tokens given. */
void pg_query_tokens_record(pg_query_token_fn fn, void *ud)
{
    recorder.fn = fn;
    recorder.ud = ud;
}

/* The parser's core_yylex (setup.sh renames its calls to this). */
int pg_query_tokens_core_yylex(core_YYSTYPE *lvalp, YYLTYPE *llocp, core_yyscan_t yyscanner)
{
    int tok = core_yylex(lvalp, llocp, yyscanner);
    if (recorder.fn && tok != 0)
        recorder.fn(recorder.ud, *llocp, token_end(tok, *llocp, yyscanner), tok,
                    keyword_kind_of(tok));
    return tok;
}

/* Calls fn for every token of input, in order. Returns 0, or -1 after a
 * lexical error with *cursorpos set as pg_query_scan's error would have it
 * (the tokens given before the error are then to be dropped). */
int pg_query_scan_tokens(const char *input, pg_query_token_fn fn, void *ud, int *cursorpos)
{
    MemoryContext ctx = pg_query_enter_memory_context();
    MemoryContext parse_context = CurrentMemoryContext;
    int rc = 0;
    PG_TRY();
    {
        core_yy_extra_type yyextra;
        core_YYSTYPE yylval;
        YYLTYPE yylloc;
        core_yyscan_t yyscanner = scanner_init(input, &yyextra, &ScanKeywords, ScanKeywordTokens);
        for (;;) {
            int tok = core_yylex(&yylval, &yylloc, yyscanner);
            if (tok == 0)
                break;
            fn(ud, yylloc, token_end(tok, yylloc, yyscanner), tok, keyword_kind_of(tok));
        }
        scanner_finish(yyscanner);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(parse_context);
        ErrorData *error_data = CopyErrorData();
        *cursorpos = error_data->cursorpos;
        rc = -1;
        FlushErrorState();
    }
    PG_END_TRY();
    pg_query_exit_memory_context(ctx);
    return rc;
}
