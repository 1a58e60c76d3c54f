/* git.c - reading the repository with libgit2 (see git.h). */
#include "git.h"
#include "repo.h"

#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/cpus.h"
#include "../core/exitcode.h"
#include "../core/strbuf.h"

struct vcs_repo {
    git_repository *repo;
    char root[4096];
    /* Opened on a second thread (see vcs_open): joined by ready() before
     * anything reads the repository. */
    pthread_t opener;
    bool pending, failed;
    char error[512]; /* why the open failed, said once by ready() */
    /* Folders read from the index with their texts, kept for a second
     * reader (--staged discovers folders from the index, then lints
     * them): strings in the repository's own arena. */
    struct kept_dir {
        const char *dir;
        vcs_files files;
        strbuf msgs; /* its read failures, said by each reader but the quiet */
        bool ok;
    } kept[8];
    size_t nkept;
    arena *keep;
    /* The first index listing made (discovery's, of the whole index, under
     * --staged), kept: a later listing of a folder below takes its run
     * from it instead of walking the index again. Paths in keep. */
    vcs_files listed;
    const char *listed_dir; /* NULL: none yet */
    /* HEAD's whole tree, read on a third thread while the opener reads
     * the index (see open_now); NULL when not read ahead. */
    struct head_ahead *ahead;
    bool want_head; /* --staged: worth reading HEAD's tree ahead */
};

/* The repository vcs_open opened last and vcs_close has not closed. */
static vcs_repo *current;

static const char *git_error_text(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

static void ahead_start(vcs_repo *r);
static void ahead_free(vcs_repo *r);

/* libgit2's start-up, the open, and the index read once (libgit2 keeps it
 * in the repository for every later git_repository_index). */
static void open_now(vcs_repo *r, const char *path, bool read_index)
{
    vcs_global_need();
    git_libgit2_init();
    /* libgit2 hashes every object it reads to check its id (git does not:
     * that is fsck's job): a tenth of a pre-commit run over 6,000 blobs. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    int rc = path ? git_repository_open_ext(&r->repo, path, 0, NULL)
                  : git_repository_open_ext(&r->repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
    if (rc != 0) {
        snprintf(r->error, sizeof r->error, "%s", git_error_text());
        r->failed = true;
        r->repo = NULL;
        git_libgit2_shutdown();
        return;
    }
    const char *wd = git_repository_workdir(r->repo);
    if (wd && strlen(wd) < sizeof r->root) {
        strcpy(r->root, wd);
        size_t n = strlen(r->root);
        if (n > 1 && r->root[n - 1] == '/')
            r->root[n - 1] = '\0';
    }
    git_index *idx = NULL;
    if (read_index && r->want_head)
        ahead_start(r);
    if (read_index && git_repository_index(&idx, r->repo) == 0)
        git_index_free(idx); /* the repository keeps its own reference */
}

static void *open_main(void *arg)
{
    open_now(arg, NULL, true);
    return NULL;
}

/* Waits for the opener; false (said once) when the open failed. */
static bool ready(vcs_repo *r)
{
    if (r->pending) {
        pthread_join(r->opener, NULL);
        r->pending = false;
        if (r->failed)
            fprintf(stderr, "migralint: cannot open the git repository at %s: %s\n", r->root,
                    r->error);
    }
    return !r->failed;
}

vcs_repo *vcs_open(const char *path, bool staged)
{
    vcs_repo *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    /* libgit2's start-up and the index of a big repository (33 M
     * instructions for 6,000 files: libgit2 hashes the whole index file):
     * when the repository is a plain one found without libgit2, both run
     * on a second thread while the caller goes on (a pre-commit run looks
     * for a PostgreSQL version pin meanwhile), and HEAD's tree on a third
     * when staged (ahead_start). Anything else is opened here and now.
     * (The start-up parsed the system's CA bundle too: src/vcs/tls.c.) */
    r->want_head = staged;
    if (!path && cpus_two() && vcs_plain_root(r->root, sizeof r->root)) {
        r->pending = cpus_thread_start(&r->opener, open_main, r) == 0;
        if (r->pending)
            return current = r;
    }
    open_now(r, path, false);
    if (r->failed) {
        fprintf(stderr, "migralint: %s: not inside a git repository (%s)\n", path ? path : ".",
                r->error);
        free(r);
        return NULL;
    }
    current = r;
    return r;
}

void vcs_close(vcs_repo *r)
{
    if (!r)
        return;
    if (ready(r)) {
        git_repository_free(r->repo);
        git_libgit2_shutdown();
    }
    ahead_free(r);
    for (size_t i = 0; i < r->nkept; i++) {
        vcs_files_free(&r->kept[i].files);
        strbuf_free(&r->kept[i].msgs);
    }
    vcs_files_free(&r->listed);
    arena_free(r->keep);
    if (current == r)
        current = NULL;
    free(r);
}

vcs_repo *vcs_current(void)
{
    return current;
}

const char *vcs_root(vcs_repo *r)
{
    return ready(r) && r->root[0] ? r->root : NULL;
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
    if (!ready(r))
        return EXIT_INPUT;
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
    if (!ref || !*ref || !ready(r))
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
    /* The index and trees come in path order already: one pass says so
     * (qsort of 6,000 sorted entries was 4 M instructions). */
    size_t i = 1;
    while (i < f->count && file_cmp(&f->items[i - 1], &f->items[i]) <= 0)
        i++;
    if (i < f->count)
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
    /* Both forms, written by hand: 12,000 entries of a 6,000-file folder
     * pass here on a pre-commit run (git_oid_tostr, then git_oid_fromstr
     * for each blob read, were 5 M instructions). */
    static const char hex[] = "0123456789abcdef";
    _Static_assert(sizeof f->id == sizeof id->id, "a git_oid is 20 bytes");
    memcpy(f->id, id->id, sizeof f->id);
    for (size_t i = 0; i < sizeof f->id; i++) {
        f->oid[2 * i] = hex[f->id[i] >> 4];
        f->oid[2 * i + 1] = hex[f->id[i] & 15];
    }
    f->oid[2 * sizeof f->id] = '\0';
}

/* f's blob id as libgit2 takes it. */
static const git_oid *file_id(const vcs_file *f, git_oid *buf)
{
    memcpy(buf->id, f->id, sizeof f->id);
    return buf;
}

/* A read failure, on stderr or (msgs) kept to be said by a later reader. */
static void say_unread(strbuf *msgs, const vcs_file *f, const char *why)
{
    if (msgs)
        strbuf_printf(msgs, "migralint: %s: cannot read blob %s: %s\n", f->path, f->oid, why);
    else
        fprintf(stderr, "migralint: %s: cannot read blob %s: %s\n", f->path, f->oid, why);
}

/* id NULL: the one f names. */
static bool load_blob(git_repository *repo, const git_oid *id, arena *a, vcs_file *f, strbuf *msgs)
{
    git_blob *blob = NULL;
    git_oid parsed;
    if (!id && f->oid[0])
        id = file_id(f, &parsed);
    if (!id || git_blob_lookup(&blob, repo, id) != 0) {
        say_unread(msgs, f, git_error_text());
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

/* Paths with binary ids: what the staged comparison needs of 6,000
 * entries (hex is written only for the few that differ). */
typedef struct id_entry {
    const char *path;
    git_oid id;
} id_entry;

typedef struct id_list {
    id_entry *items;
    size_t count, cap;
} id_list;

static void ids_add(id_list *l, const char *path, const git_oid *id)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items)
            abort();
    }
    l->items[l->count].path = path;
    git_oid_cpy(&l->items[l->count++].id, id);
}

static int id_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const id_entry *)a)->path, ((const id_entry *)b)->path);
}

/* Both lists usually come in path order already (the index is sorted; a
 * tree walk visits a folder "x" where "x/" sorts, which is path order
 * again); an index that ignores case is sorted without it. */
static void ids_sort(id_list *l)
{
    for (size_t i = 1; i < l->count; i++)
        if (strcmp(l->items[i - 1].path, l->items[i].path) > 0) {
            qsort(l->items, l->count, sizeof *l->items, id_entry_cmp);
            return;
        }
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return n == 0 || (strncmp(path, dir, n) == 0 && path[n] == '/');
}

typedef struct walk_state {
    vcs_repo *r;
    const char *dir;
    arena *a;
    vcs_files *out;
    id_list *ids; /* instead of out: paths and binary ids, no text */
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
    if (w->ids) {
        ids_add(w->ids, path, git_tree_entry_id(e));
        return 0;
    }
    files_add(w->out, NULL, path, git_tree_entry_id(e));
    if (w->data &&
        !load_blob(w->r->repo, git_tree_entry_id(e), w->a, &w->out->items[w->out->count - 1], NULL))
        w->ok = false;
    return 0;
}

static bool read_tree_dir(vcs_repo *r, const char *commit, const char *dir, arena *a,
                          vcs_files *out, id_list *ids, bool data)
{
    git_oid id;
    if (!ready(r))
        return false;
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
        walk_state w = {r, dir, a, out, ids, data, true};
        git_tree_walk(sub, GIT_TREEWALK_PRE, walk_entry, &w);
        ok = w.ok;
    }
    if (out)
        files_sort(out);
    git_tree_entry_free(entry);
    git_tree_free(sub);
    git_tree_free(tree);
    git_commit_free(c);
    return ok;
}

/* HEAD's tree read ahead: a pre-commit run compares the index with HEAD
 * first thing, and HEAD's folder of 6,000 migrations comes through a chain
 * of deltas (17 M instructions). The opener starts this thread once its
 * repository is open and reads the index meanwhile; it reads the whole
 * tree (what read_tree_dir reads for the root, the folder of a run
 * started at the root) through a repository of its own (libgit2's
 * objects are not to be shared between threads). Any failure, or an
 * unborn HEAD, leaves ok false: vcs_staged_paths then reads HEAD itself
 * and says what went wrong, as before. */
typedef struct head_ahead {
    pthread_t thread;
    bool joined, ok;
    id_list ids; /* paths in a, in walk (path) order */
    arena *a;
} head_ahead;

static void *ahead_main(void *arg)
{
    head_ahead *h = arg;
    git_libgit2_init(); /* counted: the opener's stays */
    git_repository *repo = NULL;
    git_object *obj = NULL, *commit = NULL;
    git_tree *tree = NULL;
    if (git_repository_open_ext(&repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) == 0 &&
        git_revparse_single(&obj, repo, "HEAD") == 0 &&
        git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0 &&
        git_commit_tree(&tree, (git_commit *)commit) == 0) {
        walk_state w = {NULL, "", h->a, NULL, &h->ids, false, true};
        h->ok = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_entry, &w) == 0 && w.ok;
    }
    git_tree_free(tree);
    git_object_free(commit);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return NULL;
}

/* On the opener thread: only a repository found at the working directory
 * (a run started at the root, as a hook is), where the tree asked for is
 * the whole one. */
static void ahead_start(vcs_repo *r)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, r->root) != 0)
        return;
    head_ahead *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    h->a = arena_new();
    if (cpus_thread_start(&h->thread, ahead_main, h) != 0) {
        arena_free(h->a);
        free(h);
        return;
    }
    r->ahead = h;
}

static void ahead_join(head_ahead *h)
{
    if (!h->joined)
        pthread_join(h->thread, NULL);
    h->joined = true;
}

static void ahead_free(vcs_repo *r)
{
    if (!r->ahead)
        return;
    ahead_join(r->ahead);
    free(r->ahead->ids.items);
    arena_free(r->ahead->a);
    free(r->ahead);
    r->ahead = NULL;
}

/* HEAD's files under dir from the tree read ahead, as read_tree_dir would
 * list them; false when it was not read ahead or its read failed. */
static bool ahead_take(vcs_repo *r, const char *dir, id_list *out)
{
    if (!ready(r) || !r->ahead)
        return false;
    ahead_join(r->ahead);
    if (!r->ahead->ok)
        return false;
    const id_list *all = &r->ahead->ids;
    for (size_t i = 0; i < all->count; i++)
        if (under(all->items[i].path, dir))
            ids_add(out, all->items[i].path, &all->items[i].id);
    return true;
}

bool vcs_read_commit_dir(vcs_repo *r, const char *commit, const char *dir, arena *a, vcs_files *out)
{
    return read_tree_dir(r, commit, dir, a, out, NULL, true);
}

static git_index *index_of(vcs_repo *r)
{
    git_index *idx = NULL;
    if (!ready(r))
        return NULL;
    if (git_repository_index(&idx, r->repo) != 0) {
        fprintf(stderr, "migralint: cannot read the git index: %s\n", git_error_text());
        return NULL;
    }
    return idx;
}

/* The position of the first entry under dir: the index is sorted by path,
 * so a folder's entries are one run found by bisection (a big repository
 * holds many more files than its migrations folder). An index that ignores
 * case sorts without it, where other spellings may sit inside the run:
 * that one is read whole. *whole says which. */
static size_t index_first(git_index *idx, const char *dir, arena *a, bool *whole)
{
    size_t pos = 0;
    *whole = !*dir || (git_index_caps(idx) & GIT_INDEX_CAPABILITY_IGNORE_CASE);
    if (!*whole && git_index_find_prefix(&pos, idx, arena_printf(a, "%s/", dir)) != 0)
        return git_index_entrycount(idx);
    return pos;
}

/* The index entry at i when it is a file of dir at stage 0 (not a
 * conflict, not a submodule); *past when i has left dir's run. */
static const git_index_entry *index_file(git_index *idx, size_t i, const char *dir, bool whole,
                                         bool *past)
{
    const git_index_entry *e = git_index_get_byindex(idx, i);
    bool in = e && under(e->path, dir);
    *past = !e || (!in && !whole);
    if (!in || git_index_entry_stage(e) != 0 || e->mode == GIT_FILEMODE_COMMIT)
        return NULL;
    return e;
}

/* The second half of a folder's blobs, read on a second thread through an
 * object database of its own (libgit2's objects are not to be shared
 * between threads): texts in malloc'd copies, NULL where a read failed. */
typedef struct blob_half {
    const char *objects; /* the objects folder */
    vcs_file *items;
    size_t n;
    char **data;
    char **error; /* why items[i] could not be read */
    bool opened;
} blob_half;

enum { BLOBS_SPLIT_MIN = 512 }; /* below that a thread costs more than it saves */

static void *blob_half_main(void *arg)
{
    blob_half *h = arg;
    git_odb *odb = NULL;
    h->opened = git_odb_open(&odb, h->objects) == 0;
    for (size_t i = 0; h->opened && i < h->n; i++) {
        git_oid id;
        git_odb_object *o = NULL;
        if (!h->items[i].oid[0] || git_odb_read(&o, odb, file_id(&h->items[i], &id)) != 0 ||
            git_odb_object_type(o) != GIT_OBJECT_BLOB) {
            h->error[i] = strdup(o ? "not a blob" : git_error_text());
            git_odb_object_free(o);
            if (!h->error[i])
                abort();
            continue;
        }
        size_t n = git_odb_object_size(o);
        h->data[i] = malloc(n + 1);
        if (!h->data[i])
            abort();
        memcpy(h->data[i], git_odb_object_data(o), n);
        h->data[i][n] = '\0';
        h->items[i].len = n;
        git_odb_object_free(o);
    }
    git_odb_free(odb);
    return NULL;
}

/* May the second half go to a thread? Only for a folder big enough, with a
 * second CPU, and the object database where the repository keeps it
 * (GIT_OBJECT_DIRECTORY or alternates from the environment: one thread). */
static bool split_blobs(vcs_repo *r, size_t n, arena *a, const char **objects)
{
    if (n < BLOBS_SPLIT_MIN || !cpus_two() || getenv("GIT_OBJECT_DIRECTORY") ||
        getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"))
        return false;
    *objects = arena_printf(a, "%sobjects", git_repository_commondir(r->repo));
    return true;
}

/* The thread's texts into the arena, its failures said in path order. */
static bool take_half(vcs_repo *r, blob_half *h, arena *a, strbuf *msgs)
{
    bool ok = true;
    for (size_t i = 0; i < h->n; i++) {
        vcs_file *f = &h->items[i];
        if (!h->opened) { /* its database did not open: read here, then */
            ok = load_blob(r->repo, NULL, a, f, msgs) && ok;
        } else if (h->data[i]) {
            char *copy = arena_alloc(a, f->len + 1);
            memcpy(copy, h->data[i], f->len + 1);
            f->data = copy;
        } else {
            say_unread(msgs, f, h->error[i]);
            ok = false;
        }
        free(h->data[i]);
        free(h->error[i]);
    }
    free(h->data);
    free(h->error);
    return ok;
}

/* Reads the blobs of out->items[from..): a 6,000-file folder is most of a
 * warm pre-commit run, so with a second CPU the second half is read on a
 * thread while this one reads the first. */
static bool load_blobs(vcs_repo *r, vcs_files *out, size_t from, arena *a, strbuf *msgs)
{
    size_t n = out->count - from, half = n / 2;
    blob_half h = {0};
    pthread_t worker;
    bool split = split_blobs(r, n, a, &h.objects);
    if (split) {
        h.items = out->items + out->count - half;
        h.n = half;
        h.data = calloc(half, sizeof *h.data);
        h.error = calloc(half, sizeof *h.error);
        if (!h.data || !h.error)
            abort();
        split = cpus_thread_start(&worker, blob_half_main, &h) == 0;
        if (!split) {
            free(h.data);
            free(h.error);
        }
    }
    bool ok = true;
    for (size_t i = from; i < out->count - (split ? half : 0); i++)
        ok = load_blob(r->repo, NULL, a, &out->items[i], msgs) && ok;
    if (split) {
        pthread_join(worker, NULL);
        ok = take_half(r, &h, a, msgs) && ok;
    }
    return ok;
}

/* The entries of dir in the index (stage 0, no submodules), without text. */
static bool list_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    git_index *idx = index_of(r);
    if (!idx)
        return false;
    bool past = false, whole;
    for (size_t i = index_first(idx, dir, a, &whole); !past && i < git_index_entrycount(idx); i++) {
        const git_index_entry *e = index_file(idx, i, dir, whole, &past);
        if (e)
            files_add(out, a, e->path, &e->id);
    }
    git_index_free(idx);
    return true;
}

static void copy_files(vcs_files *out, const vcs_files *from);

/* dir's entries from the kept listing, when it is of dir or a folder
 * above it: the same entries in the same order as listing the index. */
static bool take_listed(vcs_repo *r, const char *dir, vcs_files *out)
{
    const char *ld = r->listed_dir;
    size_t n = ld ? strlen(ld) : 0;
    if (!ld || !(n == 0 || !strcmp(dir, ld) || (!strncmp(dir, ld, n) && dir[n] == '/')))
        return false;
    for (size_t i = 0; i < r->listed.count; i++) {
        if (!under(r->listed.items[i].path, dir))
            continue;
        if (out->count == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->items = realloc(out->items, out->cap * sizeof *out->items);
            if (!out->items)
                abort();
        }
        out->items[out->count++] = r->listed.items[i];
    }
    files_sort(out);
    return true;
}

bool vcs_list_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    (void)a; /* paths live in the repository's arena (see git.h) */
    if (take_listed(r, dir, out))
        return true;
    if (!r->keep)
        r->keep = arena_new();
    vcs_files mine = {0};
    bool ok = list_index_dir(r, dir, r->keep, &mine);
    files_sort(&mine);
    if (ok && !r->listed_dir) {
        r->listed = mine;
        r->listed_dir = arena_strdup(r->keep, dir);
        return take_listed(r, dir, out);
    }
    copy_files(out, &mine);
    vcs_files_free(&mine);
    return ok;
}

/* Appends a kept folder's files: their paths and texts are the
 * repository's, valid until vcs_close (not copied: a folder of 6,000
 * files is read by the discovery and by the lint). */
static void copy_files(vcs_files *out, const vcs_files *from)
{
    for (size_t i = 0; i < from->count; i++) {
        if (out->count == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->items = realloc(out->items, out->cap * sizeof *out->items);
            if (!out->items)
                abort();
        }
        out->items[out->count++] = from->items[i];
    }
}

/* dir's files with their texts, read once and kept (see vcs_current);
 * quiet leaves the read failures to the next reader to say. */
static bool read_kept(vcs_repo *r, const char *dir, arena *a, vcs_files *out, bool quiet)
{
    struct kept_dir *k = NULL;
    for (size_t i = 0; i < r->nkept && !k; i++)
        if (!strcmp(r->kept[i].dir, dir))
            k = &r->kept[i];
    if (!k && r->nkept == sizeof r->kept / sizeof r->kept[0]) { /* past the kept ones: read */
        size_t from = out->count;
        bool ok = list_index_dir(r, dir, a, out) && load_blobs(r, out, from, a, NULL);
        files_sort(out);
        return ok;
    }
    if (!k) {
        if (!r->keep)
            r->keep = arena_new();
        k = &r->kept[r->nkept++];
        k->dir = arena_strdup(r->keep, dir);
        k->msgs = (strbuf)STRBUF_INIT;
        k->ok = list_index_dir(r, dir, r->keep, &k->files) &&
                load_blobs(r, &k->files, 0, r->keep, &k->msgs);
        files_sort(&k->files);
    }
    if (!quiet && k->msgs.len)
        fputs(k->msgs.data, stderr);
    copy_files(out, &k->files);
    return k->ok;
}

bool vcs_read_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    return read_kept(r, dir, a, out, false);
}

bool vcs_read_blob(vcs_repo *r, vcs_file *f, arena *a)
{
    return ready(r) && load_blob(r->repo, NULL, a, f, NULL);
}

bool vcs_peek_index_dir(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    return read_kept(r, dir, a, out, true);
}

static int ids_cmp(const id_list *l, size_t i, const id_list *m, size_t k)
{
    return i == l->count ? 1 : k == m->count ? -1 : strcmp(l->items[i].path, m->items[k].path);
}

static void add_hex(vcs_files *out, arena *a, const char *path, const git_oid *id)
{
    files_add(out, a, path, id ? id : &(git_oid){{0}});
    if (!id)
        out->items[out->count - 1].oid[0] = '\0'; /* deleted in the index */
}

bool vcs_staged_paths(vcs_repo *r, const char *dir, arena *a, vcs_files *out)
{
    id_list head = {0}, now = {0};
    git_index *idx = NULL;
    bool ok = (ahead_take(r, dir, &head) || read_tree_dir(r, "HEAD", dir, a, NULL, &head, false)) &&
              (idx = index_of(r));
    bool past = false, whole = false;
    for (size_t i = ok ? index_first(idx, dir, a, &whole) : 0;
         ok && !past && i < git_index_entrycount(idx); i++) {
        const git_index_entry *e = index_file(idx, i, dir, whole, &past);
        if (e)
            ids_add(&now, e->path, &e->id);
    }
    ids_sort(&head);
    ids_sort(&now);
    /* One merge of the two sorted lists: added, changed, deleted. */
    for (size_t i = 0, k = 0; ok && (i < now.count || k < head.count);) {
        int c = ids_cmp(&now, i, &head, k);
        if (c < 0 || (c == 0 && !git_oid_equal(&now.items[i].id, &head.items[k].id)))
            add_hex(out, a, now.items[i].path, &now.items[i].id);
        else if (c > 0)
            add_hex(out, a, head.items[k].path, NULL);
        i += c <= 0;
        k += c >= 0;
    }
    git_index_free(idx);
    free(head.items);
    free(now.items);
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
