/* drift_extra_column.c - drift-extra-column: a column the migrations create is not declared in the
 * ORM schema. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_extra_column = {.id = "drift-extra-column"};
