/* test_layout.c - framework detection and migration sets, on the realistic
 * folders under fixtures/layouts/<framework>/ (paths in them are what a
 * repository root would hold) and on small file sets written inline. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/core/arena.h"
#include "../../src/core/source.h"
#include "../../src/layout/internal.h"
#include "../../src/layout/layout.h"
#include "unit.h"

#define FSET_MAX 96

typedef struct fset {
    layout_file files[FSET_MAX];
    source *srcs[FSET_MAX];
    char *paths[FSET_MAX];
    size_t n;
    arena *a;
    migration_set set;
    layout_error err;
} fset;

static void fset_init(fset *f)
{
    memset(f, 0, sizeof *f);
    f->a = arena_new();
}

static void fset_free(fset *f)
{
    for (size_t i = 0; i < f->n; i++) {
        source_free(f->srcs[i]);
        free(f->paths[i]);
    }
    arena_free(f->a);
}

static void fset_addn(fset *f, const char *path, const char *text, size_t len)
{
    if (f->n == FSET_MAX)
        abort();
    f->paths[f->n] = strdup(path);
    f->srcs[f->n] = text ? source_new(path, text, len) : NULL;
    f->files[f->n].path = f->paths[f->n];
    f->files[f->n].src = f->srcs[f->n];
    f->n++;
}

/* text NULL: a file that could not be read. */
static void fset_add(fset *f, const char *path, const char *text)
{
    fset_addn(f, path, text, text ? strlen(text) : 0);
}

static void fset_read(fset *f, const char *fs_path, const char *rel)
{
    FILE *fp = fopen(fs_path, "rb");
    if (!fp)
        return;
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 > cap)
            buf = realloc(buf, cap = cap * 2 + 4096);
        got = fread(buf + len, 1, cap - len, fp);
        len += got;
    } while (got > 0);
    fclose(fp);
    fset_addn(f, rel, buf, len);
    free(buf);
}

/* Adds every file under root/sub with its path relative to root. */
static void fset_walk(fset *f, const char *root, const char *sub)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s%s%s", root, *sub ? "/" : "", sub);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char rel[1024], full[2048];
        snprintf(rel, sizeof rel, "%s%s%s", sub, *sub ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, rel);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            fset_walk(f, root, rel);
        else
            fset_read(f, full, rel);
    }
    closedir(d);
}

static void fset_fixture(fset *f, const char *name)
{
    const char *fixtures = getenv("FIXTURES");
    char root[1024];
    snprintf(root, sizeof root, "%s/layouts/%s", fixtures ? fixtures : "fixtures", name);
    fset_walk(f, root, "");
}

static bool fset_build(fset *f, const char *dir, framework fw)
{
    return layout_build(f->a, dir, f->files, f->n, fw, &f->set, &f->err);
}

static const char *text_of(fset *f, mig_part p)
{
    if (!p.src)
        return "(unread)";
    return arena_strndup(f->a, p.src->text + p.start, p.end - p.start);
}

static const char *up_text(fset *f, size_t k)
{
    return k < f->set.count ? text_of(f, f->set.items[k].up[0]) : "(none)";
}

static const char *down_text(fset *f, size_t k)
{
    return k < f->set.count ? text_of(f, f->set.items[k].down) : "(none)";
}

static const char *field(fset *f, size_t k, int which)
{
    if (k >= f->set.count)
        return "(none)";
    const migration *m = &f->set.items[k];
    return which == 0 ? m->version : which == 1 ? m->name : m->path;
}
#define VERSION(f, k) field(f, k, 0)
#define NAME(f, k)    field(f, k, 1)
#define PATH(f, k)    field(f, k, 2)

/* Item k, or an all-false stand-in so a short set fails checks, not the run. */
static const migration *item(const fset *f, size_t k)
{
    static const migration none;
    return k < f->set.count ? &f->set.items[k] : &none;
}

static const char *stray(fset *f, size_t k)
{
    return k < f->set.nstray ? f->set.stray[k]->path : "(none)";
}

static bool has(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle);
}

/* Refusal i of item k (see mig_refusal), or an empty stand-in. */
static const mig_refusal *refusal(const fset *f, size_t k, size_t i)
{
    static const mig_refusal none = {NULL, 0, 0, "", ""};
    return k < f->set.count && i < f->set.items[k].nrefusals ? &f->set.items[k].refusals[i] : &none;
}

static void test_golang_migrate(void)
{
    TEST("layout: golang-migrate folder, pairs and numeric order")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "golang-migrate");
        CHECK(fset_build(&f, "migrations", FW_COUNT));
        CHECK_INT(FW_GOLANG_MIGRATE, f.set.fw);
        CHECK_STR("migrations", f.set.dir);
        CHECK_INT(4, f.set.count);
        CHECK_STR("000001", VERSION(&f, 0));
        CHECK_STR("create_users_table", NAME(&f, 0));
        CHECK_STR("migrations/000001_create_users_table.up.sql", PATH(&f, 0));
        CHECK_STR("DROP TABLE IF EXISTS users;\n", down_text(&f, 0));
        CHECK(has(up_text(&f, 1), "CREATE TYPE enum_mood"));
        CHECK_STR("add_users_email_index", NAME(&f, 2));
        CHECK(item(&f, 2)->has_down);
        CHECK_STR("", down_text(&f, 2)); /* an empty down file is still a down step */
        CHECK_STR("drop_password", NAME(&f, 3));
        CHECK(!item(&f, 3)->has_down);
        for (size_t k = 0; k < f.set.count; k++) {
            CHECK(!item(&f, k)->transactional);
            CHECK(item(&f, k)->implicit_tx);
        }
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("migrations/000005_orphan.down.sql", stray(&f, 0));
        CHECK(has(f.set.stray_why[0], "without 000005_orphan.up.sql"));
        fset_free(&f);
    }
    TEST("layout: golang-migrate versions order as numbers, not text")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "db/100_c.up.sql", "SELECT 100;");
        fset_add(&f, "db/9_a.up.sql", "SELECT 9;");
        fset_add(&f, "db/10_b.up.sql", "SELECT 10;");
        fset_add(&f, "db/10_b.down.sql", "SELECT -10;");
        fset_add(&f, "db/add_things.sql", "SELECT 0;");
        CHECK(fset_build(&f, "db", FW_COUNT));
        CHECK_INT(3, f.set.count);
        CHECK_STR("9", VERSION(&f, 0));
        CHECK_STR("10", VERSION(&f, 1));
        CHECK_STR("100", VERSION(&f, 2));
        CHECK_STR("SELECT -10;", down_text(&f, 1));
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("db/add_things.sql", stray(&f, 0));
        CHECK(has(f.set.stray_why[0], "golang-migrate"));
        fset_free(&f);
    }
}

static void test_goose(void)
{
    TEST("layout: goose folder, annotations, NO TRANSACTION, Go migrations")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "goose");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(FW_GOOSE, f.set.fw);
        CHECK_INT(5, f.set.count); /* the .go migration is not linted */
        CHECK_STR("20240105093000", VERSION(&f, 0));
        CHECK_STR("create_users", NAME(&f, 0));
        CHECK(has(up_text(&f, 0), "-- +goose StatementBegin\nCREATE TABLE users ("));
        CHECK(has(up_text(&f, 0), "-- +goose StatementEnd\n\n"));
        CHECK(!has(up_text(&f, 0), "+goose Down"));
        CHECK_STR("-- +goose StatementBegin\nDROP TABLE users;\n-- +goose StatementEnd\n",
                  down_text(&f, 0));
        CHECK(item(&f, 0)->transactional);
        CHECK(!item(&f, 0)->implicit_tx);
        /* NO TRANSACTION above Up */
        CHECK_STR("add_users_email_index", NAME(&f, 1));
        CHECK(!item(&f, 1)->transactional);
        CHECK(!item(&f, 1)->down_transactional);
        CHECK_STR("CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);\n\n",
                  up_text(&f, 1));
        CHECK_STR("DROP INDEX CONCURRENTLY users_email_idx;\n", down_text(&f, 1));
        CHECK_STR("add_touch_trigger", NAME(&f, 2));
        CHECK(has(up_text(&f, 2), "$$ LANGUAGE plpgsql;\n-- +goose StatementEnd\nALTER TABLE"));
        /* no Down annotation at all */
        CHECK_STR("drop_legacy_sessions", NAME(&f, 3));
        CHECK(!item(&f, 3)->has_down);
        CHECK_STR("DROP TABLE legacy_sessions;\n", up_text(&f, 3));
        /* a Down section with only a comment: present, the rules judge it empty */
        CHECK(item(&f, 4)->has_down);
        CHECK_STR("-- nothing to undo: the column is harmless\n", down_text(&f, 4));
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("db/migrations/seed_dev_users.sql", stray(&f, 0));
        fset_free(&f);
    }
    TEST("layout: goose with CRLF lines and case-insensitive annotations")
    {
        fset f;
        fset_init(&f);
        fset_add(
            &f, "m/00001_a.sql",
            "-- +goose up\r\nCREATE TABLE a (id int);\r\n--  +goose   DOWN\r\nDROP TABLE a;\r\n");
        fset_add(&f, "m/00002_b.sql", "-- +goose Up\nSELECT 1;\n");
        CHECK(fset_build(&f, "m", FW_COUNT));
        CHECK_INT(FW_GOOSE, f.set.fw);
        CHECK_STR("CREATE TABLE a (id int);\r\n", up_text(&f, 0));
        CHECK_STR("DROP TABLE a;\r\n", down_text(&f, 0));
        CHECK_STR("00002", VERSION(&f, 1));
        fset_free(&f);
    }
    TEST("layout: goose files goose itself refuses are refusals, not errors")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "m/00001_a.sql", "-- +goose Up\nSELECT 1;\n");
        fset_add(&f, "m/00002_b.sql", "SELECT 2;\n-- +goose Down\nSELECT 3;\n");
        CHECK(fset_build(&f, "m", FW_COUNT));
        CHECK_INT(2, f.set.count);
        CHECK_INT(0, item(&f, 0)->nrefusals);
        CHECK_INT(1, item(&f, 1)->nrefusals);
        CHECK_STR("m/00002_b.sql", refusal(&f, 1, 0)->src ? refusal(&f, 1, 0)->src->path : "");
        CHECK(has(refusal(&f, 1, 0)->why, "no '-- +goose Up' annotation"));
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "m/00001_a.sql", "-- +goose Down\nSELECT 1;\n-- +goose Up\nSELECT 2;\n");
        CHECK(fset_build(&f, "m", FW_COUNT));
        CHECK_INT(1, refusal(&f, 0, 0)->line);
        CHECK(has(refusal(&f, 0, 0)->why, "comes before '-- +goose Up' (line 3)"));
        CHECK_STR("SELECT 2;\n", up_text(&f, 0));
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "m/00001_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Up\n");
        CHECK(fset_build(&f, "m", FW_GOOSE));
        CHECK_INT(3, refusal(&f, 0, 0)->line);
        CHECK(has(refusal(&f, 0, 0)->why,
                  "a second '-- +goose Up' annotation (the first is on line 1)"));
        fset_free(&f);
    }
    TEST("layout: an unreadable goose file stays listed with unknown parts")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "m/00001_a.sql", "-- +goose Up\nSELECT 1;\n");
        fset_add(&f, "m/00002_big.sql", NULL);
        CHECK(fset_build(&f, "m", FW_COUNT));
        CHECK_INT(2, f.set.count);
        CHECK_STR("big", NAME(&f, 1));
        CHECK(item(&f, 1)->up[0].src == NULL);
        CHECK(item(&f, 1)->has_down); /* unknown: missing-down must not guess */
        fset_free(&f);
    }
}

static void test_dbmate(void)
{
    TEST("layout: dbmate folder, blocks and transaction:false per block")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "dbmate");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(FW_DBMATE, f.set.fw);
        CHECK_INT(3, f.set.count);
        CHECK_STR("20240105093000", VERSION(&f, 0));
        CHECK_STR("create_users", NAME(&f, 0));
        CHECK(has(up_text(&f, 0), "create table users ("));
        CHECK(!has(up_text(&f, 0), "migrate:"));
        CHECK_STR("drop table users;\n\n", down_text(&f, 0));
        CHECK(item(&f, 0)->transactional);
        CHECK(!item(&f, 1)->transactional);
        CHECK(!item(&f, 1)->down_transactional);
        CHECK(item(&f, 1)->implicit_tx);
        CHECK_STR("create index concurrently users_email_idx on users (email);\n\n",
                  up_text(&f, 1));
        CHECK(item(&f, 2)->has_down);
        CHECK_STR("\n", down_text(&f, 2));
        CHECK_INT(0, f.set.nstray); /* db/schema.sql is outside the folder */
        fset_free(&f);
    }
    TEST("layout: dbmate files dbmate refuses are refusals with file and line")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "db/migrations/20240101000000_a.sql",
                 "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        fset_add(&f, "db/migrations/20240102000000_b.sql",
                 "-- a comment\n-- migrate:up\nCREATE TABLE b (id int);\n");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(2, f.set.count);
        CHECK_INT(0, item(&f, 0)->nrefusals);
        CHECK_INT(2, refusal(&f, 1, 0)->line);
        CHECK(has(refusal(&f, 1, 0)->why, "no '-- migrate:down'"));
        CHECK(has(refusal(&f, 1, 0)->why, "dbmate requires each migration to define a down block"));
        CHECK_STR("CREATE TABLE b (id int);\n", up_text(&f, 1));
        CHECK(item(&f, 1)->down_partial); /* no down block known: nothing to judge */
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "db/migrations/20240101000000_a.sql", "CREATE TABLE a (id int);\n");
        CHECK(fset_build(&f, "db/migrations", FW_DBMATE));
        CHECK_INT(1, refusal(&f, 0, 0)->line);
        CHECK(has(refusal(&f, 0, 0)->why, "no '-- migrate:up' line"));
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "db/migrations/20240101000000_a.sql",
                 "SET search_path = app;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(1, refusal(&f, 0, 0)->line);
        CHECK(has(refusal(&f, 0, 0)->why, "a statement before '-- migrate:up' (line 2)"));
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "db/migrations/20240101000000_a.sql",
                 "-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(1, refusal(&f, 0, 0)->line);
        CHECK(has(refusal(&f, 0, 0)->why, "requires '-- migrate:up' to appear before"));
        fset_free(&f);

        /* Indented: dbmate's marker regexp is anchored at the line start. */
        fset_init(&f);
        fset_add(&f, "db/migrations/20240101000000_a.sql",
                 "-- migrate:up\nCREATE TABLE a (id int);\n\n  -- migrate:down\nDROP TABLE a;\n");
        CHECK(fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_INT(4, refusal(&f, 0, 0)->line);
        CHECK_INT(3, refusal(&f, 0, 0)->col);
        CHECK(has(refusal(&f, 0, 0)->why, "is indented"));
        CHECK_STR("CREATE TABLE a (id int);\n\n", up_text(&f, 0));
        CHECK_STR("DROP TABLE a;\n", down_text(&f, 0));
        fset_free(&f);
    }
}

static void test_flyway(void)
{
    TEST("layout: Flyway versions, undo, repeatables and script configuration")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "flyway");
        const char *dir = "src/main/resources/db/migration";
        CHECK(fset_build(&f, dir, FW_COUNT));
        CHECK_INT(FW_FLYWAY, f.set.fw);
        CHECK_INT(8, f.set.count);
        const char *want[] = {"1", "1.1", "1.9", "1.10", "2.1", "3", "", ""};
        for (size_t k = 0; k < 8; k++)
            CHECK_STR(want[k], VERSION(&f, k));
        CHECK_STR("create_users", NAME(&f, 0));
        CHECK(item(&f, 0)->transactional);
        CHECK(!item(&f, 0)->has_down);
        CHECK(item(&f, 2)->has_down);
        CHECK_STR("DROP TABLE orders;\n", down_text(&f, 2));
        CHECK_STR("add_orders_user_index", NAME(&f, 4)); /* V2_1 is version 2.1 */
        CHECK(!item(&f, 4)->transactional);              /* its .sql.conf */
        CHECK(!item(&f, 5)->transactional);              /* -- flyway: comment */
        CHECK(item(&f, 6)->repeatable);
        CHECK_STR("active_users", NAME(&f, 6));
        CHECK_STR("user_order_totals", NAME(&f, 7));
        CHECK_STR("src/main/resources/db/migration/views/R__user_order_totals.sql", PATH(&f, 7));
        CHECK_INT(2, f.set.nstray);
        for (size_t k = 0; k < f.set.nstray; k++) {
            if (has(stray(&f, k), "U7__"))
                CHECK(has(f.set.stray_why[k], "without a V7__ migration"));
            else
                CHECK(has(stray(&f, k), "v4__lowercase_prefix.sql"));
        }
        fset_free(&f);
    }
    TEST("layout: version comparison per framework")
    {
        CHECK(layout_version_cmp(FW_FLYWAY, "1.10", "1.9") > 0);
        CHECK(layout_version_cmp(FW_FLYWAY, "1.9", "1.10") < 0);
        CHECK_INT(0, layout_version_cmp(FW_FLYWAY, "1_1", "1.1"));
        CHECK_INT(0, layout_version_cmp(FW_FLYWAY, "1", "1.0.0"));
        CHECK(layout_version_cmp(FW_FLYWAY, "2", "1.999") > 0);
        CHECK_INT(0, layout_version_cmp(FW_GOOSE, "0003", "3"));
        CHECK(layout_version_cmp(FW_GOLANG_MIGRATE, "20240101120000", "9") > 0);
        CHECK(layout_version_cmp(FW_DBMATE, "20240101120000", "20240101120001") < 0);
        CHECK(layout_version_cmp(FW_SQITCH, "2014-01-02T00:01:50Z", "2013-12-31T01:11:28Z") > 0);
    }
}

static void test_sqitch(void)
{
    TEST("layout: sqitch plan order, reworked changes, missing revert")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "sqitch");
        CHECK(fset_build(&f, "db", FW_COUNT));
        CHECK_INT(FW_SQITCH, f.set.fw);
        CHECK_INT(5, f.set.count);
        const char *names[] = {"appschema", "users", "insert_user", "change_pass", "insert_user"};
        for (size_t k = 0; k < 5; k++)
            CHECK_STR(names[k], NAME(&f, k));
        CHECK_STR("2013-12-30T23:19:35Z", VERSION(&f, 0));
        CHECK_STR("db/deploy/appschema.sql", PATH(&f, 0));
        CHECK(has(up_text(&f, 0), "CREATE SCHEMA flipr;"));
        CHECK(has(down_text(&f, 0), "DROP SCHEMA flipr;"));
        CHECK_STR("db/deploy/insert_user@v1.0.0-dev2.sql", PATH(&f, 2));
        CHECK(has(up_text(&f, 2), "md5($2)"));
        CHECK_STR("db/deploy/insert_user.sql", PATH(&f, 4));
        CHECK(has(up_text(&f, 4), "crypt($2"));
        CHECK(has(down_text(&f, 4), "md5($2)"));
        CHECK(!item(&f, 3)->has_down);
        CHECK(!item(&f, 0)->transactional); /* the scripts hold their own BEGIN/COMMIT */
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("db/deploy/flips.sql", stray(&f, 0));
        CHECK(has(f.set.stray_why[0], "sqitch.plan"));
        fset_free(&f);
    }
    TEST("layout: a sqitch project named by its deploy folder")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "sqitch");
        CHECK(fset_build(&f, "db/deploy", FW_COUNT));
        CHECK_INT(FW_SQITCH, f.set.fw);
        CHECK_STR("db", f.set.dir);
        CHECK_INT(5, f.set.count);
        fset_free(&f);
    }
    TEST("layout: a sqitch plan naming a change without deploy script")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "sqitch.plan",
                 "%syntax-version=1.0.0\n%project=x\n\n"
                 "a 2024-01-01T00:00:00Z Ann <ann@example.com> # first\n"
                 "b [a] 2024-01-02T00:00:00Z Ann <ann@example.com> # second\n");
        fset_add(&f, "deploy/a.sql", "BEGIN; CREATE TABLE a (); COMMIT;\n");
        CHECK(fset_build(&f, "", FW_COUNT));
        CHECK_INT(2, f.set.count);
        CHECK_STR("sqitch.plan", refusal(&f, 1, 0)->src ? refusal(&f, 1, 0)->src->path : "");
        CHECK_INT(5, refusal(&f, 1, 0)->line);
        CHECK(has(refusal(&f, 1, 0)->why, "change \"b\" has no deploy/b.sql"));
        fset_free(&f);
    }
}

static void test_diesel(void)
{
    TEST("layout: diesel folders, versions without dashes, metadata.toml")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "diesel");
        CHECK(fset_build(&f, "migrations", FW_COUNT));
        CHECK_INT(FW_DIESEL, f.set.fw);
        CHECK_INT(4, f.set.count);
        CHECK_STR("00000000000000", VERSION(&f, 0));
        CHECK_STR("diesel_initial_setup", NAME(&f, 0));
        CHECK_STR("20240105093000", VERSION(&f, 1));
        CHECK_STR("create_posts", NAME(&f, 1));
        CHECK_STR("migrations/2024-01-05-093000_create_posts", PATH(&f, 1));
        CHECK_STR("-- This file should undo anything in `up.sql`\nDROP TABLE posts\n",
                  down_text(&f, 1));
        CHECK(item(&f, 1)->transactional);
        CHECK(!item(&f, 2)->transactional);
        CHECK(!item(&f, 2)->down_transactional);
        CHECK(item(&f, 2)->implicit_tx);
        CHECK(!item(&f, 3)->has_down);
        CHECK_STR("ALTER TABLE posts DROP COLUMN body;\n", up_text(&f, 3));
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("migrations/2024-02-01-100000_drop_posts_body/notes.sql", stray(&f, 0));
        fset_free(&f);
    }
    TEST("layout: a diesel folder without up.sql is an error")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "migrations/2024-01-01-000000_a/up.sql", "SELECT 1;");
        fset_add(&f, "migrations/2024-01-02-000000_b/down.sql", "SELECT 2;");
        CHECK(!fset_build(&f, "migrations", FW_COUNT));
        CHECK_STR("migrations/2024-01-02-000000_b", f.err.path);
        CHECK(has(f.err.message, "without up.sql"));
        fset_free(&f);
    }
}

static void test_prisma(void)
{
    TEST("layout: Prisma folders, no down by design, implicit transaction")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "prisma");
        CHECK(fset_build(&f, "prisma/migrations", FW_COUNT));
        CHECK_INT(FW_PRISMA, f.set.fw);
        CHECK(!framework_has_down(FW_PRISMA));
        CHECK_INT(2, f.set.count);
        CHECK_STR("20240105093000", VERSION(&f, 0));
        CHECK_STR("init", NAME(&f, 0));
        CHECK_STR("prisma/migrations/20240105093000_init", PATH(&f, 0));
        CHECK(has(up_text(&f, 0), "CREATE TABLE \"User\""));
        CHECK(!item(&f, 0)->has_down);
        CHECK(!item(&f, 0)->transactional);
        CHECK(item(&f, 0)->implicit_tx);
        /* a recovery down.sql from `prisma migrate diff` is kept for checking */
        CHECK(item(&f, 1)->has_down);
        CHECK(has(down_text(&f, 1), "DROP TABLE \"Post\";"));
        CHECK_INT(0, f.set.nstray);
        fset_free(&f);
    }
}

static void test_drizzle(void)
{
    TEST("layout: Drizzle journal order, snapshots, a file the journal omits")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "drizzle");
        CHECK(fset_build(&f, "drizzle", FW_COUNT));
        CHECK_INT(FW_DRIZZLE, f.set.fw);
        CHECK_INT(2, f.set.count);
        CHECK_STR("0000", VERSION(&f, 0));
        CHECK_STR("careful_thor", NAME(&f, 0));
        CHECK_STR("slow_venom", NAME(&f, 1));
        CHECK(has(up_text(&f, 0), "--> statement-breakpoint\nCREATE UNIQUE INDEX"));
        CHECK(item(&f, 0)->transactional);
        CHECK(!item(&f, 0)->has_down);
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("drizzle/0002_wild_hulk.sql", stray(&f, 0));
        CHECK(has(f.set.stray_why[0], "not listed in meta/_journal.json"));
        fset_free(&f);
    }
    TEST("layout: Drizzle order comes from idx, not from file names")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "out/meta/_journal.json",
                 "{\"version\":\"7\",\"dialect\":\"postgresql\",\"entries\":["
                 "{\"idx\":1,\"when\":2,\"tag\":\"0000_later\",\"breakpoints\":true},"
                 "{\"idx\":0,\"when\":1,\"tag\":\"0001_first\",\"breakpoints\":true}]}");
        fset_add(&f, "out/0000_later.sql", "SELECT 2;");
        fset_add(&f, "out/0001_first.sql", "SELECT 1;");
        CHECK(fset_build(&f, "out", FW_COUNT));
        CHECK_STR("first", NAME(&f, 0));
        CHECK_STR("later", NAME(&f, 1));
        fset_free(&f);
    }
    TEST("layout: a Drizzle journal entry without its file is an error naming the tag")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "drizzle/meta/_journal.json",
                 "{\n  \"entries\": [\n    {\"idx\": 0, \"tag\": \"0000_init\"},\n"
                 "    {\"idx\": 1, \"tag\": \"0001_gone\"}\n  ]\n}\n");
        fset_add(&f, "drizzle/0000_init.sql", "CREATE TABLE t (id int);");
        CHECK(!fset_build(&f, "drizzle", FW_COUNT));
        CHECK_STR("drizzle/meta/_journal.json", f.err.path);
        CHECK_INT(4, f.err.line);
        CHECK(has(f.err.message, "\"0001_gone\""));
        CHECK(has(f.err.message, "0001_gone.sql does not exist"));
        fset_free(&f);

        fset_init(&f);
        fset_add(&f, "drizzle/meta/_journal.json", "{\n  \"entries\": [\n");
        CHECK(!fset_build(&f, "drizzle", FW_DRIZZLE));
        CHECK(has(f.err.message, "not valid JSON"));
        fset_free(&f);
    }
}

static void test_plain(void)
{
    TEST("layout: Supabase migrations, names the CLI skips are stray")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "supabase");
        CHECK(fset_build(&f, "supabase/migrations", FW_COUNT));
        CHECK_INT(FW_SUPABASE, f.set.fw);
        CHECK(!framework_has_down(FW_SUPABASE));
        CHECK_INT(2, f.set.count);
        CHECK_STR("20240105093000", VERSION(&f, 0));
        CHECK_STR("create_profiles", NAME(&f, 0));
        CHECK_STR("profiles_policies", NAME(&f, 1));
        CHECK(item(&f, 0)->transactional);
        CHECK_INT(1, f.set.nstray);
        CHECK_STR("supabase/migrations/add_avatar_bucket.sql", stray(&f, 0));
        fset_free(&f);
    }
    TEST("layout: a plain folder lists every .sql file in path order")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "plain");
        CHECK(fset_build(&f, "./sql/", FW_COUNT));
        CHECK_INT(FW_PLAIN, f.set.fw);
        CHECK_STR("sql", f.set.dir);
        CHECK_INT(4, f.set.count);
        CHECK_STR("001", VERSION(&f, 0));
        CHECK_STR("init", NAME(&f, 0));
        CHECK_STR("002", VERSION(&f, 1));
        CHECK_STR("add-accounts-name", NAME(&f, 1));
        CHECK_STR("sql/2024/010_archive.sql", PATH(&f, 2));
        CHECK_STR("", VERSION(&f, 3));
        CHECK_STR("views", NAME(&f, 3));
        CHECK(!item(&f, 0)->transactional);
        CHECK(!item(&f, 0)->has_down);
        CHECK_INT(0, f.set.nstray);
        fset_free(&f);
    }
    TEST("layout: a framework named in the configuration wins over detection")
    {
        fset f;
        fset_init(&f);
        fset_fixture(&f, "goose");
        CHECK(fset_build(&f, "db/migrations", FW_PLAIN));
        CHECK_INT(FW_PLAIN, f.set.fw);
        CHECK_INT(6, f.set.count);
        CHECK(has(up_text(&f, 0), "-- +goose Up"));
        fset_free(&f);
    }
}

static void test_detection(void)
{
    TEST("layout: golang-migrate and goose files in one folder are an error naming both")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "db/migrations/1_users.up.sql", "CREATE TABLE users (id int);");
        fset_add(&f, "db/migrations/1_users.down.sql", "DROP TABLE users;");
        fset_add(
            &f, "db/migrations/2_orders.sql",
            "-- +goose Up\nCREATE TABLE orders (id int);\n-- +goose Down\nDROP TABLE orders;\n");
        fset_add(&f, "db/migrations/3_plain.sql", "SELECT 1;");
        CHECK(!fset_build(&f, "db/migrations", FW_COUNT));
        CHECK_STR("db/migrations", f.err.path);
        CHECK(has(f.err.message, "several frameworks"));
        CHECK(has(f.err.message, "golang-migrate (1_users.up.sql, 1_users.down.sql)"));
        CHECK(has(f.err.message, "goose (2_orders.sql)"));
        CHECK(!has(f.err.message, "3_plain.sql"));
        fset_free(&f);
    }
    TEST("layout: long lists of mixed files are shortened")
    {
        fset f;
        fset_init(&f);
        char path[64];
        for (int i = 1; i <= 5; i++) {
            snprintf(path, sizeof path, "m/V%d__step.sql", i);
            fset_add(&f, path, "SELECT 1;");
        }
        fset_add(&f, "m/20240101000000_x.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
        CHECK(!fset_build(&f, "m", FW_COUNT));
        CHECK(has(f.err.message, "and 2 more)"));
        CHECK(has(f.err.message, "dbmate (20240101000000_x.sql)"));
        fset_free(&f);
    }
    TEST("layout: detection ignores files outside the folder and hidden files")
    {
        fset f;
        fset_init(&f);
        fset_add(&f, "other/1_x.up.sql", "SELECT 1;");
        fset_add(&f, "db/.wip/2_y.up.sql", "SELECT 1;");
        fset_add(&f, "db/20240101000000_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
        CHECK(fset_build(&f, "db", FW_COUNT));
        CHECK_INT(FW_DBMATE, f.set.fw);
        CHECK_INT(1, f.set.count);
        CHECK_INT(0, f.set.nstray);
        fset_free(&f);
    }
    TEST("layout: framework names round-trip")
    {
        for (int fw = 0; fw < FW_COUNT; fw++) {
            framework got = FW_COUNT;
            CHECK(framework_parse(framework_name((framework)fw), &got));
            CHECK_INT(fw, got);
        }
        framework got = FW_COUNT;
        CHECK(framework_parse("Golang-Migrate", &got));
        CHECK_INT(FW_GOLANG_MIGRATE, got);
        CHECK(framework_parse("migrate", &got));
        CHECK_INT(FW_GOLANG_MIGRATE, got);
        CHECK(!framework_parse("liquibase", &got));
        CHECK_STR("flyway", framework_name(FW_FLYWAY));
        CHECK(framework_has_down(FW_GOOSE));
        CHECK(!framework_has_down(FW_DRIZZLE));
        CHECK(!framework_has_down(FW_PLAIN));
    }
    TEST("layout: which files the layout needs the text of")
    {
        CHECK(layout_needs_text("db/migrations/1_a.up.sql"));
        CHECK(layout_needs_text("sqitch.plan"));
        CHECK(layout_needs_text("drizzle/meta/_journal.json"));
        CHECK(layout_needs_text("migrations/2024-01-01-000000_a/metadata.toml"));
        CHECK(layout_needs_text("db/migration/V1__a.sql.conf"));
        CHECK(!layout_needs_text("drizzle/meta/0000_snapshot.json"));
        CHECK(!layout_needs_text("db/migrations/00003_backfill.go"));
        CHECK(!layout_needs_text("prisma/migrations/migration_lock.toml"));
    }
    TEST("layout: an empty folder is a plain folder with nothing in it")
    {
        fset f;
        fset_init(&f);
        CHECK(fset_build(&f, "migrations", FW_COUNT));
        CHECK_INT(FW_PLAIN, f.set.fw);
        CHECK_INT(0, f.set.count);
        CHECK_INT(0, f.set.nstray);
        fset_free(&f);
    }
}

/* The hand-written golang-migrate name test gives PCRE2's answer and groups
 * on every name, the odd ones included. */
static void test_gm_name(void)
{
    TEST("layout: golang-migrate names without PCRE2 match as GM_FILE does")
    {
        static const char *const names[] = {"1_a.up.sql",
                                            "000001_create_users.up.sql",
                                            "20240101_x.down.sql",
                                            "1_.up.sql",
                                            "1_.down.sql",
                                            "1_up.sql",
                                            "1_a.up.sql.bak",
                                            "_a.up.sql",
                                            "a1_a.up.sql",
                                            "1a_b.up.sql",
                                            "12_a_b.c.up.sql",
                                            "3_a.up.down.sql",
                                            "3_a.down.up.sql",
                                            "1_a.UP.sql",
                                            "1_a.up.sql\n",
                                            "1_a\nb.up.sql",
                                            "1_a.up.sqlx",
                                            "1__.up.sql",
                                            "1",
                                            "1_",
                                            "",
                                            ".up.sql",
                                            "1_a.sql",
                                            "1_a.down.sq",
                                            "99999999999999999999_z.down.sql",
                                            "1_.up.sql.up.sql"};
        lctx c;
        memset(&c, 0, sizeof c);
        c.a = arena_new();
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            const char *s = names[i];
            size_t n = strlen(s);
            lre_match want, got;
            bool w = lre_find(&c, GM_FILE, s, n, &want), g = lay_gm_name(&c, s, n, &got);
            CHECK_INT(w, g);
            for (int k = 0; w && g && k < 4; k++) {
                CHECK_INT(want.start[k], got.start[k]);
                CHECK_INT(want.end[k], got.end[k]);
            }
            if (w != g)
                printf("  name: '%s'\n", s);
        }
        lctx_free(&c);
        arena_free(c.a);
    }
}

void unit_suite_layout(void)
{
    test_gm_name();
    test_golang_migrate();
    test_goose();
    test_dbmate();
    test_flyway();
    test_sqitch();
    test_diesel();
    test_prisma();
    test_drizzle();
    test_plain();
    test_detection();
}
