/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the parts of libipcx share and nothing outside the library sees. */
#ifndef LIBIPCX_PRIVATE_H
#define LIBIPCX_PRIVATE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <syslog.h>

#include "ipcx.h"
#include "procs.h"

#define IPCX_EXPORT __attribute__((visibility("default")))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * qsort() of what may be an empty, never allocated array (NULL is not
 * allowed there). Most arrays come in order already (System V ids by
 * index, processes by pid): one pass over them is n log n compares less.
 */
static inline void sort_array(void *base, size_t n, size_t size,
			      int (*compare)(const void *, const void *))
{
	const char *p = base;
	size_t i = 1;

	while (i < n && compare(p + (i - 1) * size, p + i * size) <= 0)
		i++;
	if (i < n)
		qsort(base, n, size, compare);
}

/*
 * Raw values an object can carry. Columns are views of fields: OWNER and
 * UID both show F_UID, so one value is stored and read in one way.
 */
enum ipcx_field {
	F_KEY = 0,
	F_ID,
	F_UID,
	F_GID,
	F_CUID,
	F_CGID,
	F_MODE,
	F_STATUS,	/* shm: SHM_DEST | SHM_LOCKED bits of the mode */
	F_SIZE,
	F_NATTCH,
	F_NSEMS,
	F_MESSAGES,
	F_QBYTES,
	F_CPID,
	F_LPID,
	F_LSPID,
	F_LRPID,
	F_ATIME,
	F_DTIME,
	F_STIME,
	F_RTIME,
	F_OTIME,
	F_CTIME,
	F_RSS,
	F_SWAP,
	F_NAME,		/* text: obj->name */
	F_PATH,		/* text: obj->path */
	F_VALUE,
	F_MAXMSG,
	F_MSGSIZE,
	F_READERS,
	F_WRITERS,
	F_NOTIFY_PID,
	F_MTIME,
	F_INODE,
	F_DEV,		/* no column: with F_INODE, tells files apart */
	F_NPROCS,	/* set once users are resolved */
	F_MAPPED,	/* bytes mapped, over every process */
	F_SOCKTYPE,	/* SOCK_STREAM, ... */
	F_STATE,	/* TCP_LISTEN, TCP_ESTABLISHED, ... as sock_diag gives it */
	F_PEER,		/* inode of the peer socket */
	F_RECVQ,
	F_SENDQ,
	F_BACKLOG,	/* listener: most pending connections */
	F_PENDING,	/* listener: connections waiting for accept */
	F_NETNS,	/* unix: inode of the socket's network namespace */
	F_COUNT
};

#define FIELD_BIT(f) (UINT64_C(1) << (f))
/* What every System V object has, from struct ipc_perm and the change time */
#define SYSV_FIELDS (FIELD_BIT(F_KEY) | FIELD_BIT(F_ID) | FIELD_BIT(F_UID) | FIELD_BIT(F_GID) | \
		     FIELD_BIT(F_CUID) | FIELD_BIT(F_CGID) | FIELD_BIT(F_MODE) | FIELD_BIT(F_CTIME))
/* What every object that is a file has, from stat (see obj_set_stat) */
#define FILE_FIELDS (FIELD_BIT(F_UID) | FIELD_BIT(F_GID) | FIELD_BIT(F_MODE) | \
		     FIELD_BIT(F_MTIME) | FIELD_BIT(F_CTIME) | FIELD_BIT(F_INODE))

/* Fields every kind has room for, whatever its kind_ops.fields say */
#define COMMON_SLOTS (FIELD_BIT(F_NPROCS) | FIELD_BIT(F_DEV) | FIELD_BIT(F_INODE))

struct ipcx_obj {
	struct ipcx_ctx *ctx;
	struct ipcx_list *list;
	unsigned int kind;
	uint64_t present;	/* FIELD_BIT of every field set */
	/*
	 * The values of the fields of its kind only, in field order (a System V
	 * object has a third of all fields): slots has the FIELD_BIT of each,
	 * and vals one value per bit, in memory the list owns.
	 */
	uint64_t slots;
	uint64_t *vals;
	char *name;
	char *path;
	bool partial;	/* some fields could not be read */
	struct ipcx_sem_member *members;
	size_t nmembers;
	/* one entry per process, by pid; only when the list resolved users */
	struct ipcx_user *users;
	size_t nusers;
	struct ipcx_user *peer_users;	/* unix: the processes of the peer */
	size_t npeer_users;
	/* each descriptor of each user, for ipcx_obj_user_fds(): users' fd is the lowest */
	struct obj_fd {
		pid_t pid;
		struct ipcx_fd fd;
	} *fds;
	size_t nfds;
};

static inline unsigned int obj_slot(const struct ipcx_obj *obj, enum ipcx_field f)
{
	return (unsigned int)__builtin_popcountll(obj->slots & (FIELD_BIT(f) - 1));
}

static inline void obj_set(struct ipcx_obj *obj, enum ipcx_field f, uint64_t v)
{
	assert(obj->slots & FIELD_BIT(f));	/* a field its kind_ops.fields miss */
	if (!(obj->slots & FIELD_BIT(f)))
		return;
	obj->vals[obj_slot(obj, f)] = v;
	obj->present |= FIELD_BIT(f);
}

static inline bool obj_has(const struct ipcx_obj *obj, enum ipcx_field f)
{
	return obj->present & FIELD_BIT(f);
}

/* The value of a field, 0 when not set */
static inline uint64_t obj_val(const struct ipcx_obj *obj, enum ipcx_field f)
{
	return obj_has(obj, f) ? obj->vals[obj_slot(obj, f)] : 0;
}

/* A list under construction: kinds append objects to it while scanning. */
struct ipcx_list {
	int refcount;
	struct ipcx_ctx *ctx;
	struct ipcx_obj *objs;
	size_t n, alloc;
	struct vals_chunk *vals;	/* where the objects' values are */
	int kind_error[IPCX_KIND_COUNT];
	size_t hidden_procs;	/* processes whose fds could not be read */
	size_t unread_netns;	/* unix: network namespaces we could not enter */
	int hidepid;		/* PROC_HIDEPID_* when /proc hides processes from us, else 0 */
	struct proc_index *procs;	/* NULL unless a column or kind needs it */
	int procs_error;	/* why procs cannot be read on demand: not tried again */
	bool users_resolved;
};

/*
 * Room for element n of *array (of *alloc elements of size bytes), by
 * doubling it: 0, or -ENOMEM with the array as it was
 */
int array_grow(void **array, size_t *alloc, size_t n, size_t size);

/* A network namespace, and a task in it to reach it through (netns.c) */
struct netns {
	dev_t dev;
	ino_t ino;
	pid_t pid, tid;
};

/* Tasks and their namespaces, those of one namespace next to each other */
struct netns_set {
	struct netns *ns;
	size_t n, alloc;
};

int netns_own(struct netns *ns);
int netns_of_tasks(struct netns_set *set);
/* The index past the last task of the namespace of task first */
size_t netns_group_end(const struct netns_set *set, size_t first);
void netns_set_free(struct netns_set *set);
int netns_enter(const struct netns *ns);
/*
 * The calling thread into the namespace of tasks [first, end) of set,
 * through any of them: 0, -ESRCH when all have gone, or why it could not
 */
int netns_enter_group(const struct netns_set *set, size_t first, size_t end);
struct ipcx_obj *list_add(struct ipcx_list *list, unsigned int kind);
/* Drop the last object added (a row that turned out unusable) */
void list_drop_last(struct ipcx_list *list);
/* Free the objects of a list and their values (the list itself stays) */
void list_free_objs(struct ipcx_list *list);
/* Set a text field, copying it; -ENOMEM */
int obj_set_text(struct ipcx_obj *obj, enum ipcx_field f, const char *text);
/* Free what an object owns */
void obj_release(struct ipcx_obj *obj);

/* What a scan must fetch beyond the cheap fields of its primary source */
enum scan_need {
	NEED_RSS = 1u << 0,	/* shm RSS/SWAP: only /proc/sysvipc/shm has them */
	NEED_USERS = 1u << 1,	/* which processes use each object */
	NEED_DETAILS = 1u << 2,	/* and their users and command lines */
	NEED_PID_STATES = 1u << 3, /* whether pids still run: the list of processes */
};

/* One IPC kind. Every kind file fills one of these; kinds.c lists them. */
struct kind_ops {
	uint64_t fields;	/* FIELD_BITs its objects carry */
	int (*scan)(struct ipcx_list *list, unsigned int need);
	int (*remove)(struct ipcx_obj *obj);
	int (*create)(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id);
	int (*members)(struct ipcx_obj *obj);	/* optional: sem only */
	/* PROCS_* this kind needs to find its users */
	unsigned int procs;
	/* its scan reads the process index: fifo, pipe, mmap and unix objects are found there */
	bool scan_reads_procs;
	/* Fill obj->users from the list's process index */
	int (*users)(struct ipcx_obj *obj, const struct proc_index *idx);
	/* optional: true when the kernel's own count says no process uses it */
	bool (*surely_unused)(const struct ipcx_obj *obj);
	/* Why nobody uses it (users resolved), or NULL if it is in use */
	const char *(*orphan_reason)(const struct ipcx_obj *obj);
};

extern const struct kind_ops kind_shm_ops;
extern const struct kind_ops kind_sem_ops;
extern const struct kind_ops kind_msg_ops;
extern const struct kind_ops kind_posix_shm_ops;
extern const struct kind_ops kind_posix_sem_ops;
extern const struct kind_ops kind_posix_mq_ops;
extern const struct kind_ops kind_fifo_ops;
extern const struct kind_ops kind_pipe_ops;
extern const struct kind_ops kind_mmap_ops;
extern const struct kind_ops kind_unix_ops;

const struct kind_ops *kind_get(unsigned int kind);

/* users.c: attaching the uses found by procs.c to objects */
/* Add the processes of every use with this key to obj->users, merged per process */
int obj_add_users(struct ipcx_obj *obj, const struct proc_index *idx,
		  enum use_space space, uint64_t dev, uint64_t ino);
/* The same, but only the uses that pass check */
int obj_add_checked_users(struct ipcx_obj *obj, const struct proc_index *idx,
			  enum use_space space, uint64_t dev, uint64_t ino, use_check_fn check);
/* The same for a unix socket's peer, into obj->peer_users */
int obj_add_peer_users(struct ipcx_obj *obj, const struct proc_index *idx, uint64_t ino);
/* One user by pid (LSPID, sempid, notifier, ...) if that process is alive and not reused */
int obj_add_pid_user(struct ipcx_obj *obj, const struct proc_index *idx, pid_t pid,
		     uint64_t since, unsigned int how);
/* The processes that map or hold open the file of obj (F_DEV, F_INODE) */
int obj_add_file_users(struct ipcx_obj *obj, const struct proc_index *idx);
/* Users found: sets F_NPROCS */
void obj_users_done(struct ipcx_obj *obj);
/* Every object's users, and with details their owners and command lines */
int list_resolve_users(struct ipcx_list *list, bool details);

/* ctx.c */
void ctx_log(struct ipcx_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dbg(ctx, ...) ctx_log(ctx, LOG_DEBUG, __VA_ARGS__)
#define note(ctx, ...) ctx_log(ctx, LOG_INFO, __VA_ARGS__)
#define warning(ctx, ...) ctx_log(ctx, LOG_WARNING, __VA_ARGS__)
#define err(ctx, ...) ctx_log(ctx, LOG_ERR, __VA_ARGS__)
/* Names of users and groups, looked up once per id per context */
const char *ctx_user_name(struct ipcx_ctx *ctx, uint32_t uid);
const char *ctx_group_name(struct ipcx_ctx *ctx, uint32_t gid);
/* Set by IPCX_SYSVIPC_SOURCE=procfs: read /proc/sysvipc even when syscalls work */
bool ctx_force_procfs(const struct ipcx_ctx *ctx);
/* Set by IPCX_MAPS_SOURCE=text: parse /proc/PID/maps even where PROCMAP_QUERY works */
bool ctx_maps_text_only(const struct ipcx_ctx *ctx);
/* Paths given with ipcx_add_fifo_path() */
size_t ctx_fifo_paths(const struct ipcx_ctx *ctx, const char *const **paths);

/* parallel.c: jobs on several threads */
/* More threads than this only wait on each other in the kernel */
#define PARALLEL_MAX 4
/* Threads for units of work, each thread given at least min_units: one per CPU, at most PARALLEL_MAX */
size_t parallel_threads(size_t units, size_t min_units);
/* Where share i of n shares of [0, units) begins; share i ends where share i + 1 begins */
static inline size_t parallel_share_start(size_t units, size_t i, size_t n)
{
	return units * i / n;
}
/*
 * run() each of njobs jobs (an array of elements of size bytes) on up to
 * threads threads, the caller's among them; returns when all are done.
 * Jobs are taken in array order; run() must touch only its own job. With
 * delay_ns, the caller's thread runs jobs alone until they have taken that
 * long: work too short to pay for starting a thread stays on one.
 */
void parallel_run(void *jobs, size_t njobs, size_t size, void (*run)(void *job),
		  size_t threads, uint64_t delay_ns);
/*
 * run(data) in a thread of its own, waited for: for work that moves its
 * thread into other namespaces, which the caller's threads never leave.
 * 0, or -errno if no thread could be started.
 */
int thread_run(void (*run)(void *data), void *data);

/* procfs.c: reading kernel text */
/* Whole file (or what fd gives until EOF) into a NUL-terminated malloc'd buffer */
int read_file(const char *path, char **buf, size_t *len);
int read_fd(int fd, char **buf, size_t *len);
int read_sysctl_u64(const char *path, uint64_t *val);
/* Up to max whitespace-separated numbers from a sysctl file such as kernel/sem */
int read_sysctl_u64s(const char *path, uint64_t *vals, size_t max);
/* The same from its text: how many numbers, or -EBADMSG */
int sysctl_parse_u64s(const char *text, size_t len, uint64_t *vals, size_t max);

/*
 * /proc/sysvipc/{shm,sem,msg}: a header line names the columns, then one line
 * per object. Columns are mapped to fields by name, so kernels that add or
 * reorder columns still parse. Malformed lines are skipped and counted.
 */
typedef void (*sysvipc_row_fn)(void *data, const uint64_t *val, uint64_t present);
struct sysvipc_stats {
	size_t rows;
	size_t skipped;
};
int sysvipc_parse(const char *text, size_t len, sysvipc_row_fn fn, void *data,
		  struct sysvipc_stats *stats);

/* "QSIZE:129 NOTIFY:0 SIGNO:0 NOTIFY_PID:0" of a file in the mqueue fs */
int mqueue_info_parse(const char *text, uint64_t *qsize, uint64_t *notify_pid);

/* hidepid.c: a /proc that hides processes from the caller */
enum { PROC_HIDEPID_NOACCESS = 1, PROC_HIDEPID_INVISIBLE = 2, PROC_HIDEPID_PTRACEABLE = 4 };	/* the kernel's numbers */
struct proc_mount {
	int hidepid;		/* 0 (off), 1 (noaccess), PROC_HIDEPID_* */
	uint32_t gid;		/* gid=: its members see every process under hidepid 1 and 2 */
};
/*
 * The options of the proc mount of device dev in the text of
 * /proc/self/mountinfo (exactly len bytes); -ENOENT if there is none.
 */
int mountinfo_proc_options(const char *text, size_t len, uint64_t dev, struct proc_mount *out);
/* PROC_HIDEPID_* of /proc when it keeps processes out of the caller's sight, else 0 */
int procs_hidepid(void);

/* posix.c: what the POSIX kinds share */
#define DEV_SHM "/dev/shm"
#define DEV_MQUEUE "/dev/mqueue"
/* An mqueue file system is mounted on DEV_MQUEUE */
bool mq_fs_mounted(void);
/* "." or "..": entries of a directory that are no object */
bool is_dot_or_dotdot(const char *name);
#define MQ_MSG_DEFAULT "/proc/sys/fs/mqueue/msg_default"
#define MQ_MSG_MAX "/proc/sys/fs/mqueue/msg_max"
#define MQ_MSGSIZE_DEFAULT "/proc/sys/fs/mqueue/msgsize_default"
#define MQ_MSGSIZE_MAX "/proc/sys/fs/mqueue/msgsize_max"
/* What a queue made without attributes gets: the default capped by the maximum */
int mq_default(const char *default_path, const char *max_path, uint64_t *v);
struct stat;
/* Owner, group, mode and times of a file */
void obj_set_stat(struct ipcx_obj *obj, const struct stat *st);
/*
 * Every regular file of dir (symlinks, directories and the rest are not
 * objects) whose name passes keep(); add() fills one object from it: st is
 * the stat of the file and, for a scan that opens its files, fd a read-only
 * descriptor of that very file, or -1 where the caller may not open it.
 * The scan closes fd.
 */
typedef int (*dir_entry_fn)(struct ipcx_list *list, int fd, const char *name,
			    const struct stat *st);
enum dir_scan {
	DIR_SCAN_STAT,	/* add() needs the stat only */
	DIR_SCAN_OPEN,	/* add() reads the file too */
};
int scan_dir_files(struct ipcx_list *list, const char *dir, enum dir_scan how,
		   bool (*keep)(const char *name), dir_entry_fn add);
/* posix-shm and posix-sem: nobody maps it nor holds it open */
const char *posix_file_orphan_reason(const struct ipcx_obj *obj);
/* Whether the name is a regular file in dir, not a symlink: 0 or -ENOENT */
int check_regular_file(const char *dir, const char *file);
/*
 * Removes dir/file if it still is the object listed (a regular file of its
 * device and inode), checked and removed through one descriptor of dir:
 * -ESTALE if another was put in its place (in a sticky /dev/shm only its
 * owner or root can), -ENOENT if it is gone
 */
int remove_listed_file(const char *dir, const char *file, const struct ipcx_obj *obj);

/* sysv.c: what the three System V kinds share */
struct sysv_source {
	unsigned int kind;
	const char *procfile;	/* /proc/sysvipc/... */
	/* -> highest index in use, or negative errno; *in_use: ids in use */
	int (*info)(int *in_use);
	/* Fill obj from index i with the *_STAT_ANY command: 0, or negative errno */
	int (*stat_index)(int index, struct ipcx_obj *obj);
};
int sysv_scan(struct ipcx_list *list, const struct sysv_source *src, bool use_procfs);
struct ipc_perm;
void sysv_set_perm(struct ipcx_obj *obj, const struct ipc_perm *perm, int id);
/* shmget(), semget() or msgget() of spec's key, size or count and flags: the id or -errno */
typedef int (*sysv_get_fn)(const struct ipcx_create_spec *spec, int flags);
/*
 * Create with get(), IPC_CREAT|IPC_EXCL unless private: 0 and *id, or
 * -errno; -EEXIST when the key is taken, even with a size or count that
 * the kernel would refuse first
 */
int sysv_create(const struct ipcx_create_spec *spec, sysv_get_fn get, int *id);
/*
 * Before IPC_RMID: stat_rc and perm of an IPC_STAT of obj's id, and the
 * value now of a field that is set for good at creation (F_COUNT: none);
 * 0, -ESTALE or -EIDRM
 */
int sysv_check_same(const struct ipcx_obj *obj, int stat_rc, const struct ipc_perm *perm,
		    enum ipcx_field made, uint64_t made_now);

#endif
