// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipcx-bench-gen: fill a private IPC namespace with objects for the
 * benchmarks (tests/bench/run.sh) and keep processes that use them.
 *
 *   ipcx-bench-gen -n N [-p P] [-u PCT] [-d DIR] [-k KIND,...]
 *	make N objects of every kind (FIFOs only with -d), or of the kinds
 *	-k lists, fork P helpers
 *	that attach or open PCT % of them, print "ready", then wait for EOF
 *	on stdin or SIGTERM, kill the helpers and exit. The objects stay:
 *	they die with the namespace.
 *   ipcx-bench-gen -n N --only KIND
 *	make N objects of one kind and exit (a hyperfine --prepare step).
 *
 * It refuses to run in the host's IPC namespace or on the host's
 * /dev/shm: everything it makes must die with a namespace of its own.
 * The host's are read from IPCX_BENCH_HOST_IPC (readlink of
 * /proc/self/ns/ipc) and IPCX_BENCH_HOST_SHM (st_dev of /dev/shm), noted
 * before unshare, or else from PID 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	K_SHM = 1 << 0,
	K_SEM = 1 << 1,
	K_MSG = 1 << 2,
	K_PSHM = 1 << 3,
	K_PSEM = 1 << 4,
	K_PMQ = 1 << 5,
	K_FIFO = 1 << 6,
	K_ALL = (1 << 7) - 1,
};

static const struct {
	const char *name;
	unsigned kind;
} kind_names[] = {
	{ "shm", K_SHM }, { "sem", K_SEM }, { "msg", K_MSG },
	{ "posix-shm", K_PSHM }, { "posix-sem", K_PSEM }, { "posix-mq", K_PMQ },
	{ "fifo", K_FIFO },
};

/* Without ipcmni_extend the kernel caps shmmni, msgmni and semmni here */
#define IPCMNI 32768UL
/* Keys of the first System V objects: ASCII "b" for bench, then the index */
#define KEY_BASE 0x62000000
#define OBJ_SIZE 4096
/* FIFOs and queues each helper keeps open: enough to show up in lsof */
#define HELPER_OPENS 4

struct opts {
	long n;
	long procs;
	long use_pct;
	const char *dir;
	unsigned kinds;
	bool only;
};

static volatile sig_atomic_t stop;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ipcx-bench-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* die() with the errno of the call that failed */
#define die_errno(fmt, ...) die(fmt ": %s", ##__VA_ARGS__, strerror(errno))

static void usage(int status) __attribute__((noreturn));

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: ipcx-bench-gen -n N [-p PROCS] [-u PERCENT] [-d FIFODIR] [-k KIND,...]\n"
		"       ipcx-bench-gen -n N --only KIND\n"
		"kinds: shm sem msg posix-shm posix-sem posix-mq fifo\n");
	exit(status);
}

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s: '%s' is not a number from %ld to %ld", what, s, min, max);
	return v;
}

static unsigned parse_kind(const char *s)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i].name) == 0)
			return kind_names[i].kind;
	die("unknown kind '%s'", s);
}

/* "shm,posix-shm" -> K_SHM | K_PSHM */
static unsigned parse_kind_list(const char *list)
{
	char *copy = strdup(list), *rest = copy, *name;
	unsigned kinds = 0;

	if (!copy)
		die("out of memory");
	while ((name = strsep(&rest, ",")))
		kinds |= parse_kind(name);
	free(copy);
	return kinds;
}

static void parse_opts(int argc, char *argv[], struct opts *o)
{
	static const struct option longopts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .n = -1, .use_pct = 100, .kinds = K_ALL };
	while ((c = getopt_long(argc, argv, "n:p:u:d:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->n = parse_num(optarg, "-n", 0, 1L << 24); break;
		case 'p': o->procs = parse_num(optarg, "-p", 0, 100000); break;
		case 'u': o->use_pct = parse_num(optarg, "-u", 0, 100); break;
		case 'd': o->dir = optarg; break;
		case 'k': o->kinds = parse_kind_list(optarg); break;
		case 'o': o->kinds = parse_kind(optarg); o->only = true; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (o->n < 0 || optind != argc)
		usage(2);
	if (o->kinds == K_FIFO && !o->dir)
		die("--only fifo needs -d DIR");
	/* FIFOs live in a directory, and only the caller knows a safe one */
	if (!o->dir)
		o->kinds &= ~K_FIFO;
}

/*
 * The host's IPC namespace and /dev/shm device, to compare ours with: from
 * the caller (run.sh notes them before unshare), else from PID 1, which
 * is the host's init when there is no PID namespace.
 */
static void host_refs(char *ipc, size_t size, dev_t *shm)
{
	const char *env_ipc = getenv("IPCX_BENCH_HOST_IPC");
	const char *env_shm = getenv("IPCX_BENCH_HOST_SHM");
	struct stat st;

	if (env_ipc && env_shm) {
		snprintf(ipc, size, "%s", env_ipc);
		*shm = (dev_t)strtoull(env_shm, NULL, 10);
		return;
	}
	if (readlink("/proc/1/ns/ipc", ipc, size - 1) < 0 ||
	    stat("/proc/1/root/dev/shm", &st) < 0)
		die_errno("cannot compare with PID 1's namespaces; set "
			"IPCX_BENCH_HOST_IPC=$(readlink /proc/self/ns/ipc) and "
			"IPCX_BENCH_HOST_SHM=$(stat -c %%d /dev/shm) before unshare");
	*shm = st.st_dev;
}

/* Safety first: the objects must die with a namespace, never stay on the host */
static void check_private(unsigned kinds)
{
	char self[64] = "", host[64] = "";
	dev_t host_shm;
	struct stat own;

	host_refs(host, sizeof(host), &host_shm);
	if (readlink("/proc/self/ns/ipc", self, sizeof(self) - 1) < 0)
		die_errno("/proc/self/ns/ipc");
	if (strcmp(self, host) == 0)
		die("refusing to run in the host's IPC namespace (use unshare --ipc)");
	if (!(kinds & (K_PSHM | K_PSEM)))
		return;
	if (stat("/dev/shm", &own) < 0)
		die_errno("/dev/shm");
	if (own.st_dev == host_shm)
		die("refusing to use the host's /dev/shm (mount a tmpfs on it first)");
}

/* ---- limits of this IPC namespace ----------------------------------------- */

static bool read_nums(const char *path, unsigned long *v, int count)
{
	FILE *f = fopen(path, "r");
	int got = 0;

	if (!f)
		return false;
	while (got < count && fscanf(f, "%lu", &v[got]) == 1)
		got++;
	fclose(f);
	return got == count;
}

static bool write_nums(const char *path, const unsigned long *v, int count)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	for (int i = 0; i < count; i++)
		fprintf(f, "%lu%c", v[i], i + 1 < count ? ' ' : '\n');
	ok = fflush(f) == 0;
	return (fclose(f) == 0) && ok;
}

/*
 * The ...mni limits refuse anything above IPCMNI (EINVAL or ERANGE) unless
 * the kernel was booted with ipcmni_extend: then settle for IPCMNI, and
 * the creation that runs out later says so.
 */
static void raise_to(const char *path, unsigned long want)
{
	unsigned long cur;

	if (!read_nums(path, &cur, 1))
		die_errno("cannot read %s", path);
	if (cur >= want || write_nums(path, &want, 1))
		return;
	if (want > IPCMNI) {
		if (cur >= IPCMNI)
			return;
		want = IPCMNI;
		if (write_nums(path, &want, 1))
			return;
	}
	die_errno("cannot raise %s to %lu", path, want);
}

/*
 * kernel.sem is "semmsl semmns semopm semmni"; one set of one semaphore
 * per object needs semmns and semmni of N. semmni has the IPCMNI cap.
 */
static void raise_sem(unsigned long want)
{
	const char *path = "/proc/sys/kernel/sem";
	unsigned long v[4];

	if (!read_nums(path, v, 4))
		die_errno("cannot read %s", path);
	if (v[1] >= want && v[3] >= want)
		return;
	v[1] = v[1] > want ? v[1] : want;
	v[3] = v[3] > want ? v[3] : want;
	if (write_nums(path, v, 4))
		return;
	if (v[3] > IPCMNI) {
		v[3] = IPCMNI;
		if (write_nums(path, v, 4))
			return;
	}
	die_errno("cannot raise %s to %lu sets", path, want);
}

static void raise_rlimit(int resource, const char *name)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	/* with CAP_SYS_RESOURCE the hard limit can go up too; else take
	 * what we may */
	if (setrlimit(resource, &rl) == 0)
		return;
	if (getrlimit(resource, &rl) < 0)
		die_errno("getrlimit %s", name);
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(resource, &rl) < 0)
		die_errno("setrlimit %s", name);
}

static void raise_limits(const struct opts *o)
{
	/* room for what the namespace already holds (a --prepare re-run) */
	unsigned long want = (unsigned long)o->n * 2 + 64;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long pages = want * ((OBJ_SIZE + page - 1) / page);

	if (o->kinds & K_SHM) {
		raise_to("/proc/sys/kernel/shmmni", want);
		raise_to("/proc/sys/kernel/shmall", pages);
		raise_to("/proc/sys/kernel/shmmax", OBJ_SIZE);
	}
	if (o->kinds & K_SEM)
		raise_sem(want);
	if (o->kinds & K_MSG)
		raise_to("/proc/sys/kernel/msgmni", want);
	if (o->kinds & K_PMQ) {
		raise_to("/proc/sys/fs/mqueue/queues_max", want);
		/* every queue is charged to its user, and this limit has no
		 * exemption for root */
		raise_rlimit(RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE");
	}
	raise_rlimit(RLIMIT_NOFILE, "RLIMIT_NOFILE");
}

/* ---- creation ---------------------------------------------------------------- */

static void posix_name(char *buf, size_t size, long i)
{
	snprintf(buf, size, "/ipcx-bench-%ld", i);
}

/* --only runs again and again: private keys never collide with leftovers */
static key_t key_of(const struct opts *o, long i)
{
	return o->only ? IPC_PRIVATE : (key_t)(KEY_BASE + i);
}

static int *make_shm(const struct opts *o)
{
	int *ids = calloc(o->n + 1, sizeof(*ids));

	if (!ids)
		die("out of memory");
	for (long i = 0; i < o->n; i++) {
		ids[i] = shmget(key_of(o, i), OBJ_SIZE, IPC_CREAT | IPC_EXCL | 0600);
		if (ids[i] < 0)
			die_errno("shmget #%ld (see /proc/sys/kernel/shmmni)", i);
	}
	return ids;
}

static void make_sem(const struct opts *o)
{
	for (long i = 0; i < o->n; i++)
		if (semget(key_of(o, i), 1, IPC_CREAT | IPC_EXCL | 0600) < 0)
			die_errno("semget #%ld (see /proc/sys/kernel/sem)", i);
}

static void make_msg(const struct opts *o)
{
	for (long i = 0; i < o->n; i++)
		if (msgget(key_of(o, i), IPC_CREAT | IPC_EXCL | 0600) < 0)
			die_errno("msgget #%ld (see /proc/sys/kernel/msgmni)", i);
}

static void make_pshm(const struct opts *o)
{
	char name[64];

	for (long i = 0; i < o->n; i++) {
		int fd;

		posix_name(name, sizeof(name), i);
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || ftruncate(fd, OBJ_SIZE) < 0)
			die_errno("shm_open+ftruncate %s", name);
		close(fd);
	}
}

static void make_psem(const struct opts *o)
{
	char name[64];

	for (long i = 0; i < o->n; i++) {
		sem_t *sem;

		posix_name(name, sizeof(name), i);
		sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
		if (sem == SEM_FAILED)
			die_errno("sem_open %s", name);
		/* unmaps it: N mappings would only slow the helpers' fork */
		sem_close(sem);
	}
}

/*
 * Every queue is charged to RLIMIT_MSGQUEUE of its creator's real uid, and
 * without CAP_SYS_RESOURCE (containers) that stays at 800 KiB: some 7000
 * queues. Each uid has a budget of its own, so when root's runs out the
 * next queues are made by uid 1, 2, ...; the saved uid 0 takes us back.
 */
static void next_mq_owner(uid_t *uid, long made_by_uid, const char *name)
{
	if (made_by_uid == 0)
		die_errno("mq_open %s (see ulimit -q)", name);
	++*uid;
	/* back to root first: only root may become any uid */
	if (setresuid(0, 0, 0) < 0 || setresuid(*uid, *uid, 0) < 0)
		die_errno("setresuid %u for more queues", (unsigned)*uid);
}

static void make_pmq(const struct opts *o)
{
	/* the smallest queue: the least of the budget */
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	bool root = getuid() == 0;
	long made_by_uid = 0;
	uid_t uid = 0;
	char name[64];

	for (long i = 0; i < o->n; i++) {
		mqd_t mq;

		posix_name(name, sizeof(name), i);
		mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
		if (mq == (mqd_t)-1 && errno == EMFILE && root && uid < 1000) {
			next_mq_owner(&uid, made_by_uid, name);
			made_by_uid = 0;
			i--;
			continue;
		}
		if (mq == (mqd_t)-1)
			die_errno("mq_open %s (see /proc/sys/fs/mqueue)", name);
		made_by_uid++;
		mq_close(mq);
	}
	if (uid != 0 && setresuid(0, 0, 0) < 0)
		die_errno("setresuid 0");
}

static void make_fifos(const struct opts *o)
{
	int dfd = open(o->dir, O_RDONLY | O_DIRECTORY);
	char name[64];

	if (dfd < 0)
		die_errno("%s", o->dir);
	for (long i = 0; i < o->n; i++) {
		snprintf(name, sizeof(name), "fifo-%ld", i);
		if (mkfifoat(dfd, name, 0600) < 0)
			die_errno("mkfifo %s/%s", o->dir, name);
	}
	close(dfd);
}

/* Returns the shm ids, which the helpers need; NULL without shm */
static int *make_all(const struct opts *o)
{
	int *ids = NULL;

	if (o->kinds & K_SHM)
		ids = make_shm(o);
	if (o->kinds & K_SEM)
		make_sem(o);
	if (o->kinds & K_MSG)
		make_msg(o);
	if (o->kinds & K_PSHM)
		make_pshm(o);
	if (o->kinds & K_PSEM)
		make_psem(o);
	if (o->kinds & K_PMQ)
		make_pmq(o);
	if (o->kinds & K_FIFO)
		make_fifos(o);
	return ids;
}

/* ---- helpers ----------------------------------------------------------------- */

/*
 * Object i is used when the running count of PCT % steps past a whole
 * number: an even spread, and exactly PCT % of the objects in all.
 */
static bool is_used(const struct opts *o, long i)
{
	return (i + 1) * o->use_pct / 100 > i * o->use_pct / 100;
}

static void helper_fail(int ready_fd, const char *what, long i)
{
	fprintf(stderr, "ipcx-bench-gen: helper %d: %s #%ld: %s\n",
		getpid(), what, i, strerror(errno));
	(void)!write(ready_fd, "!", 1);
	_exit(1);
}

static void helper_map(const struct opts *o, const int *ids, long i, int ready_fd)
{
	char name[64];
	int fd;

	if ((o->kinds & K_SHM) && shmat(ids[i], NULL, SHM_RDONLY) == (void *)-1)
		helper_fail(ready_fd, "shmat", i);
	if (!(o->kinds & K_PSHM))
		return;
	posix_name(name, sizeof(name), i);
	fd = shm_open(name, O_RDONLY, 0);
	if (fd < 0 || mmap(NULL, OBJ_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		helper_fail(ready_fd, "shm_open+mmap", i);
	close(fd);
}

/* A few FIFOs and queues stay open, so that tools listing fds find them */
static void helper_open(const struct opts *o, long h, int ready_fd)
{
	char name[64];

	for (long k = 0; k < HELPER_OPENS && o->n > 0; k++) {
		long i = (h + k * o->procs) % o->n;

		if (o->kinds & K_FIFO) {
			snprintf(name, sizeof(name), "%s/fifo-%ld", o->dir, i);
			if (open(name, O_RDONLY | O_NONBLOCK) < 0)
				helper_fail(ready_fd, "open fifo", i);
		}
		posix_name(name, sizeof(name), i);
		if ((o->kinds & K_PMQ) && mq_open(name, O_RDONLY) == (mqd_t)-1)
			helper_fail(ready_fd, "mq_open", i);
	}
}

/* Helper h takes every P-th used object, so each is used by one helper */
static void helper(const struct opts *o, const int *ids, long h, int ready_fd)
{
	long used = 0;

	/* no helper may outlive the generator, whatever kills it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (long i = 0; i < o->n; i++)
		if (is_used(o, i) && used++ % o->procs == h)
			helper_map(o, ids, i, ready_fd);
	helper_open(o, h, ready_fd);
	if (write(ready_fd, "+", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* Each helper maps 2 objects per used index: stay below vm.max_map_count */
static void check_map_count(const struct opts *o)
{
	unsigned long max = 0;
	long per = (o->n * o->use_pct / 100 + o->procs - 1) / o->procs;

	if (!read_nums("/proc/sys/vm/max_map_count", &max, 1))
		return;
	if ((unsigned long)per * 2 + 256 > max)
		die("%ld mappings per helper exceed vm.max_map_count (%lu): use more helpers",
			per * 2, max);
}

static void kill_all(pid_t *pids, long count)
{
	for (long h = 0; h < count; h++)
		kill(pids[h], SIGKILL);
	for (long h = 0; h < count; h++)
		waitpid(pids[h], NULL, 0);
}

/* Reads one status byte per helper: '+' ready, '!' failed (it said why) */
static bool wait_ready(int fd, long count)
{
	char c;

	for (long h = 0; h < count; h++)
		if (read(fd, &c, 1) != 1 || c != '+')
			return false;
	return true;
}

static pid_t *start_helpers(const struct opts *o, const int *ids)
{
	pid_t *pids = calloc(o->procs + 1, sizeof(*pids));
	int ready[2];

	if (!pids || pipe(ready) < 0)
		die_errno("cannot start helpers");
	fflush(NULL);
	for (long h = 0; h < o->procs; h++) {
		pids[h] = fork();
		if (pids[h] < 0) {
			kill_all(pids, h);
			die_errno("fork helper %ld", h);
		}
		if (pids[h] == 0) {
			close(ready[0]);
			helper(o, ids, h, ready[1]);
		}
	}
	close(ready[1]);
	if (!wait_ready(ready[0], o->procs)) {
		kill_all(pids, o->procs);
		die("a helper failed");
	}
	close(ready[0]);
	return pids;
}

/* ---- main -------------------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Until EOF on stdin or a signal: no SA_RESTART, so read() returns then */
static void wait_for_end(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[256];

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (!stop) {
		ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));

		if (got == 0 || (got < 0 && errno != EINTR))
			break;
	}
}

int main(int argc, char *argv[])
{
	struct opts o;
	pid_t *pids = NULL;
	int *ids;

	parse_opts(argc, argv, &o);
	check_private(o.kinds);
	raise_limits(&o);
	ids = make_all(&o);
	if (!o.only && o.procs > 0) {
		check_map_count(&o);
		pids = start_helpers(&o, ids);
	}
	if (!o.only) {
		/* a reader that went away must not kill us before the helpers */
		signal(SIGPIPE, SIG_IGN);
		printf("ready\n");
		fflush(stdout);
		wait_for_end();
	}
	if (pids)
		kill_all(pids, o.procs);
	free(pids);
	free(ids);
	return 0;
}
