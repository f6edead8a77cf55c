/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libipcx: see and manage the IPC objects of a Linux host.
 *
 * One context, one kind table, one column table. Objects come from a list
 * made by one scan; every value is read through the column getters, so a
 * column means the same thing for every kind. Functions that can fail
 * return 0 (or a non-negative value) on success and a negative errno.
 */
#ifndef LIBIPCX_H
#define LIBIPCX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ipcx_ctx;
struct ipcx_list;
struct ipcx_obj;

/* Context ------------------------------------------------------------ */

int ipcx_new(struct ipcx_ctx **ret);
struct ipcx_ctx *ipcx_ref(struct ipcx_ctx *ctx);
struct ipcx_ctx *ipcx_unref(struct ipcx_ctx *ctx);

/* priority is a syslog level (LOG_ERR ... LOG_DEBUG) */
typedef void (*ipcx_log_fn)(void *data, int priority, const char *msg);
void ipcx_set_log_fn(struct ipcx_ctx *ctx, ipcx_log_fn fn, void *data);
void ipcx_set_log_priority(struct ipcx_ctx *ctx, int priority);
/*
 * Load now what the library would load when first needed (libproc2, read
 * the first time a list reads processes): before setns() into another mount
 * namespace, after which the library loaded would be that namespace's file,
 * its code run in the caller. 0, or -ELIBACC if it cannot be loaded.
 */
int ipcx_preload(void);

/* Kinds -------------------------------------------------------------- */

enum ipcx_kind {
	IPCX_KIND_SHM = 0,	/* System V shared memory */
	IPCX_KIND_SEM,		/* System V semaphore sets */
	IPCX_KIND_MSG,		/* System V message queues */
	IPCX_KIND_POSIX_SHM,
	IPCX_KIND_POSIX_SEM,
	IPCX_KIND_POSIX_MQ,
	IPCX_KIND_FIFO,
	IPCX_KIND_PIPE,
	IPCX_KIND_MMAP,
	IPCX_KIND_UNIX,
	IPCX_KIND_COUNT
};

#define IPCX_KIND_BIT(k) (1u << (k))

const char *ipcx_kind_name(unsigned int kind);
const char *ipcx_kind_description(unsigned int kind);
/* 1 if this build can list the kind, 0 if it is reserved for later */
int ipcx_kind_is_available(unsigned int kind);
/* 1 if objects of the kind can be removed (pipes, mappings and sockets cannot) */
int ipcx_kind_can_remove(unsigned int kind);
/*
 * A kind word ("shm") or group ("sysv", "all") to a mask of kinds.
 * -EINVAL: unknown word; -EOPNOTSUPP: a known kind this build lacks.
 */
int ipcx_kinds_parse(const char *word, unsigned int *mask);
/* Every kind this build supports */
unsigned int ipcx_kinds_all(void);
/* What a plain listing shows: System V and POSIX kinds */
unsigned int ipcx_kinds_default(void);

/* Columns ------------------------------------------------------------ */

enum ipcx_col {
	IPCX_COL_TYPE = 0,
	IPCX_COL_KEY,
	IPCX_COL_ID,
	IPCX_COL_NAME,
	IPCX_COL_PATH,
	IPCX_COL_OWNER,
	IPCX_COL_GROUP,
	IPCX_COL_UID,
	IPCX_COL_GID,
	IPCX_COL_CUSER,
	IPCX_COL_CGROUP,
	IPCX_COL_CUID,
	IPCX_COL_CGID,
	IPCX_COL_PERMS,
	IPCX_COL_SIZE,
	IPCX_COL_NATTCH,
	IPCX_COL_NSEMS,
	IPCX_COL_VALUE,
	IPCX_COL_MESSAGES,
	IPCX_COL_QBYTES,
	IPCX_COL_MAXMSG,
	IPCX_COL_MSGSIZE,
	IPCX_COL_READERS,
	IPCX_COL_WRITERS,
	IPCX_COL_STATUS,
	IPCX_COL_CPID,
	IPCX_COL_LPID,
	IPCX_COL_LSPID,
	IPCX_COL_LRPID,
	IPCX_COL_NOTIFY_PID,
	IPCX_COL_ATIME,
	IPCX_COL_DTIME,
	IPCX_COL_STIME,
	IPCX_COL_RTIME,
	IPCX_COL_OTIME,
	IPCX_COL_MTIME,
	IPCX_COL_CTIME,
	IPCX_COL_RSS,
	IPCX_COL_SWAP,
	IPCX_COL_INODE,
	IPCX_COL_PIDS,		/* processes using the object */
	IPCX_COL_COMMAND,	/* name[pid] of each */
	IPCX_COL_NPROCS,
	IPCX_COL_CPID_ALIVE,	/* "yes", "no" or "reused" */
	IPCX_COL_REASON,	/* why it counts as orphaned */
	IPCX_COL_MAPPED,	/* mmap: bytes mapped over every process */
	IPCX_COL_SOCKTYPE,	/* unix: stream, dgram, seqpacket */
	IPCX_COL_STATE,		/* unix: listen, connected, ... */
	IPCX_COL_PEER,		/* unix: the peer's inode */
	IPCX_COL_PEER_PIDS,	/* unix: processes of the peer */
	IPCX_COL_RECVQ,
	IPCX_COL_SENDQ,
	IPCX_COL_BACKLOG,	/* unix listener: most pending connections */
	IPCX_COL_PENDING,	/* unix listener: connections not yet accepted */
	IPCX_COL_NETNS,		/* unix: inode of the network namespace */
	IPCX_COL_COUNT
};

const char *ipcx_col_name(unsigned int col);
const char *ipcx_col_description(unsigned int col);
/* Case-insensitive; len is the length of name. Returns the column or -EINVAL. */
int ipcx_col_from_name(const char *name, size_t len);
/* 1 if the column has a value for objects of this kind */
int ipcx_col_applies(unsigned int col, unsigned int kind);
/* 1 if the column's value is text (NAME, PATH): read it with ipcx_obj_get_string() */
int ipcx_col_is_string(unsigned int col);
/* 1 if the column is a number in JSON (KEY and PERMS are strings) */
int ipcx_col_is_number(unsigned int col);
/* 1 if the column belongs to the default output of every kind */
int ipcx_col_is_default(unsigned int col);
/* 1 if the column belongs to the default output of this kind */
int ipcx_col_is_default_for(unsigned int col, unsigned int kind);
/*
 * 1 if the column holds a list (PIDS, COMMAND, PEER_PIDS): "1,2" in text,
 * and with IPCX_FMT_LIST_JSON a JSON array to print as it is.
 */
int ipcx_col_is_list(unsigned int col);
/* 1 if the column needs the processes resolved (PIDS, CPID_ALIVE, ...) */
int ipcx_col_needs_users(unsigned int col);

/* Formatting flags for ipcx_obj_format() */
enum {
	IPCX_FMT_BYTES = 1u << 0,	  /* sizes in bytes, not "8K" */
	IPCX_FMT_NUMERIC_PERMS = 1u << 1, /* "644", not "rw-r--r--" */
	IPCX_FMT_NUMERIC_IDS = 1u << 2,	  /* OWNER/GROUP as numbers */
	IPCX_FMT_TIME_SHORT = 0u << 4,
	IPCX_FMT_TIME_FULL = 1u << 4,
	IPCX_FMT_TIME_ISO = 2u << 4,
	IPCX_FMT_TIME_MASK = 3u << 4,
	IPCX_FMT_LIST_JSON = 1u << 6,	  /* lists as JSON arrays: [1,2], ["a[1]"] */
};

/* Lists -------------------------------------------------------------- */

/*
 * Scan the kinds in the mask. cols lists the columns the caller will read
 * (NULL: all), so that the scan reads only the sources they need. A kind
 * that cannot be read does not fail the list: see ipcx_list_kind_error().
 * -EXDEV: the columns need the processes, and /proc was mounted in another
 * PID namespace than the caller's, so its pids are not the caller's and
 * which process is alive or uses what cannot be told.
 */
int ipcx_list_new(struct ipcx_ctx *ctx, unsigned int kinds,
		  const unsigned int *cols, size_t ncols,
		  struct ipcx_list **ret);
struct ipcx_list *ipcx_list_ref(struct ipcx_list *list);
struct ipcx_list *ipcx_list_unref(struct ipcx_list *list);
size_t ipcx_list_count(const struct ipcx_list *list);
/* Objects are ordered by kind, then id; NULL past the end */
struct ipcx_obj *ipcx_list_get(const struct ipcx_list *list, size_t index);
/*
 * 0 or the negative errno that stopped the scan of this kind. -ENOMEDIUM for
 * posix-mq: no mqueue filesystem at /dev/mqueue and none could be mounted
 * privately.
 */
int ipcx_list_kind_error(const struct ipcx_list *list, unsigned int kind);
/* Objects listed with some fields unread (the caller may not open them) */
size_t ipcx_list_partial_count(const struct ipcx_list *list);
/*
 * Processes whose open files, mappings or state could not be inspected:
 * their use of an object is unknown, so it may look unused.
 */
size_t ipcx_list_hidden_procs(const struct ipcx_list *list);
/*
 * 1 (noaccess), 2 (invisible) or 4 (ptraceable): /proc is mounted with that
 * hidepid= and the caller lacks CAP_SYS_PTRACE (and, for 1 and 2, the gid=
 * group), so the processes it may not inspect are not even listed (under
 * noaccess, their stat cannot be read), nor counted above. 0 when it sees
 * every process, or no process was read.
 */
int ipcx_list_hidepid(const struct ipcx_list *list);
/*
 * unix: network namespaces of processes that the caller may not enter
 * (CAP_SYS_ADMIN over them is needed): their sockets are not listed.
 */
size_t ipcx_list_unread_netns(const struct ipcx_list *list);
/* 1 if the list knows which processes use each object */
int ipcx_list_has_users(const struct ipcx_list *list);

/* Objects ------------------------------------------------------------ */

/* Objects live as long as their list. */
unsigned int ipcx_obj_kind(const struct ipcx_obj *obj);
/* Numeric value of a column (uid for OWNER, mode for PERMS, ...); -ENODATA if none */
int ipcx_obj_get_u64(const struct ipcx_obj *obj, unsigned int col, uint64_t *val);
/* Text value of a string column (NAME, PATH); NULL if none */
const char *ipcx_obj_get_string(const struct ipcx_obj *obj, unsigned int col);
/* 1 if some fields of the object could not be read */
int ipcx_obj_is_partial(const struct ipcx_obj *obj);
/*
 * Text of a column; returns its length, -ENODATA if empty, -ENOSPC if buf is
 * short. On any error buf is "" (when size > 0), never a cut value.
 */
int ipcx_obj_format(const struct ipcx_obj *obj, unsigned int col,
		    unsigned int flags, char *buf, size_t size);
/*
 * Remove the object. For a shm segment still attached the kernel only marks
 * it and destroys it at the last detach: check NATTCH first to tell.
 */
int ipcx_obj_remove(struct ipcx_obj *obj);
/*
 * 0 if the caller may remove the object, as far as the kernel's rules tell
 * from what was read; -EPERM or -EACCES as ipcx_obj_remove() would return
 */
int ipcx_obj_check_remove(const struct ipcx_obj *obj);

/* How a process holds an object (bits of ipcx_user.how) */
enum {
	IPCX_USE_MAPPED = 1u << 0,	/* mapped into its memory */
	IPCX_USE_READ = 1u << 1,	/* open on a descriptor for reading */
	IPCX_USE_WRITE = 1u << 2,	/* open on a descriptor for writing */
	IPCX_USE_SEM_WAIT = 1u << 3,	/* blocked in semop on the set */
	IPCX_USE_MSG_WAIT = 1u << 4,	/* blocked in msgsnd or msgrcv on the queue */
	IPCX_USE_NOTIFY = 1u << 5,	/* registered with mq_notify */
	IPCX_USE_LAST_OP = 1u << 6,	/* did the last semop, msgsnd or msgrcv */
	IPCX_USE_SOCKET = 1u << 7,	/* holds the socket on a descriptor */
	IPCX_USE_OPENING = 1u << 8,	/* blocked in open() of the FIFO, for its other end */
	IPCX_USE_MSG_SEND = 1u << 9,	/* with IPCX_USE_MSG_WAIT: in msgsnd, the queue full */
};

struct ipcx_user {
	pid_t pid;
	unsigned int how;	/* IPCX_USE_* */
	int fd;			/* lowest descriptor holding it, -1 if none */
	uint64_t mapped;	/* bytes it maps */
	const char *command;	/* its name (comm) */
	/* only when the list was made for every column (cols NULL): */
	int has_uid;
	uid_t uid;
	const char *cmdline;	/* NULL if unreadable */
};

/*
 * The processes using the object, one entry per process, by pid.
 * -ENODATA if the list was not asked for users (see ipcx_col_needs_users).
 */
int ipcx_obj_users(const struct ipcx_obj *obj, const struct ipcx_user **users, size_t *n);
/* unix sockets: the processes of the peer */
int ipcx_obj_peer_users(const struct ipcx_obj *obj, const struct ipcx_user **users, size_t *n);

/* One descriptor through which a process holds an object */
struct ipcx_fd {
	int fd;
	unsigned int how;	/* IPCX_USE_READ and IPCX_USE_WRITE bits, where known */
};
/*
 * The descriptors through which process pid holds the object, lowest
 * first, the first max of them in fds; returns how many there are (0 for a
 * process that only maps it or waits on it), -ENODATA for a list without users
 */
int ipcx_obj_user_fds(const struct ipcx_obj *obj, pid_t pid, struct ipcx_fd *fds, size_t max);

enum {
	IPCX_PID_ALIVE = 0,
	IPCX_PID_GONE,
	IPCX_PID_REUSED,	/* a process with that pid runs, but started after the event */
};
/*
 * Whether the process in a pid column (CPID, LPID, LSPID, LRPID, NOTIFY_PID)
 * still runs: IPCX_PID_*, -ENODATA for no pid or a list made without users,
 * or the error of reading the processes (-ELIBACC, -EXDEV...), every call.
 */
int ipcx_obj_pid_state(const struct ipcx_obj *obj, unsigned int col);
/*
 * Why nobody uses the object, e.g. "not attached, creator gone"; NULL
 * if it is in use, or users were not resolved, or the kind never orphans
 * (pipes, sockets and mappings exist only while used).
 */
const char *ipcx_obj_orphan_reason(const struct ipcx_obj *obj);

struct ipcx_sem_member {
	unsigned int num;
	int value;
	pid_t pid;		/* last semop */
	unsigned int ncnt;	/* waiting for value to grow */
	unsigned int zcnt;	/* waiting for zero */
	int pid_state;		/* IPCX_PID_* of pid, -ENODATA if unknown */
};

/*
 * The semaphores of a set: as the list read them with the users, else read
 * now. -EIDRM if the set is gone, -EINVAL for other kinds.
 */
int ipcx_obj_sem_members(struct ipcx_obj *obj,
			 const struct ipcx_sem_member **members, size_t *n);

/* Creation ----------------------------------------------------------- */

struct ipcx_create_spec {
	uint32_t key;		/* System V: 0 is private (IPC_PRIVATE) */
	unsigned int mode;	/* permission bits, as given (umask applies to POSIX kinds and FIFOs) */
	uint64_t size;		/* shm, posix-shm: bytes */
	unsigned int nsems;	/* sem: number of semaphores */
	const char *name;	/* POSIX kinds: "/name"; fifo: the path */
	unsigned int value;	/* posix-sem: initial value */
	long max_msgs;		/* posix-mq: 0 for the system default */
	long msg_size;		/* posix-mq: 0 for the system default */
	unsigned int reserved[4];
};

/*
 * Create a new object; *id receives its id (System V) or 0. -EEXIST if the
 * key or name is taken.
 */
int ipcx_create(struct ipcx_ctx *ctx, unsigned int kind,
		const struct ipcx_create_spec *spec, int *id);

/*
 * Directories (searched without crossing filesystems) and paths where the
 * fifo kind also looks, besides the FIFOs processes have open.
 */
int ipcx_add_fifo_path(struct ipcx_ctx *ctx, const char *path);

/* Limits ------------------------------------------------------------- */

struct ipcx_limits;

enum {
	IPCX_LIMIT_HAS_USED = 1u << 0,	/* used is meaningful */
	IPCX_LIMIT_UNLIMITED = 1u << 1, /* so large it cannot be reached */
	IPCX_LIMIT_BYTES = 1u << 2,	/* limit is a size in bytes */
};

struct ipcx_limit {
	const char *name;
	const char *description;
	uint64_t limit;
	uint64_t used;
	unsigned int flags;
};

/* Read the kernel's limits and current use now */
int ipcx_limits_new(struct ipcx_ctx *ctx, struct ipcx_limits **ret);
struct ipcx_limits *ipcx_limits_unref(struct ipcx_limits *limits);
size_t ipcx_limits_count(const struct ipcx_limits *limits);
/* NULL past the end or for a limit the kernel does not offer */
const struct ipcx_limit *ipcx_limits_get(const struct ipcx_limits *limits, size_t index);

/* Parsing of user input, shared so every tool reads values alike ------ */

/* "90s", "30m", "2h", "7d", "1w" (a bare number is seconds) to seconds; > 0 */
int ipcx_parse_duration(const char *s, uint64_t *seconds);

/* decimal, 0x hex or leading-0 octal; 0..0xffffffff */
int ipcx_parse_key(const char *s, uint32_t *key);
/* decimal (a leading 0 too: 010 is 10, as ipcs reads it) or 0x hex; 0..INT_MAX */
int ipcx_parse_id(const char *s, int *id);
/* Decimal (a leading 0 too) or 0x hexadecimal, 0 to max: ids, inodes */
int ipcx_parse_number(const char *s, uint64_t max, uint64_t *val);
/* "4096", "8K", "1M", "2GiB" (1024), "1KB" (1000); > 0 */
int ipcx_parse_size(const char *s, uint64_t *size);
/* octal permission bits, at most 0777 */
int ipcx_parse_mode(const char *s, unsigned int *mode);
/*
 * A POSIX object name as users type it ("/name", "name", and for posix-sem
 * "sem.name", but not "/sem.name": that is its own name) to "/name". -EINVAL for an empty name, ".", "..", a "/" past
 * the first, one too long for the kind, or a posix-shm name starting with
 * "sem." (the files of semaphores); -ENAMETOOLONG if buf is short.
 */
int ipcx_parse_posix_name(unsigned int kind, const char *s, char *buf, size_t size);
/*
 * bytes as the SIZE column prints them: "512B", "8K", "1.5M"; returns the
 * length or -ENOSPC. This one and the next leave buf "" on any error (when
 * size > 0): "12.1" of "12.1K" would read as another value.
 */
int ipcx_format_size(uint64_t bytes, char *buf, size_t size);
/*
 * text as a JSON string, quotes included; returns the length, -ENOSPC, or
 * -EINVAL for a NULL text or buf
 */
int ipcx_format_json_string(const char *text, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
