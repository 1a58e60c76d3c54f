/* registry.c - the table of rules, generated from registry.def. The ignore
 * rules (ignore-without-reason, unknown-rule-in-ignore) are reported by
 * ignore.c, not through this table, since they look at comments. */
#include "lint.h"

#define RULE(name) extern const rule rule_##name;
#include "registry.def"
#undef RULE

#define RULE(name) &rule_##name,
const rule *const rule_registry[] = {
#include "registry.def"
};
#undef RULE

const size_t rule_registry_count = sizeof rule_registry / sizeof rule_registry[0];
