// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared file mappings: files some process maps with MAP_SHARED, but for the
 * files of /dev/shm and System V segments, which have kinds of their own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipcx-private.h"

static bool is_mapped(const struct use *first, const struct use *end, uint64_t *bytes)
{
	bool mapped = false;

	*bytes = 0;
	for (const struct use *use = first; use < end; use++) {
		if (use->how & IPCX_USE_MAPPED) {
			mapped = true;
			*bytes += use->bytes;
		}
	}
	return mapped;
}

/* The path still names the mapped file: then its size and owner are known */
static bool names_file(const char *path, const struct use *use, struct stat *st)
{
	return path[0] == '/' && stat(path, st) == 0 && st->st_dev == use->dev &&
	       st->st_ino == use->ino;
}

static void set_file_stat(struct ipcx_obj *obj, const struct use *use, const struct stat *st)
{
	if (st) {
		obj_set_stat(obj, st);
		obj_set(obj, F_SIZE, (uint64_t)st->st_size);
	} else {
		obj_set(obj, F_INODE, use->ino);
		obj_set(obj, F_DEV, use->dev);
	}
}

/*
 * PATH is the file's name: maps writes a newline in it as \012 (and a
 * backslash as it is), so it is read back with newlines, unless only the
 * text as written names the mapped file. A file gone keeps the newlines.
 */
static int set_file(struct ipcx_obj *obj, const struct use *use)
{
	struct stat st;
	const char *path;
	char *name;
	bool found;
	int r;

	if (!use->path) {
		set_file_stat(obj, use, NULL);
		return 0;
	}
	name = strdup(use->path);
	if (!name)
		return -ENOMEM;
	name[maps_unescape_newlines(name, strlen(name))] = '\0';
	path = name;
	found = names_file(name, use, &st);
	if (!found && strcmp(name, use->path) != 0 && names_file(use->path, use, &st)) {
		path = use->path;
		found = true;
	}
	set_file_stat(obj, use, found ? &st : NULL);
	r = obj_set_text(obj, F_PATH, path);
	free(name);
	return r;
}

static int add_mapping(struct ipcx_list *list, const struct use *first, const struct use *end)
{
	const struct use *map = first;
	struct ipcx_obj *obj;
	uint64_t bytes;

	if (!is_mapped(first, end, &bytes))
		return 0;
	while (!(map->how & IPCX_USE_MAPPED))
		map++;
	obj = list_add(list, IPCX_KIND_MMAP);
	if (!obj)
		return -ENOMEM;
	obj_set(obj, F_MAPPED, bytes);
	return set_file(obj, map);
}

/*
 * The regular files of /dev/shm, the posix-shm and posix-sem objects, by
 * device and inode. Not every file of its filesystem: /dev/shm may be a
 * directory of a larger tmpfs (a bind mount or a link to /run/shm), whose
 * other files are mappings like any. A file unlinked from /dev/shm but still
 * mapped is no POSIX object any more, and is listed as a mapping.
 */
struct shm_files {
	dev_t dev;
	uint64_t *inos;		/* sorted */
	size_t n;
};

static int cmp_ino(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* readdir's d_ino and d_type spare a stat per entry; only DT_UNKNOWN needs one */
static bool is_regular_entry(int dfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_REG;
	return fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static int add_ino(struct shm_files *files, size_t *alloc, uint64_t ino)
{
	if (files->n == *alloc) {
		size_t more = *alloc ? 2 * *alloc : 64;
		uint64_t *inos = realloc(files->inos, more * sizeof(*inos));

		if (!inos)
			return -ENOMEM;
		files->inos = inos;
		*alloc = more;
	}
	files->inos[files->n++] = ino;
	return 0;
}

/* No /dev/shm, or none readable: no file to leave out */
static int read_shm_files(struct shm_files *files)
{
	DIR *d = opendir(DEV_SHM);
	struct dirent *de;
	struct stat st;
	size_t alloc = 0;
	int r = 0;

	*files = (struct shm_files){ 0 };
	if (!d)
		return 0;
	if (fstat(dirfd(d), &st) == 0)
		files->dev = st.st_dev;
	while (r == 0 && files->dev && (de = readdir(d))) {
		if (!is_dot_or_dotdot(de->d_name) && is_regular_entry(dirfd(d), de))
			r = add_ino(files, &alloc, de->d_ino);
	}
	closedir(d);
	if (files->n)
		qsort(files->inos, files->n, sizeof(*files->inos), cmp_ino);
	return r;
}

static bool is_shm_file(const struct shm_files *files, const struct use *use)
{
	return use->dev == files->dev && files->n &&
	       bsearch(&use->ino, files->inos, files->n, sizeof(*files->inos), cmp_ino);
}

static int mmap_scan(struct ipcx_list *list, unsigned int need)
{
	const struct use *uses;
	size_t n = procs_space(list->procs, US_FILE, &uses), i = 0;
	struct shm_files shm;
	int r = read_shm_files(&shm);

	while (r == 0 && i < n) {
		size_t j = uses_same_key(uses, n, i);

		if (!is_shm_file(&shm, &uses[i]))
			r = add_mapping(list, &uses[i], &uses[j]);
		i = j;
	}
	free(shm.inos);
	return r;
}

static bool maps_it(const struct proc_index *idx, const struct use *use)
{
	(void)idx;
	return use->how & IPCX_USE_MAPPED;
}

/*
 * The processes that map the file, not those that only hold it open: the
 * uses of the file include its descriptors whenever another kind listed
 * with it (pipe, unix, fifo) has the descriptors read
 */
static int mmap_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	return obj_add_checked_users(obj, idx, US_FILE, obj_val(obj, F_DEV),
				     obj_val(obj, F_INODE), maps_it);
}

const struct kind_ops kind_mmap_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_PATH) | FIELD_BIT(F_SIZE) | FIELD_BIT(F_MAPPED),
	.scan = mmap_scan,
	.procs = PROCS_MAPS,
	.scan_reads_procs = true,
	.users = mmap_users,
};
