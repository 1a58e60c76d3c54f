/* lex.c - MySQL's lexical rules, for splitting a file into statements and
 * for the clauses the tree-sitter grammar does not read (see mysql.h).
 *
 * tree-sitter's own tokens cannot do this job: its error recovery drops the
 * tokens of a statement it does not understand and runs on into the next
 * one, so the file is split first with these tokens and each statement is
 * given to tree-sitter on its own. */
#include "mysql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct lexer {
    const char *text;
    size_t pos, end;
    char delim[16]; /* DELIMITER's, when not ";" (else empty) */
    sql_token *toks;
    size_t n, cap;
} lexer;

static void push(lexer *lx, size_t start, sql_token_kind kind, int pg)
{
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 64;
        lx->toks = realloc(lx->toks, lx->cap * sizeof *lx->toks);
        if (!lx->toks)
            abort();
    }
    lx->toks[lx->n++] = (sql_token){start, lx->pos, kind, pg};
}

static bool is_word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* A quoted run ending at the quote q; a doubled quote is one character, and
 * in strings a backslash escapes the next byte. Unterminated: to the end. */
static void skip_quoted(lexer *lx, char q, bool backslash)
{
    lx->pos++;
    while (lx->pos < lx->end) {
        char c = lx->text[lx->pos];
        if (backslash && c == '\\' && lx->pos + 1 < lx->end) {
            lx->pos += 2;
        } else if (c == q) {
            lx->pos++;
            if (lx->pos < lx->end && lx->text[lx->pos] == q) {
                lx->pos++;
                continue;
            }
            return;
        } else {
            lx->pos++;
        }
    }
}

static bool at_delim(const lexer *lx)
{
    size_t n = strlen(lx->delim);
    return n && lx->pos + n <= lx->end && !strncmp(lx->text + lx->pos, lx->delim, n);
}

static void skip_line(lexer *lx)
{
    while (lx->pos < lx->end && lx->text[lx->pos] != '\n')
        lx->pos++;
}

/* "--" starts a comment only when a space or control character follows;
 * drizzle-kit's "--> statement-breakpoint" lines are comments too (drizzle
 * splits the file there and never sends them). */
static bool dash_comment(const lexer *lx)
{
    const char *s = lx->text + lx->pos;
    if (lx->pos + 1 >= lx->end || s[0] != '-' || s[1] != '-')
        return false;
    if (lx->pos + 2 >= lx->end || (unsigned char)s[2] <= ' ')
        return true;
    if (s[2] != '>')
        return false;
    for (size_t i = lx->pos; i > 0 && lx->text[i - 1] != '\n'; i--)
        if (lx->text[i - 1] != ' ' && lx->text[i - 1] != '\t')
            return lx->text[i - 1] == ';'; /* "...;--> statement-breakpoint" */
    return true;
}

static void lex_number(lexer *lx)
{
    while (lx->pos < lx->end &&
           (isalnum((unsigned char)lx->text[lx->pos]) || lx->text[lx->pos] == '.'))
        lx->pos++;
}

static const char *const two_char_ops[] = {"<=", ">=", "<>", "!=", ":=", "||",
                                           "&&", "->", "<<", ">>", NULL};

static void lex_punct(lexer *lx)
{
    size_t start = lx->pos;
    const char *s = lx->text + lx->pos;
    if (lx->pos + 2 < lx->end && !strncmp(s, "->>", 3)) {
        lx->pos += 3;
    } else {
        lx->pos++;
        for (const char *const *op = two_char_ops; *op && lx->pos < lx->end; op++)
            if (s[0] == (*op)[0] && s[1] == (*op)[1]) {
                lx->pos++;
                break;
            }
    }
    push(lx, start, SQL_TOK_PUNCT, lx->pos - start == 1 ? (unsigned char)s[0] : 0);
}

/* DELIMITER x at the start of a line: the client's statement terminator
 * becomes x until the next DELIMITER line. Emits the word and the
 * delimiter (MYSQL_TOK_DELIMITER_DEF), and remembers it. */
static bool lex_delimiter_line(lexer *lx)
{
    const char *s = lx->text + lx->pos;
    if (lx->end - lx->pos < 10 || strncasecmp(s, "DELIMITER", 9) || (s[9] != ' ' && s[9] != '\t'))
        return false;
    for (size_t i = lx->pos; i > 0 && lx->text[i - 1] != '\n'; i--)
        if (lx->text[i - 1] != ' ' && lx->text[i - 1] != '\t')
            return false;
    size_t start = lx->pos;
    lx->pos += 9;
    push(lx, start, SQL_TOK_IDENT, 0);
    while (lx->pos < lx->end && (lx->text[lx->pos] == ' ' || lx->text[lx->pos] == '\t'))
        lx->pos++;
    start = lx->pos;
    while (lx->pos < lx->end && !isspace((unsigned char)lx->text[lx->pos]))
        lx->pos++;
    size_t n = lx->pos - start;
    push(lx, start, SQL_TOK_OTHER, MYSQL_TOK_DELIMITER_DEF);
    lx->delim[0] = '\0';
    if (n && n < sizeof lx->delim && !(n == 1 && lx->text[start] == ';')) {
        memcpy(lx->delim, lx->text + start, n);
        lx->delim[n] = '\0';
    }
    return true;
}

static void lex_one(lexer *lx)
{
    if (lex_delimiter_line(lx))
        return;
    if (at_delim(lx)) {
        size_t start = lx->pos;
        lx->pos += strlen(lx->delim);
        push(lx, start, SQL_TOK_PUNCT, MYSQL_TOK_DELIMITER);
        return;
    }
    size_t start = lx->pos;
    unsigned char c = (unsigned char)lx->text[lx->pos];
    if (c == '#' || dash_comment(lx)) {
        skip_line(lx);
        push(lx, start, SQL_TOK_COMMENT, 0);
    } else if (c == '/' && lx->pos + 1 < lx->end && lx->text[lx->pos + 1] == '*') {
        const char *close = NULL;
        for (size_t i = lx->pos + 2; i + 1 < lx->end; i++)
            if (lx->text[i] == '*' && lx->text[i + 1] == '/') {
                close = lx->text + i;
                break;
            }
        lx->pos = close ? (size_t)(close - lx->text) + 2 : lx->end;
        push(lx, start, SQL_TOK_BLOCK_COMMENT, 0);
    } else if (c == '\'' || c == '"') {
        skip_quoted(lx, (char)c, true);
        push(lx, start, SQL_TOK_STRING, 0);
    } else if (c == '`') {
        skip_quoted(lx, '`', false);
        push(lx, start, SQL_TOK_IDENT, 0);
    } else if (isdigit(c) || (c == '.' && lx->pos + 1 < lx->end &&
                              isdigit((unsigned char)lx->text[lx->pos + 1]))) {
        lex_number(lx);
        push(lx, start, SQL_TOK_OTHER, 0);
    } else if (is_word_byte(c) || c == '@') {
        while (lx->pos < lx->end && (lx->text[lx->pos] == '@' || lx->text[lx->pos] == '.'))
            lx->pos++; /* @var, @@session.name: one token */
        while (lx->pos < lx->end && is_word_byte((unsigned char)lx->text[lx->pos]) &&
               !at_delim(lx)) /* END$$ */
            lx->pos++;
        if (c == '@')
            while (lx->pos < lx->end &&
                   (lx->text[lx->pos] == '.' || is_word_byte((unsigned char)lx->text[lx->pos])))
                lx->pos++;
        push(lx, start, SQL_TOK_IDENT, 0);
    } else {
        lex_punct(lx);
    }
}

sql_token *mysql_lex(const char *text, size_t start, size_t end, size_t *n)
{
    lexer lx = {text, start, end, "", NULL, 0, 0};
    while (lx.pos < lx.end) {
        if (isspace((unsigned char)text[lx.pos])) {
            lx.pos++;
            continue;
        }
        lex_one(&lx);
    }
    *n = lx.n;
    return lx.toks;
}
