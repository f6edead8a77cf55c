// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared file mappings: files some process maps with MAP_SHARED, but for the
 * files of /dev/shm and System V segments, which have kinds of their own.
 */
#include <errno.h>
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

/* The mapping's path still names the mapped file: then its size and owner are known */
static void set_file_stat(struct ipcx_obj *obj, const struct use *use)
{
	struct stat st;

	if (use->path && use->path[0] == '/' && stat(use->path, &st) == 0 &&
	    st.st_dev == use->dev && st.st_ino == use->ino) {
		obj_set_stat(obj, &st);
		obj_set(obj, F_SIZE, (uint64_t)st.st_size);
	} else {
		obj_set(obj, F_INODE, use->ino);
		obj_set(obj, F_DEV, use->dev);
	}
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
	set_file_stat(obj, map);
	obj_set(obj, F_MAPPED, bytes);
	return map->path ? obj_set_text(obj, F_PATH, map->path) : 0;
}

static int mmap_scan(struct ipcx_list *list, unsigned int need)
{
	const struct use *uses;
	size_t n = procs_space(list->procs, US_FILE, &uses), i = 0;
	struct stat shm;
	int r = 0;

	/* POSIX objects are files of /dev/shm: listed as posix-shm and posix-sem */
	if (stat(DEV_SHM, &shm) < 0)
		shm.st_dev = 0;
	while (r == 0 && i < n) {
		size_t j = uses_same_key(uses, n, i);

		if (!shm.st_dev || uses[i].dev != shm.st_dev)
			r = add_mapping(list, &uses[i], &uses[j]);
		i = j;
	}
	return r;
}

const struct kind_ops kind_mmap_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_PATH) | FIELD_BIT(F_SIZE) | FIELD_BIT(F_MAPPED),
	.scan = mmap_scan,
	.procs = PROCS_MAPS,
	.scan_reads_procs = true,
	.users = obj_add_file_users,
};
