/* drift_index.c - drift-index: an index or unique constraint exists on only one side.
 * Reported by the drift comparison (src/drift), not per statement: the rule
 * is registered so its level, documentation and --rule/--disable-rule work
 * like every other rule's. */
#include "rule.h"

const rule rule_drift_index = {.id = "drift-index"};
