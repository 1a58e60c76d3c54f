# t_drift_js.sh - `migralint drift` on what real Drizzle, Prisma and
# TypeORM projects write: constructs the extractors skip (left out of the
# comparison on both sides), declarations they must not drop silently,
# and discovery. Drizzle fixtures use drizzle-kit itself as the oracle
# (pinned, installed once into build/npm-drizzle by lib.sh).

# Copies fixtures/drift/js/$1 to $T/p as a git repository; with a second
# argument (the config's folder), generates its migrations with drizzle-kit.
__js_project() {
    cp -R "$FIXTURES/drift/js/$1" "$T/p"
    cd "$T/p" || return 1
    git_repo .
    rm -f ./*.expect ./*.sed
    [ -n "${2:-}" ] || return 0
    (
        cd "$2" || exit 1
        ln -s "$DRIZZLE_MODULES" node_modules
        node_modules/.bin/drizzle-kit generate --name init >"$T/kit.log" 2>&1
    ) || { fail "drizzle-kit generate failed: $(tail -5 "$T/kit.log")"; return 1; }
}

# Enum labels from a constant array or Object.values(enum) are read; what
# is computed in code (labels from .map(), a default from a call, a custom
# type, sql`...` index keys) is a note and nothing else.
test_drizzle_skipped_parts_are_not_compared() {
    drizzle_kit_install || return
    __js_project drizzle-skipped . || return
    expect_findings "$FIXTURES/drift/js/drizzle-skipped/skipped.expect" drift
    expect_rc 0
    # the constant array is read: a label added to it is drift
    sed -i 's/"member", "guest"\]/"member", "guest", "owner"]/' src/schema.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "src/schema.ts:13:21: warning: enum role is ('admin', 'member', 'guest', 'owner')"
}

# Prisma: relationMode = "prisma" means no foreign keys in the database;
# implicit many-to-many join tables are modelled as Prisma creates them.
test_prisma_relation_mode_and_join_tables() {
    __js_project prisma-relation-mode || return
    local dir=$FIXTURES/drift/js/prisma-relation-mode
    expect_findings "$dir/clean.expect" drift
    expect_rc 0
    sed -i '/relationMode/d' prisma/schema.prisma
    expect_findings "$dir/fks.expect" drift
    ml drift --format text --no-color
    expect_out 'foreign key _PostToTag (A) -> Post(id) is declared in prisma/schema.prisma'
}

# Drizzle declarations that used to vanish: .enableRLS(), pgTable.withRLS,
# pgSchema("x").table, pgTableCreator, customType with a literal dataType(),
# a table built in a helper function (a note, and not reported as extra).
test_drizzle_declarations_are_read_or_noted() {
    drizzle_kit_install || return
    __js_project drizzle-decls . || return
    local dir=$FIXTURES/drift/js/drizzle-decls
    expect_findings "$dir/clean.expect" drift
    expect_rc 0
    # drizzle-kit 0.31 cannot load pgTable.withRLS: edited in after generate
    sed -i 's/export const secrets = pgTable("secrets", {/export const secrets = pgTable.withRLS("secrets", {/' src/schema.ts
    expect_findings "$dir/clean.expect" drift
    # the custom type is compared: tsvector changed in the schema only
    sed -i 's/return "tsvector";/return "text";/' src/schema.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "src/schema.ts:17:3: error: users.search is text in src/schema.ts, tsvector in the migrations [drift-column-type]"
}

# Help SQL quotes what PostgreSQL needs quoted: reserved words too.
test_drift_help_quotes_reserved_words() {
    __js_project prisma-relation-mode || return
    sed -i -e '/relationMode/d' -e 's/@@map("users")/@@map("user")/' prisma/schema.prisma
    sed -i 's/"users"/"user"/g' prisma/migrations/*/migration.sql
    ml drift --format text --no-color
    expect_out 'help: ALTER TABLE "Post" ADD FOREIGN KEY (author_id) REFERENCES "user" (user_id) ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;'
}

# TypeORM: found with no arguments from its data source; @Unique / @Index
# on a relation property are its join column; a project's decorator around
# @Column keeps the column (its type not compared, the rest compared).
test_typeorm_data_source_relation_indexes_and_wrapped_columns() {
    __js_project typeorm-source || return
    expect_findings "$FIXTURES/drift/js/typeorm-source/clean.expect" drift
    expect_rc 0
    expect_findings "$FIXTURES/drift/js/typeorm-source/clean.expect" drift server/migration/postgres \
        server/entity/User.ts server/entity/Watch.ts
    sed -i "s/default: () => 'CURRENT_TIMESTAMP', nullable: true/default: () => 'CURRENT_TIMESTAMP'/" server/entity/Watch.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "server/entity/Watch.ts:22:3: warning: watch.addedAt is NOT NULL in server/entity/Watch.ts, nullable in the migrations [drift-nullability]"
}

# A monorepo: `migralint drift` at the root finds packages/db's drizzle
# config (a glob schema, out computed with path.join(__dirname, ...)); a
# path it cannot compute is named with what to pass instead.
test_drizzle_monorepo_discovery() {
    drizzle_kit_install || return
    __js_project drizzle-monorepo packages/db || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/displayName: text().notNull(),/displayName: text(),/' packages/db/src/schema/users.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "packages/db/src/schema/users.ts:5:3: warning: user.display_name is nullable in packages/db/src/schema/users.ts, NOT NULL in the migrations [drift-nullability]"
    sed -i 's/out: path.join(__dirname, "migrations"),/out: process.env.MIGRATIONS_DIR,/' packages/db/drizzle.config.ts
    ml drift
    expect_rc 2
    expect_err 'packages/db/drizzle.config.ts: out: process.env.MIGRATIONS_DIR is computed, not read; pass the migrations folder and the schema files'
}

# The monorepo walk takes folder types from readdir and asks stat only for
# symbolic links: a package linked into packages/ (pnpm workspaces, a
# shared package checked out beside the app) is still walked into.
test_drizzle_monorepo_discovery_through_symlinks() {
    drizzle_kit_install || return
    __js_project drizzle-monorepo packages/db || return
    mv packages/db "$T/db-real"
    ln -s "$T/db-real" packages/db
    sed -i 's/displayName: text().notNull(),/displayName: text(),/' "$T/db-real/src/schema/users.ts"
    ml drift --format gcc --fail-on warning
    expect_rc 1
    # (a file reached through a link out of the repository keeps its "./"
    # in the reported path; that is the report's, not the walk's)
    expect_out "src/schema/users.ts:5:3: warning: user.display_name is nullable in packages/db/"
}

# Prisma moved a column off an enum and dropped the enum with CASCADE
# (ghostfolio): PostgreSQL drops the old default cast to it; without
# CASCADE the default blocks the drop.
test_prisma_drop_enum_cascade_drops_defaults() {
    __js_project prisma-enum-cascade || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'drift-default'
    sed -i 's/DROP TYPE "Currency" CASCADE;/DROP TYPE "Currency";/' prisma/migrations/*_currency_to_text/migration.sql
    ml check prisma/migrations --format gcc
    expect_out 'prisma/migrations/20210201000000_currency_to_text/migration.sql:8:11: error: cannot drop type Currency: default value for column Account.currency depends on it [replay-conflict]'
}

# Prisma block comments (shelf.nu): the models after one are read, and a
# "/*" inside a string or a line comment starts none.
test_prisma_block_comments() {
    __js_project prisma-block-comment || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/  name String$/  name String?/' prisma/schema.prisma
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'prisma/schema.prisma:28:3: warning: Tier.name is nullable in prisma/schema.prisma, NOT NULL in the migrations [drift-nullability]'
}

# A Prisma list has no nullability in the schema (shelf.nu's hand-written
# NOT NULL arrays): not drift-nullability; its default is compared.
test_prisma_list_nullability_not_compared() {
    __js_project prisma-enum-cascade || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'drift-nullability'
    sed -i 's/String\[\] @default(\[\])/String[]/' prisma/schema.prisma
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'prisma/schema.prisma:9:3: warning: Account.tags has default none'
}

# A multi-file Prisma schema (rallly: prisma.config.ts names the folder,
# models in prisma/models/*.prisma) is found from the root and read whole;
# an enum's @@map, which tree-sitter-prisma cannot parse, is its type name.
test_prisma_multifile_schema_and_enum_map() {
    __js_project prisma-multifile || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/  ifNeedBe/  maybe/' packages/database/prisma/models/poll.prisma
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "packages/database/prisma/models/poll.prisma:17:6: warning: enum vote_type is ('yes', 'no', 'maybe')"
    sed -i 's/  title  String$/  title  String?/' packages/database/prisma/models/poll.prisma
    ml drift --format gcc --fail-on warning
    expect_out 'packages/database/prisma/models/poll.prisma:3:3: warning: polls.title is nullable in packages/database/prisma/models/poll.prisma, NOT NULL in the migrations [drift-nullability]'
}

# A data source whose globs are `__dirname + '/...'` (nestjs-boilerplate)
# is read like path.join(__dirname, ...), relative to its own folder.
test_typeorm_data_source_dirname_concatenation() {
    __js_project typeorm-source || return
    sed -i -e "s|entities: \['server/entity/\*\*/\*.ts'\]|entities: [__dirname + '/entity/**/*.ts']|" \
        -e "s|migrations: \['server/migration/postgres/\*\*/\*.ts'\]|migrations: [__dirname + '/migration/postgres/**/*{.ts,.js}']|" \
        server/datasource.ts
    grep -q "__dirname + '/migration/postgres" server/datasource.ts || fail "fixture edit did not apply"
    expect_findings "$FIXTURES/drift/js/typeorm-source/clean.expect" drift
    expect_rc 0
}

# The walk for a data source does not list the migrations folder itself
# (docs/drift.md): the project writing into it sits beside or above it, and
# a folder of 6,000 migrations costs a pre-commit run milliseconds to list.
# A data source moved into that folder is found from the root only.
test_typeorm_data_source_inside_the_migrations_folder_is_not_searched() {
    __js_project typeorm-source || return
    local mig=server/migration/postgres
    git add -A && git commit -qm init || { fail "git commit failed"; return; }
    git mv server/datasource.ts "$mig/datasource.ts" || { fail "git mv failed"; return; }
    sed -i -e "s|entities: \['server/entity/\*\*/\*.ts'\]|entities: [__dirname + '/../../entity/**/*.ts']|" \
        -e "s|migrations: \['$mig/\*\*/\*.ts'\]|migrations: [__dirname + '/*{.ts,.js}']|" "$mig/datasource.ts"
    grep -q "__dirname + '/\*{.ts,.js}'" "$mig/datasource.ts" || fail "fixture edit did not apply"
    ml drift --format gcc "$mig"
    expect_rc 2
    expect_err "no schema to compare with was found for the migrations"
    ml drift --format gcc
    expect_rc 0
    expect_out "server/entity/Watch.ts:22:4: note: watch.addedAt: @DbAwareColumn"
}

# Idempotent drops (better-chatbot): IF EXISTS (... information_schema ...)
# [AND EXISTS (...)] THEN DROP / ALTER what it names END IF is replayed,
# as IF NOT EXISTS ... THEN CREATE is.
test_do_block_if_exists_drops_are_replayed() {
    __js_project prisma-enum-cascade || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'legacy'
    expect_no_out 'Project'
    expect_no_out 'note'
    # the guard names another object: not followed
    sed -i "s/column_name = 'legacy'/column_name = 'other'/" prisma/migrations/*_drop_legacy/migration.sql
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'column Account.legacy is created by the migrations but not declared in prisma/schema.prisma [drift-extra-column]'
}

# better-chatbot: the drizzle config's paths are consts given by shorthand
# (`{ schema, out, dialect }`), and .array() starts a new column builder:
# json().notNull().array() is a nullable json[] (drizzle-kit is the oracle).
test_drizzle_array_resets_modifiers_and_const_config() {
    drizzle_kit_install || return
    __js_project drizzle-array . || return
    ml drift --format gcc --fail-on note
    expect_rc 0
    expect_eq "" "$OUT" "drift output"
    sed -i 's/json("parts").notNull().array()/json("parts").array().notNull()/' src/schema.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'src/schema.ts:5:3: warning: chat_message.parts is NOT NULL in src/schema.ts, nullable in the migrations [drift-nullability]'
}

# `type: String` / `type: Number` in @Column's options (nestjs-boilerplate)
# is the column's type: TypeORM does not look at the property's type then.
test_typeorm_js_constructor_types() {
    __js_project typeorm-source || return
    sed -i "s/@Column({ type: 'varchar', unique: true })/@Column({ type: String, unique: true })/" server/entity/User.ts
    expect_findings "$FIXTURES/drift/js/typeorm-source/clean.expect" drift
    sed -i "s/@Column({ type: String, unique: true })/@Column({ type: Number, unique: true })/" server/entity/User.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'server/entity/User.ts:9:3: error: user.email is integer in server/entity/User.ts, character varying in the migrations [drift-column-type]'
}

# awesome-nest-boilerplate: entities extend an abstract class of another
# file (its columns are theirs), the data source's SnakeNamingStrategy names
# columns and join columns, a @Column userId and the relation's
# @JoinColumn({ name: 'user_id' }) are one column, an enum imported from
# another file keeps its type name (labels not compared), a file two
# globs match is read once, TypeORM's BaseEntity adds no columns, and
# gen_random_uuid() is as good as uuid_generate_v4() for a uuid key.
test_typeorm_inherited_columns_and_snake_naming() {
    __js_project typeorm-inherit || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'drift-'"extra"
    expect_no_out 'which is not read' # TypeORM's own BaseEntity has no columns
    expect_no_out 'gen_random_uuid' # nis-school-crm: TypeORM reads it as its uuid generation too
    expect_out "src/modules/user/user.entity.ts:12:3: note: enum labels of users.role are not literal; not compared [drift-skipped]"
    sed -i "s/@UpdateDateColumn({ type: 'timestamp' })/@UpdateDateColumn({ type: 'timestamptz' })/" src/common/abstract.entity.ts
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'src/common/abstract.entity.ts:15:3: error: users.updated_at is timestamp with time zone in src/common/abstract.entity.ts, timestamp without time zone in the migrations [drift-column-type]'
    expect_out 'src/common/abstract.entity.ts:15:3: error: user_settings.updated_at is timestamp with time zone'
}

# A numeric default written 0.0 in the migrations and 0 in the schema is
# one value (compared as numbers, not as text); 1 is another.
test_numeric_defaults_compare_by_value() {
    __js_project prisma-enum-cascade || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'balance'
    sed -i 's/balance  Float    @default(0)/balance  Float    @default(1)/' prisma/schema.prisma
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out 'prisma/schema.prisma:11:3: warning: Account.balance has default 1 in prisma/schema.prisma'
}

# linkwarden: an enum created by EXECUTE 'CREATE TYPE ...' (a string
# literal) inside DO $$ IF NOT EXISTS ... $$ is replayed, labels and all.
test_do_block_execute_literal_is_replayed() {
    __js_project prisma-block-comment || return
    ml drift --format gcc --fail-on warning
    expect_rc 0
    expect_no_out 'Theme'
    sed -i 's/^  auto$/  system/' prisma/schema.prisma
    ml drift --format gcc --fail-on warning
    expect_rc 1
    expect_out "warning: enum Theme is ('dark', 'light', 'system') in prisma/schema.prisma, ('dark', 'light', 'auto') in the migrations [drift-enum]"
}
