/* drift_missing_table.c - drift-missing-table: a table the ORM schema declares is created by no
 * migration. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_missing_table = {.id = "drift-missing-table"};
