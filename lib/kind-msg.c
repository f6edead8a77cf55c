// SPDX-License-Identifier: LGPL-2.1-or-later
/* System V message queues. */
#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "ipcx-private.h"

static int msg_info_max(int *in_use)
{
	struct msginfo info;
	int max = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&info);

	if (max < 0)
		return -errno;
	*in_use = info.msgpool;	/* MSG_INFO puts the queues in use here */
	return max;
}

static int msg_stat_index(int index, struct ipcx_obj *obj)
{
	/* zeroed: valgrind does not know MSG_STAT_ANY fills it */
	struct msqid_ds ds = { 0 };
	int id = msgctl(index, MSG_STAT_ANY, &ds);

	if (id < 0)
		return -errno;
	sysv_set_perm(obj, &ds.msg_perm, id);
	obj_set(obj, F_SIZE, ds.__msg_cbytes);
	obj_set(obj, F_MESSAGES, ds.msg_qnum);
	obj_set(obj, F_QBYTES, ds.msg_qbytes);
	obj_set(obj, F_LSPID, (uint64_t)ds.msg_lspid);
	obj_set(obj, F_LRPID, (uint64_t)ds.msg_lrpid);
	obj_set(obj, F_STIME, (uint64_t)ds.msg_stime);
	obj_set(obj, F_RTIME, (uint64_t)ds.msg_rtime);
	obj_set(obj, F_CTIME, (uint64_t)ds.msg_ctime);
	return 0;
}

static const struct sysv_source msg_source = {
	.kind = IPCX_KIND_MSG,
	.procfile = "/proc/sysvipc/msg",
	.info = msg_info_max,
	.stat_index = msg_stat_index,
};

static int msg_scan(struct ipcx_list *list, unsigned int need)
{
	return sysv_scan(list, &msg_source, false);
}

static int msg_remove(struct ipcx_obj *obj)
{
	int id = (int)obj_val(obj, F_ID);
	struct msqid_ds ds;
	/* a queue keeps nothing of its creation but its key and creator's ids */
	int r = sysv_check_same(obj, msgctl(id, IPC_STAT, &ds), &ds.msg_perm, F_COUNT, 0);

	if (r < 0)
		return r;
	return msgctl(id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static int msg_get(const struct ipcx_create_spec *spec, int flags)
{
	int r = msgget((key_t)spec->key, flags);

	return r < 0 ? -errno : r;
}

static int msg_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	return sysv_create(spec, msg_get, id);
}

/* The last sender and receiver if they still run, and every process blocked on it */
static int msg_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	int r = obj_add_pid_user(obj, idx, (pid_t)obj_val(obj, F_LSPID), obj_val(obj, F_STIME),
				 IPCX_USE_LAST_OP);

	if (r == 0)
		r = obj_add_pid_user(obj, idx, (pid_t)obj_val(obj, F_LRPID), obj_val(obj, F_RTIME),
				     IPCX_USE_LAST_OP);
	if (r == 0)
		r = obj_add_users(obj, idx, US_MSG_WAIT, 0, obj_val(obj, F_ID));
	return r;
}

static const char *msg_orphan_reason(const struct ipcx_obj *obj)
{
	return obj->nusers ? NULL : "no live sender, receiver or waiter";
}

const struct kind_ops kind_msg_ops = {
	.fields = SYSV_FIELDS | FIELD_BIT(F_SIZE) | FIELD_BIT(F_MESSAGES) | FIELD_BIT(F_QBYTES) |
		  FIELD_BIT(F_LSPID) | FIELD_BIT(F_LRPID) | FIELD_BIT(F_STIME) |
		  FIELD_BIT(F_RTIME),
	.scan = msg_scan,
	.remove = msg_remove,
	.create = msg_create,
	.procs = PROCS_WAITERS,
	.users = msg_users,
	.orphan_reason = msg_orphan_reason,
};
