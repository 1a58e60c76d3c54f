/* drift_column_type.c - drift-column-type: a column's type differs between the ORM schema and the
 * migrations. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_column_type = {.id = "drift-column-type"};
