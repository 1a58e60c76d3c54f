/* git.c - reading the repository with libgit2 (see git.h). */
#include "git.h"
#include "repo.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exitcode.h"

struct vcs_repo {
    git_repository *repo;
    char root[4096];
};

static const char *git_error_text(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

vcs_repo *vcs_open(const char *path)
{
    vcs_global_need();
    git_libgit2_init();
    /* libgit2 hashes every object it reads to check its id (git does not:
     * that is fsck's job): a tenth of a pre-commit run over 6,000 blobs. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    vcs_repo *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    int rc = path ? git_repository_open_ext(&r->repo, path, 0, NULL)
                  : git_repository_open_ext(&r->repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
    if (rc != 0) {
        fprintf(stderr, "migralint: %s: not inside a git repository (%s)\n", path ? path : ".",
                git_error_text());
        free(r);
        git_libgit2_shutdown();
        return NULL;
    }
    const char *wd = git_repository_workdir(r->repo);
    if (wd && strlen(wd) < sizeof r->root) {
        strcpy(r->root, wd);
        size_t n = strlen(r->root);
        if (n > 1 && r->root[n - 1] == '/')
            r->root[n - 1] = '\0';
    }
    return r;
}

void vcs_close(vcs_repo *r)
{
    if (!r)
        return;
    git_repository_free(r->repo);
    free(r);
    git_libgit2_shutdown();
}

const char *vcs_root(const vcs_repo *r)
{
    return r->root[0] ? r->root : NULL;
}

static bool resolve_commit(vcs_repo *r, const char *rev, git_oid *out)
{
    git_object *obj = NULL;
    if (git_revparse_single(&obj, r->repo, rev) != 0)
        return false;
    git_object *commit = NULL;
    bool ok = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0;
    if (ok)
        git_oid_cpy(out, git_object_id(commit));
    git_object_free(commit);
    git_object_free(obj);
    return ok;
}

static const char shallow_hint[] =
    "this is a shallow clone; fetch the whole history (`git fetch --unshallow`, "
    "or actions/checkout with `fetch-depth: 0`)";

int vcs_merge_base(vcs_repo *r, const char *rev, char hex[41], char tip[41])
{
    git_oid base, head, mb;
    bool shallow = git_repository_is_shallow(r->repo) == 1;
    if (!resolve_commit(r, rev, &base)) {
        fprintf(stderr, "migralint: --base %s: no such revision in this repository%s%s\n", rev,
                shallow ? "; " : "", shallow ? shallow_hint : "");
        return shallow ? EXIT_INPUT : EXIT_USAGE;
    }
    if (!resolve_commit(r, "HEAD", &head)) {
        fprintf(stderr, "migralint: --base %s: HEAD has no commit yet\n", rev);
        return EXIT_INPUT;
    }
    int rc = git_merge_base(&mb, r->repo, &base, &head);
    if (rc != 0) {
        if (shallow)
            fprintf(stderr,
                    "migralint: --base %s: the merge-base with HEAD is not in the history; %s\n",
                    rev, shallow_hint);
        else if (rc == GIT_ENOTFOUND)
            fprintf(stderr, "migralint: --base %s: no common ancestor with HEAD\n", rev);
        else
            fprintf(stderr, "migralint: --base %s: %s\n", rev, git_error_text());
        return EXIT_INPUT;
    }
    /* A shallow clone can name a merge-base that is a graft point: its
     * parents are missing but its tree is there, so it can be read. */
    git_oid_tostr(hex, 41, &mb);
    git_oid_tostr(tip, 41, &base);
    return 0;
}

const char *vcs_github_base(vcs_repo *r, arena *a)
{
    const char *ref = getenv("GITHUB_BASE_REF");
    git_oid oid;
    if (!ref || !*ref)
        return NULL;
    const char *remote = arena_printf(a, "origin/%s", ref);
    if (resolve_commit(r, remote, &oid))
        return remote;
    return resolve_commit(r, ref, &oid) ? ref : NULL;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const vcs_file *)a)->path, ((const vcs_file *)b)->path);
}

/* Lists are kept in path order so that lookups can bisect (3,000
 * migrations make a linear scan per file show). */
static void files_sort(vcs_files *f)
{
    if (f->count > 1)
        qsort(f->items, f->count, sizeof *f->items, file_cmp);
}

static void files_add(vcs_files *out, arena *a, const char *path, const git_oid *id)
{
    if (out->count == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->items = realloc(out->items, out->cap * sizeof *out->items);
        if (!out->items)
            abort();
    }
    vcs_file *f = &out->items[out->count++];
    memset(f, 0, sizeof *f);
    f->path = a ? arena_strdup(a, path) : path; /* NULL a: path is the arena's already */
    git_oid_tostr(f->oid, sizeof f->oid, id);
}

static bool load_blob(git_repository *repo, const git_oid *id, arena *a, vcs_file *f)
{
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, repo, id) != 0) {
        fprintf(stderr, "migralint: %s: cannot read blob %s: %s\n", f->path, f->oid,
                git_error_text());
        return false;
    }
    size_t n = (size_t)git_blob_rawsize(blob);
    char *copy = arena_alloc(a, n + 1);
    memcpy(copy, git_blob_rawcontent(blob), n);
    copy[n] = '\0';
    f->data = copy;
    f->len = n;
    git_blob_free(blob);
    return true;
}

typedef struct walk_state {
    vcs_repo *r;
    const char *dir;
    arena *a;
    vcs_files *out;
    bool data, ok;
} walk_state;

static int walk_entry(const char *root, const git_tree_entry *e, void *payload)
{
    walk_state *w = payload;
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
        return 0;
    /* dir/root/name, built by hand: a folder of 6,000 files calls this
     * 6,000 times per tree read. */
    const char *dir = w->dir, *name = git_tree_entry_name(e);
    size_t nd = strlen(dir), nr = strlen(root), nn = strlen(name), sep = nd ? 1 : 0;
    char *path = arena_alloc(w->a, nd + sep + nr + nn + 1);
    memcpy(path, dir, nd);
    memcpy(path + nd, "/", sep);
    memcpy(path + nd + sep, root, nr);
    memcpy(path + nd + sep + nr, name, nn + 1);
    files_add(w->out, NULL, path, git_tree_entry_id(e));
    if (w->data &&
        !load_blob(w->r->repo, git_tree_entry_id(e), w->a, &w->out->items[w->out->count - 1]))
        w->ok = false;
    return 0;
}

static bool read_tree_dir(vcs_repo *r, const char *commit, const char *dir, arena *a,
                          vcs_files *out, bool data)
{
    git_oid id;
    if (!resolve_commit(r, commit, &id))
        return !strcmp(commit, "HEAD"); /* an unborn branch has an empty tree */
    git_commit *c = NULL;
    git_tree *tree = NULL, *sub = NULL;
    git_tree_entry *entry = NULL;
    bool ok = git_commit_lookup(&c, r->repo, &id) == 0 && git_commit_tree(&tree, c) == 0;
    if (!ok) {
        fprintf(stderr, "migralint: cannot read commit %s: %s\n", commit, git_error_text());
    } else if (*dir) {
        /* A folder the commit does not have is simply empty there. */
        if (git_tree_entry_bypath(&entry, tree, dir) == 0 &&
            git_tree_entry_type(entry) == GIT_OBJECT_TREE)
            ok = git_tree_lookup(&sub, r->repo, git_tree_entry_id(entry)) == 0;
    } else {
        ok = git_tree_dup(&sub, tree) == 0;
    }
    if (ok && sub) {
        walk_state w = {r, dir, a, out, data, true};
        git_tree_walk(sub, GIT_TREEWALK_PRE, walk_entry, &w);
        ok = w.ok;
    }
    files_sort(out);
    git_tree_entry_free(entry);
    git_tree_free(sub);
    git_tree_free(tree);
    git_commit_free(c);
    return ok;
}

bool vcs_read_commit_dir(vcs_repo *r, const char *commit, const char *dir, arena *a, vcs_files *out)
{
    return read_tree_dir(r, commit, dir, a, out, true);
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return n == 0 || (strncmp(path, dir, n) == 0 && path[n] == '/');
}

static bool read_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out, bool data)
{
    git_index *idx = NULL;
    if (git_repository_index(&idx, r->repo) != 0) {
        fprintf(stderr, "migralint: cannot read the git index: %s\n", git_error_text());
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < git_index_entrycount(idx); i++) {
        const git_index_entry *e = git_index_get_byindex(idx, i);
        if (!e || git_index_entry_stage(e) != 0 || !under(e->path, dir))
            continue;
        if (e->mode == GIT_FILEMODE_COMMIT) /* a submodule */
            continue;
        files_add(out, a, e->path, &e->id);
        if (data && !load_blob(r->repo, &e->id, a, &out->items[out->count - 1]))
            ok = false;
    }
    git_index_free(idx);
    files_sort(out);
    return ok;
}

bool vcs_read_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    return read_index_dir(r, dir, a, out, true);
}

bool vcs_staged_paths(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    vcs_files head = {0}, idx = {0};
    bool ok =
        read_tree_dir(r, "HEAD", dir, a, &head, false) && read_index_dir(r, dir, a, &idx, false);
    for (size_t i = 0; ok && i < idx.count; i++) {
        const vcs_file *h = vcs_files_find(&head, idx.items[i].path);
        if (!h || strcmp(h->oid, idx.items[i].oid) != 0) {
            files_add(out, a, idx.items[i].path, &(git_oid){{0}});
            strcpy(out->items[out->count - 1].oid, idx.items[i].oid);
        }
    }
    for (size_t i = 0; ok && i < head.count; i++)
        if (!vcs_files_find(&idx, head.items[i].path)) {
            files_add(out, a, head.items[i].path, &(git_oid){{0}});
            out->items[out->count - 1].oid[0] = '\0'; /* deleted in the index */
        }
    vcs_files_free(&head);
    vcs_files_free(&idx);
    files_sort(out);
    return ok;
}

void vcs_files_free(vcs_files *f)
{
    free(f->items);
    f->items = NULL;
    f->count = f->cap = 0;
}

const vcs_file *vcs_files_find(const vcs_files *f, const char *path)
{
    vcs_file key = {.path = path};
    return f->count ? bsearch(&key, f->items, f->count, sizeof *f->items, file_cmp) : NULL;
}
