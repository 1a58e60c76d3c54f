/* sarif.c - `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other
 * SARIF viewers. The choices follow what code scanning needs (see
 * docs/output.md): a descriptor for every rule so ruleIndex is simply the
 * rule's place in the sorted rule table, repository-relative URIs under
 * %SRCROOT%, columns in code points, a line-independent fingerprint, and
 * no security-severity (these are not security alerts). Suppressed findings
 * are left out: code scanning does not honour SARIF suppressions. */
#include <stdlib.h>
#include <string.h>

#include "../rules/ruledoc.h"
#include "report.h"
#include "report_util.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT      "%SRCROOT%"

static cJSON *text_obj(const char *key, const char *text)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, key, text ? text : "");
    return o;
}

static bool ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* "drop-column" -> "DropColumn", the conventional shape of a rule name. */
static char *camel_case(const char *id)
{
    strbuf b = STRBUF_INIT;
    bool up = true;
    for (const char *p = id; *p; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        strbuf_putc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
        up = false;
    }
    return strbuf_detach(&b);
}

static cJSON *rule_descriptor(const rule_doc *doc)
{
    char url[256];
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", doc->id);
    char *name = camel_case(doc->id);
    cJSON_AddStringToObject(r, "name", name);
    free(name);
    cJSON_AddItemToObject(r, "shortDescription", text_obj("text", doc->summary));
    cJSON_AddItemToObject(r, "fullDescription", text_obj("text", doc->summary));
    cJSON *help = text_obj("text", doc->markdown);
    cJSON_AddStringToObject(help, "markdown", doc->markdown ? doc->markdown : "");
    cJSON_AddItemToObject(r, "help", help);
    cJSON_AddStringToObject(r, "helpUri", ruledoc_url(doc, url, sizeof url));
    cJSON *conf = text_obj("level", diag_level_name(doc->level));
    if (doc->opt_in)
        cJSON_AddFalseToObject(conf, "enabled");
    cJSON_AddItemToObject(r, "defaultConfiguration", conf);
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString(doc->category));
    return r;
}

static cJSON *tool_json(void)
{
    cJSON *tool = cJSON_CreateObject();
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "migralint");
    cJSON_AddStringToObject(driver, "version", MIGRALINT_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", MIGRALINT_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", MIGRALINT_URL);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (size_t i = 0; i < ruledoc_count(); i++)
        cJSON_AddItemToArray(rules, rule_descriptor(ruledoc_at(i)));
    return tool;
}

/* RFC 3986 relative reference: unreserved characters and '/' stay, every
 * other byte (spaces, '%', '#', '?', ':', non-ASCII UTF-8) is %XX-encoded.
 * Encoding ':' also keeps "a:b.sql" from reading as a URI scheme. */
static char *uri_encode(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    strbuf b = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (ascii_alnum(*p) || strchr("-._~/", *p)) {
            strbuf_putc(&b, (char)*p);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_add(&b, esc, 3);
        }
    }
    return strbuf_detach(&b);
}

static cJSON *physical_location(const char *path, source_pos pos, source_pos end)
{
    cJSON *phys = cJSON_CreateObject();
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    char *uri = uri_encode(path);
    cJSON_AddStringToObject(art, "uri", uri);
    free(uri);
    cJSON_AddStringToObject(art, "uriBaseId", SRCROOT);
    cJSON *region = cJSON_AddObjectToObject(phys, "region");
    cJSON_AddNumberToObject(region, "startLine", pos.line);
    cJSON_AddNumberToObject(region, "startColumn", pos.col);
    cJSON_AddNumberToObject(region, "endLine", end.line);
    cJSON_AddNumberToObject(region, "endColumn", end.col);
    return phys;
}

static cJSON *related_locations(const diag *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < d->nrelated; i++) {
        const diag_related *r = &d->related[i];
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddNumberToObject(loc, "id", (double)i + 1);
        cJSON_AddItemToObject(loc, "physicalLocation",
                              physical_location(r->path, r->pos, r->end_pos));
        cJSON_AddItemToObject(loc, "message", text_obj("text", r->message));
        cJSON_AddItemToArray(arr, loc);
    }
    return arr;
}

static cJSON *result_json(const diag *d)
{
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "ruleId", d->rule_id);
    int index = ruledoc_index(d->rule_id);
    if (index >= 0) /* every rule has a document; stay valid if one slips */
        cJSON_AddNumberToObject(res, "ruleIndex", index);
    cJSON_AddStringToObject(res, "level", diag_level_name(d->level));
    cJSON_AddItemToObject(res, "message", text_obj("text", d->message));
    cJSON *locs = cJSON_AddArrayToObject(res, "locations");
    cJSON *loc = cJSON_CreateObject();
    cJSON_AddItemToObject(loc, "physicalLocation",
                          physical_location(d->src->path, d->pos, d->end_pos));
    cJSON_AddItemToArray(locs, loc);
    if (d->nrelated)
        cJSON_AddItemToObject(res, "relatedLocations", related_locations(d));
    cJSON *fp = cJSON_AddObjectToObject(res, "partialFingerprints");
    cJSON_AddStringToObject(fp, "migralintFingerprint/v1", d->fingerprint);
    cJSON *props = cJSON_AddObjectToObject(res, "properties");
    if (d->risk)
        cJSON_AddStringToObject(props, "migralintRisk", d->risk);
    return res;
}

static cJSON *run_json(const report_input *in)
{
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToObject(run, "tool", tool_json());
    /* No "uri": the checkout's absolute path is different on every runner
     * and would only leak the local directory; consumers such as code
     * scanning resolve %SRCROOT% to the repository root themselves. */
    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON *root = cJSON_AddObjectToObject(bases, SRCROOT);
    cJSON_AddItemToObject(root, "description",
                          text_obj("text", "The root of the repository that was checked."));
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < in->diags->count; i++) {
        const diag *d = in->diags->items[i];
        if (!d->suppressed)
            cJSON_AddItemToArray(results, result_json(d));
    }
    return run;
}

int report_sarif(FILE *out, const report_input *in)
{
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(log, "runs");
    cJSON_AddItemToArray(runs, run_json(in));
    return report_print_json(out, log);
}
