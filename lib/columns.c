// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The one table of columns. Each column is a view of one field with one
 * way to print it, for every kind alike.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "ipcx-private.h"
#include "format.h"

struct column {
	const char *name;
	const char *description;
	int field;		/* enum ipcx_field; -1: the kind itself */
	enum value_format format;
	unsigned int default_kinds;	/* kinds it shows for by default */
};

/* Default columns: for every kind, or only for the kinds that exist to show them */
#define ALL UINT_MAX
#define PIPE IPCX_KIND_BIT(IPCX_KIND_PIPE)
#define MMAP IPCX_KIND_BIT(IPCX_KIND_MMAP)
#define UNIX IPCX_KIND_BIT(IPCX_KIND_UNIX)
#define PROCESS_KINDS (PIPE | MMAP | UNIX)

static const struct column columns[IPCX_COL_COUNT] = {
	[IPCX_COL_TYPE] = { "TYPE", "kind of object", -1, VF_KIND, ALL },
	[IPCX_COL_KEY] = { "KEY", "System V key", F_KEY, VF_KEY, ALL },
	[IPCX_COL_ID] = { "ID", "System V identifier", F_ID, VF_NUMBER, ALL },
	[IPCX_COL_NAME] = { "NAME", "POSIX name", F_NAME, VF_TEXT, ALL },
	[IPCX_COL_PATH] = { "PATH", "file system path", F_PATH, VF_TEXT, ALL },
	[IPCX_COL_OWNER] = { "OWNER", "owner's user name", F_UID, VF_USER, ALL },
	[IPCX_COL_GROUP] = { "GROUP", "owner's group name", F_GID, VF_GROUP, 0 },
	[IPCX_COL_UID] = { "UID", "owner's user id", F_UID, VF_NUMBER, 0 },
	[IPCX_COL_GID] = { "GID", "owner's group id", F_GID, VF_NUMBER, 0 },
	[IPCX_COL_CUSER] = { "CUSER", "creator's user name", F_CUID, VF_USER, 0 },
	[IPCX_COL_CGROUP] = { "CGROUP", "creator's group name", F_CGID, VF_GROUP, 0 },
	[IPCX_COL_CUID] = { "CUID", "creator's user id", F_CUID, VF_NUMBER, 0 },
	[IPCX_COL_CGID] = { "CGID", "creator's group id", F_CGID, VF_NUMBER, 0 },
	[IPCX_COL_PERMS] = { "PERMS", "access permissions", F_MODE, VF_PERMS, ALL },
	[IPCX_COL_SIZE] = { "SIZE", "bytes of data held (shm: segment size, queues: bytes queued)", F_SIZE, VF_SIZE, ALL },
	[IPCX_COL_NATTCH] = { "NATTCH", "number of attached processes", F_NATTCH, VF_NUMBER, ALL },
	[IPCX_COL_STATUS] = { "STATUS", "dest: removal pending, locked: in memory", F_STATUS, VF_STATUS, ALL },
	[IPCX_COL_NSEMS] = { "NSEMS", "number of semaphores", F_NSEMS, VF_NUMBER, ALL },
	[IPCX_COL_VALUE] = { "VALUE", "semaphore value", F_VALUE, VF_NUMBER, ALL },
	[IPCX_COL_MESSAGES] = { "MESSAGES", "number of queued messages", F_MESSAGES, VF_NUMBER, ALL },
	[IPCX_COL_QBYTES] = { "QBYTES", "maximum bytes in the queue", F_QBYTES, VF_SIZE, 0 },
	[IPCX_COL_MAXMSG] = { "MAXMSG", "maximum number of messages in the queue", F_MAXMSG, VF_NUMBER, 0 },
	[IPCX_COL_MSGSIZE] = { "MSGSIZE", "maximum size of a message", F_MSGSIZE, VF_SIZE, 0 },
	[IPCX_COL_READERS] = { "READERS", "open file descriptors that read", F_READERS, VF_NUMBER, ALL },
	[IPCX_COL_WRITERS] = { "WRITERS", "open file descriptors that write", F_WRITERS, VF_NUMBER, ALL },
	[IPCX_COL_CPID] = { "CPID", "creator's process id", F_CPID, VF_NUMBER, 0 },
	[IPCX_COL_LPID] = { "LPID", "process id of the last attach or detach", F_LPID, VF_NUMBER, 0 },
	[IPCX_COL_LSPID] = { "LSPID", "process id of the last send", F_LSPID, VF_NUMBER, 0 },
	[IPCX_COL_LRPID] = { "LRPID", "process id of the last receive", F_LRPID, VF_NUMBER, 0 },
	[IPCX_COL_NOTIFY_PID] = { "NOTIFY_PID", "process to notify of a new message", F_NOTIFY_PID, VF_NUMBER, 0 },
	[IPCX_COL_ATIME] = { "ATIME", "time of the last attach", F_ATIME, VF_TIME, 0 },
	[IPCX_COL_DTIME] = { "DTIME", "time of the last detach", F_DTIME, VF_TIME, 0 },
	[IPCX_COL_STIME] = { "STIME", "time of the last send", F_STIME, VF_TIME, 0 },
	[IPCX_COL_RTIME] = { "RTIME", "time of the last receive", F_RTIME, VF_TIME, 0 },
	[IPCX_COL_OTIME] = { "OTIME", "time of the last semaphore operation", F_OTIME, VF_TIME, 0 },
	[IPCX_COL_MTIME] = { "MTIME", "time of the last modification", F_MTIME, VF_TIME, 0 },
	[IPCX_COL_CTIME] = { "CTIME", "time of the last change", F_CTIME, VF_TIME, ALL },
	[IPCX_COL_RSS] = { "RSS", "resident bytes", F_RSS, VF_SIZE, 0 },
	[IPCX_COL_SWAP] = { "SWAP", "swapped-out bytes", F_SWAP, VF_SIZE, 0 },
	[IPCX_COL_INODE] = { "INODE", "inode number", F_INODE, VF_NUMBER, PIPE | UNIX },
	[IPCX_COL_PIDS] = { "PIDS", "processes using the object", F_NPROCS, VF_PIDS, 0 },
	[IPCX_COL_COMMAND] = { "COMMAND", "name[pid] of each process using the object", F_NPROCS, VF_COMMANDS, PROCESS_KINDS },
	[IPCX_COL_NPROCS] = { "NPROCS", "number of processes using the object", F_NPROCS, VF_NUMBER, 0 },
	[IPCX_COL_CPID_ALIVE] = { "CPID_ALIVE", "creator still runs: yes, no, or reused (its pid is another process's now)", F_CPID, VF_PID_STATE, 0 },
	[IPCX_COL_REASON] = { "REASON", "why the object counts as orphaned", F_NPROCS, VF_REASON, 0 },
	[IPCX_COL_MAPPED] = { "MAPPED", "bytes mapped, over every process", F_MAPPED, VF_SIZE, MMAP },
	[IPCX_COL_SOCKTYPE] = { "SOCKTYPE", "socket type: stream, dgram, seqpacket", F_SOCKTYPE, VF_SOCKTYPE, UNIX },
	[IPCX_COL_STATE] = { "STATE", "socket state: listen, connected, unconnected, ...", F_STATE, VF_SOCKSTATE, UNIX },
	[IPCX_COL_PEER] = { "PEER", "inode of the peer socket", F_PEER, VF_NUMBER, UNIX },
	[IPCX_COL_PEER_PIDS] = { "PEER_PIDS", "processes holding the peer socket", F_PEER, VF_PEER_PIDS, 0 },
	[IPCX_COL_RECVQ] = { "RECVQ", "bytes waiting to be received (dgram: size of the next datagram)", F_RECVQ, VF_NUMBER, 0 },
	[IPCX_COL_SENDQ] = { "SENDQ", "bytes sent and not yet received by the peer", F_SENDQ, VF_NUMBER, 0 },
	[IPCX_COL_BACKLOG] = { "BACKLOG", "listener: most connections waiting for accept", F_BACKLOG, VF_NUMBER, 0 },
	[IPCX_COL_PENDING] = { "PENDING", "listener: connections waiting for accept", F_PENDING, VF_NUMBER, 0 },
	[IPCX_COL_NETNS] = { "NETNS", "network namespace: its inode, as /proc/PID/ns/net links to it", F_NETNS, VF_NUMBER, 0 },
};

IPCX_EXPORT const char *ipcx_col_name(unsigned int col)
{
	return col < IPCX_COL_COUNT ? columns[col].name : NULL;
}

IPCX_EXPORT const char *ipcx_col_description(unsigned int col)
{
	return col < IPCX_COL_COUNT ? columns[col].description : NULL;
}

IPCX_EXPORT int ipcx_col_from_name(const char *name, size_t len)
{
	if (!name)
		return -EINVAL;
	for (unsigned int c = 0; c < IPCX_COL_COUNT; c++) {
		/* the length first: name[len] of a shorter name is past its end */
		if (strlen(columns[c].name) == len && strncasecmp(name, columns[c].name, len) == 0)
			return (int)c;
	}
	return -EINVAL;
}

IPCX_EXPORT int ipcx_col_applies(unsigned int col, unsigned int kind)
{
	const struct kind_ops *ops = kind_get(kind);

	if (col >= IPCX_COL_COUNT || !ops)
		return 0;
	if (columns[col].field < 0)
		return 1;
	if (columns[col].format == VF_REASON)
		return ops->orphan_reason != NULL;
	/* every kind of object can have processes using it */
	if (columns[col].field == F_NPROCS)
		return 1;
	return (ops->fields & FIELD_BIT(columns[col].field)) != 0;
}

IPCX_EXPORT int ipcx_col_is_number(unsigned int col)
{
	if (col >= IPCX_COL_COUNT)
		return 0;
	switch (columns[col].format) {
	case VF_NUMBER:
	case VF_SIZE:
	case VF_PIDS:
	case VF_PEER_PIDS:
		return 1;
	default:
		return 0;
	}
}

IPCX_EXPORT int ipcx_col_is_string(unsigned int col)
{
	return col < IPCX_COL_COUNT && columns[col].format == VF_TEXT;
}

IPCX_EXPORT int ipcx_col_is_default(unsigned int col)
{
	return col < IPCX_COL_COUNT && columns[col].default_kinds == ALL;
}

IPCX_EXPORT int ipcx_col_is_default_for(unsigned int col, unsigned int kind)
{
	return col < IPCX_COL_COUNT && kind < IPCX_KIND_COUNT &&
	       (columns[col].default_kinds & IPCX_KIND_BIT(kind));
}

IPCX_EXPORT int ipcx_col_is_list(unsigned int col)
{
	if (col >= IPCX_COL_COUNT)
		return 0;
	switch (columns[col].format) {
	case VF_PIDS:
	case VF_COMMANDS:
	case VF_PEER_PIDS:
		return 1;
	default:
		return 0;
	}
}

IPCX_EXPORT int ipcx_col_needs_users(unsigned int col)
{
	if (col >= IPCX_COL_COUNT)
		return 0;
	return columns[col].field == F_NPROCS || columns[col].format == VF_PID_STATE ||
	       columns[col].format == VF_PEER_PIDS;
}

/* Which sources a scan needs to fill these columns */
unsigned int columns_scan_need(const unsigned int *cols, size_t ncols)
{
	unsigned int need = 0;

	if (!cols)
		return NEED_RSS | NEED_USERS | NEED_DETAILS | NEED_PID_STATES;
	for (size_t i = 0; i < ncols; i++) {
		if (cols[i] == IPCX_COL_RSS || cols[i] == IPCX_COL_SWAP)
			need |= NEED_RSS;
		if (ipcx_col_needs_users(cols[i]))
			need |= NEED_USERS;
		if (cols[i] < IPCX_COL_COUNT && (columns[cols[i]].format == VF_PID_STATE ||
						 columns[cols[i]].format == VF_REASON))
			need |= NEED_USERS | NEED_PID_STATES;
	}
	return need;
}

static int get_pid_state(const struct ipcx_obj *obj, uint64_t *val)
{
	int state = ipcx_obj_pid_state(obj, IPCX_COL_CPID);

	if (state < 0)
		return state;
	*val = (uint64_t)state;
	return 0;
}

IPCX_EXPORT int ipcx_obj_get_u64(const struct ipcx_obj *obj, unsigned int col, uint64_t *val)
{
	int field;

	if (!obj || col >= IPCX_COL_COUNT || !val)
		return -EINVAL;
	field = columns[col].field;
	if (field < 0) {
		*val = obj->kind;
		return 0;
	}
	switch (columns[col].format) {
	case VF_TEXT:
		return -ENODATA;	/* a string: see ipcx_obj_get_string() */
	case VF_PIDS:
	case VF_COMMANDS:
	case VF_PEER_PIDS:
	case VF_REASON:
		return -EINVAL;	/* not numbers: see ipcx_obj_users() and the rest */
	case VF_PID_STATE:
		return get_pid_state(obj, val);
	default:
		break;
	}
	if (!obj_has(obj, field))
		return -ENODATA;
	*val = obj_val(obj, field);
	return 0;
}

IPCX_EXPORT const char *ipcx_obj_get_string(const struct ipcx_obj *obj, unsigned int col)
{
	if (!obj || col >= IPCX_COL_COUNT)
		return NULL;
	if (columns[col].format == VF_REASON)
		return ipcx_obj_orphan_reason(obj);
	if (!ipcx_col_is_string(col))
		return NULL;
	return columns[col].field == F_NAME ? obj->name : obj->path;
}

/* The columns that are views of the object's users rather than of one value */
static int format_users_view(const struct ipcx_obj *obj, unsigned int col, unsigned int flags,
			     char *buf, size_t size)
{
	const struct ipcx_user *users;
	size_t n;
	int r;

	switch (columns[col].format) {
	case VF_PIDS:
	case VF_COMMANDS:
		r = ipcx_obj_users(obj, &users, &n);
		break;
	case VF_PEER_PIDS:
		r = ipcx_obj_peer_users(obj, &users, &n);
		break;
	case VF_PID_STATE:
		return format_pid_state(ipcx_obj_pid_state(obj, IPCX_COL_CPID), buf, size);
	case VF_REASON:
		return format_text(ipcx_obj_orphan_reason(obj), buf, size);
	default:
		return -EINVAL;
	}
	if (r < 0)
		return r;
	return format_users(users, n, columns[col].format == VF_COMMANDS, flags, buf, size);
}

static int obj_format(const struct ipcx_obj *obj, unsigned int col, unsigned int flags,
		      char *buf, size_t size)
{
	uint64_t val;
	int r;

	if (!obj || col >= IPCX_COL_COUNT)
		return -EINVAL;
	if (ipcx_col_is_string(col))
		return format_text(ipcx_obj_get_string(obj, col), buf, size);
	if (ipcx_col_needs_users(col) && columns[col].format != VF_NUMBER)
		return format_users_view(obj, col, flags, buf, size);
	r = ipcx_obj_get_u64(obj, col, &val);
	if (r < 0)
		return r;
	return format_value(obj->ctx, columns[col].format, val, flags, buf, size);
}

IPCX_EXPORT int ipcx_obj_format(const struct ipcx_obj *obj, unsigned int col,
				unsigned int flags, char *buf, size_t size)
{
	if (!buf)
		return -EINVAL;
	return format_finish(obj_format(obj, col, flags, buf, size), buf, size);
}
