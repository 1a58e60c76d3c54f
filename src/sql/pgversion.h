/* pgversion.h - the PostgreSQL major versions migralint's SQL grammar
 * (libpg_query) covers. Here, below the rules and the configuration, so
 * that both can name them (config/pg_target.h settles which one a
 * repository targets). */
#ifndef MIGRALINT_PGVERSION_H
#define MIGRALINT_PGVERSION_H

#define PG_TARGET_MIN     13
#define PG_TARGET_MAX     17 /* libpg_query 17's grammar */
#define PG_TARGET_DEFAULT PG_TARGET_MAX

#endif
