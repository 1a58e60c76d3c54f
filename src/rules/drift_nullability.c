/* drift_nullability.c - drift-nullability: a column is NOT NULL on one side and nullable on the
 * other. Reported by the drift comparison (src/drift), not per statement: the rule is registered so
 * its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_nullability = {.id = "drift-nullability"};
