// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper for the churn test (tests/cli/churn.bats):
 *
 *   ipcx-test-churn FIFODIR [STEPS]
 *   ipcx-test-churn --recycle FILE
 *
 * creates and removes objects of every kind that ipcx can create, as fast as
 * it can or STEPS times a second, until it gets SIGTERM: System V shm, sem and msg, POSIX shm, sem and
 * mq, and FIFOs in FIFODIR. It keeps WINDOW objects of each kind alive, so
 * every step removes the oldest object of a kind and creates a new one: an
 * object lives WINDOW steps.
 *
 * Object number i is made so that each of its attributes says which object
 * it is, and a row with fields from two objects shows. With s = i mod 2^20:
 * the key is CHURN_KEY + s, the name "churn-KIND-i", the mode 0600 | (s & 077),
 * the size of a shm segment or POSIX shm 4096 * (1 + s % 61) (a POSIX shm is
 * empty until ftruncate), a set has 1 + s % 61 semaphores, a POSIX semaphore
 * the value s % 61, a POSIX queue room for 1 + s % 10 messages of at most
 * 16 * (1 + s % 61) bytes.
 *
 * It prints "ready" once every kind has WINDOW objects, "progress N" every
 * few steps (N objects churned so far), and on SIGTERM
 * "churned N" (objects created and removed, over all kinds) and exits 0. Any
 * failure to create or remove is reported and exits 1: the objects are in a
 * private namespace, so nothing else changes them.
 *
 * With --recycle it frees inode numbers for the FIFOs to take, until
 * SIGTERM: it creates FILE, holds it open a few milliseconds deleted, closes
 * it, and again (on ext4 a new file takes the inode number freed last).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHURN_KEY	0x7c000000
#define WINDOW		32
#define NKINDS		7

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void) sig;
	stop = 1;
}

/* Keys are unique among the objects alive: WINDOW is far below 2^20 */
static unsigned long serial_of(unsigned long i)
{
	return i & 0xfffff;
}

static key_t key_of(unsigned long i)
{
	return (key_t) (CHURN_KEY + serial_of(i));
}

static mode_t mode_of(unsigned long i)
{
	return 0600 | (serial_of(i) & 077);
}

static unsigned long step_of(unsigned long i)
{
	return 1 + serial_of(i) % 61;
}

/*
 * Each kind: make object i, named name (POSIX kinds and FIFOs) or not, and
 * remove it (both 0 or -1 with errno). System V objects go by id.
 */
struct churn_kind {
	const char *name;
	const char *tag;	/* of the object's name: /churn-TAG-i */
	int (*make)(const char *name, unsigned long i);
	int (*unlink)(const char *name);
	long ids[WINDOW];	/* the System V ids, by slot */
};

static int make_shm(const char *name, unsigned long i)
{
	(void) name;
	return shmget(key_of(i), 4096 * step_of(i), IPC_CREAT | IPC_EXCL | mode_of(i));
}

static int make_sem(const char *name, unsigned long i)
{
	(void) name;
	return semget(key_of(i), (int) step_of(i), IPC_CREAT | IPC_EXCL | mode_of(i));
}

static int make_msg(const char *name, unsigned long i)
{
	(void) name;
	return msgget(key_of(i), IPC_CREAT | IPC_EXCL | mode_of(i));
}

static int make_posix_shm(const char *name, unsigned long i)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode_of(i));
	int rc;

	if (fd < 0)
		return -1;
	rc = ftruncate(fd, (off_t) (4096 * step_of(i)));
	close(fd);
	return rc;
}

static int make_posix_sem(const char *name, unsigned long i)
{
	sem_t *sem = sem_open(name, O_CREAT | O_EXCL, mode_of(i), (unsigned) (serial_of(i) % 61));

	if (sem == SEM_FAILED)
		return -1;
	return sem_close(sem);
}

static int make_posix_mq(const char *name, unsigned long i)
{
	struct mq_attr attr = {
		.mq_maxmsg = (long) (1 + serial_of(i) % 10),
		.mq_msgsize = (long) (16 * step_of(i)),
	};
	mqd_t mq = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, mode_of(i), &attr);

	if (mq == (mqd_t) -1)
		return -1;
	return mq_close(mq);
}

static int make_fifo(const char *path, unsigned long i)
{
	return mkfifo(path, mode_of(i));
}

static struct churn_kind kinds[NKINDS] = {
	{ .name = "shm", .make = make_shm },
	{ .name = "sem", .make = make_sem },
	{ .name = "msg", .make = make_msg },
	{ .name = "posix-shm", .tag = "shm", .make = make_posix_shm, .unlink = shm_unlink },
	{ .name = "posix-sem", .tag = "sem", .make = make_posix_sem, .unlink = sem_unlink },
	{ .name = "posix-mq", .tag = "mq", .make = make_posix_mq, .unlink = mq_unlink },
	{ .name = "fifo", .tag = "fifo", .make = make_fifo, .unlink = unlink },
};

/* The name of object i of a kind: /churn-TAG-i, a FIFO's under dir */
static void name_of(const struct churn_kind *kind, unsigned long i, const char *dir,
		    char *buf, size_t size)
{
	if (!kind->tag)
		*buf = '\0';
	else
		snprintf(buf, size, "%s/churn-%s-%lu", kind->make == make_fifo ? dir : "",
			 kind->tag, i);
}

/* System V objects go by id: IPC_RMID through the call of their kind */
static int drop_sysv(const struct churn_kind *kind, long id)
{
	if (kind->make == make_shm)
		return shmctl((int) id, IPC_RMID, NULL);
	if (kind->make == make_sem)
		return semctl((int) id, 0, IPC_RMID);
	return msgctl((int) id, IPC_RMID, NULL);
}

static int churn_one(struct churn_kind *kind, unsigned long i, const char *dir)
{
	unsigned long slot = i % WINDOW;
	char name[PATH_MAX];
	int rc;

	if (i >= WINDOW) {
		name_of(kind, i - WINDOW, dir, name, sizeof(name));
		rc = kind->unlink ? kind->unlink(name) : drop_sysv(kind, kind->ids[slot]);
		if (rc < 0) {
			fprintf(stderr, "remove %s %lu: %s\n", kind->name, i - WINDOW, strerror(errno));
			return -1;
		}
	}
	name_of(kind, i, dir, name, sizeof(name));
	rc = kind->make(name, i);
	if (rc < 0) {
		fprintf(stderr, "create %s %lu: %s\n", kind->name, i, strerror(errno));
		return -1;
	}
	kind->ids[slot] = rc;
	return 0;
}

/* With steps a second, sleep until step i is due */
static void pace(unsigned long i, unsigned long steps, const struct timespec *start)
{
	unsigned long long ns = (unsigned long long)i * 1000000000ULL / steps;
	struct timespec due = {
		.tv_sec = start->tv_sec + (time_t)(ns / 1000000000ULL),
		.tv_nsec = start->tv_nsec + (long)(ns % 1000000000ULL),
	};

	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
}

/* --recycle FILE: a file held open while deleted, again and again */
static int recycle_inodes(const char *path)
{
	const struct timespec hold = { .tv_nsec = 3 * 1000 * 1000 };

	while (!stop) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || unlink(path) < 0) {
			perror(path);
			return 1;
		}
		nanosleep(&hold, NULL);
		close(fd);
	}
	return 0;
}

/* "progress N" every this many steps */
#define PROGRESS_STEPS 64

/*
 * POSIX queues are charged to the real uid's RLIMIT_MSGQUEUE budget, which
 * is the whole host's: another test run as the same user at the same time
 * must not starve this one (mq_open's EMFILE). Raised as far as allowed.
 */
static void raise_mq_budget(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_MSGQUEUE, &r) == 0 || getrlimit(RLIMIT_MSGQUEUE, &r) < 0)
		return;
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_MSGQUEUE, &r);
}

int main(int argc, char *argv[])
{
	struct sigaction sa = { .sa_handler = on_term };
	unsigned long i, churned = 0, steps = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	struct timespec start;
	int k;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FIFODIR [STEPS] | --recycle FILE\n", argv[0]);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	if (strcmp(argv[1], "--recycle") == 0)
		return argc == 3 ? recycle_inodes(argv[2]) : 2;
	umask(0);
	raise_mq_budget();
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; !stop; i++) {
		if (steps && i >= WINDOW)
			pace(i - WINDOW, steps, &start);
		for (k = 0; k < NKINDS; k++)
			if (churn_one(&kinds[k], i, argv[1]) < 0)
				return 1;
		churned += NKINDS * (i >= WINDOW ? 2 : 1);
		/* what the test waits for before stopping us: progress, not time */
		if (i % PROGRESS_STEPS == 0) {
			printf("progress %lu\n", churned);
			fflush(stdout);
		}
		if (i == WINDOW - 1) {
			printf("ready\n");
			fflush(stdout);
		}
	}
	printf("churned %lu\n", churned);
	return 0;
}
