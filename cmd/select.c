// SPDX-License-Identifier: GPL-2.0-or-later
/* The objects a user names with --key, --id and --owner. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fnmatch.h>
#include <time.h>

#include "ipcx-cmd.h"

/* Grow a value array and its hit flags by one */
static int append(void **values, bool **hits, size_t n, size_t elem)
{
	void *v = realloc(*values, (n + 1) * elem);
	bool *h;

	if (!v)
		return -1;
	*values = v;
	h = realloc(*hits, (n + 1) * sizeof(*h));
	if (!h)
		return -1;
	h[n] = false;
	*hits = h;
	return 0;
}

int selection_add_key(struct selection *sel, const char *arg)
{
	uint32_t key;
	int rc = parse_key_arg(arg, &key, true);

	if (rc)
		return rc;
	if (append((void **)&sel->keys, &sel->key_hit, sel->nkeys, sizeof(key)) < 0) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->keys[sel->nkeys++] = key;
	return EXIT_DONE;
}

static int add_id_value(struct selection *sel, uint64_t id)
{
	if (append((void **)&sel->ids, &sel->id_hit, sel->nids, sizeof(id)) < 0) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->ids[sel->nids++] = id;
	return EXIT_DONE;
}

int selection_add_id(struct selection *sel, const char *arg)
{
	int id;
	int rc = parse_id_arg(arg, &id);

	return rc ? rc : add_id_value(sel, (uint64_t)id);
}

/*
 * Pipe and socket inodes are 32-bit unsigned (the kernel's get_next_ino()),
 * past INT_MAX once a host has made 2^31 of them; a mapped file's inode is
 * its file system's: 64 bits (xfs, btrfs). In the bases ids take.
 */
static int add_inode(struct selection *sel, unsigned int kind, const char *arg)
{
	uint64_t ino;

	if (ipcx_parse_number(arg, kind == IPCX_KIND_MMAP ? UINT64_MAX : UINT32_MAX, &ino) < 0)
		return usage_error("invalid %s inode '%s'", ipcx_kind_name(kind), arg);
	sel->ids_are_inodes = true;
	return add_id_value(sel, ino);
}

int selection_set_owner(struct selection *sel, const char *arg)
{
	sel->by_owner = true;
	return parse_user_arg(arg, &sel->owner);
}

/* name (taken over) and, if not NULL, the operand as typed, which matches too */
static int add_name(struct selection *sel, char *name, const char *given)
{
	char *copy = given ? strdup(given) : NULL;
	char **g = NULL;

	if (!name || (given && !copy) ||
	    append((void **)&sel->names, &sel->name_hit, sel->nnames, sizeof(name)) < 0 ||
	    !(g = realloc(sel->given, (sel->nnames + 1) * sizeof(*g)))) {
		free(name);
		free(copy);
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->given = g;
	g[sel->nnames] = copy;
	sel->names[sel->nnames++] = name;
	return EXIT_DONE;
}

/* Longer than PATH_MAX, or with a component longer than NAME_MAX: no file has it */
static bool path_too_long(const char *path)
{
	size_t component;

	if (strlen(path) >= PATH_MAX)
		return true;
	for (const char *p = path; *p; p += component + (p[component] == '/')) {
		component = strcspn(p, "/");
		if (component > NAME_MAX)
			return true;
	}
	return false;
}

/*
 * A FIFO's path with its directories resolved, so that "sub/../f" and "f"
 * name one FIFO as the listing has it; the last component is never followed.
 * A directory that is not there is left as typed: the FIFO is missing then.
 */
static char *resolve_dirs(char *path)
{
	char *slash = strrchr(path, '/'), *dir, *resolved = NULL;
	const char *last = slash + 1;

	if (!*last || strcmp(last, "..") == 0)
		return path;	/* "dir/" or "..": no FIFO, said as typed */
	*slash = '\0';
	dir = realpath(slash == path ? "/" : path, NULL);
	*slash = '/';
	if (!dir)
		return path;
	if (asprintf(&resolved, "%s/%s", strcmp(dir, "/") ? dir : "", last) < 0)
		resolved = NULL;
	free(dir);
	free(path);
	return resolved;
}

/*
 * A path made absolute (a FIFO's with its directories resolved). For a
 * socket the operand as typed matches too: the kernel keeps its path as it
 * was bound, relative or not
 */
static int add_path(struct selection *sel, unsigned int kind, const char *arg)
{
	char *path;

	if (!*arg)
		return usage_error("empty path");
	path = absolute_path(arg);
	if (path && kind == IPCX_KIND_FIFO)
		path = resolve_dirs(path);
	if (path && path_too_long(path)) {
		free(path);
		return usage_error("path too long (at most %d bytes, %d in a component): '%s'",
				   PATH_MAX - 1, NAME_MAX, arg);
	}
	return add_name(sel, path, kind == IPCX_KIND_UNIX && arg[0] != '/' ? arg : NULL);
}

/* Written as a number is: digits, or 0x and hexadecimal digits, and nothing else */
static bool is_number(const char *arg)
{
	const char *digits = "0123456789";

	if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) {
		arg += 2;
		digits = "0123456789abcdefABCDEF";
	}
	return *arg && arg[strspn(arg, digits)] == '\0';
}

/*
 * Pipes and sockets have no id nor name: their inode (as /proc/PID/fd shows)
 * names them; so it does a shared mapping, since several can have one path
 * ("/dev/zero (deleted)" for each shared anonymous mapping)
 */
static bool kind_selected_by_inode(unsigned int kind)
{
	return kind == IPCX_KIND_PIPE || kind == IPCX_KIND_UNIX || kind == IPCX_KIND_MMAP;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * A name or path as ipcx prints them: "\xHH" is the byte HH (so are a
 * name's unprintable bytes and a backslash that starts "\x" written), so
 * that a name copied from a table or from JSON names that object and no
 * other. NULL for a NUL byte, which no name holds, or no memory.
 */
static char *decode_operand(const char *arg)
{
	char *buf = malloc(strlen(arg) + 1), *out = buf;

	while (buf && *arg) {
		int high = arg[0] == '\\' && arg[1] == 'x' ? hex_value(arg[2]) : -1;
		int low = high >= 0 ? hex_value(arg[3]) : -1;

		if (low < 0) {
			*out++ = *arg++;
			continue;
		}
		if (high == 0 && low == 0) {
			free(buf);
			return NULL;
		}
		*out++ = (char)(high * 16 + low);
		arg += 4;
	}
	if (buf)
		*out = '\0';
	return buf;
}

/* arg decoded: said as ipcx writes names, which is how it was typed, or clearer */
static int add_posix_name(struct selection *sel, unsigned int kind, const char *arg)
{
	char name[NAME_MAX + 2];

	if (ipcx_parse_posix_name(kind, arg, name, sizeof(name)) < 0)
		return usage_error("invalid %s name '%s' (one component, no '/' but a leading one, "
				   "not '.' or '..'%s, at most %d bytes)", ipcx_kind_name(kind), arg,
				   kind == IPCX_KIND_POSIX_SHM ? ", not sem.*" : "",
				   kind == IPCX_KIND_POSIX_SEM ? NAME_MAX - 4 : NAME_MAX);
	return add_name(sel, strdup(name), NULL);
}

int selection_add_object(struct selection *sel, unsigned int kind, const char *arg)
{
	char *decoded;
	int rc;

	if (ipcx_col_applies(IPCX_COL_ID, kind))
		return selection_add_id(sel, arg);
	/*
	 * pipes, sockets and mappings by inode; a socket or a mapping may also
	 * be named by its path, which a number (even one too big for an
	 * inode) is not: "9.sock" and "./9" are paths
	 */
	if (kind_selected_by_inode(kind) && (!ipcx_col_applies(IPCX_COL_PATH, kind) || is_number(arg)))
		return add_inode(sel, kind, arg);
	decoded = decode_operand(arg);
	if (!decoded)
		return usage_error("invalid %s '%s' (it holds a NUL byte, which no name holds)",
				   ipcx_col_applies(IPCX_COL_PATH, kind) ? "path" : "name", arg);
	if (ipcx_col_applies(IPCX_COL_PATH, kind))
		rc = add_path(sel, kind, decoded);
	else
		rc = add_posix_name(sel, kind, decoded);
	free(decoded);
	return rc;
}

/*
 * The directory resolved (a symbolic link given as DIR leads to its
 * directory, with or without a trailing slash), as the kernel writes the
 * paths of open FIFOs, and its file system, which the search stays on.
 */
/* The mount a path is on (its last component not followed), 0 if the kernel cannot tell */
static uint64_t mount_id_of(const char *path, int flags)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, flags, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

int selection_add_dir(struct selection *sel, const char *arg)
{
	char **dirs = realloc(sel->dirs, (sel->ndirs + 1) * sizeof(*dirs));
	dev_t *devs = dirs ? realloc(sel->dir_devs, (sel->ndirs + 1) * sizeof(*devs)) : NULL;
	uint64_t *mnts = devs ? realloc(sel->dir_mnts, (sel->ndirs + 1) * sizeof(*mnts)) : NULL;
	struct stat st;

	if (dirs)
		sel->dirs = dirs;
	if (devs)
		sel->dir_devs = devs;
	if (mnts)
		sel->dir_mnts = mnts;
	if (!dirs || !devs || !mnts) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	if (stat(arg, &st) < 0)
		return usage_error("--path '%s': %s", arg, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return usage_error("--path '%s': not a directory", arg);
	dirs[sel->ndirs] = realpath(arg, NULL);
	if (!dirs[sel->ndirs]) {
		print_error("--path '%s': %s", arg, strerror(errno));
		return EXIT_FAILED;
	}
	devs[sel->ndirs] = st.st_dev;
	mnts[sel->ndirs] = mount_id_of(dirs[sel->ndirs], 0);
	sel->ndirs++;
	return EXIT_DONE;
}

/* On dir i's mount, as the walk under it stays: not under a mount below it, a bind mount too */
static bool on_dir_mount(const struct selection *sel, size_t i, const char *path, dev_t dev)
{
	uint64_t mnt;

	if (dev != sel->dir_devs[i])
		return false;
	mnt = sel->dir_mnts[i] ? mount_id_of(path, AT_SYMLINK_NOFOLLOW) : 0;
	return !mnt || mnt == sel->dir_mnts[i];
}

bool selection_under_dirs(const struct selection *sel, const char *path, dev_t dev)
{
	for (size_t i = 0; i < sel->ndirs; i++) {
		size_t len = strlen(sel->dirs[i]);

		if (strncmp(path, sel->dirs[i], len) == 0 &&
		    (path[len] == '/' || sel->dirs[i][len - 1] == '/') && on_dir_mount(sel, i, path, dev))
			return true;
	}
	return false;
}

static int add_fifo_paths(char *const *paths, size_t n, struct ipcx_ctx *ctx)
{
	for (size_t i = 0; i < n; i++) {
		int r = ipcx_add_fifo_path(ctx, paths[i]);

		if (r < 0) {
			print_error("%s: %s", paths[i], strerror(-r));
			return EXIT_FAILED;
		}
	}
	return EXIT_DONE;
}

int selection_add_fifo_paths(const struct selection *sel, struct ipcx_ctx *ctx)
{
	int rc = add_fifo_paths(sel->names, sel->nnames, ctx);

	return rc ? rc : add_fifo_paths(sel->dirs, sel->ndirs, ctx);
}

/* A relative path without its leading "./": "./9" and ".//9" are "9" */
static const char *without_dot_slash(const char *path)
{
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	return path;
}

/* A socket's path as bound, relative, and an operand as typed: the same file name */
static bool same_relative_path(const char *bound, const char *given)
{
	return bound[0] != '/' && strcmp(without_dot_slash(bound), without_dot_slash(given)) == 0;
}

bool selection_has_name(struct selection *sel, const struct ipcx_obj *obj)
{
	const char *name = ipcx_obj_get_string(obj, IPCX_COL_NAME);
	bool hit = false;

	if (!name)
		name = ipcx_obj_get_string(obj, IPCX_COL_PATH);
	for (size_t i = 0; name && i < sel->nnames; i++) {
		if (strcmp(name, sel->names[i]) == 0 ||
		    (sel->given[i] && same_relative_path(name, sel->given[i])))
			hit = sel->name_hit[i] = true;
	}
	return hit;
}

/* A path that is there but no FIFO: say what it is, since it stays */
/* shown: path as it may be printed (see escape_text()) */
static void report_missing_path(const char *path, const char *shown, bool removing)
{
	struct stat st;
	int r = lstat(path, &st);

	if (r == 0 && !S_ISFIFO(st.st_mode))
		print_error("fifo %s: not a FIFO%s", shown, removing ? ", left as it is" : "");
	else if (r < 0 && (errno == EACCES || errno == ELOOP || errno == ENAMETOOLONG))
		/* it may well exist: say why it cannot be reached, as rm(1) does */
		print_error("fifo %s: %s", shown, strerror(errno));
	else
		print_error("fifo %s: no such FIFO", shown);
}

int selection_report_unmatched(const struct selection *sel, unsigned int kinds)
{
	unsigned int kind = (unsigned int)__builtin_ctz(kinds ? kinds : 1);
	int rc = EXIT_DONE;

	for (size_t i = 0; i < sel->nids; i++) {
		if (!sel->id_hit[i]) {
			print_error("%s %" PRIu64 ": no such object", ipcx_kind_name(kind), sel->ids[i]);
			rc = EXIT_FAILED;
		}
	}
	for (size_t i = 0; i < sel->nkeys; i++) {
		if (sel->key_hit[i])
			continue;
		if (kinds & (kinds - 1))
			print_error("no object with key 0x%08x", sel->keys[i]);
		else
			print_error("%s with key 0x%08x: no such object", ipcx_kind_name(kind),
				    sel->keys[i]);
		rc = EXIT_FAILED;
	}
	for (size_t i = 0; i < sel->nnames; i++) {
		char *name;

		if (sel->name_hit[i])
			continue;
		rc = EXIT_FAILED;
		name = escape_text(sel->names[i]);
		if (!name)
			print_error("out of memory");
		else if (kind == IPCX_KIND_FIFO)
			report_missing_path(sel->names[i], name, sel->removing);
		else
			print_error("%s %s: no such object", ipcx_kind_name(kind), name);
		free(name);
	}
	return rc;
}

static void clear_flags(bool *flags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		flags[i] = false;
}

void selection_clear_hits(struct selection *sel)
{
	clear_flags(sel->key_hit, sel->nkeys);
	clear_flags(sel->id_hit, sel->nids);
	clear_flags(sel->name_hit, sel->nnames);
}

/* Marks every selector value equal to the object's value of col */
static bool hit_values(const struct ipcx_obj *obj, unsigned int col,
		       const void *values, bool *hits, size_t n, bool is_key)
{
	uint64_t v;
	bool hit = false;

	if (ipcx_obj_get_u64(obj, col, &v) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t want = is_key ? ((const uint32_t *)values)[i]
				       : ((const uint64_t *)values)[i];
		if (want == v)
			hit = hits[i] = true;
	}
	return hit;
}

bool selection_has_key(struct selection *sel, const struct ipcx_obj *obj)
{
	return hit_values(obj, IPCX_COL_KEY, sel->keys, sel->key_hit, sel->nkeys, true);
}

bool selection_has_id(struct selection *sel, const struct ipcx_obj *obj)
{
	unsigned int col = sel->ids_are_inodes && kind_selected_by_inode(ipcx_obj_kind(obj)) ?
			   IPCX_COL_INODE : IPCX_COL_ID;

	return hit_values(obj, col, sel->ids, sel->id_hit, sel->nids, false);
}

static int add_glob(struct selection *sel, const char *arg)
{
	char **globs = realloc(sel->globs, (sel->nglobs + 1) * sizeof(*globs));

	if (!globs || !(globs[sel->nglobs] = strdup(arg))) {
		if (globs)
			sel->globs = globs;
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->globs = globs;
	sel->nglobs++;
	return EXIT_DONE;
}

static int add_attached_by(struct selection *sel, const char *arg)
{
	int pid, *pids, rc = parse_pid_arg(arg, &pid);

	if (rc)
		return rc;
	pids = realloc(sel->attached_by, (sel->nattached_by + 1) * sizeof(*pids));
	if (!pids) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	pids[sel->nattached_by++] = pid;
	sel->attached_by = pids;
	return EXIT_DONE;
}

int selection_filter_option(struct selection *sel, int c, const char *arg)
{
	switch (c) {
	case OPT_FILTER_OWNER:
		return selection_set_owner(sel, arg);
	case OPT_FILTER_CREATOR:
		sel->by_creator = true;
		return parse_user_arg(arg, &sel->creator);
	case OPT_FILTER_OLDER_THAN:
		return parse_duration_arg(arg, &sel->older_than);
	case OPT_FILTER_NAME:
		return add_glob(sel, arg);
	case OPT_FILTER_ATTACHED_BY:
		return add_attached_by(sel, arg);
	case OPT_FILTER_ORPHANED:
		sel->orphaned = true;
		return EXIT_DONE;
	default:
		return usage_error("unknown filter");
	}
}

int selection_check_name_kinds(const struct selection *sel, unsigned int kinds)
{
	if (sel->nglobs && !(kinds & ~sysv_kinds()))
		return usage_error("--name matches names and paths, which System V objects have "
				   "none of: add a POSIX kind, fifo, mmap or unix");
	return EXIT_DONE;
}

bool selection_has_filters(const struct selection *sel)
{
	return sel->by_owner || sel->by_creator || sel->older_than || sel->nglobs ||
	       sel->nattached_by || sel->orphaned;
}

static size_t add_column(unsigned int *cols, size_t n, unsigned int col)
{
	for (size_t i = 0; i < n; i++) {
		if (cols[i] == col)
			return n;
	}
	if (n < IPCX_COL_COUNT)
		cols[n++] = col;
	return n;
}

size_t selection_scan_columns(const struct selection *sel, unsigned int *cols, size_t n)
{
	if (sel->nattached_by)
		n = add_column(cols, n, IPCX_COL_PIDS);
	if (sel->orphaned)
		n = add_column(cols, n, IPCX_COL_REASON);
	return n;
}

/* Kinds that keep no creator (files) were made by their owner, unless chowned */
static bool created_by(const struct ipcx_obj *obj, uint32_t user)
{
	uint64_t uid;

	if (ipcx_obj_get_u64(obj, IPCX_COL_CUID, &uid) < 0 &&
	    ipcx_obj_get_u64(obj, IPCX_COL_UID, &uid) < 0)
		return false;
	return uid == user;
}

static bool owned_by(const struct ipcx_obj *obj, uint32_t user)
{
	uint64_t uid;

	return ipcx_obj_get_u64(obj, IPCX_COL_UID, &uid) == 0 && uid == user;
}

/*
 * CTIME: creation for System V (or the last IPC_SET), the last status change
 * for files. But MTIME for a POSIX queue: the kernel sets its ctime whenever
 * its file is read (by any listing), its mtime only at creation, send and
 * receive.
 */
static bool older_than(const struct ipcx_obj *obj, uint64_t age)
{
	unsigned int col = ipcx_obj_kind(obj) == IPCX_KIND_POSIX_MQ ? IPCX_COL_MTIME : IPCX_COL_CTIME;
	uint64_t changed;
	time_t now = time(NULL);

	return ipcx_obj_get_u64(obj, col, &changed) == 0 &&
	       (uint64_t)now >= changed && (uint64_t)now - changed > age;
}

/* "/app*" and "app*" both match the POSIX name "/app1" */
static bool name_matches(const struct selection *sel, const struct ipcx_obj *obj)
{
	const char *name = ipcx_obj_get_string(obj, IPCX_COL_NAME);
	bool posix_name = name != NULL;

	if (!name)
		name = ipcx_obj_get_string(obj, IPCX_COL_PATH);
	for (size_t i = 0; name && i < sel->nglobs; i++) {
		/* a POSIX name with or without its slash; a path as it is */
		if (fnmatch(sel->globs[i], name, 0) == 0 ||
		    (posix_name && name[0] == '/' && fnmatch(sel->globs[i], name + 1, 0) == 0))
			return true;
	}
	return false;
}

static bool used_by(const struct selection *sel, const struct ipcx_obj *obj)
{
	const struct ipcx_user *users;
	size_t n;

	if (ipcx_obj_users(obj, &users, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; p < sel->nattached_by; p++) {
			if (users[i].pid == sel->attached_by[p])
				return true;
		}
	}
	return false;
}

/*
 * The filters alone, not the objects named by id, key or name: the option of
 * the first filter that leaves the object out, or NULL if none does
 */
const char *selection_failed_filter(const struct selection *sel, const struct ipcx_obj *obj)
{
	if (sel->by_owner && !owned_by(obj, sel->owner))
		return "--owner";
	if (sel->by_creator && !created_by(obj, sel->creator))
		return "--creator";
	if (sel->older_than && !older_than(obj, sel->older_than))
		return "--older-than";
	if (sel->nglobs && !name_matches(sel, obj))
		return "--name";
	if (sel->nattached_by && !used_by(sel, obj))
		return "--attached-by";
	if (sel->orphaned && !ipcx_obj_orphan_reason(obj))
		return "--orphaned";
	return NULL;
}

bool selection_passes_filters(const struct selection *sel, const struct ipcx_obj *obj)
{
	return !selection_failed_filter(sel, obj);
}

bool selection_names(struct selection *sel, const struct ipcx_obj *obj)
{
	/* all run, so that every selector the object matches is marked as hit */
	bool by_id = selection_has_id(sel, obj);
	bool by_key = selection_has_key(sel, obj);
	bool by_name = selection_has_name(sel, obj);

	return by_id || by_key || by_name;
}

/* Named objects are any of those named, as rm takes them; the filters must all pass */
bool selection_filter(struct selection *sel, const struct ipcx_obj *obj)
{
	if ((sel->nkeys || sel->nids || sel->nnames) && !selection_names(sel, obj))
		return false;
	return selection_passes_filters(sel, obj);
}

void selection_free(struct selection *sel)
{
	for (size_t i = 0; i < sel->nglobs; i++)
		free(sel->globs[i]);
	free(sel->globs);
	free(sel->attached_by);
	free(sel->keys);
	free(sel->key_hit);
	free(sel->ids);
	free(sel->id_hit);
	for (size_t i = 0; i < sel->nnames; i++) {
		free(sel->names[i]);
		free(sel->given[i]);
	}
	free(sel->names);
	free(sel->given);
	for (size_t i = 0; i < sel->ndirs; i++)
		free(sel->dirs[i]);
	free(sel->dirs);
	free(sel->dir_devs);
	free(sel->dir_mnts);
	free(sel->name_hit);
}
