/* code.h - code migrations: the SQL inside TypeORM, Knex, node-pg-migrate,
 * Alembic and Django migration files.
 *
 * A reader parses the host file with tree-sitter, finds its up and down
 * steps, and turns each into a virtual source: the SQL strings it sends and
 * a synthesized statement for each helper call that maps 1:1 to DDL
 * (Alembic's op.drop_column, Django's RemoveField...), every byte mapped
 * back into the host file so findings point at the string literal. Each
 * virtual source starts with an anchor newline mapped to the step itself
 * (the down() method, the irreversible RunPython), where step-level
 * findings such as missing-down and empty-down are reported.
 * docs/code-migrations.md describes what is read. */
#ifndef MIGRALINT_CODE_H
#define MIGRALINT_CODE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/source.h"
#include "../layout/layout.h"

typedef struct code_step {
    const source *src; /* virtual SQL; NULL when there is no such step */
    size_t nstmts;     /* SQL strings and helper calls read */
    bool partial;      /* it also does things migralint cannot read */
} code_step;

typedef struct code_migration {
    code_step up, down;
    bool has_down;       /* false: no down step, or one the framework refuses to run */
    bool down_derived;   /* the framework derives the down step (Django, node-pg-migrate
                            without exports.down): down.src is NULL */
    bool no_transaction; /* the file opts out of the framework's transaction */
    const char **notes;
    size_t nnotes;
    /* Alembic: revision and down_revision(s); Django: dependencies as
     * "app/0001_name". */
    const char *revision;
    const char **deps;
    size_t ndeps;
    const char *title; /* Alembic's docstring first line, when there is one */
} code_migration;

/* Reads host as a migration of fw (one of the five code frameworks). app is
 * the Django app label (the folder above migrations/), NULL otherwise.
 * Returns false when the file is not such a migration (no up step found). */
bool code_read(arena *a, framework fw, const source *host, const char *app, code_migration *out);

/* Django: the migration state shared by the files of one project, read
 * in dependency order with code_read_django_in (code_read gives each file
 * a state of its own). */
typedef struct dj_state dj_state;
dj_state *code_django_state_new(arena *a);
bool code_read_django_in(arena *a, const source *host, const char *app, dj_state *st,
                         code_migration *out);

/* Django settings that change what migrations create, for the Django
 * reader and extractor (set by drift's discovery from the project's
 * settings; defaults "auth.User" and "BigAutoField"). default_auto_field
 * is the class name ("AutoField", "BigAutoField"); NULL keeps a value.
 * app: an AppConfig.default_auto_field for that app label. */
void code_django_settings(const char *auth_user_model, const char *default_auto_field);
void code_django_app_auto_field(const char *app, const char *default_auto_field);
const char *code_django_auth_user_model(void);
const char *code_django_default_auto_field(void);
const char *code_django_app_default_auto_field(const char *app);

#endif
