# t_replay_real.sh - the replay and the rules that read it, on what real
# projects write (issue 17 and 22): references to objects the migrations
# never build (open world), Supabase's own schemas, PostgreSQL's order of
# ALTER TABLE subcommands, conditional DDL in DO blocks, COMMIT inside a
# framework's transaction, and the destructive and locking rules quiet
# about what the replay knows is harmless.

mig() { mkdir -p "$(dirname "m/$1")" && printf '%b' "$2" >"m/$1"; }

# The names of the tables `migralint schema` prints, one per line.
schema_tables() {
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted(d["tables"])))' <<<"$OUT"
}

test_fk_to_unknown_table_keeps_the_table() {
    mig 000_a.sql 'CREATE TABLE IF NOT EXISTS measure.roles (name text PRIMARY KEY);\n'
    mig 001_a.sql 'CREATE TABLE profiles (id uuid PRIMARY KEY REFERENCES vendor.accounts (id), name text);\nALTER TABLE measure.roles ADD COLUMN x int;\nCREATE SCHEMA ext;\nCREATE EXTENSION citext SCHEMA ext;\nCREATE TABLE emails (e ext.citext);\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nCREATE TABLE posts (id bigint PRIMARY KEY, author uuid REFERENCES profiles (id));\nALTER TABLE profiles ADD COLUMN org uuid REFERENCES vendor.orgs, ADD COLUMN bio text;\nCREATE TABLE kids (x int) INHERITS (vendor.base);\nCREATE VIEW names AS SELECT p.name, a.email FROM profiles p JOIN vendor.accounts a ON a.id = p.id;\n"
    ml schema m
    expect_eq "$(printf 'measure.roles\npublic.emails\npublic.kids\npublic.posts\npublic.profiles')" "$(schema_tables)" "tables"
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
d = json.loads(sys.argv[1])
p = d["tables"]["public.profiles"]
assert [c["name"] for c in p["columns"]] == ["id", "name", "org", "bio"], p["columns"]
assert list(p["constraints"]) == ["profiles_pkey"], p["constraints"]
assert "posts_author_fkey" in d["tables"]["public.posts"]["constraints"]
assert [c["name"] for c in d["views"]["public.names"]["columns"]] == ["name", "email"]
assert d["tables"]["public.emails"]["columns"][0]["type"] == "ext.citext"
assert [c["name"] for c in d["tables"]["measure.roles"]["columns"]] == ["name", "x"]
PY
    ml check --format gcc m
    expect_no_out "[replay-conflict]"
}

test_supabase_platform_objects_are_there_and_not_printed() {
    mkdir -p supabase/migrations
    printf '%b' 'CREATE SCHEMA IF NOT EXISTS extensions;\nCREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;\nCREATE TABLE public.profiles (\n  id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,\n  embedding extensions.vector(3),\n  bucket text REFERENCES storage.buckets (id)\n);\nCREATE VIEW public.emails AS SELECT u.id, u.email FROM auth.users u JOIN public.profiles p ON p.id = u.id;\nCREATE FUNCTION public.on_signup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.on_signup();\nINSERT INTO storage.buckets (id, name) VALUES ('"'"'avatars'"'"', '"'"'avatars'"'"');\n' \
        >supabase/migrations/20240101000000_init.sql
    printf '%b' "SET lock_timeout = '2s';\nALTER TABLE auth.users ADD COLUMN nickname text;\nALTER TABLE public.profiles ADD COLUMN owner uuid REFERENCES auth.users (id);\nALTER TABLE auth.users DROP COLUMN no_such_column;\n" \
        >supabase/migrations/20240102000000_more.sql
    ml schema supabase/migrations
    expect_rc 0
    expect_eq "public.profiles" "$(schema_tables)" "tables"
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
d = json.loads(sys.argv[1])
assert d["schemas"] == ["public"], d["schemas"]
assert d["functions"] == ["public.on_signup()"], d["functions"]
assert list(d["views"]) == ["public.emails"], d["views"]
p = d["tables"]["public.profiles"]
assert p["constraints"]["profiles_id_fkey"]["references"] == "auth.users", p["constraints"]
assert p["columns"][1] == {"name": "embedding", "type": "extensions.vector(3)", "nullable": True,
    "default": None, "default_volatile": False, "identity": None, "generated": None}, p["columns"][1]
assert p["constraints"]["profiles_owner_fkey"]["references"] == "auth.users", p["constraints"]
PY
    ml check --format gcc supabase/migrations
    # The platform's tables are described, not known: a warning, not an error.
    expect_out "supabase/migrations/20240102000000_more.sql:4:36: warning: column no_such_column of table auth.users does not exist [replay-conflict]"
    expect_no_out ": table auth.users does not exist"
    expect_no_out ": table storage.buckets does not exist"
    expect_eq 1 "$(grep -c 'replay-conflict' <<<"$OUT")" "replay conflicts"
}

test_closed_world_conflict_is_an_error() {
    mig 001_a.sql 'CREATE TABLE t (id int, v varchar(10));\nCREATE VIEW tv AS SELECT v FROM t;\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN v TYPE text;\n"
    ml check --format gcc m
    expect_out "m/002_b.sql:2:28: error: cannot alter type of column t.v: view tv depends on it [replay-conflict]"
    # A level set in the configuration is kept.
    printf '{"rules": {"replay-conflict": "warning"}}\n' >.migralint.json
    ml check --format gcc m
    expect_out "m/002_b.sql:2:28: warning: cannot alter type of column t.v"
}

test_conflict_after_an_unparsed_step_is_a_warning() {
    mig 001_a.sql 'CREATE TABLE t (id int, v varchar(10));\nCREATE VIEW tv AS SELECT v FROM t;\n'
    # PostgreSQL 18 syntax: the replay cannot tell what it did.
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD CONSTRAINT t_v_nn NOT NULL v;\n"
    mig 003_c.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN v TYPE text;\n"
    ml check --format gcc m
    expect_out "m/002_b.sql:2:"
    expect_out "m/003_c.sql:2:28: warning: cannot alter type of column t.v: view tv depends on it [replay-conflict]"
}

test_alter_table_subcommands_run_in_postgresql_passes() {
    mig 001_a.sql 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE t (id int);\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD CONSTRAINT t_x_fk FOREIGN KEY (x) REFERENCES p NOT VALID, ADD COLUMN x int;\nALTER TABLE t ADD CONSTRAINT t_y_check CHECK (y > 0) NOT VALID, ADD COLUMN y int, ALTER COLUMN y SET NOT NULL;\nALTER TABLE t ADD COLUMN z int, ADD CONSTRAINT t_z_fk FOREIGN KEY (z) REFERENCES p NOT VALID;\n"
    ml check --format gcc m
    expect_no_out "[replay-conflict]"
    ml schema m
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
t = json.loads(sys.argv[1])["tables"]["public.t"]
assert [(c["name"], c["nullable"]) for c in t["columns"]] == [
    ("id", True), ("x", True), ("y", False), ("z", True)], t["columns"]
assert sorted(t["constraints"]) == ["t_x_fk", "t_y_check", "t_z_fk"], t["constraints"]
PY
}

test_drop_of_what_the_replay_knows_is_gone_is_quiet() {
    mig 001_a.sql 'CREATE TABLE old (id int, note text);\nCREATE INDEX old_id ON old (id);\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nDROP INDEX old_id;\nALTER TABLE old DROP COLUMN note;\n"
    mig 003_c.sql "SET lock_timeout = '2s';\nDROP INDEX IF EXISTS old_id;\nALTER TABLE old DROP COLUMN IF EXISTS note;\nDROP TABLE old;\n"
    mig 004_d.sql "SET lock_timeout = '2s';\nDROP TABLE IF EXISTS old;\nDROP TABLE IF EXISTS scratch;\nCREATE TEMP TABLE scratch AS SELECT 1 AS x;\nDROP TABLE IF EXISTS never_built;\n"
    ml check --format gcc m
    expect_out "m/002_b.sql:2:1: warning: dropping index old_id without CONCURRENTLY"
    expect_out "m/002_b.sql:3:29: error: dropping column old.note [drop-column]"
    expect_out "m/003_c.sql:4:12: error: dropping table old [drop-table]"
    expect_no_out "m/003_c.sql:2:"
    expect_no_out "m/003_c.sql:3:"
    expect_no_out "m/004_d.sql:2:"
    expect_no_out "m/004_d.sql:3:"
    # A name the migrations never built may exist in production.
    expect_out "m/004_d.sql:5:22: error: dropping table never_built [drop-table]"
}

test_drop_not_null_quiet_when_already_nullable() {
    mig 001_a.sql 'CREATE TABLE t (id int, a text, b text NOT NULL);\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ALTER COLUMN a DROP NOT NULL, ALTER COLUMN b DROP NOT NULL;\n"
    ml check --format gcc m
    expect_no_out "dropping NOT NULL on t.a"
    expect_out "m/002_b.sql:2:58: warning: dropping NOT NULL on t.b"
}

test_foreign_key_not_repeated_and_names_the_statement_lock() {
    mig 001_a.sql 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE t (id int);\n'
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN a int NOT NULL, ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES p;\nALTER TABLE t ADD COLUMN b int, ADD CONSTRAINT t_b_fk FOREIGN KEY (b) REFERENCES p;\nALTER TABLE t ADD CONSTRAINT t_id_fk FOREIGN KEY (id) REFERENCES p;\n"
    ml check --format gcc m
    expect_out "m/002_b.sql:2:32: error: adding column t.a as NOT NULL without a DEFAULT"
    expect_no_out "foreign key t.a"
    expect_out "adding foreign key t.b → p checks every row while this ALTER TABLE holds an ACCESS EXCLUSIVE lock on t (blocks every read and write) and a SHARE ROW EXCLUSIVE lock on p"
    expect_out "adding foreign key t.id → p takes a SHARE ROW EXCLUSIVE lock on t and p"
    # Inline in ADD COLUMN without a default, PostgreSQL does not check it.
    mig 003_c.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c int REFERENCES p;\nALTER TABLE t ADD COLUMN d int DEFAULT 1 REFERENCES p;\n"
    ml check --format gcc m
    expect_no_out "foreign key t.c"
    expect_out "adding foreign key t.d → p"
}

test_do_block_if_not_exists_is_replayed() {
    mig 001_a.sql "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE t (id int, p_id int);\nDO \$\$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN\n    CREATE TYPE mood AS ENUM ('sad', 'ok');\n  END IF;\nEND \$\$;\nDO \$\$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM information_schema.table_constraints WHERE constraint_name = 't_p_fk') THEN\n    ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p_id) REFERENCES p (id);\n  END IF;\nEND\n\$\$;\nDO \$\$ BEGIN\n  CREATE TYPE color AS ENUM ('red');\nEXCEPTION WHEN duplicate_object THEN null;\nEND \$\$;\nDO \$\$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'touch') THEN\n    CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS \$f\$ BEGIN RETURN NEW; END; \$f\$;\n  END IF;\nEND \$\$;\nDO \$\$ BEGIN\n  BEGIN\n    ALTER TABLE t ADD COLUMN nick text;\n  EXCEPTION WHEN duplicate_column THEN RAISE NOTICE 'exists';\n  END;\nEND \$\$;\nDO \$\$ BEGIN\n  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = 'old_p') THEN\n    DROP TABLE p CASCADE;\n  END IF;\nEND \$\$;\n"
    mig 002_b.sql "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN m mood, ADD COLUMN c color;\nALTER TABLE t DROP CONSTRAINT t_p_fk;\n"
    ml check --format gcc m
    expect_no_out "[replay-conflict]"
    ml schema m
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
d = json.loads(sys.argv[1])
assert sorted(d["types"]) == ["public.color", "public.mood"], d["types"]
assert "public.p" in d["tables"], "a positive IF EXISTS branch is not followed"
assert [c["type"] for c in d["tables"]["public.t"]["columns"]] == ["integer", "integer", "text", "mood", "color"]
assert d["functions"] == ["public.touch()"], d["functions"]
PY
}

test_commit_ends_the_framework_transaction() {
    mkdir -p drizzle/meta
    printf '{"version": "7", "dialect": "postgresql", "entries": [{"idx": 0, "version": "7", "when": 1704447000000, "tag": "0000_init", "breakpoints": true}, {"idx": 1, "version": "7", "when": 1704447000001, "tag": "0001_idx", "breakpoints": true}]}\n' >drizzle/meta/_journal.json
    printf 'CREATE TABLE "t" ("id" integer);\n' >drizzle/0000_init.sql
    printf '%b' "SET lock_timeout = '2s';--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"t_a\" ON \"t\" (\"id\");--> statement-breakpoint\nCOMMIT;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"t_b\" ON \"t\" (\"id\");--> statement-breakpoint\nBEGIN;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY \"t_c\" ON \"t\" (\"id\");\n" >drizzle/0001_idx.sql
    ml check --format gcc drizzle
    expect_out "drizzle/0001_idx.sql:2:14: error: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"
    expect_no_out "drizzle/0001_idx.sql:4:"
    expect_no_out "[transaction-nesting]"
    expect_out "drizzle/0001_idx.sql:6:14: error: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and this one is: inside the BEGIN on line 5"
}

test_function_signature_has_no_typmods() {
    mig 001_a.sql "CREATE FUNCTION to_id(x varchar(20), y numeric(20,0), z timestamp(3)) RETURNS int LANGUAGE sql AS 'select 1';\nCREATE FUNCTION keep(w char(2), v bit(3)[]) RETURNS int LANGUAGE sql AS 'select 1';\n"
    mig 002_b.sql "DROP FUNCTION to_id(varchar, numeric, timestamp);\n"
    ml check --format gcc m
    expect_no_out "[replay-conflict]"
    ml schema m
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
assert json.loads(sys.argv[1])["functions"] == ["public.keep(character, bit[])"]
PY
}

test_recursive_cte_is_not_a_table() {
    mig 001_a.sql "CREATE TABLE tree AS\nWITH RECURSIVE q (level) AS (SELECT 1 UNION ALL SELECT q.level + 1 FROM q WHERE q.level < 3)\nSELECT level FROM q;\nCREATE VIEW v AS WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r;\n"
    ml schema m
    expect_eq "" "$ERR" "stderr"
    python3 - "$OUT" <<'PY' || fail "schema: $OUT"
import json, sys
d = json.loads(sys.argv[1])
assert [c["name"] for c in d["tables"]["public.tree"]["columns"]] == ["level"], d["tables"]
assert [c["name"] for c in d["views"]["public.v"]["columns"]] == ["n"], d["views"]
PY
}
