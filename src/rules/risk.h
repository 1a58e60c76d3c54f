/* risk.h - a migration's risk level, from its findings:
 *
 *   critical  an error that loses data, breaks running code or fails the
 *             migration (destructive rules, parse-error,
 *             concurrent-in-transaction, replay-conflict at error level)
 *   high      any other error (locking: downtime while a lock is held)
 *   medium    warnings
 *   low       notes only, or nothing
 *
 * Suppressed findings do not count. */
#ifndef MIGRALINT_RISK_H
#define MIGRALINT_RISK_H

#include <stddef.h>

#include "../core/diag.h"

typedef enum risk_level { RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_CRITICAL } risk_level;

risk_level risk_of(diag *const *items, size_t n);
const char *risk_name(risk_level r);

#endif
