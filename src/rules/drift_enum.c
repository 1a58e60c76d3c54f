/* drift_enum.c - drift-enum: an enum type or its values differ between the ORM schema and the
 * migrations. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_enum = {.id = "drift-enum"};
