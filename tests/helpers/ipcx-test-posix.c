// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: ground truth for POSIX objects and a few actions util-linux
 * has no command for. Each subcommand prints plain values for bats to compare.
 *   mq-attr NAME           "curmsgs maxmsg msgsize" from mq_getattr()
 *   mq-send NAME TEXT      send one message
 *   sem-value NAME         the value from sem_getvalue()
 *   msg-send ID TEXT       send one System V message (type 1)
 *   hold-fifo PATH r|w     open the FIFO for reading or writing, print "ready", wait
 *   open-fifo PATH r|w     print "ready", then block in open() of the FIFO until
 *                          its other end is opened (and stay once it is open)
 *
 * Processes that use objects (for the process columns). Each sets up what
 * it holds, prints one line starting with "ready" and waits until killed.
 *   hold-posix-shm NAME SIZE map|private|fd   map SIZE bytes of it shared,
 *                                     or private (and close the fd), or only
 *                                     keep it open
 *   hold-posix-sem NAME                sem_open() it (which maps it)
 *   hold-posix-mq NAME [notify]        keep it open for reading, and register
 *                                     with mq_notify(); "ready FD"
 *   make-shm SIZE                      create a private segment, do not attach;
 *                                     "ready SHMID"
 *   sem-op ID SEMNUM DELTA             one semop() that does not block
 *   sem-setval ID SEMNUM VALUE         one semctl(SETVAL), which sets the
 *                                     semaphore's pid too (and CTIME, not OTIME)
 *   sem-wait ID SEMNUM                 print "ready", then block in semop(-1)
 *                                     (and stay once it is through)
 *   msg-send-stay ID TEXT              send one message (type 1)
 *   msg-recv ID                        print "ready NR" (NR: msgrcv's system
 *                                     call number), then block in msgrcv (and
 *                                     stay once it has a message)
 *   msg-send-wait ID TEXT              print "ready NR" (NR: msgsnd's), then
 *                                     send TEXT, blocking while the queue is
 *                                     full (and stay once it is sent)
 *   hold-pipe [fork]                   a pipe, read end on descriptor 100, write
 *                                     end on 101, both here; with fork a child
 *                                     keeps the read end, this process the write
 *                                     end: "ready CHILDPID"
 *   map-file PATH LENGTH               map LENGTH bytes of the file shared
 *   map-memfd NAME LENGTH              map a memfd of that name shared
 *   map-anon LENGTH                    map shared anonymous memory
 *   map-io-uring                       an io_uring whose submission ring is
 *                                     mapped shared (anon_inode:[io_uring]);
 *                                     exit 77 where the kernel has none
 *   unix-listen PATH BACKLOG NCONN     a stream socket listening at PATH with
 *                                     NCONN connections from here, never
 *                                     accepted; PATH may fill all of sun_path
 *                                     (bound without a NUL)
 *   unix-pair stream|dgram NBYTES [fork]  a connected pair; NBYTES written to
 *                                     (stream) or NBYTES one-byte datagrams sent
 *                                     to the second end; with fork a child holds
 *                                     the second end: "ready CHILDPID"
 *   sysv-chown shm|sem|msg ID UID      IPC_SET the owner's uid (and exit)
 *   in-thread thread|own-files|own-net|main-exits CMD ARG...
 *                                     run one of the above in a second thread:
 *                                     the main thread waits; or the thread
 *                                     first takes a descriptor table of its own
 *                                     (unshare(CLONE_FILES)), or a network
 *                                     namespace (CLONE_NEWNET); or the main thread
 *                                     exits (a zombie, the process runs on) and
 *                                     the thread starts CMD once it is one
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int mq_attr(const char *name)
{
	struct mq_attr attr;
	mqd_t mq = mq_open(name, O_RDONLY | O_NONBLOCK);

	if (mq == (mqd_t)-1 || mq_getattr(mq, &attr) < 0) {
		perror(name);
		return 1;
	}
	printf("%ld %ld %ld\n", attr.mq_curmsgs, attr.mq_maxmsg, attr.mq_msgsize);
	return 0;
}

static int mq_send_text(const char *name, const char *text)
{
	mqd_t mq = mq_open(name, O_WRONLY | O_NONBLOCK);

	if (mq == (mqd_t)-1 || mq_send(mq, text, strlen(text), 0) < 0) {
		perror(name);
		return 1;
	}
	return 0;
}

static int sem_value(const char *name)
{
	sem_t *sem = sem_open(name, 0);
	int value;

	if (sem == SEM_FAILED || sem_getvalue(sem, &value) < 0) {
		perror(name);
		return 1;
	}
	printf("%d\n", value);
	return 0;
}

/*
 * One message of type 1; with block, said "ready NR" (NR: msgsnd's system
 * call number) first, then waiting while the queue is full, in the system
 * call itself so that /proc/PID/syscall names it
 */
static int msg_send(const char *id, const char *text, int block)
{
	struct {
		long type;
		char text[256];
	} msg = { 1, "" };

	snprintf(msg.text, sizeof(msg.text), "%s", text);
	if (block) {
		printf("ready %ld\n", (long)SYS_msgsnd);
		fflush(stdout);
	}
	if (syscall(SYS_msgsnd, atoi(id), &msg, strlen(msg.text), block ? 0 : IPC_NOWAIT) < 0) {
		perror("msgsnd");
		return 1;
	}
	return 0;
}

static int msg_send_text(const char *id, const char *text)
{
	return msg_send(id, text, 0);
}

static int wait_until_killed(void)
{
	for (;;)
		pause();
	return 0;
}

/*
 * Say so (with a value, if any) and wait until killed. Once only: whoever
 * started us may have stopped reading, and a second line would kill us.
 */
static int ready(long value, int with_value)
{
	if (with_value)
		printf("ready %ld\n", value);
	else
		printf("ready\n");
	fflush(stdout);
	return wait_until_killed();
}

static int hold_fifo(const char *path, const char *how)
{
	int fd = open(path, (how[0] == 'w' ? O_WRONLY : O_RDONLY) | O_NONBLOCK);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	return ready(0, 0);
}

static int open_fifo(const char *path, const char *how)
{
	printf("ready\n");
	fflush(stdout);
	if (open(path, how[0] == 'w' ? O_WRONLY : O_RDONLY) < 0) {
		perror(path);
		return 1;
	}
	return wait_until_killed();
}

static int hold_posix_shm(const char *name, const char *size, const char *how)
{
	int fd = shm_open(name, O_RDWR, 0);
	void *addr;

	if (fd < 0) {
		perror(name);
		return 1;
	}
	if (strcmp(how, "map") == 0 || strcmp(how, "private") == 0) {
		addr = mmap(NULL, strtoul(size, NULL, 0), PROT_READ | PROT_WRITE,
			    how[0] == 'm' ? MAP_SHARED : MAP_PRIVATE, fd, 0);
		if (addr == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		close(fd);
	}
	return ready(0, 0);
}

static int hold_posix_sem(const char *name)
{
	if (sem_open(name, 0) == SEM_FAILED) {
		perror(name);
		return 1;
	}
	return ready(0, 0);
}

static int hold_posix_mq(const char *name, int notify)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	mqd_t mq = mq_open(name, O_RDONLY);

	if (mq == (mqd_t)-1 || (notify && mq_notify(mq, &ev) < 0)) {
		perror(name);
		return 1;
	}
	return ready((long)mq, 1);
}

static int make_shm(const char *size)
{
	int id = shmget(IPC_PRIVATE, strtoul(size, NULL, 0), IPC_CREAT | 0600);

	if (id < 0) {
		perror("shmget");
		return 1;
	}
	return ready(id, 1);
}

static int sem_op(const char *id, const char *num, const char *delta, int block)
{
	struct sembuf op = { .sem_num = atoi(num), .sem_op = atoi(delta) };

	if (block) {
		/* whoever started us waits until the kernel counts us as waiting */
		printf("ready\n");
		fflush(stdout);
	} else {
		op.sem_flg = IPC_NOWAIT;
	}
	if (semop(atoi(id), &op, 1) < 0) {
		perror("semop");
		return 1;
	}
	return block ? wait_until_killed() : ready(0, 0);
}

static int sem_setval(const char *id, const char *num, const char *value)
{
	if (semctl(atoi(id), atoi(num), SETVAL, atoi(value)) < 0) {
		perror("semctl");
		return 1;
	}
	return ready(0, 0);
}

static int msg_send_stay(const char *id, const char *text)
{
	if (msg_send_text(id, text))
		return 1;
	return ready(0, 0);
}

static int msg_recv(const char *id)
{
	struct {
		long type;
		char text[8192];
	} msg;

	printf("ready %ld\n", (long)SYS_msgrcv);
	fflush(stdout);
	/* the system call itself, so that /proc/PID/syscall names it */
	if (syscall(SYS_msgrcv, atoi(id), &msg, sizeof(msg.text), 0L, 0) < 0) {
		perror("msgrcv");
		return 1;
	}
	return wait_until_killed();
}

static int msg_send_wait(const char *id, const char *text)
{
	return msg_send(id, text, 1) ? 1 : wait_until_killed();
}

/*
 * fork() a child that keeps the descriptor keep and closes drop, while this
 * process closes keep. The child dies with us. Returns its pid once it holds
 * just its end.
 */
static pid_t fork_holder(int keep, int drop)
{
	pid_t parent = getpid(), pid;
	int sync[2];
	char c = 0;

	if (pipe(sync) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(drop);
		close(sync[0]);
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (pid < 0 || read(sync[0], &c, 1) != 1)
		pid = -1;
	close(sync[0]);
	close(keep);
	return pid;
}

static int hold_pipe(int forked)
{
	int fds[2];
	pid_t child;

	if (pipe(fds) < 0 || dup2(fds[0], 100) < 0 || dup2(fds[1], 101) < 0) {
		perror("pipe");
		return 1;
	}
	close(fds[0]);
	close(fds[1]);
	fds[0] = 100;
	fds[1] = 101;
	if (!forked)
		return ready(0, 0);
	child = fork_holder(fds[0], fds[1]);
	if (child < 0) {
		perror("fork");
		return 1;
	}
	return ready(child, 1);
}

/* fd -1: shared anonymous memory */
static int map_fd(int fd, const char *length)
{
	void *addr = mmap(NULL, strtoul(length, NULL, 0), PROT_READ | PROT_WRITE,
			  MAP_SHARED | (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);

	if (addr == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (fd >= 0)
		close(fd);
	return ready(0, 0);
}

/* No liburing: one ring, set up by hand, with its submission queue mapped */
static int map_io_uring(void)
{
	struct io_uring_params p = { 0 };
	int fd = (int)syscall(__NR_io_uring_setup, 1, &p);
	void *sq;

	if (fd < 0) {
		perror("io_uring_setup");
		return errno == ENOSYS || errno == EPERM ? 77 : 1;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	return ready(0, 0);
}

static int map_file(const char *path, const char *length)
{
	int fd = open(path, O_RDWR);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	return map_fd(fd, length);
}

static int map_memfd(const char *name, const char *length)
{
	int fd = memfd_create(name, 0);

	if (fd < 0 || ftruncate(fd, strtoul(length, NULL, 0)) < 0) {
		perror("memfd");
		return 1;
	}
	return map_fd(fd, length);
}

static int unix_listen(const char *path, const char *backlog, const char *nconn)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	/* a path of sizeof(sun_path) bytes fills it, with no NUL after it */
	if (strlen(path) > sizeof(addr.sun_path)) {
		fprintf(stderr, "%s: longer than sun_path\n", path);
		return 1;
	}
	memcpy(addr.sun_path, path, strlen(path));
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(s, atoi(backlog)) < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < atoi(nconn); i++) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
			perror("connect");
			return 1;
		}
	}
	return ready(0, 0);
}

static int unix_pair(const char *type, const char *nbytes, int forked)
{
	int sv[2], n = atoi(nbytes);
	int dgram = strcmp(type, "dgram") == 0;
	pid_t child;

	if (socketpair(AF_UNIX, dgram ? SOCK_DGRAM : SOCK_STREAM, 0, sv) < 0) {
		perror("socketpair");
		return 1;
	}
	for (int i = 0; i < (dgram ? n : n > 0); i++) {
		char buf[4096] = "";

		if (write(sv[0], buf, dgram ? 1 : (size_t)n) < 0) {
			perror("write");
			return 1;
		}
	}
	if (!forked)
		return ready(0, 0);
	child = fork_holder(sv[1], sv[0]);
	if (child < 0) {
		perror("fork");
		return 1;
	}
	return ready(child, 1);
}

static int sysv_chown(const char *kind, const char *id, const char *uid)
{
	int r = -1;

	if (strcmp(kind, "shm") == 0) {
		struct shmid_ds ds;

		if (shmctl(atoi(id), IPC_STAT, &ds) == 0) {
			ds.shm_perm.uid = atoi(uid);
			r = shmctl(atoi(id), IPC_SET, &ds);
		}
	} else if (strcmp(kind, "msg") == 0) {
		struct msqid_ds ds;

		if (msgctl(atoi(id), IPC_STAT, &ds) == 0) {
			ds.msg_perm.uid = atoi(uid);
			r = msgctl(atoi(id), IPC_SET, &ds);
		}
	} else if (strcmp(kind, "sem") == 0) {
		struct semid_ds ds;

		if (semctl(atoi(id), 0, IPC_STAT, &ds) == 0) {
			ds.sem_perm.uid = atoi(uid);
			r = semctl(atoi(id), 0, IPC_SET, &ds);
		}
	}
	if (r < 0) {
		perror(kind);
		return 1;
	}
	return 0;
}

static int run_command(int argc, char *argv[]);

struct thread_job {
	const char *how;
	pid_t main_pid;
	int argc;
	char **argv;
};

/* The main thread has exited: its process's status says Z(ombie) */
static void wait_main_exited(pid_t pid)
{
	char path[64], line[128];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	for (;;) {
		FILE *f = fopen(path, "r");
		int zombie = 0;

		while (f && fgets(line, sizeof(line), f))
			zombie |= strncmp(line, "State:\tZ", 8) == 0;
		if (f)
			fclose(f);
		if (zombie)
			return;
		usleep(10000);
	}
}

static void *thread_main(void *arg)
{
	struct thread_job *job = arg;

	if (strcmp(job->how, "own-files") == 0 && unshare(CLONE_FILES) < 0) {
		perror("unshare");
		exit(1);
	}
	if (strcmp(job->how, "own-net") == 0 && unshare(CLONE_NEWNET) < 0) {
		perror("unshare");
		exit(1);
	}
	if (strcmp(job->how, "main-exits") == 0)
		wait_main_exited(job->main_pid);
	exit(run_command(job->argc, job->argv));
}

static int in_thread(const char *how, int argc, char *argv[])
{
	static struct thread_job job;
	pthread_t t;

	job = (struct thread_job){ .how = how, .main_pid = getpid(), .argc = argc, .argv = argv };
	if (strcmp(how, "thread") != 0 && strcmp(how, "own-files") != 0 &&
	    strcmp(how, "own-net") != 0 && strcmp(how, "main-exits") != 0)
		return 2;
	if (pthread_create(&t, NULL, thread_main, &job) != 0) {
		perror("pthread_create");
		return 1;
	}
	if (strcmp(how, "main-exits") == 0)
		pthread_exit(NULL);
	return wait_until_killed();
}

int main(int argc, char *argv[])
{
	return run_command(argc, argv);
}

static int run_command(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "mq-attr") == 0 && argc == 3)
		return mq_attr(argv[2]);
	if (strcmp(cmd, "mq-send") == 0 && argc == 4)
		return mq_send_text(argv[2], argv[3]);
	if (strcmp(cmd, "sem-value") == 0 && argc == 3)
		return sem_value(argv[2]);
	if (strcmp(cmd, "msg-send") == 0 && argc == 4)
		return msg_send_text(argv[2], argv[3]);
	if (strcmp(cmd, "hold-fifo") == 0 && argc == 4)
		return hold_fifo(argv[2], argv[3]);
	if (strcmp(cmd, "open-fifo") == 0 && argc == 4)
		return open_fifo(argv[2], argv[3]);
	if (strcmp(cmd, "hold-posix-shm") == 0 && argc == 5)
		return hold_posix_shm(argv[2], argv[3], argv[4]);
	if (strcmp(cmd, "hold-posix-sem") == 0 && argc == 3)
		return hold_posix_sem(argv[2]);
	if (strcmp(cmd, "hold-posix-mq") == 0 && (argc == 3 || argc == 4))
		return hold_posix_mq(argv[2], argc == 4 && strcmp(argv[3], "notify") == 0);
	if (strcmp(cmd, "make-shm") == 0 && argc == 3)
		return make_shm(argv[2]);
	if (strcmp(cmd, "sem-op") == 0 && argc == 5)
		return sem_op(argv[2], argv[3], argv[4], 0);
	if (strcmp(cmd, "sem-setval") == 0 && argc == 5)
		return sem_setval(argv[2], argv[3], argv[4]);
	if (strcmp(cmd, "sem-wait") == 0 && argc == 4)
		return sem_op(argv[2], argv[3], "-1", 1);
	if (strcmp(cmd, "msg-send-stay") == 0 && argc == 4)
		return msg_send_stay(argv[2], argv[3]);
	if (strcmp(cmd, "msg-recv") == 0 && argc == 3)
		return msg_recv(argv[2]);
	if (strcmp(cmd, "msg-send-wait") == 0 && argc == 4)
		return msg_send_wait(argv[2], argv[3]);
	if (strcmp(cmd, "hold-pipe") == 0 && argc <= 3)
		return hold_pipe(argc == 3 && strcmp(argv[2], "fork") == 0);
	if (strcmp(cmd, "map-file") == 0 && argc == 4)
		return map_file(argv[2], argv[3]);
	if (strcmp(cmd, "map-memfd") == 0 && argc == 4)
		return map_memfd(argv[2], argv[3]);
	if (strcmp(cmd, "map-anon") == 0 && argc == 3)
		return map_fd(-1, argv[2]);
	if (strcmp(cmd, "map-io-uring") == 0 && argc == 2)
		return map_io_uring();
	if (strcmp(cmd, "unix-listen") == 0 && argc == 5)
		return unix_listen(argv[2], argv[3], argv[4]);
	if (strcmp(cmd, "unix-pair") == 0 && (argc == 4 || argc == 5))
		return unix_pair(argv[2], argv[3], argc == 5 && strcmp(argv[4], "fork") == 0);
	if (strcmp(cmd, "sysv-chown") == 0 && argc == 5)
		return sysv_chown(argv[2], argv[3], argv[4]);
	if (strcmp(cmd, "in-thread") == 0 && argc >= 4)
		return in_thread(argv[2], argc - 2, argv + 2);
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
