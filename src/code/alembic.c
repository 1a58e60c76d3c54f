/* alembic.c - Alembic revisions: module-level revision / down_revision,
 * `def upgrade()` and `def downgrade()`. op.execute (and .execute on a
 * connection) carries SQL, through sa.text() too; the op helpers that map
 * 1:1 to DDL become synthesized statements, in batch_alter_table blocks
 * too; any other op call makes the step partial. A downgrade whose body is
 * only `pass`, a docstring and comments is empty. An
 * op.get_context().autocommit_block() takes its statements out of the
 * transaction, so a file that uses one counts as not transactional. */
#include "py.h"

#include "../orm/tsq.h"
#include "../sql/sql.h"

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static const char *qualified(code_ctx *c, const char *table, const py_args *a)
{
    char *schema = py_str(c, py_arg(a, 99, "schema"));
    const char *t = code_ident(c->a, table);
    return schema ? arena_printf(c->a, "%s.%s", code_ident(c->a, schema), t) : t;
}

/* alter_column in the order Alembic's DefaultImpl.alter_column emits:
 * nullable, server_default, type, then the rename. */
static const char *alter_column_sql(code_ctx *c, const char *t, const py_args *a, size_t k,
                                    bool *partial)
{
    char *col = py_str(c, py_arg(a, k, "column_name"));
    if (!col)
        return NULL;
    const char *cq = code_ident(c->a, col);
    const char *head = arena_printf(c->a, "ALTER TABLE %s ALTER COLUMN %s", t, cq);
    const char *out = NULL;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        const char *one = arena_printf(c->a, __VA_ARGS__);                                         \
        out = out ? arena_printf(c->a, "%s\n;\n%s", out, one) : one;                               \
    } while (0)
    TSNode nullable = py_arg(a, 99, "nullable");
    if (py_is_false(c, nullable))
        ADD("%s SET NOT NULL", head);
    else if (py_is_true(c, nullable))
        ADD("%s DROP NOT NULL", head);
    TSNode sd = py_arg(a, 99, "server_default");
    if (code_node_is(sd, "none")) {
        ADD("%s DROP DEFAULT", head);
    } else if (!ts_node_is_null(sd) && !py_is_false(c, sd)) {
        char *sql = py_str(c, sd);
        if (sql && code_node_is(sd, "call"))
            ADD("%s SET DEFAULT %s", head, sql);
        else if (sql)
            ADD("%s SET DEFAULT %s", head, sql_quote_literal(c->a, sql));
        else
            *partial = true;
    }
    TSNode type = py_arg(a, 99, "type_");
    if (!ts_node_is_null(type)) {
        const char *ty = sa_type_sql(c, type);
        char *using = py_str(c, py_arg(a, 99, "postgresql_using"));
        if (ty)
            ADD("%s TYPE %s%s%s", head, ty, using ? " USING " : "", using ? using : "");
        else
            *partial = true;
    }
    char *renamed = py_str(c, py_arg(a, 99, "new_column_name"));
    if (renamed)
        ADD("ALTER TABLE %s RENAME COLUMN %s TO %s", t, cq, code_ident(c->a, renamed));
#undef ADD
    return out;
}

/* A list of column names ["a", "b"] as "a, b". */
static const char *name_list(code_ctx *c, TSNode list)
{
    return py_columns(c, list, false);
}

/* op.create_foreign_key(name, source, referent, local_cols, remote_cols,
 * ondelete=, onupdate=, source_schema=, referent_schema=); in a batch the
 * source is the block's table. */
static const char *create_fk_sql(code_ctx *c, const py_args *a, const char *batch_table)
{
    size_t k = batch_table ? 1 : 2;
    char *name = py_str(c, py_arg(a, 0, "constraint_name"));
    char *src = batch_table ? (char *)batch_table : py_str(c, py_arg(a, 1, "source_table"));
    char *ref = py_str(c, py_arg(a, k, "referent_table"));
    const char *local = name_list(c, py_arg(a, k + 1, "local_cols"));
    const char *remote = name_list(c, py_arg(a, k + 2, "remote_cols"));
    if (!src || !ref || !local || !remote)
        return NULL;
    char *ss = py_str(c, py_arg(a, 99, "source_schema"));
    char *rs = py_str(c, py_arg(a, 99, "referent_schema"));
    const char *st =
        ss ? sa_qualified(c, arena_printf(c->a, "%s.%s", ss, src)) : code_ident(c->a, src);
    const char *rt =
        rs ? sa_qualified(c, arena_printf(c->a, "%s.%s", rs, ref)) : code_ident(c->a, ref);
    const char *sql =
        arena_printf(c->a, "ALTER TABLE %s ADD %s%s%sFOREIGN KEY (%s) REFERENCES %s (%s)", st,
                     name ? "CONSTRAINT " : "", name ? code_ident(c->a, name) : "", name ? " " : "",
                     local, rt, remote);
    return sa_fk_actions(c, a, sql);
}

/* op.create_unique_constraint(name, table, columns) and
 * op.create_primary_key(name, table, columns). */
static const char *add_key_sql(code_ctx *c, const py_args *a, const char *batch_table,
                               const char *kind, const char *cols_kw)
{
    char *name = py_str(c, py_arg(a, 0, "constraint_name"));
    char *table = batch_table ? (char *)batch_table : py_str(c, py_arg(a, 1, "table_name"));
    const char *cols = name_list(c, py_arg(a, batch_table ? 1 : 2, cols_kw));
    if (!table || !cols)
        return NULL;
    return arena_printf(c->a, "ALTER TABLE %s ADD %s%s%s%s (%s)", qualified(c, table, a),
                        name ? "CONSTRAINT " : "", name ? code_ident(c->a, name) : "",
                        name ? " " : "", kind, cols);
}

/* The DDL of op.<m>(...) (batch: the table is given by the block). */
static const char *op_sql(code_ctx *c, const char *m, TSNode call, const char *batch_table,
                          bool *partial)
{
    py_args a;
    py_args_read(c, call, &a);
    size_t k = batch_table ? 0 : 1; /* index of the first argument after the table */
    char *table = batch_table ? (char *)batch_table : py_str(c, py_arg(&a, 0, "table_name"));
    *partial = false;
    if (!strcmp(m, "create_index") || !strcmp(m, "drop_index")) {
        char *name = py_str(c, py_arg(&a, 0, "index_name"));
        table = batch_table ? table : py_str(c, py_arg(&a, 1, "table_name"));
        bool conc = py_is_true(c, py_arg(&a, 99, "postgresql_concurrently"));
        if (!name)
            return NULL;
        if (!strcmp(m, "drop_index"))
            return arena_printf(c->a, "DROP INDEX %s%s%s", conc ? "CONCURRENTLY " : "",
                                py_is_true(c, py_arg(&a, 99, "if_exists")) ? "IF EXISTS " : "",
                                code_ident(c->a, name));
        char *cols = py_columns(c, py_arg(&a, batch_table ? 1 : 2, "columns"), false);
        if (!table || !cols)
            return NULL;
        *partial = py_has(&a, 99, "postgresql_where");
        return arena_printf(c->a, "CREATE %sINDEX %s%s%s ON %s (%s)",
                            py_is_true(c, py_arg(&a, 99, "unique")) ? "UNIQUE " : "",
                            conc ? "CONCURRENTLY " : "",
                            py_is_true(c, py_arg(&a, 99, "if_not_exists")) ? "IF NOT EXISTS " : "",
                            code_ident(c->a, name), qualified(c, table, &a), cols);
    }
    if (!strcmp(m, "create_foreign_key"))
        return create_fk_sql(c, &a, batch_table);
    if (!strcmp(m, "create_unique_constraint"))
        return add_key_sql(c, &a, batch_table, "UNIQUE", "columns");
    if (!strcmp(m, "create_primary_key"))
        return add_key_sql(c, &a, batch_table, "PRIMARY KEY", "columns");
    if (!strcmp(m, "drop_constraint")) {
        char *name = py_str(c, py_arg(&a, 0, "constraint_name"));
        table = batch_table ? table : py_str(c, py_arg(&a, 1, "table_name"));
        if (!name || !table)
            return NULL;
        return arena_printf(c->a, "ALTER TABLE %s DROP CONSTRAINT %s", qualified(c, table, &a),
                            code_ident(c->a, name));
    }
    if (!table)
        return NULL;
    const char *t = qualified(c, table, &a);
    if (!strcmp(m, "drop_table") && !batch_table)
        return arena_printf(c->a, "DROP TABLE %s", t);
    if (!strcmp(m, "rename_table") && !batch_table) {
        char *to = py_str(c, py_arg(&a, 1, "new_table_name"));
        return to ? arena_printf(c->a, "ALTER TABLE %s RENAME TO %s", t, code_ident(c->a, to))
                  : NULL;
    }
    if (!strcmp(m, "drop_column")) {
        char *col = py_str(c, py_arg(&a, k, "column_name"));
        return col ? arena_printf(c->a, "ALTER TABLE %s DROP COLUMN %s", t, code_ident(c->a, col))
                   : NULL;
    }
    if (!strcmp(m, "alter_column"))
        return alter_column_sql(c, t, &a, k, partial);
    return NULL;
}

/* The table of `with op.batch_alter_table("t") as batch_op:` around call,
 * when call is on batch_op. */
static const char *batch_table(code_ctx *c, TSNode call, TSNode object)
{
    for (TSNode p = ts_node_parent(call); !ts_node_is_null(p); p = ts_node_parent(p)) {
        if (!code_node_is(p, "with_statement"))
            continue;
        TSNode clause = ts_node_named_child(p, 0);
        for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
            TSNode item = field(ts_node_named_child(clause, i), "value");
            if (!code_node_is(item, "as_pattern"))
                continue;
            TSNode value = ts_node_named_child(item, 0), alias = field(item, "alias");
            TSNode obj;
            if (!code_node_is(value, "call") || ts_node_is_null(alias))
                continue;
            const char *m = py_method(c, value, &obj);
            char *name = code_node_text(c, alias), *want = code_node_text(c, object);
            if (m && !strcmp(m, "batch_alter_table") && !strcmp(name, want)) {
                py_args a;
                py_args_read(c, value, &a);
                return py_str(c, py_arg(&a, 0, "table_name"));
            }
        }
    }
    return NULL;
}

static bool is_column(code_ctx *c, TSNode n)
{
    TSNode obj;
    const char *m = code_node_is(n, "call") ? py_method(c, n, &obj) : NULL;
    return m && !strcmp(m, "Column");
}

/* A column migralint cannot read still exists: text keeps later
 * statements about it from looking like conflicts; a note says why. */
static bool column_read(code_ctx *c, step_reader *r, TSNode col, sa_col *out)
{
    if (sa_column_read(c, col, out)) {
        if (out->dflt_unknown) {
            /* the column is there with its type; only its default is unknown */
            code_note(c, col, "column %s: a server_default migralint cannot read; not replayed",
                      out->name);
            r->step->partial = true;
        }
        return true;
    }
    py_args a;
    py_args_read(c, col, &a);
    char *name = py_str(c, py_arg(&a, 0, "name"));
    r->step->partial = true;
    if (!name)
        return false;
    code_note(c, col, "column %s: a type or server_default migralint cannot read; taken as text",
              name);
    memset(out, 0, sizeof *out);
    out->name = name;
    out->type = "text";
    return true;
}

/* sa.ForeignKeyConstraint(["a"], ["t.id"], name=, ondelete=, onupdate=). */
static const char *fk_constraint(code_ctx *c, const py_args *ka)
{
    const char *local = py_columns(c, py_arg(ka, 0, "columns"), false);
    TSNode refs = py_arg(ka, 1, "refcolumns");
    if (!local || (!code_node_is(refs, "list") && !code_node_is(refs, "tuple")))
        return NULL;
    const char *table = NULL, *cols = NULL;
    for (uint32_t i = 0; i < ts_node_named_child_count(refs); i++) {
        char *ref = py_str(c, ts_node_named_child(refs, i));
        char *dot = ref ? strrchr(ref = arena_strdup(c->a, ref), '.') : NULL;
        if (!dot)
            return NULL;
        *dot = '\0';
        table = sa_qualified(c, ref);
        const char *col = code_ident(c->a, dot + 1);
        cols = cols ? arena_printf(c->a, "%s, %s", cols, col) : col;
    }
    char *name = py_str(c, py_arg(ka, 99, "name"));
    const char *sql =
        arena_printf(c->a, "%s%s%sFOREIGN KEY (%s) REFERENCES %s (%s)", name ? "CONSTRAINT " : "",
                     name ? code_ident(c->a, name) : "", name ? " " : "", local, table, cols);
    return sa_fk_actions(c, ka, sql);
}

/* sa.UniqueConstraint("a", "b", name=) and sa.PrimaryKeyConstraint("id"). */
static const char *key_columns(code_ctx *c, const py_args *ka)
{
    const char *cols = NULL;
    for (size_t k = 0; k < ka->npos; k++) {
        char *name = py_str(c, ka->pos[k]);
        if (!name)
            return NULL;
        cols = cols ? arena_printf(c->a, "%s, %s", cols, code_ident(c->a, name))
                    : code_ident(c->a, name);
    }
    return cols;
}

/* One table-level item of op.create_table as SQL; NULL when unreadable. */
static const char *table_constraint(code_ctx *c, TSNode item, const char **pk)
{
    TSNode obj;
    const char *m = code_node_is(item, "call") ? py_method(c, item, &obj) : NULL;
    if (!m)
        return NULL;
    py_args ka;
    py_args_read(c, item, &ka);
    char *name = py_str(c, py_arg(&ka, 99, "name"));
    const char *named = name ? arena_printf(c->a, "CONSTRAINT %s ", code_ident(c->a, name)) : "";
    if (!strcmp(m, "PrimaryKeyConstraint")) {
        const char *cols = key_columns(c, &ka);
        if (cols)
            *pk = *pk ? arena_printf(c->a, "%s, %s", *pk, cols) : cols;
        return cols ? "" : NULL;
    }
    if (!strcmp(m, "UniqueConstraint")) {
        const char *cols = key_columns(c, &ka);
        return cols ? arena_printf(c->a, "%sUNIQUE (%s)", named, cols) : NULL;
    }
    if (!strcmp(m, "ForeignKeyConstraint"))
        return sa_use_alter(c, item) ? "" : fk_constraint(c, &ka);
    if (!strcmp(m, "CheckConstraint")) {
        char *cond = py_str(c, py_arg(&ka, 0, "sqltext"));
        return cond ? arena_printf(c->a, "%sCHECK (%s)", named, cond) : NULL;
    }
    return NULL;
}

/* The index of an index=True column, named by SQLAlchemy's default
 * naming convention ix_%(column_0_label)s. */
static void column_index(code_ctx *c, step_reader *r, TSNode at, const py_args *a,
                         const char *table, const sa_col *col)
{
    char *schema = py_str(c, py_arg(a, 99, "schema"));
    const char *ix = schema ? arena_printf(c->a, "ix_%s_%s_%s", schema, table, col->name)
                            : arena_printf(c->a, "ix_%s_%s", table, col->name);
    step_synth(c, r, at,
               arena_printf(c->a, "CREATE %sINDEX %s ON %s (%s)", col->unique ? "UNIQUE " : "",
                            code_ident(c->a, ix), qualified(c, table, a),
                            code_ident(c->a, col->name)));
}

static void mark_fk_columns(code_ctx *c, TSNode item, sa_col *cols, size_t ncols)
{
    TSNode obj;
    const char *m = code_node_is(item, "call") ? py_method(c, item, &obj) : NULL;
    if (!m || strcmp(m, "ForeignKeyConstraint"))
        return;
    py_args ka;
    py_args_read(c, item, &ka);
    TSNode list = py_arg(&ka, 0, "columns");
    for (uint32_t k = 0; code_node_is(list, "list") && k < ts_node_named_child_count(list); k++) {
        char *name = py_str(c, ts_node_named_child(list, k));
        for (size_t i = 0; name && i < ncols; i++)
            if (!strcmp(cols[i].name, name))
                cols[i].fk = true;
    }
}

/* op.create_table("t", sa.Column(...), ..., sa.PrimaryKeyConstraint("id"),
 * sa.ForeignKeyConstraint(...), sa.UniqueConstraint(...)): each column
 * definition points at its sa.Column; then the indexes of index=True
 * columns, as Alembic creates them with the table. */
static void create_table(code_ctx *c, step_reader *r, TSNode call)
{
    py_args a;
    py_args_read(c, call, &a);
    char *table = py_str(c, py_arg(&a, 0, "table_name"));
    if (!table) {
        r->step->partial = true;
        return;
    }
    const char *t = qualified(c, table, &a);
    sa_col *cols = arena_calloc(c->a, a.npos + 1, sizeof *cols);
    bool *is_col = arena_calloc(c->a, a.npos + 1, sizeof *is_col);
    const char **cons = arena_calloc(c->a, a.npos + 1, sizeof *cons);
    const char *pk = NULL;
    size_t ncols = 0;
    for (size_t i = 1; i < a.npos; i++) {
        if (is_column(c, a.pos[i])) {
            is_col[i] = column_read(c, r, a.pos[i], &cols[ncols]);
            ncols += is_col[i];
        } else {
            cons[i] = table_constraint(c, a.pos[i], &pk);
            if (!cons[i]) {
                code_note(c, a.pos[i], "table item migralint cannot read is not replayed");
                r->step->partial = true;
            }
        }
    }
    /* a column a ForeignKeyConstraint lists has foreign_keys, which
     * SQLAlchemy's autoincrement "auto" excludes from SERIAL */
    for (size_t i = 1; i < a.npos; i++)
        if (!is_col[i])
            mark_fk_columns(c, a.pos[i], cols, ncols);
    /* the primary key, as one name list, decides SERIAL */
    const char *pkcols = pk;
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].pk)
            pkcols = pkcols ? arena_printf(c->a, "%s, %s", pkcols, code_ident(c->a, cols[i].name))
                            : code_ident(c->a, cols[i].name);
    long serial = pkcols && !strchr(pkcols, ',') ? -1 : -2;
    for (size_t i = 0; serial == -1 && i < ncols; i++)
        if (!strcmp(pkcols, code_ident(c->a, cols[i].name)))
            serial = sa_column_serial(&cols[i]) ? (long)i : -2;
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].create_type)
            step_synth(c, r, call, cols[i].create_type);
    step_synth_piece(r, call, arena_printf(c->a, "CREATE TABLE %s (", t));
    const char *sep = "";
    size_t k = 0;
    for (size_t i = 1; i < a.npos; i++) {
        if (!is_col[i])
            continue;
        const char *def = sa_column_def(c, &cols[k], serial == (long)k, false);
        step_synth_piece(r, a.pos[i], arena_printf(c->a, "%s\n  %s", sep, def));
        sep = ",";
        k++;
    }
    if (pkcols)
        step_synth_piece(r, call, arena_printf(c->a, "%s\n  PRIMARY KEY (%s)", sep, pkcols));
    sep = pkcols ? "," : sep;
    for (size_t i = 1; i < a.npos; i++)
        if (cons[i] && *cons[i]) {
            step_synth_piece(r, a.pos[i], arena_printf(c->a, "%s\n  %s", sep, cons[i]));
            sep = ",";
        }
    step_synth_piece(r, call, "\n)");
    step_synth_end(r, call);
    k = 0;
    for (size_t i = 1; i < a.npos; i++) {
        if (!is_col[i])
            continue;
        if (cols[k].index)
            column_index(c, r, a.pos[i], &a, table, &cols[k]);
        k++;
    }
}

/* op.add_column("t", sa.Column(...)) and batch_op.add_column(sa.Column(...)).
 * Alembic does not create an Enum's type here. */
static void add_column(code_ctx *c, step_reader *r, TSNode call, const char *batch)
{
    py_args a;
    py_args_read(c, call, &a);
    char *table = batch ? (char *)batch : py_str(c, py_arg(&a, 0, "table_name"));
    TSNode col = py_arg(&a, batch ? 0 : 1, "column");
    sa_col sc;
    if (!table || !is_column(c, col) || !column_read(c, r, col, &sc)) {
        r->step->partial = true;
        return;
    }
    const char *t = qualified(c, table, &a);
    step_synth(
        c, r, call,
        arena_printf(c->a, "ALTER TABLE %s ADD COLUMN %s", t, sa_column_def(c, &sc, false, true)));
    if (sc.index)
        column_index(c, r, call, &a, table, &sc);
}

static void alembic_call(code_ctx *c, step_reader *r, TSNode call)
{
    TSNode object;
    const char *m = py_method(c, call, &object);
    if (!m)
        return;
    if (ts_node_is_null(object)) {
        /* change_query_hash(conn, ...): a helper of the file does the work */
        if (!code_node_is(ts_node_parent(call), "argument_list"))
            r->step->partial = true;
        return;
    }
    if (!strcmp(m, "execute")) {
        py_args a;
        py_args_read(c, call, &a);
        if (a.npos > 1 || a.nkw > 0) { /* :name bind parameters filled at run time */
            code_note(c, call, "SQL with bind parameters is not linted");
            r->step->partial = true;
            return;
        }
        step_sql(c, r, py_unwrap(c, py_arg(&a, 0, "sqltext")), call);
        return;
    }
    if (!strcmp(m, "create") && sa_enum_create(c, object)) {
        /* status_enum.create(op.get_bind()): SQLAlchemy creates the type */
        step_synth(c, r, call, sa_enum_create(c, object));
        return;
    }
    bool on_op = code_text_is(c, object, "op");
    const char *bt = on_op ? NULL : batch_table(c, call, object);
    if (!on_op && !bt)
        return;
    if (!strcmp(m, "f") || !strcmp(m, "get_bind") || !strcmp(m, "get_context") ||
        !strcmp(m, "batch_alter_table") || !strcmp(m, "inline_literal"))
        return;
    if (!strcmp(m, "create_table") && on_op) {
        create_table(c, r, call);
        return;
    }
    if (!strcmp(m, "add_column")) {
        add_column(c, r, call, bt);
        return;
    }
    bool partial;
    const char *sql = op_sql(c, m, call, bt, &partial);
    if (sql)
        step_synth(c, r, call, sql);
    if (!sql || partial)
        r->step->partial = true;
}

static bool is_autocommit_block(code_ctx *c, TSNode n)
{
    if (!code_node_is(n, "with_statement"))
        return false;
    char *clause = code_node_text(c, ts_node_named_child(n, 0));
    return strstr(clause, "autocommit_block") != NULL;
}

static bool dialect_name(const char *s)
{
    static const char *const names[] = {"postgres", "postgresql", "mysql",  "mariadb",
                                        "sqlite",   "mssql",      "oracle", "psycopg2"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i]))
            return true;
    return false;
}

/* Whether a condition on the database's dialect holds on PostgreSQL: 1,
 * 0, or -1 when it is not one (`if "x" not in columns`). Reads
 * `bind.dialect.name == "sqlite"`, `!=`, `url.startswith("mysql")`,
 * `"postgres" in url`, `not`, `and`, `or` and parentheses. */
static int on_postgres(code_ctx *c, TSNode n)
{
    if (code_node_is(n, "parenthesized_expression"))
        return on_postgres(c, ts_node_named_child(n, 0));
    if (code_node_is(n, "not_operator")) {
        int v = on_postgres(c, field(n, "argument"));
        return v < 0 ? v : !v;
    }
    if (code_node_is(n, "boolean_operator")) {
        int x = on_postgres(c, field(n, "left")), y = on_postgres(c, field(n, "right"));
        bool and = strstr(code_node_text(c, n), " and ") != NULL;
        if (and)
            return !x || !y ? 0 : x < 0 || y < 0 ? -1 : 1;
        return x == 1 || y == 1 ? 1 : x < 0 || y < 0 ? -1 : 0;
    }
    char *lit = NULL;
    bool negate = false;
    if (code_node_is(n, "comparison_operator") && ts_node_named_child_count(n) == 2) {
        TSNode a = ts_node_named_child(n, 0), b = ts_node_named_child(n, 1);
        lit = py_str(c, b) ? py_str(c, b) : py_str(c, a);
        char *op = arena_strndup(c->a, c->host->text + ts_node_end_byte(a),
                                 ts_node_start_byte(b) - ts_node_end_byte(a));
        negate = strstr(op, "!=") || strstr(op, "not");
    } else if (code_node_is(n, "call")) {
        char *fn = code_node_text(c, field(n, "function"));
        TSNode args = field(n, "arguments");
        if (!fn || !strstr(fn, "startswith") || ts_node_named_child_count(args) != 1)
            return -1;
        lit = py_str(c, ts_node_named_child(args, 0));
    }
    if (!lit || !dialect_name(lit))
        return -1;
    bool pg = !strncmp(lit, "postgres", 8) || !strcmp(lit, "psycopg2");
    return pg != negate;
}

static void alembic_walk(code_ctx *c, step_reader *r, TSNode n);

/* if/elif/else on the dialect: only the branch PostgreSQL runs. */
static bool dialect_branch(code_ctx *c, step_reader *r, TSNode n)
{
    int v = on_postgres(c, field(n, "condition"));
    if (v < 0)
        return false;
    if (v) {
        alembic_walk(c, r, field(n, "consequence"));
        return true;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        TSNode alt = ts_node_named_child(n, i);
        if (code_node_is(alt, "else_clause")) {
            alembic_walk(c, r, field(alt, "body"));
            return true;
        }
        if (!code_node_is(alt, "elif_clause"))
            continue;
        int e = on_postgres(c, field(alt, "condition"));
        if (e < 0) { /* unknown from here on: read the rest */
            for (; i < ts_node_named_child_count(n); i++)
                alembic_walk(c, r, ts_node_named_child(n, i));
            return true;
        }
        if (e) {
            alembic_walk(c, r, field(alt, "consequence"));
            return true;
        }
    }
    return true;
}

static void alembic_walk(code_ctx *c, step_reader *r, TSNode n)
{
    if (code_node_is(n, "if_statement") && dialect_branch(c, r, n))
        return;
    if (is_autocommit_block(c, n)) {
        /* Alembic commits, runs the block outside a transaction, and
         * begins again: say so in SQL so the linter follows along. */
        step_synth(c, r, n, "COMMIT");
        alembic_walk(c, r, field(n, "body"));
        step_synth(c, r, n, "BEGIN");
        r->step->nstmts -= 2;
        return;
    }
    if (code_node_is(n, "call"))
        alembic_call(c, r, n);
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        alembic_walk(c, r, ts_node_named_child(n, i));
}

/* A step with an autocommit block is read as BEGIN ... COMMIT around it
 * (and the migration as not transactional), so the statements in the
 * block are outside a transaction and the others inside one. */
static void alembic_step(code_ctx *c, TSNode fn, code_step *step)
{
    step_reader r;
    step_begin(c, &r, step, ts_node_start_byte(field(fn, "name")));
    char *text = code_node_text(c, fn);
    bool blocks = strstr(text, "autocommit_block") != NULL;
    if (blocks) {
        c->out->no_transaction = true;
        step_synth(c, &r, field(fn, "name"), "BEGIN");
    }
    alembic_walk(c, &r, field(fn, "body"));
    if (blocks) {
        step_synth(c, &r, field(fn, "name"), "COMMIT");
        step->nstmts -= 2;
    }
    step_end(c, &r);
}

/* down_revision = "abc" | None | ("a", "b") */
static void alembic_deps(code_ctx *c, TSNode value)
{
    code_migration *m = c->out;
    size_t n = code_node_is(value, "tuple") || code_node_is(value, "list")
                   ? ts_node_named_child_count(value)
                   : 1;
    m->deps = arena_calloc(c->a, n ? n : 1, sizeof *m->deps);
    for (size_t i = 0; i < n; i++) {
        TSNode item = n == 1 && !code_node_is(value, "tuple") && !code_node_is(value, "list")
                          ? value
                          : ts_node_named_child(value, (uint32_t)i);
        char *rev = py_str(c, item);
        if (rev)
            m->deps[m->ndeps++] = rev;
    }
}

static void alembic_assignment(code_ctx *c, TSNode stmt)
{
    TSNode as = ts_node_named_child(stmt, 0);
    if (!code_node_is(as, "assignment"))
        return;
    TSNode left = field(as, "left"), right = field(as, "right");
    if (code_text_is(c, left, "revision"))
        c->out->revision = py_str(c, right);
    else if (code_text_is(c, left, "down_revision"))
        alembic_deps(c, right);
}

bool code_read_alembic(code_ctx *c)
{
    TSTree *tree = tsq_parse("python", c->host->text, (uint32_t)c->host->len);
    if (!tree)
        return false;
    code_collect_constants(c, ts_tree_root_node(tree));
    TSNode root = ts_tree_root_node(tree), up = {0}, down = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
        TSNode n = ts_node_named_child(root, i);
        if (code_node_is(n, "expression_statement")) {
            TSNode s = ts_node_named_child(n, 0);
            if (i == 0 && code_node_is(s, "string")) {
                char *doc = py_str(c, s);
                if (doc)
                    c->out->title = arena_strndup(c->a, doc, strcspn(doc, "\n"));
            }
            alembic_assignment(c, n);
        } else if (code_node_is(n, "function_definition") ||
                   code_node_is(n, "decorated_definition")) {
            /* @skip_if_sqlite def upgrade(): the function runs on PostgreSQL */
            if (code_node_is(n, "decorated_definition"))
                n = field(n, "definition");
            if (ts_node_is_null(n))
                continue;
            TSNode name = field(n, "name");
            if (code_text_is(c, name, "upgrade"))
                up = n;
            else if (code_text_is(c, name, "downgrade"))
                down = n;
        }
    }
    bool ok = !ts_node_is_null(up);
    if (ok) {
        alembic_step(c, up, &c->out->up);
        c->out->has_down = !ts_node_is_null(down);
        if (c->out->has_down)
            alembic_step(c, down, &c->out->down);
    }
    ts_tree_delete(tree);
    return ok;
}
