// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the System V kinds share: the scan. The *_STAT_ANY loop (Linux 4.17+)
 * is the primary source, being faster than formatting and parsing
 * /proc/sysvipc text; the text is the fallback and the only source of shm
 * RSS/SWAP.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "ipcx-private.h"

/* Split a kernel mode into permission bits and, where the kind has it, status */
static void obj_set_mode(struct ipcx_obj *obj, unsigned int mode, uint64_t fields)
{
	obj_set(obj, F_MODE, mode & 0777);
	if (fields & FIELD_BIT(F_STATUS))
		obj_set(obj, F_STATUS, mode & (SHM_DEST | SHM_LOCKED));
}

void sysv_set_perm(struct ipcx_obj *obj, const struct ipc_perm *perm, int id)
{
	obj_set(obj, F_KEY, (uint32_t)perm->__key);
	obj_set(obj, F_ID, (uint64_t)id);
	obj_set(obj, F_UID, perm->uid);
	obj_set(obj, F_GID, perm->gid);
	obj_set(obj, F_CUID, perm->cuid);
	obj_set(obj, F_CGID, perm->cgid);
	obj_set_mode(obj, perm->mode, kind_get(obj->kind)->fields);
}

static int sysv_mode(const struct ipcx_create_spec *spec)
{
	int flags = (int)spec->mode | IPC_CREAT;

	if (spec->key != IPC_PRIVATE)
		flags |= IPC_EXCL;
	return flags;
}

/* What get() without IPC_CREAT gave: the key is taken, readable or not */
static bool key_taken(int got)
{
	return got >= 0 || got == -EACCES;
}

int sysv_create(const struct ipcx_create_spec *spec, sysv_get_fn get, int *id)
{
	const struct ipcx_create_spec probe = { .key = spec->key };
	int r = get(spec, sysv_mode(spec));

	/*
	 * semget() refuses more semaphores than SEMMSL before it looks the key
	 * up (shmget() looks first, and msgget() has no size): asked for every
	 * kind all the same, so that a kernel that checks earlier is answered too
	 */
	if (r == -EINVAL && spec->key != IPC_PRIVATE && key_taken(get(&probe, 0)))
		r = -EEXIST;
	if (r < 0)
		return r;
	*id = r;
	return 0;
}

/* A value that never changes in an object's life is still the one the scan read (if it read it) */
static bool same_value(const struct ipcx_obj *obj, enum ipcx_field f, uint64_t now)
{
	return !obj_has(obj, f) || obj_val(obj, f) == now;
}

/*
 * An id the scan read may have gone to a new object since (a slot's ids
 * come back when its sequence wraps, or through shm_next_id): remove only
 * while it has the key, the creator's uid and gid the scan read, and the
 * value of field made (the creator's pid of a segment, the size of a set;
 * F_COUNT for none) that no object changes in its life: a private object
 * of one creator has the key and ids of all the others. -EIDRM if it is
 * gone. A caller allowed to remove but not to read the object (IPC_STAT
 * wants read permission) cannot tell, and removes it as named.
 */
int sysv_check_same(const struct ipcx_obj *obj, int stat_rc, const struct ipc_perm *perm,
		    enum ipcx_field made, uint64_t made_now)
{
	if (stat_rc < 0)
		return errno == EACCES ? 0 : errno == EINVAL || errno == EIDRM ? -EIDRM : -errno;
	if ((uint32_t)perm->__key != obj_val(obj, F_KEY) || !same_value(obj, F_CUID, perm->cuid) ||
	    !same_value(obj, F_CGID, perm->cgid) || (made < F_COUNT && !same_value(obj, made, made_now)))
		return -ESTALE;
	return 0;
}

struct procfs_scan {
	struct ipcx_list *list;
	unsigned int kind;
	uint64_t fields;
	bool nomem;
};

static void procfs_row(void *data, const uint64_t *val, uint64_t present)
{
	struct procfs_scan *scan = data;
	struct ipcx_obj *obj = list_add(scan->list, scan->kind);

	if (!obj) {
		scan->nomem = true;
		return;
	}
	present &= scan->fields;
	for (unsigned int f = 0; f < F_COUNT; f++) {
		if (present & FIELD_BIT(f))
			obj_set(obj, f, val[f]);
	}
	if (present & FIELD_BIT(F_MODE))
		obj_set_mode(obj, (unsigned int)val[F_MODE], scan->fields);
}

static int sysv_scan_procfs(struct ipcx_list *list, const struct sysv_source *src)
{
	struct procfs_scan scan = { list, src->kind, kind_get(src->kind)->fields, false };
	struct sysvipc_stats stats;
	char *text;
	size_t len;
	int r;

	r = read_file(src->procfile, &text, &len);
	if (r < 0)
		return r;
	r = sysvipc_parse(text, len, procfs_row, &scan, &stats);
	free(text);
	if (stats.skipped)
		dbg(list->ctx, "%s: %zu malformed lines skipped", src->procfile, stats.skipped);
	return scan.nomem ? -ENOMEM : r;
}

/* 0, or -ENOTSUP when the loop cannot be trusted and the text must be read */
static int sysv_scan_syscalls(struct ipcx_list *list, const struct sysv_source *src)
{
	int in_use, found = 0;
	int max = src->info(&in_use);

	if (max < 0)
		return -ENOTSUP;
	for (int i = 0; i <= max; i++) {
		struct ipcx_obj *obj = list_add(list, src->kind);
		int r;

		if (!obj)
			return -ENOMEM;
		r = src->stat_index(i, obj);
		if (r == 0) {
			found++;
			continue;
		}
		list_drop_last(list);
		if (r != -EINVAL)	/* EINVAL: a free slot */
			return -ENOTSUP;
	}
	/*
	 * Kernels before 4.17 answer EINVAL to every *_STAT_ANY. (Fewer found
	 * than in use is no sign: objects may have gone since *_INFO.)
	 */
	return found == 0 && in_use > 0 ? -ENOTSUP : 0;
}

int sysv_scan(struct ipcx_list *list, const struct sysv_source *src, bool use_procfs)
{
	size_t first = list->n;
	int r;

	if (!use_procfs && !ctx_force_procfs(list->ctx)) {
		r = sysv_scan_syscalls(list, src);
		if (r != -ENOTSUP)
			return r;
		dbg(list->ctx, "%s: reading %s instead of *_STAT_ANY",
		    ipcx_kind_name(src->kind), src->procfile);
		list->n = first;
	}
	return sysv_scan_procfs(list, src);
}
