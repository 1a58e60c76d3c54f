/* test_pg_target.c - the PostgreSQL version an image reference names
 * (src/config/pg_target.c), on the spellings real projects use. */
#include "../../src/config/pg_target.h"
#include "unit.h"

void unit_suite_pg_target(void)
{
    TEST("pg_target: official, alpine, patch and digest tags")
    {
        CHECK_INT(16, pg_target_image_version("postgres:16"));
        CHECK_INT(16, pg_target_image_version("postgres:16-alpine"));
        CHECK_INT(15, pg_target_image_version("postgres:15.4-bookworm"));
        CHECK_INT(13, pg_target_image_version("docker.io/library/postgres:13"));
        CHECK_INT(14, pg_target_image_version("registry.local:5000/postgres:14@sha256:0123abcd"));
        CHECK_INT(9, pg_target_image_version("postgres:9.6"));
    }
    TEST("pg_target: images built on postgres")
    {
        CHECK_INT(16, pg_target_image_version("postgis/postgis:16-3.4"));
        CHECK_INT(15, pg_target_image_version("supabase/postgres:15.1.0.117"));
        CHECK_INT(16, pg_target_image_version("timescale/timescaledb:2.14.2-pg16"));
        CHECK_INT(17, pg_target_image_version("timescale/timescaledb-ha:pg17"));
        CHECK_INT(16, pg_target_image_version("pgvector/pgvector:pg16"));
        CHECK_INT(16, pg_target_image_version("bitnami/postgresql:16.2.0"));
        CHECK_INT(16, pg_target_image_version("pgautoupgrade/pgautoupgrade:16-alpine"));
        CHECK_INT(16, pg_target_image_version("cimg/postgres:16.2"));
    }
    TEST("pg_target: no version, or not postgres")
    {
        CHECK_INT(0, pg_target_image_version("postgres"));
        CHECK_INT(0, pg_target_image_version("postgres:latest"));
        CHECK_INT(0, pg_target_image_version("postgres:alpine"));
        CHECK_INT(0, pg_target_image_version("ankane/pgvector:v0.5.1"));
        CHECK_INT(0, pg_target_image_version("redis:7"));
        CHECK_INT(0, pg_target_image_version("mysql:8.0"));
        CHECK_INT(0, pg_target_image_version("5432:5432"));
        CHECK_INT(0, pg_target_image_version("node:20 postgres:16"));
    }
}
