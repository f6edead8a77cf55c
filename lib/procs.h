/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who uses what: one pass over the processes, indexed once.
 *
 * Every way a process can hold an object becomes one record, a "use", keyed
 * by (space, dev, ino). The records are sorted once, so finding the users of
 * N objects among P processes costs one binary search per object, not a
 * walk of every process per object.
 */
#ifndef LIBIPCX_PROCS_H
#define LIBIPCX_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;

struct ipcx_ctx;

/* What a key of a use means */
enum use_space {
	US_FILE = 0,	/* dev, ino of a file: mapped or open */
	US_SYSV_SHM,	/* ino = shmid, mapped by a process of our IPC namespace */
	US_PIPE,	/* ino of the pipe */
	US_SOCKET,	/* ino of the socket */
	US_SEM_WAIT,	/* ino = semid a process is blocked on */
	US_MSG_WAIT,	/* ino = msqid a process is blocked on */
};

/* A process, as much as the index needs of it */
struct proc {
	pid_t pid;
	uint64_t start;		/* when it started, seconds since the epoch, rounded down */
	char comm[64];
	int nthreads;
	bool main_exited;	/* its main thread is a zombie, other threads run on */
	bool zombie;		/* exited, not reaped yet: it holds nothing any more */
	/* filled by procs_resolve_details(), for the processes that use something */
	bool detailed;
	uid_t uid;		/* effective */
	char *cmdline;		/* NULL if unreadable */
};

/* One way one process holds one object */
struct use {
	uint64_t dev, ino;
	uint32_t proc;		/* index into the process table */
	uint16_t space;		/* enum use_space */
	uint16_t how;		/* IPCX_USE_* */
	int32_t fd;		/* -1 for a mapping or a wait */
	int32_t tid;		/* the thread whose own descriptor table has fd; 0: the process's */
	uint32_t mode;		/* st_mode of the file (type bits), 0 if unknown */
	uint64_t bytes;		/* bytes mapped */
	const char *path;	/* kept for FIFOs and shared mappings only; else NULL */
};

/* What to read of each process */
enum {
	PROCS_MAPS = 1u << 0,	 /* shared mappings (maps, or PROCMAP_QUERY) */
	PROCS_FDS = 1u << 1,	 /* open descriptors */
	PROCS_WAITERS = 1u << 2, /* blocked in semop/msgsnd/msgrcv (/proc/PID/syscall) */
	PROCS_LIST = 1u << 3,	 /* only the processes: pids, names, start times */
	PROCS_PIPES = 1u << 4,	 /* with PROCS_FDS: also the descriptors of pipes */
	PROCS_SOCKETS = 1u << 5, /* with PROCS_FDS: also the descriptors of sockets */
};

struct proc_index;

int procs_build(struct ipcx_ctx *ctx, unsigned int what, struct proc_index **ret);
void procs_free(struct proc_index *idx);
/* Processes whose maps, descriptors or state could not be read */
size_t procs_hidden(const struct proc_index *idx);

/* The uses with this key: returns how many, *first the first of them */
size_t procs_find(const struct proc_index *idx, enum use_space space, uint64_t dev,
		  uint64_t ino, const struct use **first);
/* Every use of one space, sorted by (dev, ino): returns how many */
size_t procs_space(const struct proc_index *idx, enum use_space space, const struct use **first);

const struct proc *procs_get(const struct proc_index *idx, uint32_t i);
/* The running process with this pid, or NULL */
const struct proc *procs_by_pid(const struct proc_index *idx, pid_t pid);
/*
 * IPCX_PID_ALIVE, _GONE, or _REUSED when the process with that pid started
 * after since (seconds since the epoch; 0: unknown, never reused).
 */
int procs_pid_state(const struct proc_index *idx, pid_t pid, uint64_t since);

/* Owners and command lines, read only for these processes (the users found) */
int procs_resolve_details(struct proc_index *idx, const pid_t *pids, size_t n);

/*
 * Maps: shared mappings of one process. path points into a buffer valid
 * during the callback only; pathlen excludes any " (deleted)" suffix,
 * which sets deleted.
 */
struct shared_map {
	uint64_t start, end, offset;
	uint64_t dev;		/* as st_dev: makedev(major, minor) */
	uint64_t ino;
	const char *path;	/* "" for an anonymous mapping */
	size_t pathlen;
	bool deleted;
};
/*
 * Whether the mapping is of a System V segment: its file is "/SYSV<key in 8
 * hexadecimal digits> (deleted)", its inode the shmid, on the kernel's
 * internal tmpfs (or hugetlbfs) mount, a device of major 0
 */
bool shared_map_is_sysv_shm(const struct shared_map *map);
/* A file named by its path: not one of the kernel's anon_inode:[...] */
bool shared_map_is_file(const struct shared_map *map);
typedef int (*shared_map_fn)(void *data, const struct shared_map *map);
/*
 * Text of /proc/PID/maps: fn for each line whose permissions have 's'.
 * Malformed lines are skipped; returns the number skipped, or fn's
 * negative result.
 */
int maps_parse_shared(const char *text, size_t len, shared_map_fn fn, void *data);
/*
 * Every shared mapping of the process whose /proc/PID/maps is open on fd.
 * *query says whether to try the PROCMAP_QUERY ioctl (Linux 6.11+); it is
 * cleared when the kernel lacks it, and the text is read instead.
 */
int maps_read_shared(int fd, bool *query, shared_map_fn fn, void *data);

/*
 * A path as both sources give it back to the file's name: each \012 a
 * newline again, in place; returns the new length. The kernel escapes only
 * the newline (seq_file_path(m, file, "\n")), so a name that holds a real
 * backslash-012 reads the same: the caller checks which file it is.
 */
size_t maps_unescape_newlines(char *buf, size_t len);

/* End of the run of uses with the key of uses[i] (they are sorted by key) */
size_t uses_same_key(const struct use *uses, size_t n, size_t i);
/* Whether a use still holds what the index saw when it was read */
typedef bool (*use_check_fn)(const struct proc_index *idx, const struct use *use);
/* Descriptors among [first, end) open for reading, for writing (those that pass check) */
void uses_count_access(const struct proc_index *idx, const struct use *first,
		       const struct use *end, use_check_fn check, unsigned int *readers,
		       unsigned int *writers);
/*
 * stat of the file behind the descriptor of a use, or of the FIFO a thread
 * waits to open; -1 if it is closed or changed
 */
int procs_stat_use(const struct proc_index *idx, const struct use *use, struct stat *st);

/*
 * /proc/PID/syscall: "65 0x3 ..." -> nr 65, arguments 3, ...; -EINVAL if
 * running or malformed, or with fewer than nargs arguments
 */
int syscall_parse(const char *text, long *nr, uint64_t *args, size_t nargs);

/* The arguments of a blocked system call that ipcx reads */
#define SYSCALL_ARGS 3

/* Where open(2) and its kin keep the directory, the path and the flags */
struct open_call {
	int dirfd_arg;		/* -1: the current directory */
	int path_arg;
	int flags_arg;		/* -1: O_WRONLY (creat) */
	bool flags_in_how;	/* openat2: the flags begin struct open_how */
};

enum blocked_kind {
	BLOCKED_NONE,		/* nothing ipcx looks for */
	BLOCKED_SEMOP,		/* semop, semtimedop on the set id */
	BLOCKED_MSGSND,		/* msgsnd on the queue id: the queue is full */
	BLOCKED_MSGRCV,		/* msgrcv on the queue id */
	BLOCKED_OPEN,		/* open, openat, openat2, creat: maybe of a FIFO */
};

/* What a thread blocked in a system call waits on */
struct blocked_call {
	enum blocked_kind kind;
	uint64_t id;		/* _SEMOP, _MSGSND, _MSGRCV */
	struct open_call open;	/* _OPEN */
};

/* Whether nr means a call ipcx looks for to a native or a 32-bit process, so that its ABI matters */
bool syscall_abi_matters(long nr);
/* Call nr with args[SYSCALL_ARGS] of a native or a 32-bit (compat) thread */
void syscall_decode(long nr, const uint64_t *args, bool compat, struct blocked_call *call);
/* Whether /proc/PID/auxv (its first len bytes) is a 32-bit process's */
bool auxv_is_compat(const void *auxv, size_t len);

#endif
