/* drift_missing_column.c - drift-missing-column: a column the ORM schema declares is created by no
 * migration. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_missing_column = {.id = "drift-missing-column"};
