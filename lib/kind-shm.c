// SPDX-License-Identifier: LGPL-2.1-or-later
/* System V shared memory segments. */
#include <errno.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "ipcx-private.h"

static int shm_info_max(int *in_use)
{
	struct shm_info info;
	int max = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info);

	if (max < 0)
		return -errno;
	*in_use = info.used_ids;
	return max;
}

static int shm_stat_index(int index, struct ipcx_obj *obj)
{
	/* zeroed: valgrind does not know SHM_STAT_ANY fills it */
	struct shmid_ds ds = { 0 };
	int id = shmctl(index, SHM_STAT_ANY, &ds);

	if (id < 0)
		return -errno;
	sysv_set_perm(obj, &ds.shm_perm, id);
	obj_set(obj, F_SIZE, ds.shm_segsz);
	obj_set(obj, F_NATTCH, ds.shm_nattch);
	obj_set(obj, F_CPID, (uint64_t)ds.shm_cpid);
	obj_set(obj, F_LPID, (uint64_t)ds.shm_lpid);
	obj_set(obj, F_ATIME, (uint64_t)ds.shm_atime);
	obj_set(obj, F_DTIME, (uint64_t)ds.shm_dtime);
	obj_set(obj, F_CTIME, (uint64_t)ds.shm_ctime);
	return 0;
}

static const struct sysv_source shm_source = {
	.kind = IPCX_KIND_SHM,
	.procfile = "/proc/sysvipc/shm",
	.info = shm_info_max,
	.stat_index = shm_stat_index,
};

static int shm_scan(struct ipcx_list *list, unsigned int need)
{
	return sysv_scan(list, &shm_source, need & NEED_RSS);
}

static int shm_remove(struct ipcx_obj *obj)
{
	int id = (int)obj_val(obj, F_ID);
	struct shmid_ds ds;
	int rc = shmctl(id, IPC_STAT, &ds);
	int r = sysv_check_same(obj, rc, &ds.shm_perm, F_CPID, rc < 0 ? 0 : (uint64_t)ds.shm_cpid);

	if (r < 0)
		return r;
	return shmctl(id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

/* size 0 goes to the kernel: it refuses it for a new segment, after EEXIST */
static int shm_get(const struct ipcx_create_spec *spec, int flags)
{
	int r;

	if (spec->size > SIZE_MAX)
		return -EINVAL;
	r = shmget((key_t)spec->key, (size_t)spec->size, flags);
	return r < 0 ? -errno : r;
}

static int shm_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	return sysv_create(spec, shm_get, id);
}

static int shm_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	return obj_add_users(obj, idx, US_SYSV_SHM, 0, obj_val(obj, F_ID));
}

/*
 * NATTCH counts every mapping of the segment, in every process: at 0 there
 * is no user to look for, and no process need be read for it
 */
static bool shm_unattached(const struct ipcx_obj *obj)
{
	return obj_has(obj, F_NATTCH) && obj_val(obj, F_NATTCH) == 0;
}

/* NATTCH counts attaches in every PID namespace, so it decides, not our users */
static const char *shm_orphan_reason(const struct ipcx_obj *obj)
{
	if (obj_val(obj, F_NATTCH) > 0)
		return NULL;
	switch (ipcx_obj_pid_state(obj, IPCX_COL_CPID)) {
	case IPCX_PID_GONE:
		return "not attached, creator gone";
	case IPCX_PID_REUSED:
		return "not attached, creator gone (pid reused)";
	default:
		return NULL;
	}
}

const struct kind_ops kind_shm_ops = {
	.fields = SYSV_FIELDS | FIELD_BIT(F_STATUS) | FIELD_BIT(F_SIZE) | FIELD_BIT(F_NATTCH) |
		  FIELD_BIT(F_CPID) | FIELD_BIT(F_LPID) | FIELD_BIT(F_ATIME) |
		  FIELD_BIT(F_DTIME) | FIELD_BIT(F_RSS) | FIELD_BIT(F_SWAP),
	.scan = shm_scan,
	.remove = shm_remove,
	.create = shm_create,
	.procs = PROCS_MAPS,
	.users = shm_users,
	.surely_unused = shm_unattached,
	.orphan_reason = shm_orphan_reason,
};
