/* test_source.c - line/column mapping and input checks. */
#include "../../src/core/source.h"
#include "unit.h"

void unit_suite_source(void)
{
    TEST("source: columns count code points, CRLF and tabs")
    {
        const char text[] = "a\r\n\tb\xc3\xa9z\nlast";
        source *s = source_new("x.sql", text, sizeof text - 1);
        CHECK_INT(3, s->nlines);
        source_pos p = source_position(s, 0);
        CHECK_INT(1, p.line);
        CHECK_INT(1, p.col);
        p = source_position(s, 4); /* 'b' after the tab */
        CHECK_INT(2, p.line);
        CHECK_INT(2, p.col);
        p = source_position(s, 7); /* 'z' after the two-byte e-acute */
        CHECK_INT(4, p.col);
        size_t len;
        const char *line = source_line(s, 1, &len);
        CHECK_INT(1, len); /* the CR is not part of the line */
        CHECK(line[0] == 'a');
        source_free(s);
    }
    TEST("source: NUL bytes and invalid UTF-8 are found")
    {
        const char nul[] = "ab\0c";
        source *s = source_new("x.sql", nul, 4);
        size_t at = 0;
        CHECK(source_has_nul(s, &at));
        CHECK_INT(2, at);
        source_free(s);
        const char bad[] = "ok\xc3(";
        s = source_new("x.sql", bad, 4);
        CHECK(!source_valid_utf8(s, &at));
        CHECK_INT(2, at);
        source_free(s);
        const char overlong[] = "\xc0\xaf";
        s = source_new("x.sql", overlong, 2);
        CHECK(!source_valid_utf8(s, &at));
        source_free(s);
        const char good[] = "caf\xc3\xa9 \xf0\x9f\x90\x98";
        s = source_new("x.sql", good, sizeof good - 1);
        CHECK(source_valid_utf8(s, &at));
        source_free(s);
    }
}
