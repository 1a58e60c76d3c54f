/* drift_extra_table.c - drift-extra-table: a table the migrations create is not declared in the ORM
 * schema. Reported by the drift comparison (src/drift), not per statement: the rule is registered
 * so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_extra_table = {.id = "drift-extra-table"};
