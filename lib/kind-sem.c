// SPDX-License-Identifier: LGPL-2.1-or-later
/* System V semaphore sets. */
#include <errno.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "ipcx-private.h"

/* The caller defines it: see semctl(2) */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int sem_info_max(int *in_use)
{
	struct seminfo info;
	union semun arg = { .__buf = &info };
	int max = semctl(0, 0, SEM_INFO, arg);

	if (max < 0)
		return -errno;
	*in_use = info.semusz;
	return max;
}

static int sem_stat_index(int index, struct ipcx_obj *obj)
{
	/* zeroed: valgrind does not know SEM_STAT_ANY fills it */
	struct semid_ds ds = { 0 };
	union semun arg = { .buf = &ds };
	int id = semctl(index, 0, SEM_STAT_ANY, arg);

	if (id < 0)
		return -errno;
	sysv_set_perm(obj, &ds.sem_perm, id);
	obj_set(obj, F_NSEMS, ds.sem_nsems);
	obj_set(obj, F_OTIME, (uint64_t)ds.sem_otime);
	obj_set(obj, F_CTIME, (uint64_t)ds.sem_ctime);
	return 0;
}

static const struct sysv_source sem_source = {
	.kind = IPCX_KIND_SEM,
	.procfile = "/proc/sysvipc/sem",
	.info = sem_info_max,
	.stat_index = sem_stat_index,
};

static int sem_scan(struct ipcx_list *list, unsigned int need)
{
	return sysv_scan(list, &sem_source, false);
}

static int sem_remove(struct ipcx_obj *obj)
{
	int id = (int)obj_val(obj, F_ID);
	struct semid_ds ds;
	union semun arg = { .buf = &ds };
	int rc = semctl(id, 0, IPC_STAT, arg);
	int r = sysv_check_same(obj, rc, &ds.sem_perm, F_NSEMS, rc < 0 ? 0 : ds.sem_nsems);

	if (r < 0)
		return r;
	return semctl(id, 0, IPC_RMID) < 0 ? -errno : 0;
}

/* nsems 0 goes to the kernel: it refuses it for a new set, after EEXIST */
static int sem_get(const struct ipcx_create_spec *spec, int flags)
{
	int r;

	if (spec->nsems > INT32_MAX)
		return -EINVAL;
	r = semget((key_t)spec->key, (int)spec->nsems, flags);
	return r < 0 ? -errno : r;
}

static int sem_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	return sysv_create(spec, sem_get, id);
}

/* -errno of a failed semctl(): -EIDRM for a set removed since the scan */
static int sem_error(void)
{
	return errno == EINVAL ? -EIDRM : -errno;
}

/* One semctl() command on semaphore num; the value or -errno */
static int sem_query(int id, unsigned int num, int cmd)
{
	int r = semctl(id, (int)num, cmd);

	return r < 0 ? sem_error() : r;
}

/*
 * When the semaphores' pids were last set: semop() sets them with OTIME, and
 * SETVAL and SETALL with CTIME (an IPC_SET moves CTIME too: a later time
 * calls a process alive, never a live one reused)
 */
static uint64_t sem_pid_time(const struct ipcx_obj *obj)
{
	uint64_t otime = obj_val(obj, F_OTIME), ctime = obj_val(obj, F_CTIME);

	return otime > ctime ? otime : ctime;
}

static int sem_fill_member(const struct ipcx_obj *obj, int id, struct ipcx_sem_member *m)
{
	int pid = sem_query(id, m->num, GETPID);
	int ncnt = sem_query(id, m->num, GETNCNT);
	int zcnt = sem_query(id, m->num, GETZCNT);

	if (pid < 0 || ncnt < 0 || zcnt < 0)
		return pid < 0 ? pid : ncnt < 0 ? ncnt : zcnt;
	m->pid = pid;
	m->ncnt = (unsigned int)ncnt;
	m->zcnt = (unsigned int)zcnt;
	m->pid_state = pid && obj->list->procs ?
		procs_pid_state(obj->list->procs, pid, sem_pid_time(obj)) : -ENODATA;
	return 0;
}

static int sem_members(struct ipcx_obj *obj)
{
	int id = (int)obj_val(obj, F_ID);
	size_t n = obj_val(obj, F_NSEMS);
	unsigned short *values = calloc(n ? n : 1, sizeof(*values));
	struct ipcx_sem_member *members = calloc(n ? n : 1, sizeof(*members));
	union semun arg = { .array = values };
	int r = 0;

	if (!values || !members)
		r = -ENOMEM;
	else if (semctl(id, 0, GETALL, arg) < 0)
		r = sem_error();
	for (size_t i = 0; r == 0 && i < n; i++) {
		members[i].num = (unsigned int)i;
		members[i].value = values[i];
		r = sem_fill_member(obj, id, &members[i]);
	}
	free(values);
	if (r < 0) {
		free(members);
		return r;
	}
	free(obj->members);
	obj->members = members;
	obj->nmembers = n;
	return 0;
}

/*
 * The last operator of each semaphore if it still runs, and every process
 * blocked on the set. One GETPID a semaphore: the values and waiter counts
 * are read only for show (sem_members) and for the orphan reason.
 */
static int sem_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	int id = (int)obj_val(obj, F_ID);
	size_t n = obj_val(obj, F_NSEMS);
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++) {
		int pid = sem_query(id, (unsigned int)i, GETPID);

		r = pid < 0 ? pid : obj_add_pid_user(obj, idx, pid, sem_pid_time(obj),
						     IPCX_USE_LAST_OP);
	}
	if (r == 0 || r == -EACCES || r == -EPERM)
		r = obj_add_users(obj, idx, US_SEM_WAIT, 0, id);
	return r;
}

/* 1 if a process waits on a semaphore of the set, 0 if none, or -errno */
static int sem_waiting(const struct ipcx_obj *obj)
{
	int id = (int)obj_val(obj, F_ID);
	size_t n = obj_val(obj, F_NSEMS);

	for (size_t i = 0; i < n; i++) {
		int ncnt = sem_query(id, (unsigned int)i, GETNCNT);
		int zcnt = ncnt < 0 ? ncnt : sem_query(id, (unsigned int)i, GETZCNT);

		if (zcnt < 0)
			return zcnt;
		if (ncnt || zcnt)
			return 1;
	}
	return 0;
}

/*
 * Waiters in another PID namespace are counted by ncnt and zcnt though
 * unseen; a set whose counts cannot be read is not called an orphan.
 */
static const char *sem_orphan_reason(const struct ipcx_obj *obj)
{
	if (obj->nusers || sem_waiting(obj) != 0)
		return NULL;
	return "no live last operator or waiter";
}

const struct kind_ops kind_sem_ops = {
	.fields = SYSV_FIELDS | FIELD_BIT(F_NSEMS) | FIELD_BIT(F_OTIME),
	.scan = sem_scan,
	.remove = sem_remove,
	.create = sem_create,
	.members = sem_members,
	.procs = PROCS_WAITERS,
	.users = sem_users,
	.orphan_reason = sem_orphan_reason,
};
