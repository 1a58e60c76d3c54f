/* internal.h - what the drift files share: reporting at a catalog object's
 * origin, and attaching the SQL that closes a gap as help. */
#ifndef MIGRALINT_DRIFT_INTERNAL_H
#define MIGRALINT_DRIFT_INTERNAL_H

#include "drift.h"

diag *drift_report_origin(drift_ctx *ctx, const char *rule_id, const cat_origin *o, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
void drift_help(drift_ctx *ctx, diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
