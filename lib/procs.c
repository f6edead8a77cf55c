// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The process engine: one pass over the processes (libproc2 for the list,
 * names and start times; maps, fds and syscall read here), turned into one
 * sorted array of uses.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <linux/kcmp.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <time.h>
#include <unistd.h>

#include "proc2.h"

#include "ipcx-private.h"

/* What reading processes yields: one for the index, one per reading thread */
struct use_table {
	struct use *uses;
	size_t nuses, alloc;
	char **paths;		/* kept paths, freed with the index */
	size_t npaths, paths_alloc;
	size_t hidden;
	bool query;		/* PROCMAP_QUERY still worth trying */
};

struct proc_index {
	struct proc *procs;	/* sorted by pid */
	size_t nprocs;
	struct use_table t;	/* uses sorted by (space, dev, ino, proc) */
	struct stat ipcns;	/* our IPC namespace, to trust shmids and semids */
	unsigned int what;	/* PROCS_* to read */
	const struct proc2_api *proc2;
};

/* The process being read, and what is known of it so far */
struct proc_scan {
	const struct proc_index *idx;
	struct use_table *out;
	uint32_t proc;
	pid_t tid;		/* the thread read, if not the main one */
	int dir;		/* its directory: /proc/PID or /proc/PID/task/TID */
	int same_ipcns;		/* the thread's IPC namespace is ours; -1: not checked yet */
	int compat;		/* a 32-bit process: 1 yes, 0 no, -1 not checked yet */
	bool hidden;		/* something of it could not be read */
};


static const char *keep_path(struct use_table *t, const char *path, size_t len)
{
	char *copy;

	if (array_grow((void **)&t->paths, &t->paths_alloc, t->npaths, sizeof(char *)) < 0)
		return NULL;
	copy = strndup(path, len);
	if (copy)
		t->paths[t->npaths++] = copy;
	return copy;
}

static struct use *add_use(struct proc_scan *ps, enum use_space space, uint64_t dev,
			   uint64_t ino, unsigned int how)
{
	struct use_table *t = ps->out;
	struct use *use;

	if (array_grow((void **)&t->uses, &t->alloc, t->nuses, sizeof(*use)) < 0)
		return NULL;
	use = &t->uses[t->nuses++];
	*use = (struct use){ .dev = dev, .ino = ino, .proc = ps->proc, .space = (uint16_t)space,
			     .how = (uint16_t)how, .fd = -1, .tid = ps->tid };
	return use;
}

/*
 * shmids and semids mean something only inside one IPC namespace: the
 * thread's being read, whose ns/ipc is there while it runs (the process's
 * /proc/PID/ns is empty once its main thread has exited)
 */
static bool in_our_ipcns(struct proc_scan *ps)
{
	struct stat st;

	if (ps->same_ipcns < 0)
		ps->same_ipcns = fstatat(ps->dir, "ns/ipc", &st, 0) == 0 &&
				 st.st_ino == ps->idx->ipcns.st_ino &&
				 st.st_dev == ps->idx->ipcns.st_dev;
	return ps->same_ipcns;
}

/* As maps shows it: a file unlinked since it was mapped says so */
static const char *keep_map_path(struct use_table *t, const struct shared_map *map)
{
	static const char deleted[] = " (deleted)";
	char path[PATH_MAX + sizeof(deleted)];
	size_t len = map->pathlen < PATH_MAX ? map->pathlen : PATH_MAX;

	memcpy(path, map->path, len);
	if (map->deleted) {
		memcpy(path + len, deleted, sizeof(deleted) - 1);
		len += sizeof(deleted) - 1;
	}
	return keep_path(t, path, len);
}

static int on_shared_map(void *data, const struct shared_map *map)
{
	struct proc_scan *ps = data;
	struct use *use;

	if (shared_map_is_sysv_shm(map)) {	/* its inode is the shmid, and 0 is a shmid */
		if (!in_our_ipcns(ps))
			return 0;
		use = add_use(ps, US_SYSV_SHM, 0, map->ino, IPCX_USE_MAPPED);
	} else if (shared_map_is_file(map)) {
		use = add_use(ps, US_FILE, map->dev, map->ino, IPCX_USE_MAPPED);
	} else {
		return 0;
	}
	if (!use)
		return -ENOMEM;
	use->bytes = map->end - map->start;
	if (use->space == US_FILE) {
		use->path = keep_map_path(ps->out, map);
		if (!use->path)
			return -ENOMEM;
	}
	return 0;
}

/* Gone while we looked is normal; anything else hides what it uses */
static void note_unreadable(struct proc_scan *ps, int error)
{
	if (error != ENOENT && error != ESRCH)
		ps->hidden = true;
}

static int scan_maps(struct proc_scan *ps, int piddir)
{
	int fd = openat(piddir, "maps", O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0) {
		note_unreadable(ps, errno);
		return 0;
	}
	r = maps_read_shared(fd, &ps->out->query, on_shared_map, ps);
	close(fd);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		note_unreadable(ps, -r);
	return 0;
}

/* "pipe:[123]" -> 123 */
static bool link_inode(const char *target, const char *prefix, uint64_t *ino)
{
	size_t len = strlen(prefix);
	char *end;

	if (strncmp(target, prefix, len) != 0)
		return false;
	*ino = strtoull(target + len, &end, 10);
	return *end == ']';
}

/*
 * The mode of the /proc/PID/fd/N link itself says how the file is open
 * (owner r: reading, owner w: writing), with no fdinfo to parse.
 */
static unsigned int fd_access(int fddir, const char *fd)
{
	struct stat link;

	if (fstatat(fddir, fd, &link, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return (link.st_mode & S_IRUSR ? IPCX_USE_READ : 0) |
	       (link.st_mode & S_IWUSR ? IPCX_USE_WRITE : 0);
}

static int add_file_fd(struct proc_scan *ps, int fddir, const char *fd, const char *target)
{
	struct stat st;
	struct use *use;

	if (fstatat(fddir, fd, &st, 0) < 0)
		return 0;	/* closed meanwhile */
	/* only readers and writers of FIFOs are counted: spare the others a stat */
	use = add_use(ps, US_FILE, st.st_dev, st.st_ino,
		      S_ISFIFO(st.st_mode) ? fd_access(fddir, fd) : 0);
	if (!use)
		return -ENOMEM;
	use->fd = atoi(fd);
	use->mode = st.st_mode & S_IFMT;
	if (S_ISFIFO(st.st_mode)) {
		use->path = keep_path(ps->out, target, strlen(target));
		if (!use->path)
			return -ENOMEM;
	}
	return 0;
}

static int add_inode_fd(struct proc_scan *ps, enum use_space space, uint64_t ino,
			unsigned int how, const char *fd)
{
	struct use *use = add_use(ps, space, 0, ino, how);

	if (!use)
		return -ENOMEM;
	use->fd = atoi(fd);
	return 0;
}

static int add_fd(struct proc_scan *ps, int fddir, const char *fd)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(fddir, fd, target, sizeof(target) - 1);
	uint64_t ino;

	if (n < 0)
		note_unreadable(ps, errno);	/* a closed fd is ENOENT: not hidden */
	if (n <= 0)
		return 0;
	target[n] = '\0';
	if (link_inode(target, "pipe:[", &ino))
		return ps->idx->what & PROCS_PIPES ?
			add_inode_fd(ps, US_PIPE, ino, fd_access(fddir, fd), fd) : 0;
	if (link_inode(target, "socket:[", &ino))
		return ps->idx->what & PROCS_SOCKETS ?
			add_inode_fd(ps, US_SOCKET, ino, IPCX_USE_SOCKET, fd) : 0;
	if (target[0] == '/')
		return add_file_fd(ps, fddir, fd, target);
	return 0;	/* anon_inode:..., not an IPC object */
}

/* A directory of /proc/PID to read; NULL, noted, if it cannot be */
static DIR *open_dir(struct proc_scan *ps, int piddir, const char *name)
{
	int fd = openat(piddir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		note_unreadable(ps, errno);
		if (fd >= 0)
			close(fd);
	}
	return d;
}

static int scan_fds(struct proc_scan *ps, int piddir)
{
	DIR *d = open_dir(ps, piddir, "fd");
	struct dirent *de;
	int r = 0;

	if (!d)
		return 0;
	while (r == 0 && (de = readdir(d))) {
		if (de->d_name[0] != '.')
			r = add_fd(ps, dirfd(d), de->d_name);
	}
	closedir(d);
	return r;
}

/* A NUL-terminated string of the process's memory, read in pieces that stop at its end */
static bool read_string(int mem, uint64_t addr, char *buf, size_t size)
{
	size_t used = 0;

	while (used + 1 < size) {
		size_t want = size - 1 - used < 256 ? size - 1 - used : 256;
		ssize_t n = pread(mem, buf + used, want, (off_t)(addr + used));

		if (n <= 0)
			return false;
		if (memchr(buf + used, '\0', (size_t)n))
			return true;
		used += (size_t)n;
	}
	return false;
}

/*
 * The directory a thread looks name up from: its root, its working
 * directory or one of its descriptors, through its own task directory (a
 * thread may have a root, a directory and descriptors of its own)
 */
static int lookup_base(int piddir, const char *name, int dirfd)
{
	char link[32];

	if (name[0] == '/')
		return openat(piddir, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd == AT_FDCWD)
		return openat(piddir, "cwd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(link, sizeof(link), "fd/%d", dirfd);
	return openat(piddir, link, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* The thread's root is ipcx's own: the same directory */
static bool same_root(int piddir)
{
	struct stat theirs, ours;

	return fstatat(piddir, "root", &theirs, 0) == 0 && stat("/", &ours) == 0 &&
	       theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
}

/*
 * name as the thread resolves it, an O_PATH descriptor. Where its root is
 * ipcx's own, links and ".." resolve alike for both. Elsewhere (a chroot, a
 * container) an absolute name is looked up inside its root, where an
 * absolute symbolic link or ".." stays (RESOLVE_IN_ROOT), and a relative one
 * beneath base; without openat2(2) (Linux 5.6), not at all (-ENOSYS).
 */
static int lookup_as_thread(int piddir, int base, const char *name)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC };

	if (same_root(piddir))
		return openat(base, name, O_PATH | O_CLOEXEC);
	how.resolve = name[0] == '/' ? RESOLVE_IN_ROOT : RESOLVE_BENEATH;
	return (int)syscall(SYS_openat2, base, name, &how, sizeof(how));
}

/* The path of what fd leads to, as ipcx sees it (links and ".." resolved) */
static bool fd_path(int fd, char *buf, size_t size)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0 || (size_t)n == size - 1)
		return false;
	buf[n] = '\0';
	return true;
}

/*
 * The FIFO a thread blocked in open() waits to open, as its arguments name
 * it: 1 found (*st, and *path, the FIFO's own, as ipcx sees it), 0 not a
 * FIFO or gone meanwhile, or -errno if the thread could not be read (its
 * memory, its directories: no ptrace access) or its path not followed the
 * way it follows it.
 */
static int opened_fifo(int piddir, const struct open_call *call, const uint64_t *args,
		       struct stat *st, char *path, size_t size)
{
	char name[PATH_MAX];
	int mem = openat(piddir, "mem", O_RDONLY | O_CLOEXEC), base = -1, fd = -1, r = 0;
	int dirfd = call->dirfd_arg < 0 ? AT_FDCWD : (int)args[call->dirfd_arg];

	if (mem < 0 || !read_string(mem, args[call->path_arg], name, sizeof(name)))
		r = mem < 0 ? -errno : -EIO;
	if (r == 0 && (base = lookup_base(piddir, name, dirfd)) < 0)
		r = -errno;
	if (r == 0 && (fd = lookup_as_thread(piddir, base, name)) < 0)
		r = errno == ENOENT ? 0 : -errno;	/* gone: nothing is waited on */
	if (fd >= 0 && fstat(fd, st) == 0 && S_ISFIFO(st->st_mode))
		r = fd_path(fd, path, size);
	if (mem >= 0)
		close(mem);
	if (base >= 0)
		close(base);
	if (fd >= 0)
		close(fd);
	return r;
}

/* O_RDONLY, O_WRONLY or O_RDWR of the call, as IPCX_USE_READ and _WRITE */
static unsigned int open_access(int piddir, const struct open_call *call, const uint64_t *args)
{
	uint64_t flags = call->flags_arg < 0 ? O_WRONLY : args[call->flags_arg];
	int mem;

	if (call->flags_in_how) {
		mem = openat(piddir, "mem", O_RDONLY | O_CLOEXEC);
		if (mem < 0 || pread(mem, &flags, sizeof(flags), (off_t)flags) != sizeof(flags))
			flags = O_RDWR;	/* unknown: both ends */
		if (mem >= 0)
			close(mem);
	}
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return IPCX_USE_READ;
	case O_WRONLY:
		return IPCX_USE_WRITE;
	default:
		return IPCX_USE_READ | IPCX_USE_WRITE;
	}
}

/*
 * Whether a thread blocked in open() waits for a FIFO's other end, as its
 * wchan says (wait_for_partner): only then is its path looked up, since one
 * blocked opening a file of a hung NFS or FUSE mount would hang the lookup
 * too. 1 yes, 0 no, -EACCES unknown ("0": a thread the caller may not
 * trace, or one that runs again).
 */
static int waits_for_partner(int piddir)
{
	int fd = openat(piddir, "wchan", O_RDONLY | O_CLOEXEC);
	char wchan[64];
	ssize_t n = fd < 0 ? -1 : read(fd, wchan, sizeof(wchan) - 1);
	int error = errno;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return -error;
	wchan[n] = '\0';
	if (strcmp(wchan, "0") == 0)
		return -EACCES;
	return strcmp(wchan, "wait_for_partner") == 0;
}

/*
 * A thread blocked in open() of a FIFO waits for its other end, and the
 * kernel counts it as a reader or writer already: it holds the FIFO as
 * surely as a descriptor does, though it has none yet
 */
static int add_fifo_opener(struct proc_scan *ps, int piddir, const struct open_call *call,
			   const uint64_t *args)
{
	char path[PATH_MAX];
	struct stat st;
	struct use *use;
	int r = waits_for_partner(piddir);

	if (r > 0)
		r = opened_fifo(piddir, call, args, &st, path, sizeof(path));

	if (r < 0)
		note_unreadable(ps, -r);	/* what it waits on is unknown */
	if (r <= 0)
		return 0;
	use = add_use(ps, US_FILE, st.st_dev, st.st_ino,
		      IPCX_USE_OPENING | open_access(piddir, call, args));
	if (!use)
		return -ENOMEM;
	use->mode = S_IFIFO;
	use->path = keep_path(ps->out, path, strlen(path));
	return use->path ? 0 : -ENOMEM;
}

/* The system call a thread is blocked in, and its first arguments */
static int read_syscall(struct proc_scan *ps, int piddir, long *nr, uint64_t *args, size_t nargs)
{
	int fd = openat(piddir, "syscall", O_RDONLY | O_CLOEXEC);
	char *text;
	size_t len;
	int r;

	if (fd < 0) {
		note_unreadable(ps, errno);
		return -ENODATA;
	}
	r = read_fd(fd, &text, &len);
	close(fd);
	if (r < 0) {
		note_unreadable(ps, -r);
		return r == -ENOMEM ? r : -ENODATA;
	}
	r = syscall_parse(text, nr, args, nargs);
	free(text);
	return r < 0 ? -ENODATA : 0;
}

/*
 * Whether the process is a 32-bit one, whose system calls are numbered
 * otherwise, by its auxiliary vector; read once per process. -errno if it
 * cannot be read (no ptrace access: then its syscall could not be either).
 */
static int is_compat(struct proc_scan *ps, int piddir)
{
	char auxv[sizeof(uint64_t)];
	int fd;
	ssize_t n;

	if (ps->compat >= 0)
		return ps->compat;
	fd = openat(piddir, "auxv", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, auxv, sizeof(auxv));
	if (n < 0) {
		int error = errno;

		if (fd >= 0)
			close(fd);
		return -error;
	}
	close(fd);
	ps->compat = auxv_is_compat(auxv, (size_t)n);
	return ps->compat;
}

static int scan_wait(struct proc_scan *ps, int piddir)
{
	struct blocked_call call;
	enum use_space space;
	unsigned int how;
	uint64_t args[SYSCALL_ARGS];
	long nr;
	int compat = 0, r = read_syscall(ps, piddir, &nr, args, SYSCALL_ARGS);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (syscall_abi_matters(nr) && (compat = is_compat(ps, piddir)) < 0) {
		note_unreadable(ps, -compat);	/* what it waits on is unknown */
		return 0;
	}
	syscall_decode(nr, args, compat, &call);
	if (call.kind == BLOCKED_OPEN)
		return ps->idx->what & PROCS_FDS ? add_fifo_opener(ps, piddir, &call.open, args) : 0;
	if (call.kind == BLOCKED_NONE || !in_our_ipcns(ps))
		return 0;
	space = call.kind == BLOCKED_SEMOP ? US_SEM_WAIT : US_MSG_WAIT;
	how = space == US_SEM_WAIT ? IPCX_USE_SEM_WAIT : IPCX_USE_MSG_WAIT;
	if (call.kind == BLOCKED_MSGSND)
		how |= IPCX_USE_MSG_SEND;	/* the queue is full */
	return add_use(ps, space, 0, call.id, how) ? 0 : -ENOMEM;
}

/* What a thread's directory tells (part: PROCS_MAPS, _FDS, _WAITERS) */
static int scan_task(struct proc_scan *ps, int dir, unsigned int part)
{
	int r = 0;

	ps->dir = dir;
	ps->same_ipcns = -1;

	if (part & PROCS_MAPS)
		r = scan_maps(ps, dir);
	if (r == 0 && (part & PROCS_FDS))
		r = scan_fds(ps, dir);
	if (r == 0 && (part & PROCS_WAITERS))
		r = scan_wait(ps, dir);
	return r;
}

/*
 * Descriptor tables of a process that are read, at most, the main thread's
 * included: each thread is compared with a thread of each table read
 * (kcmp), so that a process of T threads costs up to T times this many
 * calls. Beyond, the process counts as not inspected.
 */
#define FD_TABLES_MAX 1024

struct fd_tables {
	pid_t *owner;		/* a thread of each table read */
	size_t n, alloc;
};

/*
 * A thread that called unshare(CLONE_FILES) has a table of descriptors of
 * its own, not in /proc/PID/fd. kcmp(2) tells whether two threads share
 * one; when it cannot (no kcmp, no permission), the table counts as read,
 * so that no descriptor is counted twice. 1 unread, 0 read, -ENOBUFS
 * unread but past FD_TABLES_MAX.
 */
static int files_unread(const struct fd_tables *read, pid_t tid)
{
	for (size_t i = 0; i < read->n; i++) {
		if (syscall(SYS_kcmp, read->owner[i], tid, KCMP_FILES, 0, 0) <= 0)
			return 0;
	}
	return read->n < FD_TABLES_MAX ? 1 : -ENOBUFS;
}

static int note_table(struct fd_tables *tables, pid_t tid)
{
	int r = array_grow((void **)&tables->owner, &tables->alloc, tables->n, sizeof(pid_t));

	if (r == 0)
		tables->owner[tables->n++] = tid;
	return r;
}

/* What a thread of the process adds to what its main thread told */
static unsigned int thread_part(struct proc_scan *ps, const struct fd_tables *tables,
				bool maps_read, pid_t tid)
{
	unsigned int part = ps->idx->what & PROCS_WAITERS;	/* each thread waits alone */
	int unread;

	/* the threads share their memory: its maps are empty once the main thread exited */
	if ((ps->idx->what & PROCS_MAPS) && !maps_read)
		part |= PROCS_MAPS;
	if (ps->idx->what & PROCS_FDS) {
		unread = files_unread(tables, tid);
		if (unread > 0)
			part |= PROCS_FDS;
		else if (unread < 0)
			note_unreadable(ps, -unread);
	}
	return part;
}

/*
 * A process is read through its main thread but for what its other threads
 * hold alone: a semop or msgrcv each waits in, descriptors of their own,
 * and everything once the main thread has exited (a zombie, whose maps and
 * fd are empty while the process runs on).
 */
static int scan_threads(struct proc_scan *ps, int piddir)
{
	const struct proc *p = &ps->idx->procs[ps->proc];
	struct fd_tables tables = { 0 };
	bool maps_read = !p->main_exited;
	DIR *d = open_dir(ps, piddir, "task");
	struct dirent *de;
	int r = 0;

	if (!d)
		return 0;
	/* an exited main thread has no descriptors left: no table is read yet */
	if (!p->main_exited)
		r = note_table(&tables, p->pid);
	while (r == 0 && (de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);
		unsigned int part = tid > 0 && tid != p->pid ?
					    thread_part(ps, &tables, maps_read, tid) : 0;
		int dir = part ? openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			       : -1;

		if (dir < 0)
			continue;	/* ended meanwhile, or nothing to read */
		ps->tid = tid;
		r = scan_task(ps, dir, part);
		ps->tid = 0;
		close(dir);
		maps_read |= (part & PROCS_MAPS) != 0;
		if (r == 0 && (part & PROCS_FDS))
			r = note_table(&tables, tid);
	}
	closedir(d);
	free(tables.owner);
	return r;
}

static int scan_process(const struct proc_index *idx, struct use_table *out, uint32_t i)
{
	struct proc_scan ps = { .idx = idx, .out = out, .proc = i, .same_ipcns = -1, .compat = -1 };
	char path[32];
	int piddir, r = 0;

	/* nothing to read, and nothing to count as unread (its files deny a user) */
	if (idx->procs[i].zombie)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d", (int)idx->procs[i].pid);
	piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0) {
		note_unreadable(&ps, errno);
		out->hidden += ps.hidden;
		return 0;
	}
	r = scan_task(&ps, piddir, idx->what);
	if (r == 0 && idx->procs[i].nthreads > 1)
		r = scan_threads(&ps, piddir);
	close(piddir);
	out->hidden += ps.hidden;
	return r;
}

/* Start times count clock ticks from boot; objects keep seconds since the epoch */
static uint64_t boot_epoch_ns(void)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (uint64_t)(real.tv_sec - boot.tv_sec) * 1000000000u + (uint64_t)real.tv_nsec -
	       (uint64_t)boot.tv_nsec;
}

static int compare_procs(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Results are read from stack->head[i].result: the PIDS_VAL macro changed
 * its arguments in procps-ng 4.0.5, the layout of the results did not.
 */
enum { ITEM_PID, ITEM_COMM, ITEM_BEGAN, ITEM_THREADS, ITEM_STATE };

static void copy_proc(struct proc *p, const struct pids_stack *stack, uint64_t boot_ns,
		      long hz)
{
	const char *comm = stack->head[ITEM_COMM].result.str;

	p->pid = stack->head[ITEM_PID].result.s_int;
	/* rounded down, so that a creator is never taken for a later process */
	p->start = (boot_ns + stack->head[ITEM_BEGAN].result.ull_int * (1000000000u / hz)) /
		   1000000000u;
	snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "?");
	p->nthreads = stack->head[ITEM_THREADS].result.s_int;
	p->main_exited = stack->head[ITEM_STATE].result.s_ch == 'Z' && p->nthreads > 1;
	p->zombie = stack->head[ITEM_STATE].result.s_ch == 'Z' && p->nthreads <= 1;
}

/* Under proc2_lock() */
static int reap_processes(struct proc_index *idx)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_CMD, PIDS_TICS_BEGAN, PIDS_NLWP, PIDS_STATE };
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	uint64_t boot_ns = boot_epoch_ns();
	long hz = sysconf(_SC_CLK_TCK);
	int r = idx->proc2->pids_new(&info, items, ARRAY_SIZE(items));

	if (r < 0)
		return r;
	fetch = idx->proc2->pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		idx->proc2->pids_unref(&info);
		return errno ? -errno : -EIO;
	}
	idx->procs = calloc((size_t)fetch->counts->total + 1, sizeof(*idx->procs));
	if (!idx->procs) {
		idx->proc2->pids_unref(&info);
		return -ENOMEM;
	}
	for (int i = 0; i < fetch->counts->total; i++)
		copy_proc(&idx->procs[i], fetch->stacks[i], boot_ns, hz > 0 ? hz : 100);
	idx->nprocs = (size_t)fetch->counts->total;
	idx->proc2->pids_unref(&info);
	return 0;
}

static int read_processes(struct proc_index *idx)
{
	int r;

	proc2_lock();
	r = reap_processes(idx);
	proc2_unlock();
	if (r == 0)
		sort_array(idx->procs, idx->nprocs, sizeof(*idx->procs), compare_procs);
	return r;
}

static int compare_uses(const void *a, const void *b)
{
	const struct use *x = a, *y = b;

	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->proc > y->proc) - (x->proc < y->proc);
}

/* One reader's share of the processes: [first, end) */
struct scan_share {
	const struct proc_index *idx;
	size_t first, end;
	struct use_table out;
	int result;
};

static void scan_share(void *data)
{
	struct scan_share *share = data;
	pid_t self = getpid();

	for (size_t i = share->first; share->result == 0 && i < share->end; i++) {
		/* what ipcx itself holds is not someone using the object */
		if (share->idx->procs[i].pid != self)
			share->result = scan_process(share->idx, &share->out, (uint32_t)i);
	}
}

static void table_free(struct use_table *t)
{
	for (size_t i = 0; i < t->npaths; i++)
		free(t->paths[i]);
	free(t->paths);
	free(t->uses);
	memset(t, 0, sizeof(*t));
}

/* Move what a reader found into the index's table */
static int table_take(struct use_table *to, struct use_table *from)
{
	struct use *uses = realloc(to->uses, (to->nuses + from->nuses + 1) * sizeof(*uses));
	char **paths = uses ? realloc(to->paths, (to->npaths + from->npaths + 1) * sizeof(*paths))
			    : NULL;

	if (uses)
		to->uses = uses;
	if (!paths)
		return -ENOMEM;
	to->paths = paths;
	if (from->nuses)
		memcpy(to->uses + to->nuses, from->uses, from->nuses * sizeof(*uses));
	if (from->npaths)
		memcpy(to->paths + to->npaths, from->paths, from->npaths * sizeof(*paths));
	to->nuses += from->nuses;
	to->alloc = to->nuses + 1;
	to->npaths += from->npaths;
	to->paths_alloc = to->npaths + 1;
	to->hidden += from->hidden;
	to->query = to->query && from->query;
	free(from->uses);
	free(from->paths);
	memset(from, 0, sizeof(*from));
	return 0;
}

/* A reader gets at least this many processes: a thread costs about as much as reading them */
#define MIN_SHARE 64

static int scan_all(struct proc_index *idx)
{
	struct scan_share shares[PARALLEL_MAX] = { 0 };
	size_t n = parallel_threads(idx->nprocs, MIN_SHARE);
	int r = 0;

	if (!(idx->what & (PROCS_MAPS | PROCS_FDS | PROCS_WAITERS)))
		return 0;	/* the list of processes is all that is wanted */
	for (size_t i = 0; i < n; i++) {
		shares[i] = (struct scan_share){
			.idx = idx, .first = parallel_share_start(idx->nprocs, i, n),
			.end = parallel_share_start(idx->nprocs, i + 1, n) };
		shares[i].out.query = idx->t.query;
	}
	parallel_run(shares, n, sizeof(*shares), scan_share, n, 0);
	for (size_t i = 0; i < n; i++) {
		if (r == 0)
			r = shares[i].result;
		if (r == 0)
			r = table_take(&idx->t, &shares[i].out);
		table_free(&shares[i].out);
	}
	return r;
}

/*
 * /proc names processes by the pids of the PID namespace it was mounted in:
 * one of another (a container without a /proc of its own, unshare --pid
 * without --mount-proc) names others than ours, or us by another pid, and
 * a creator found alive there may be gone here, or the reverse. 0 if it is
 * ours, -EXDEV if another namespace's, -ENODEV if no proc file system is
 * on /proc (none, or another file system, with a "self" in it or not).
 */
static int check_proc(void)
{
	struct statfs sfs;
	char link[32];
	ssize_t n;
	int pid;

	if (statfs("/proc", &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return -ENODEV;
	/* a proc file system of a PID namespace we are not in has no self for us */
	n = readlink("/proc/self", link, sizeof(link) - 1);
	if (n <= 0)
		return -EXDEV;
	link[n] = '\0';
	return ipcx_parse_id(link, &pid) == 0 && pid == getpid() ? 0 : -EXDEV;
}

int procs_build(struct ipcx_ctx *ctx, unsigned int what, struct proc_index **ret)
{
	struct proc_index *idx;
	int r;

	r = check_proc();
	if (r < 0) {
		err(ctx, "cannot read the processes: %s", r == -EXDEV ?
		    "/proc belongs to another PID namespace" : "no proc file system on /proc");
		return r;
	}
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	idx->t.query = !ctx_maps_text_only(ctx);
	idx->what = what;
	r = proc2_load(&idx->proc2);
	if (r < 0) {
		err(ctx, "cannot read the processes: %s", proc2_load_error());
		free(idx);
		return r;
	}
	if (stat("/proc/self/ns/ipc", &idx->ipcns) < 0)
		memset(&idx->ipcns, 0, sizeof(idx->ipcns));
	r = read_processes(idx);
	if (r == 0)
		r = scan_all(idx);
	if (r < 0) {
		procs_free(idx);
		return r;
	}
	sort_array(idx->t.uses, idx->t.nuses, sizeof(*idx->t.uses), compare_uses);
	/* false only once the ioctl was refused: a kernel before 6.11 */
	if (!idx->t.query && !ctx_maps_text_only(ctx))
		note(ctx, "no PROCMAP_QUERY: mappings read from the text of /proc/PID/maps");
	*ret = idx;
	return 0;
}

void procs_free(struct proc_index *idx)
{
	if (!idx)
		return;
	table_free(&idx->t);
	for (size_t i = 0; i < idx->nprocs; i++)
		free(idx->procs[i].cmdline);
	free(idx->procs);
	free(idx);
}

size_t procs_hidden(const struct proc_index *idx)
{
	return idx ? idx->t.hidden : 0;
}

/* First use not below the key */
static size_t lower_bound(const struct proc_index *idx, const struct use *key)
{
	size_t lo = 0, hi = idx->t.nuses;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (compare_uses(&idx->t.uses[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t find_range(const struct proc_index *idx, const struct use *from,
			 const struct use *to, const struct use **first)
{
	size_t lo = lower_bound(idx, from), hi = lower_bound(idx, to);

	*first = idx->t.uses + lo;
	return hi - lo;
}

size_t procs_find(const struct proc_index *idx, enum use_space space, uint64_t dev,
		  uint64_t ino, const struct use **first)
{
	struct use from = { .space = (uint16_t)space, .dev = dev, .ino = ino };
	struct use to = from;

	to.proc = UINT32_MAX;	/* past every process of the key */
	if (!idx) {
		*first = NULL;
		return 0;
	}
	return find_range(idx, &from, &to, first);
}

size_t procs_space(const struct proc_index *idx, enum use_space space, const struct use **first)
{
	struct use from = { .space = (uint16_t)space };
	struct use to = { .space = (uint16_t)(space + 1) };

	if (!idx) {
		*first = NULL;
		return 0;
	}
	return find_range(idx, &from, &to, first);
}

const struct proc *procs_get(const struct proc_index *idx, uint32_t i)
{
	return idx && i < idx->nprocs ? &idx->procs[i] : NULL;
}

const struct proc *procs_by_pid(const struct proc_index *idx, pid_t pid)
{
	struct proc key = { .pid = pid };

	if (!idx || pid <= 0)
		return NULL;
	return bsearch(&key, idx->procs, idx->nprocs, sizeof(key), compare_procs);
}

int procs_pid_state(const struct proc_index *idx, pid_t pid, uint64_t since)
{
	const struct proc *p = procs_by_pid(idx, pid);

	/* a zombie has exited: it holds the pid until reaped, and nothing else */
	if (!p || p->zombie)
		return IPCX_PID_GONE;
	/* start is rounded down and since is in whole seconds: only later seconds count */
	return since && p->start > since ? IPCX_PID_REUSED : IPCX_PID_ALIVE;
}

enum { DETAIL_PID, DETAIL_EUID, DETAIL_CMDLINE };

static void copy_details(struct proc_index *idx, const struct pids_stack *stack)
{
	struct proc *p = (struct proc *)procs_by_pid(idx, stack->head[DETAIL_PID].result.s_int);
	const char *cmdline = stack->head[DETAIL_CMDLINE].result.str;

	if (!p || p->detailed)
		return;
	p->detailed = true;
	p->uid = stack->head[DETAIL_EUID].result.u_int;
	/* libproc2 gives "-" for kernel threads and processes without a command line */
	p->cmdline = cmdline && *cmdline && strcmp(cmdline, "-") != 0 ? strdup(cmdline) : NULL;
}

/* procps_pids_select() takes at most this many pids at a time (FILL_ID_MAX) */
#define SELECT_MAX 255

/* Under proc2_lock() */
static int select_details(struct proc_index *idx, const pid_t *pids, size_t n)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_ID_EUID, PIDS_CMDLINE };
	struct pids_info *info = NULL;
	unsigned select[SELECT_MAX];
	int r = idx->proc2->pids_new(&info, items, ARRAY_SIZE(items));

	if (r < 0)
		return r;
	for (size_t done = 0; done < n;) {
		size_t batch = n - done < SELECT_MAX ? n - done : SELECT_MAX;
		struct pids_fetch *fetch;

		for (size_t i = 0; i < batch; i++)
			select[i] = (unsigned)pids[done + i];
		fetch = idx->proc2->pids_select(info, select, (int)batch, PIDS_SELECT_PID);
		for (int i = 0; fetch && i < fetch->counts->total; i++)
			copy_details(idx, fetch->stacks[i]);
		done += batch;
	}
	idx->proc2->pids_unref(&info);
	return 0;
}

int procs_resolve_details(struct proc_index *idx, const pid_t *pids, size_t n)
{
	int r;

	if (n == 0)
		return 0;
	proc2_lock();
	r = select_details(idx, pids, n);
	proc2_unlock();
	return r;
}

size_t uses_same_key(const struct use *uses, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && uses[j].space == uses[i].space && uses[j].dev == uses[i].dev &&
	       uses[j].ino == uses[i].ino)
		j++;
	return j;
}

void uses_count_access(const struct proc_index *idx, const struct use *first,
		       const struct use *end, use_check_fn check, unsigned int *readers,
		       unsigned int *writers)
{
	*readers = *writers = 0;
	for (const struct use *use = first; use < end; use++) {
		if (check && !check(idx, use))
			continue;
		*readers += !!(use->how & IPCX_USE_READ);
		*writers += !!(use->how & IPCX_USE_WRITE);
	}
}

int procs_stat_use(const struct proc_index *idx, const struct use *use, struct stat *st)
{
	char path[64];

	/* no descriptor yet: the FIFO a thread waits to open, by its path */
	if (use->fd < 0 && (use->how & IPCX_USE_OPENING))
		return stat(use->path, st) == 0 && st->st_ino == use->ino &&
		       st->st_dev == use->dev ? 0 : -1;
	if (use->fd < 0)
		return -1;
	if (use->tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/fd/%d",
			 (int)idx->procs[use->proc].pid, (int)use->tid, (int)use->fd);
	else
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)idx->procs[use->proc].pid,
			 (int)use->fd);
	if (stat(path, st) < 0)
		return -1;
	return st->st_ino == use->ino && (use->dev == 0 || st->st_dev == use->dev) ? 0 : -1;
}
