/* read.c - code_read(), the entry point of the code-migration readers:
 * which reader reads a framework's file. It sits on top of the readers
 * (js.c, alembic.c, django.c) and calls down only; what they share is
 * below them in code.c. */
#include "dj_state.h"
#include "internal.h"

bool code_read(arena *a, framework fw, const source *host, const char *app, code_migration *out)
{
    memset(out, 0, sizeof *out);
    code_ctx c = {.a = a, .fw = fw, .host = host, .app = app, .out = out, .lang = CODE_JS};
    switch (fw) {
    case FW_TYPEORM:
    case FW_KNEX:
    case FW_NODE_PG_MIGRATE:
        return code_read_js(&c);
    case FW_ALEMBIC:
        c.lang = CODE_PY;
        return code_read_alembic(&c);
    case FW_DJANGO:
        return code_read_django_in(a, host, app, NULL, out);
    default:
        return false;
    }
}

dj_state *code_django_state_new(arena *a)
{
    return dj_state_new(a);
}

bool code_read_django_in(arena *a, const source *host, const char *app, dj_state *st,
                         code_migration *out)
{
    memset(out, 0, sizeof *out);
    code_ctx c = {.a = a, .fw = FW_DJANGO, .host = host, .app = app, .out = out, .lang = CODE_PY};
    c.dj = st ? st : dj_state_new(a);
    return code_read_django(&c);
}
