/* drift_foreign_key.c - drift-foreign-key: a foreign key or its ON DELETE/ON UPDATE differs.
 * Reported by the drift comparison (src/drift), not per statement: the rule
 * is registered so its level, documentation and --rule/--disable-rule work
 * like every other rule's. */
#include "rule.h"

const rule rule_drift_foreign_key = {.id = "drift-foreign-key"};
