/* platform.c - objects a hosting platform creates before the first
 * migration runs. A Supabase project starts with the auth, storage,
 * realtime... schemas and tables such as auth.users, which migrations
 * reference (foreign keys, triggers, views) but never create. The catalog
 * replays a short description of them from a source named
 * "<platform: NAME>", so every object it builds carries that origin: such
 * objects are pre-existing and platform-owned, not reported as created by
 * the migrations and not printed by `migralint schema` (platform_owned.c
 * tells them apart, below the replay this file calls). */
#include "internal.h"

#include <string.h>

/* What the Supabase platform provides (as of 2025: auth v2, storage v1).
 * Only what migrations lean on: the schemas, the auth and storage tables
 * they reference, and the helper functions policies and defaults call. */
static const char supabase_sql[] =
    "CREATE SCHEMA auth;\n"
    "CREATE SCHEMA storage;\n"
    "CREATE SCHEMA extensions;\n"
    "CREATE SCHEMA realtime;\n"
    "CREATE SCHEMA graphql;\n"
    "CREATE SCHEMA graphql_public;\n"
    "CREATE SCHEMA vault;\n"
    "CREATE SCHEMA pgsodium;\n"
    "CREATE SCHEMA pgsodium_masks;\n"
    "CREATE SCHEMA supabase_functions;\n"
    "CREATE SCHEMA supabase_migrations;\n"
    "CREATE SCHEMA net;\n"
    "CREATE SCHEMA cron;\n"
    "CREATE SCHEMA pgbouncer;\n"
    "CREATE TABLE auth.users (instance_id uuid, id uuid NOT NULL PRIMARY KEY,\n"
    "  aud varchar(255), role varchar(255), email varchar(255),\n"
    "  encrypted_password varchar(255), email_confirmed_at timestamptz,\n"
    "  invited_at timestamptz, confirmation_token varchar(255),\n"
    "  confirmation_sent_at timestamptz, recovery_token varchar(255),\n"
    "  recovery_sent_at timestamptz, email_change_token_new varchar(255),\n"
    "  email_change varchar(255), email_change_sent_at timestamptz,\n"
    "  last_sign_in_at timestamptz, raw_app_meta_data jsonb, raw_user_meta_data jsonb,\n"
    "  is_super_admin boolean, created_at timestamptz, updated_at timestamptz,\n"
    "  phone text UNIQUE DEFAULT NULL, phone_confirmed_at timestamptz,\n"
    "  phone_change text DEFAULT '', phone_change_token varchar(255) DEFAULT '',\n"
    "  phone_change_sent_at timestamptz, confirmed_at timestamptz,\n"
    "  email_change_token_current varchar(255) DEFAULT '',\n"
    "  email_change_confirm_status smallint DEFAULT 0, banned_until timestamptz,\n"
    "  reauthentication_token varchar(255) DEFAULT '', reauthentication_sent_at timestamptz,\n"
    "  is_sso_user boolean NOT NULL DEFAULT false, deleted_at timestamptz,\n"
    "  is_anonymous boolean NOT NULL DEFAULT false);\n"
    "CREATE TABLE auth.identities (provider_id text NOT NULL,\n"
    "  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,\n"
    "  identity_data jsonb NOT NULL, provider text NOT NULL, last_sign_in_at timestamptz,\n"
    "  created_at timestamptz, updated_at timestamptz, email text,\n"
    "  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY);\n"
    "CREATE TABLE auth.sessions (id uuid NOT NULL PRIMARY KEY,\n"
    "  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,\n"
    "  created_at timestamptz, updated_at timestamptz, not_after timestamptz,\n"
    "  aal text, factor_id uuid, refreshed_at timestamp, user_agent text, ip inet, tag text);\n"
    "CREATE TABLE storage.buckets (id text NOT NULL PRIMARY KEY, name text NOT NULL,\n"
    "  owner uuid, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(),\n"
    "  public boolean DEFAULT false, avif_autodetection boolean DEFAULT false,\n"
    "  file_size_limit bigint, allowed_mime_types text[], owner_id text);\n"
    "CREATE TABLE storage.objects (id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,\n"
    "  bucket_id text REFERENCES storage.buckets (id), name text, owner uuid,\n"
    "  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(),\n"
    "  last_accessed_at timestamptz DEFAULT now(), metadata jsonb, path_tokens text[],\n"
    "  version text, owner_id text, user_metadata jsonb);\n"
    "CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS '';\n"
    "CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS '';\n"
    "CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS '';\n"
    "CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS '';\n"
    "CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS '';\n"
    "CREATE FUNCTION storage.filename(name text) RETURNS text LANGUAGE sql IMMUTABLE AS '';\n"
    "CREATE FUNCTION storage.extension(name text) RETURNS text LANGUAGE sql IMMUTABLE AS '';\n";

static const struct {
    const char *name;
    const char *sql;
} platforms[] = {
    {"supabase", supabase_sql},
};

bool catalog_add_platform(catalog *c, const char *platform)
{
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof platforms / sizeof *platforms; i++)
        if (!strcmp(platforms[i].name, platform))
            sql = platforms[i].sql;
    if (!sql)
        return false;
    size_t before = c->nschemas;
    source *src =
        source_new(arena_printf(c->a, CAT_PLATFORM_PREFIX "%s>", platform), sql, strlen(sql));
    sql_file *f = sql_file_parse(src, 0, src->len);
    if (f)
        catalog_apply_file(c, f, NULL, NULL);
    for (size_t i = before; i < c->nschemas; i++)
        CAT_PUSH(c->a, c->platform_schemas, c->nplatform_schemas, c->schemas[i]);
    if (f)
        sql_file_free(f);
    source_free(src);
    return true;
}
