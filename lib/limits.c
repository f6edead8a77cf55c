// SPDX-License-Identifier: LGPL-2.1-or-later
/* Kernel limits on IPC objects, read live, with how much of each is used. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "ipcx-private.h"

/* Limits this large cannot be reached (the kernel's shmall/shmmax default is ULONG_MAX - 2^24) */
#define UNLIMITED_FROM (UINT64_C(1) << 62)
/* Largest semaphore value: a kernel constant with no sysctl (SEMVMX) */
#define SEM_VALUE_MAX_KERNEL 32767

enum limit_row {
	L_SHMMAX, L_SHMALL, L_SHMMNI,
	L_SEMMSL, L_SEMMNS, L_SEMOPM, L_SEMMNI, L_SEMVMX,
	L_MSGMAX, L_MSGMNB, L_MSGMNI,
	L_MQ_QUEUES, L_MQ_MSG_MAX, L_MQ_MSGSIZE_MAX, L_MQ_MSG_DEFAULT, L_MQ_MSGSIZE_DEFAULT,
	L_DEVSHM, L_RLIMIT_MSGQUEUE,
	L_COUNT
};

static const struct {
	const char *name;
	const char *description;
	unsigned int flags;
} limit_rows[L_COUNT] = {
	[L_SHMMAX] = { "shmmax", "Maximum size of a shared memory segment", IPCX_LIMIT_BYTES },
	[L_SHMALL] = { "shmall", "Pages of shared memory in all segments", IPCX_LIMIT_HAS_USED },
	[L_SHMMNI] = { "shmmni", "Number of shared memory segments", IPCX_LIMIT_HAS_USED },
	[L_SEMMSL] = { "semmsl", "Semaphores per set", 0 },
	[L_SEMMNS] = { "semmns", "Semaphores in all sets", IPCX_LIMIT_HAS_USED },
	[L_SEMOPM] = { "semopm", "Operations per semop call", 0 },
	[L_SEMMNI] = { "semmni", "Number of semaphore sets", IPCX_LIMIT_HAS_USED },
	[L_SEMVMX] = { "semvmx", "Maximum semaphore value", 0 },
	[L_MSGMAX] = { "msgmax", "Maximum size of a message", IPCX_LIMIT_BYTES },
	[L_MSGMNB] = { "msgmnb", "Default maximum bytes in a queue", IPCX_LIMIT_BYTES },
	[L_MSGMNI] = { "msgmni", "Number of message queues", IPCX_LIMIT_HAS_USED },
	[L_MQ_QUEUES] = { "mq_queues_max", "Number of POSIX message queues", IPCX_LIMIT_HAS_USED },
	[L_MQ_MSG_MAX] = { "mq_msg_max", "Messages per POSIX queue", 0 },
	[L_MQ_MSGSIZE_MAX] = { "mq_msgsize_max", "Maximum size of a POSIX message", IPCX_LIMIT_BYTES },
	[L_MQ_MSG_DEFAULT] = { "mq_msg_default", "Default messages per POSIX queue", 0 },
	[L_MQ_MSGSIZE_DEFAULT] = { "mq_msgsize_default", "Default size of a POSIX message", IPCX_LIMIT_BYTES },
	[L_DEVSHM] = { "devshm_size", "Size of the /dev/shm filesystem", IPCX_LIMIT_BYTES | IPCX_LIMIT_HAS_USED },
	[L_RLIMIT_MSGQUEUE] = { "rlimit_msgqueue", "Caller's RLIMIT_MSGQUEUE (bytes for POSIX queues)", IPCX_LIMIT_BYTES },
};

struct ipcx_limits {
	struct ipcx_limit rows[L_COUNT];
	bool present[L_COUNT];
};

static void limit_set(struct ipcx_limits *lim, enum limit_row row, uint64_t value)
{
	struct ipcx_limit *l = &lim->rows[row];

	l->name = limit_rows[row].name;
	l->description = limit_rows[row].description;
	l->flags = limit_rows[row].flags;
	l->limit = value;
	if (value >= UNLIMITED_FROM)
		l->flags |= IPCX_LIMIT_UNLIMITED;
	lim->present[row] = true;
}

static void limit_sysctl(struct ipcx_limits *lim, enum limit_row row, const char *path)
{
	uint64_t v;

	if (read_sysctl_u64(path, &v) == 0)
		limit_set(lim, row, v);
}

static void limits_read_sem(struct ipcx_limits *lim)
{
	static const enum limit_row rows[] = { L_SEMMSL, L_SEMMNS, L_SEMOPM, L_SEMMNI };
	long long v[4];
	char *text;
	size_t len;

	limit_set(lim, L_SEMVMX, SEM_VALUE_MAX_KERNEL);
	/* kernel/sem holds semmsl, semmns, semopm, semmni in this order, as ints */
	if (read_file("/proc/sys/kernel/sem", &text, &len) < 0)
		return;
	if (sscanf(text, "%lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3]) == 4) {
		/* the kernel compares them as ints: a negative one allows nothing */
		for (size_t i = 0; i < 4; i++)
			limit_set(lim, rows[i], v[i] < 0 ? 0 : (uint64_t)v[i]);
	}
	free(text);
}

/* Current use from the *_INFO commands: no need to scan the objects */
static void limits_read_used(struct ipcx_limits *lim)
{
	struct shm_info shm;
	struct seminfo sem;
	struct msginfo msg;

	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shm) >= 0) {
		lim->rows[L_SHMALL].used = shm.shm_tot;
		lim->rows[L_SHMMNI].used = (uint64_t)shm.used_ids;
	}
	if (semctl(0, 0, SEM_INFO, &sem) >= 0) {
		lim->rows[L_SEMMNS].used = (uint64_t)sem.semaem;
		lim->rows[L_SEMMNI].used = (uint64_t)sem.semusz;
	}
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&msg) >= 0)
		lim->rows[L_MSGMNI].used = (uint64_t)msg.msgpool;
}

static void limit_devshm(struct ipcx_limits *lim, const struct statvfs *vfs)
{
	if (vfs->f_blocks == 0) {
		/* a tmpfs mounted with size=0 has no limit, and counts no block in use */
		limit_set(lim, L_DEVSHM, UINT64_MAX);
		lim->rows[L_DEVSHM].flags &= ~(unsigned int)IPCX_LIMIT_HAS_USED;
		return;
	}
	limit_set(lim, L_DEVSHM, (uint64_t)vfs->f_blocks * vfs->f_frsize);
	lim->rows[L_DEVSHM].used = (uint64_t)(vfs->f_blocks - vfs->f_bfree) * vfs->f_frsize;
}

static void limits_read_posix(struct ipcx_ctx *ctx, struct ipcx_limits *lim)
{
	static const unsigned int name_only = IPCX_COL_NAME;
	struct ipcx_list *queues = NULL;
	struct statvfs vfs;
	struct rlimit rl;
	uint64_t v;

	limit_sysctl(lim, L_MQ_QUEUES, "/proc/sys/fs/mqueue/queues_max");
	limit_sysctl(lim, L_MQ_MSG_MAX, MQ_MSG_MAX);
	limit_sysctl(lim, L_MQ_MSGSIZE_MAX, MQ_MSGSIZE_MAX);
	if (mq_default(MQ_MSG_DEFAULT, MQ_MSG_MAX, &v) == 0)
		limit_set(lim, L_MQ_MSG_DEFAULT, v);
	if (mq_default(MQ_MSGSIZE_DEFAULT, MQ_MSGSIZE_MAX, &v) == 0)
		limit_set(lim, L_MQ_MSGSIZE_DEFAULT, v);
	/*
	 * queues in use: the same listing as the posix-mq kind, of names alone
	 * (no process need be read); unknown if it fails
	 */
	if (lim->present[L_MQ_QUEUES]) {
		if (ipcx_list_new(ctx, IPCX_KIND_BIT(IPCX_KIND_POSIX_MQ), &name_only, 1, &queues) == 0 &&
		    ipcx_list_kind_error(queues, IPCX_KIND_POSIX_MQ) == 0)
			lim->rows[L_MQ_QUEUES].used = ipcx_list_count(queues);
		else
			lim->rows[L_MQ_QUEUES].flags &= ~(unsigned int)IPCX_LIMIT_HAS_USED;
		ipcx_list_unref(queues);
	}
	if (statvfs(DEV_SHM, &vfs) == 0)
		limit_devshm(lim, &vfs);
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
		limit_set(lim, L_RLIMIT_MSGQUEUE, rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : rl.rlim_cur);
}

IPCX_EXPORT int ipcx_limits_new(struct ipcx_ctx *ctx, struct ipcx_limits **ret)
{
	struct ipcx_limits *lim;

	if (!ctx || !ret)
		return -EINVAL;
	lim = calloc(1, sizeof(*lim));
	if (!lim)
		return -ENOMEM;
	limit_sysctl(lim, L_SHMMAX, "/proc/sys/kernel/shmmax");
	limit_sysctl(lim, L_SHMALL, "/proc/sys/kernel/shmall");
	limit_sysctl(lim, L_SHMMNI, "/proc/sys/kernel/shmmni");
	limits_read_sem(lim);
	limit_sysctl(lim, L_MSGMAX, "/proc/sys/kernel/msgmax");
	limit_sysctl(lim, L_MSGMNB, "/proc/sys/kernel/msgmnb");
	limit_sysctl(lim, L_MSGMNI, "/proc/sys/kernel/msgmni");
	limits_read_used(lim);
	limits_read_posix(ctx, lim);
	*ret = lim;
	return 0;
}

IPCX_EXPORT struct ipcx_limits *ipcx_limits_unref(struct ipcx_limits *limits)
{
	free(limits);
	return NULL;
}

IPCX_EXPORT size_t ipcx_limits_count(const struct ipcx_limits *limits)
{
	return limits ? L_COUNT : 0;
}

IPCX_EXPORT const struct ipcx_limit *ipcx_limits_get(const struct ipcx_limits *limits,
						     size_t index)
{
	if (!limits || index >= L_COUNT || !limits->present[index])
		return NULL;
	return &limits->rows[index];
}
