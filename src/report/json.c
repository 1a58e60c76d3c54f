/* json.c - `--format json`: a pretty-printed array with one object per
 * finding, for scripts and other tools. The keys and their order are a
 * documented, stable interface (docs/json-format.md): add keys at the end of
 * an object, never rename or drop one without a major version. */
#include "report.h"
#include "report_util.h"

static void add_range(cJSON *obj, const char *path, source_pos pos, source_pos end)
{
    cJSON_AddStringToObject(obj, "path", path);
    cJSON_AddNumberToObject(obj, "line", pos.line);
    cJSON_AddNumberToObject(obj, "column", pos.col);
    cJSON_AddNumberToObject(obj, "end_line", end.line);
    cJSON_AddNumberToObject(obj, "end_column", end.col);
}

static cJSON *related_json(const diag *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < d->nrelated; i++) {
        const diag_related *r = &d->related[i];
        cJSON *obj = cJSON_CreateObject();
        add_range(obj, r->path, r->pos, r->end_pos);
        report_json_str(obj, "message", r->message);
        cJSON_AddItemToArray(arr, obj);
    }
    return arr;
}

static cJSON *finding_json(const diag *d)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "rule", d->rule_id);
    cJSON_AddStringToObject(obj, "level", diag_level_name(d->level));
    add_range(obj, d->src->path, d->pos, d->end_pos);
    report_json_str(obj, "message", d->message);
    report_json_str(obj, "help", d->help);
    cJSON_AddStringToObject(obj, "fingerprint", d->fingerprint);
    if (d->risk)
        cJSON_AddStringToObject(obj, "risk", d->risk);
    else
        cJSON_AddNullToObject(obj, "risk");
    cJSON_AddItemToObject(obj, "related", related_json(d));
    return obj;
}

int report_json(FILE *out, const report_input *in)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < in->diags->count; i++) {
        const diag *d = in->diags->items[i];
        if (!d->suppressed)
            cJSON_AddItemToArray(arr, finding_json(d));
    }
    return report_print_json(out, arr);
}
