#!/usr/bin/env bash
# gen_drift.sh DIR N - a project with a Drizzle schema of N tables
# (DIR/db/schema.ts) and the plain SQL migrations that build the same schema
# (DIR/db/migrations, ten tables per file), for timing `migralint drift`.
# Deterministic: the same N gives the same files.
set -euo pipefail
dir=$1 n=$2
rm -rf "$dir"
mkdir -p "$dir/db/migrations"
git init -q "$dir" # its own root, wherever it is generated
printf '{"drift": {"orm": "drizzle", "schema": "db/schema.ts", "migrations": "db/migrations"}}\n' \
    >"$dir/.migralint.json"
{
    printf 'import { pgTable, serial, integer, text, varchar, boolean, timestamp, index } from "drizzle-orm/pg-core";\n\n'
    for ((i = 1; i <= n; i++)); do
        printf 'export const t%d = pgTable("t%d", {\n' "$i" "$i"
        printf '  id: serial("id").primaryKey(),\n'
        printf '  name: text("name").notNull(),\n'
        printf '  email: varchar("email", { length: 255 }),\n'
        printf '  active: boolean("active").default(true).notNull(),\n'
        printf '  createdAt: timestamp("created_at").defaultNow().notNull(),\n'
        if ((i > 1)); then
            printf '  parentId: integer("parent_id").references(() => t%d.id),\n' $((i - 1))
        fi
        printf '}, (t) => ({\n  nameIdx: index("t%d_name_idx").on(t.name),\n}));\n\n' "$i"
    done
} >"$dir/db/schema.ts"
for ((f = 0; f * 10 < n; f++)); do
    out=$(printf '%s/db/migrations/%04d_tables.sql' "$dir" $((f + 1)))
    for ((i = f * 10 + 1; i <= n && i <= f * 10 + 10; i++)); do
        printf 'CREATE TABLE "t%d" (\n' "$i"
        printf '\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text NOT NULL,\n'
        printf '\t"email" varchar(255),\n\t"active" boolean DEFAULT true NOT NULL,\n'
        if ((i > 1)); then
            printf '\t"created_at" timestamp DEFAULT now() NOT NULL,\n\t"parent_id" integer\n);\n'
            printf 'ALTER TABLE "t%d" ADD CONSTRAINT "t%d_parent_id_t%d_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."t%d"("id") ON DELETE no action ON UPDATE no action;\n' \
                "$i" "$i" $((i - 1)) $((i - 1))
        else
            printf '\t"created_at" timestamp DEFAULT now() NOT NULL\n);\n'
        fi
        printf 'CREATE INDEX "t%d_name_idx" ON "t%d" USING btree ("name");\n' "$i" "$i"
    done >"$out"
done
