/* drift_skipped.c - drift-skipped: the drift extractor skipped a construct it cannot read
 * statically. Reported by the drift comparison (src/drift), not per statement: the rule is
 * registered so its level, documentation and --rule/--disable-rule work like every other rule's. */
#include "rule.h"

const rule rule_drift_skipped = {.id = "drift-skipped"};
