// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Named pipes: the FIFOs processes have open (from /proc/PID/fd) and those
 * found under the paths the caller names, merged by device and inode. A
 * FIFO with several names (hard links) found under those paths is a row
 * per name: each is a directory entry the caller may remove.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcx-private.h"

/* One sighting of a FIFO: an open descriptor, or a path the caller named */
struct fifo_ref {
	struct stat st;
	char *path;
	bool named;		/* found by path: the path the caller will use */
	unsigned int readers, writers;
};

struct fifo_refs {
	struct fifo_ref *refs;
	size_t n, alloc;
};

static int refs_add(struct fifo_refs *refs, const struct stat *st, const char *path,
		    bool named, unsigned int readers, unsigned int writers)
{
	struct fifo_ref *ref;

	if (array_grow((void **)&refs->refs, &refs->alloc, refs->n, sizeof(*refs->refs)) < 0)
		return -ENOMEM;
	ref = &refs->refs[refs->n];
	*ref = (struct fifo_ref){ .st = *st, .named = named, .readers = readers, .writers = writers };
	ref->path = strdup(path);
	if (!ref->path)
		return -ENOMEM;
	refs->n++;
	return 0;
}

/*
 * The index was read before the FIFOs are listed: a descriptor it saw may
 * be closed since and its inode number given to a new FIFO (ext4 reuses
 * them at once). Only a descriptor still open on the same FIFO counts.
 */
static bool fifo_fd_still_open(const struct proc_index *idx, const struct use *use)
{
	struct stat st;

	return S_ISFIFO(use->mode) && procs_stat_use(idx, use, &st) == 0;
}

/* A thread blocked opening it, or a descriptor still open on it */
static bool fifo_still_held(const struct proc_index *idx, const struct use *use)
{
	return (use->how & IPCX_USE_OPENING) || fifo_fd_still_open(idx, use);
}

/* One FIFO some processes hold open: the uses [first, end) of one (dev, ino) */
static int add_open_fifo(struct fifo_refs *refs, const struct proc_index *idx,
			 const struct use *first, const struct use *end)
{
	const struct use *open = first;
	unsigned int readers, writers;
	struct stat st;

	/* the first that tells the FIFO's stat (a thread's path may not lead there from here) */
	while (open < end && !(fifo_still_held(idx, open) && procs_stat_use(idx, open, &st) == 0))
		open++;
	if (open == end)
		return 0;	/* closed meanwhile */
	uses_count_access(idx, first, end, fifo_still_held, &readers, &writers);
	return refs_add(refs, &st, open->path, false, readers, writers);
}

/* The FIFOs open in processes, from the descriptors the process engine read */
static int scan_open_fifos(struct ipcx_list *list, struct fifo_refs *refs)
{
	const struct use *uses;
	size_t n = procs_space(list->procs, US_FILE, &uses), i = 0;
	int r = 0;

	while (r == 0 && i < n) {
		size_t j = uses_same_key(uses, n, i);

		if (S_ISFIFO(uses[i].mode) && uses[i].path && uses[i].path[0] == '/')
			r = add_open_fifo(refs, list->procs, &uses[i], &uses[j]);
		i = j;
	}
	return r;
}

/*
 * The directory at path, relative to dirfd (or absolute), opened one
 * component at a time, following no symbolic link and taking no "." or
 * ".." component: a directory put in another's place by a link while ipcx
 * looks is never entered. The last component is opened with flags (O_PATH
 * for a descriptor to look up from, O_RDONLY to read it); -errno if it
 * cannot be, -ELOOP for a link (-ENOTDIR from O_PATH says so too).
 */
static int open_dir_nofollow(int dirfd, const char *path, int flags)
{
	char *copy = strdup(path), *rest = copy, *name, *next_name;
	int fd = dirfd, r = copy ? 0 : -ENOMEM;

	if (r == 0 && path[0] == '/' && (fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = -errno;
	/* the components, the last opened as asked: "" and "/" name the start itself */
	for (name = r == 0 ? strsep(&rest, "/") : NULL; r == 0 && name; name = next_name) {
		int next;

		next_name = strsep(&rest, "/");
		if (!*name && next_name)
			continue;	/* a leading or doubled slash */
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			r = -EINVAL;
			break;
		}
		next = openat(fd, *name ? name : ".", (next_name ? O_PATH : flags) | O_DIRECTORY |
			      O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			r = errno == ENOTDIR ? -ELOOP : -errno;
		if (fd != dirfd)
			close(fd);
		fd = next;
	}
	free(copy);
	if (r < 0 && fd >= 0 && fd != dirfd)
		close(fd);
	return r < 0 ? r : fd;
}

/* Paths relative to the top of a tree walk, each a directory yet to read */
struct dir_stack {
	char **dirs;
	size_t n, alloc;
};

static int push_dir(struct dir_stack *stack, const char *parent, const char *name)
{
	char *dir;

	if (array_grow((void **)&stack->dirs, &stack->alloc, stack->n, sizeof(*stack->dirs)) < 0)
		return -ENOMEM;
	if (asprintf(&dir, "%s%s%s", parent, *parent ? "/" : "", name) < 0)
		return -ENOMEM;
	stack->dirs[stack->n++] = dir;
	return 0;
}

/*
 * Where a tree walk stays: one filesystem, and one mount of it. A bind
 * mount of the same filesystem has its device, not its mount id.
 */
struct tree_mount {
	dev_t dev;
	uint64_t id;	/* 0: statx cannot tell (Linux before 5.8) */
};

static uint64_t mount_id(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

static bool on_tree_mount(int fd, const struct tree_mount *mnt)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_dev == mnt->dev &&
	       (!mnt->id || mount_id(fd) == mnt->id);
}

/* The FIFOs of one directory of the tree, and its subdirectories on the tree's filesystem onto the stack */
static int scan_dir(struct fifo_refs *refs, struct dir_stack *stack, int top, const char *top_path,
		    const struct tree_mount *mnt, const char *rel)
{
	int fd = open_dir_nofollow(top, rel, O_RDONLY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	struct stat st;
	char *path;
	int r = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;	/* gone, or replaced by a link, since it was seen */
	}
	if (!on_tree_mount(dirfd(d), mnt))
		goto out;	/* another mount there */
	while (r == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && st.st_dev == mnt->dev) {
			r = push_dir(stack, rel, de->d_name);
		} else if (S_ISFIFO(st.st_mode)) {
			if (asprintf(&path, "%s%s%s/%s", top_path, *rel ? "/" : "", rel,
				     de->d_name) < 0) {
				r = -ENOMEM;
				break;
			}
			/* one that could not be named is left out: no one could remove it by path */
			r = strlen(path) < PATH_MAX ? refs_add(refs, &st, path, true, 0, 0) : 0;
			free(path);
		}
	}
out:
	closedir(d);
	return r;
}

/*
 * FIFOs under a directory, not crossing into other filesystems nor
 * following links. Each directory is opened through descriptors from the
 * top (fts would open it by its whole path, through a link put in its
 * place meanwhile), and no descriptor is held while its subdirectories
 * are read, so that a deep tree needs no more than its own.
 */
static int scan_tree(struct fifo_refs *refs, const char *dir)
{
	struct dir_stack stack = { 0 };
	int top = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), r;
	const char *top_path = strcmp(dir, "/") == 0 ? "" : dir;
	struct tree_mount mnt;
	struct stat st;

	if (top < 0)
		return 0;	/* gone since it was seen */
	r = fstat(top, &st) < 0 ? -errno : push_dir(&stack, "", "");
	if (r == 0)
		mnt = (struct tree_mount){ .dev = st.st_dev, .id = mount_id(top) };
	while (r == 0 && stack.n > 0) {
		char *rel = stack.dirs[--stack.n];

		r = scan_dir(refs, &stack, top, top_path, &mnt, rel);
		free(rel);
	}
	while (stack.n > 0)
		free(stack.dirs[--stack.n]);
	free(stack.dirs);
	close(top);
	return r;
}

static int scan_named_paths(struct ipcx_ctx *ctx, struct fifo_refs *refs)
{
	const char *const *paths;
	size_t n = ctx_fifo_paths(ctx, &paths);
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++) {
		struct stat st;

		if (lstat(paths[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = scan_tree(refs, paths[i]);
		else if (S_ISFIFO(st.st_mode))
			r = refs_add(refs, &st, paths[i], true, 0, 0);
	}
	return r;
}

static int compare_refs(const void *a, const void *b)
{
	const struct fifo_ref *x = a, *y = b;

	if (x->st.st_dev != y->st.st_dev)
		return x->st.st_dev < y->st.st_dev ? -1 : 1;
	if (x->st.st_ino != y->st.st_ino)
		return x->st.st_ino < y->st.st_ino ? -1 : 1;
	if (x->named != y->named)
		return (int)y->named - (int)x->named;	/* the named sightings first */
	return x->named ? strcmp(x->path, y->path) : 0;
}

static bool same_fifo(const struct fifo_ref *x, const struct fifo_ref *y)
{
	return x->st.st_dev == y->st.st_dev && x->st.st_ino == y->st.st_ino;
}

static int add_fifo(struct ipcx_list *list, const struct fifo_ref *ref, unsigned int readers,
		    unsigned int writers)
{
	struct ipcx_obj *obj = list_add(list, IPCX_KIND_FIFO);

	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, &ref->st);
	obj_set(obj, F_READERS, readers);
	obj_set(obj, F_WRITERS, writers);
	return obj_set_text(obj, F_PATH, ref->path);
}

/*
 * The objects of the sightings [first, end) of one FIFO: one per name it
 * was found under (a name found twice, once), else one for the path a
 * process has it open under. Each counts every reader and writer.
 */
static int add_fifo_names(struct ipcx_list *list, const struct fifo_ref *first,
			  const struct fifo_ref *end)
{
	unsigned int readers = 0, writers = 0;
	int r = 0;

	for (const struct fifo_ref *ref = first; ref < end; ref++) {
		readers += ref->readers;
		writers += ref->writers;
	}
	if (!first->named)
		return add_fifo(list, first, readers, writers);
	for (const struct fifo_ref *ref = first; r == 0 && ref < end && ref->named; ref++) {
		if (ref == first || strcmp(ref->path, ref[-1].path) != 0)
			r = add_fifo(list, ref, readers, writers);
	}
	return r;
}

static int merge_refs(struct ipcx_list *list, struct fifo_refs *refs)
{
	size_t i = 0;
	int r = 0;

	sort_array(refs->refs, refs->n, sizeof(*refs->refs), compare_refs);
	while (r == 0 && i < refs->n) {
		size_t j = i + 1;

		while (j < refs->n && same_fifo(&refs->refs[j], &refs->refs[i]))
			j++;
		r = add_fifo_names(list, &refs->refs[i], &refs->refs[j]);
		i = j;
	}
	return r;
}

static int fifo_scan(struct ipcx_list *list, unsigned int need)
{
	struct fifo_refs refs = { 0 };
	int r = scan_open_fifos(list, &refs);

	if (r == 0)
		r = scan_named_paths(list->ctx, &refs);
	if (r == 0)
		r = merge_refs(list, &refs);
	for (size_t i = 0; i < refs.n; i++)
		free(refs.refs[i].path);
	free(refs.refs);
	return r;
}

/*
 * Only the FIFO that was listed: not a file put in its place since, nor
 * one a link put in the place of a directory on its path leads to. The
 * directory is held while the FIFO is checked and removed, so what could
 * still change is only that directory's entry, which whoever may change it
 * could remove too.
 */
static int fifo_remove(struct ipcx_obj *obj)
{
	const char *slash = obj->path ? strrchr(obj->path, '/') : NULL;
	char *dir = slash ? strndup(obj->path, (size_t)(slash - obj->path)) : NULL;
	int fd = !slash ? -EINVAL : !dir ? -ENOMEM : open_dir_nofollow(AT_FDCWD, *dir ? dir : "/", O_PATH);
	struct stat st;
	int r = fd < 0 ? fd : 0;

	free(dir);
	if (r == 0 && fstatat(fd, slash + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	if (r == 0 && (!S_ISFIFO(st.st_mode) || st.st_ino != obj_val(obj, F_INODE) ||
		       st.st_dev != obj_val(obj, F_DEV)))
		r = -ESTALE;
	if (r == 0 && unlinkat(fd, slash + 1, 0) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	/* a directory that became a link: the FIFO listed is not there */
	return r == -ELOOP ? -ESTALE : r;
}

static int fifo_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	if (!spec->name || !*spec->name)
		return -EINVAL;
	return mkfifo(spec->name, spec->mode) < 0 ? -errno : 0;
}

static int fifo_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	return obj_add_checked_users(obj, idx, US_FILE, obj_val(obj, F_DEV),
				     obj_val(obj, F_INODE), fifo_still_held);
}

static const char *fifo_orphan_reason(const struct ipcx_obj *obj)
{
	return obj->nusers ? NULL : "no reader or writer";
}

const struct kind_ops kind_fifo_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_PATH) | FIELD_BIT(F_READERS) | FIELD_BIT(F_WRITERS),
	.scan = fifo_scan,
	.remove = fifo_remove,
	.create = fifo_create,
	/* the syscall of each thread too: one blocked opening a FIFO holds it */
	.procs = PROCS_FDS | PROCS_WAITERS,
	.scan_reads_procs = true,
	.users = fifo_users,
	.orphan_reason = fifo_orphan_reason,
};
