// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipcx --target PID: the command runs in the namespaces of another process,
 * a container's, and sees what the container sees.
 *
 * IPC namespace: the System V objects and the POSIX queues. Mount
 * namespace: its /dev/shm, /dev/mqueue, /proc and paths. Network
 * namespace: its abstract UNIX sockets. PID namespace: its /proc names no
 * process outside it, /proc/self included, so the command runs in a child
 * forked in there (as nsenter(1) does); the parent waits and exits as the
 * child does. The user namespace is left alone, so the caller keeps its
 * capabilities, but for those the container could take from the command
 * (see confine()).
 *
 * The container's files are not to be trusted: in its mount namespace, no
 * library may be loaded, since its code would run with our capabilities.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <grp.h>
#include <nss.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipcx-cmd.h"

/* In this order: the mount namespace last, as it changes what paths mean */
static const struct {
	const char *path;	/* in /proc/PID */
	int type;
} target_namespaces[] = {
	{ "ns/ipc", CLONE_NEWIPC },
	{ "ns/net", CLONE_NEWNET },
	{ "ns/pid", CLONE_NEWPID },
	{ "ns/mnt", CLONE_NEWNS },
};
#define NAMESPACE_COUNT (sizeof(target_namespaces) / sizeof(target_namespaces[0]))

/* What is read of the target before entering */
struct target {
	int ns[NAMESPACE_COUNT];	/* an fd per namespace, -1 if not open */
	uint64_t bounding_set;		/* its capability bounding set */
};

static volatile pid_t command_pid;

/* kill(2) is async-signal-safe; errno is the interrupted code's */
static void forward_signal(int sig)
{
	int saved = errno;

	kill(command_pid, sig);
	errno = saved;
}

/*
 * A signal meant for ipcx is meant for the command: a service manager's
 * SIGTERM, a closed terminal's SIGHUP, kill -INT. (^C reaches both through
 * the terminal: the command then has it twice, which ends it all the same.)
 * They are blocked from before the fork until the parent forwards them, and
 * in the child until it runs the command: none is lost in between.
 */
static void forwarded_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

static void forward_signals_to(pid_t child, const sigset_t *set)
{
	struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };

	command_pid = child;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(set, sig) == 1)
			sigaction(sig, &sa, NULL);
	}
	sigprocmask(SIG_UNBLOCK, set, NULL);
}

/*
 * Once in the target's namespaces, ipcx ends with _exit(): exit handlers
 * that start threads would start them in the target's PID namespace
 * (LeakSanitizer's tracer, which then never finds us, and spun forever in
 * CI). Nothing of the parent's is buffered but what stdout may hold.
 */
static _Noreturn void leave(int status)
{
	fflush(stdout);
	_exit(status);
}

/* The parent ends as the child did: with its status, or the signal that ended it raised again */
static _Noreturn void wait_child(pid_t child, const sigset_t *forwarded)
{
	siginfo_t info;
	sigset_t ended;
	int status;

	forward_signals_to(child, forwarded);
	/*
	 * The child is waited for unreaped, and reaped once no signal is
	 * forwarded any more: until then its pid is not another process's
	 */
	while (waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			print_error("cannot wait for the command: %s", strerror(errno));
			leave(EXIT_FAILED);
		}
	}
	sigprocmask(SIG_BLOCK, forwarded, NULL);
	if (waitpid(child, &status, 0) < 0) {
		print_error("cannot wait for the command: %s", strerror(errno));
		leave(EXIT_FAILED);
	}
	if (WIFEXITED(status))
		leave(WEXITSTATUS(status));
	signal(WTERMSIG(status), SIG_DFL);
	sigemptyset(&ended);
	sigaddset(&ended, WTERMSIG(status));
	sigprocmask(SIG_UNBLOCK, &ended, NULL);
	raise(WTERMSIG(status));
	leave(EXIT_FAILED);
}

/* CapBnd of /proc/PID/status: 0 or -errno (-ENODATA without one) */
static int read_bounding_set(int piddir, uint64_t *set)
{
	int fd = openat(piddir, "status", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[256];
	int r = -ENODATA;

	if (!f) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "CapBnd: %" SCNx64, set) == 1)
			r = 0;
	}
	fclose(f);
	return r;
}

/*
 * One fd per namespace, and the bounding set, all read through one /proc/PID
 * directory: it stays that process's even if the pid is reused meanwhile.
 * (pidfd_open and setns on a pidfd would do it in one call from Linux 5.8,
 * but valgrind and older kernels know neither.)
 */
static int open_target(const char *arg, int pid, struct target *t)
{
	char dir[32];
	int piddir, r = 0;

	for (size_t i = 0; i < NAMESPACE_COUNT; i++)
		t->ns[i] = -1;
	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	piddir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0) {
		print_error("--target %s: %s", arg, strerror(errno == ENOENT ? ESRCH : errno));
		return -1;
	}
	r = read_bounding_set(piddir, &t->bounding_set);
	if (r < 0)
		print_error("--target %s: cannot read its capabilities: %s", arg,
			    strerror(r == -ENOENT ? ESRCH : -r));
	for (size_t i = 0; r == 0 && i < NAMESPACE_COUNT; i++) {
		t->ns[i] = openat(piddir, target_namespaces[i].path, O_RDONLY | O_CLOEXEC);
		if (t->ns[i] < 0) {
			print_error("--target %s: cannot enter its namespaces: %s", arg,
				    strerror(errno == ENOENT ? ESRCH : errno));
			r = -1;
		}
	}
	close(piddir);
	return r < 0 ? -1 : 0;
}

static int enter_namespaces(const char *arg, int pid, struct target *t)
{
	int r = open_target(arg, pid, t);

	for (size_t i = 0; i < NAMESPACE_COUNT; i++) {
		if (r == 0 && setns(t->ns[i], target_namespaces[i].type) < 0) {
			print_error("--target %s: cannot enter its namespaces: %s", arg,
				    strerror(errno));
			r = -1;
		}
		if (t->ns[i] >= 0)
			close(t->ns[i]);
	}
	return r;
}

/*
 * Drops every capability not in @keep. The bounding set is left (dropping
 * from it takes CAP_SETPCAP): no_new_privs keeps an execve(), which ipcx
 * never does but a tracer could make it do, from gaining any back.
 */
static int keep_capabilities(uint64_t keep)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_capget, &head, data) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t kept = (uint32_t)(keep >> (32 * i));

		data[i].effective &= kept;
		data[i].permitted &= kept;
		data[i].inheritable &= kept;
	}
	if (syscall(SYS_capset, &head, data) < 0)
		return -1;
	/* (no ambient capabilities before Linux 4.3: none to clear) */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	return 0;
}

/*
 * The command runs in the container's PID namespace, where its processes
 * see it. One that may trace it (CAP_SYS_PTRACE; without it, a process may
 * not trace one with more capabilities than its own) could make it do
 * anything its capabilities allow: it keeps only those of the container's
 * bounding set, which the container could have anyway. Neither it nor ipcx
 * is dumped: a core file would go to the container's root. Done before the
 * fork, so that the command is confined from its first instant in there
 * (ipcx itself needs no capability once in: it waits and forwards signals).
 */
static int confine(const char *arg, const struct target *t)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if ((t->bounding_set & (UINT64_C(1) << CAP_SYS_PTRACE)) &&
	    keep_capabilities(t->bounding_set) < 0) {
		print_error("--target %s: cannot drop the capabilities its processes lack: %s", arg,
			    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The command ends with ipcx, SIGKILL included, rather than run on in
 * there. ipcx holds the write end of @ipcx_alive, never written: closed,
 * ipcx ended before the death signal was set. (getppid() cannot tell: ipcx
 * is out of sight in the container's PID namespace, and so is the process
 * that inherits the command.)
 */
static int die_with_ipcx(const char *arg, int ipcx_alive)
{
	struct pollfd pfd = { .fd = ipcx_alive, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		print_error("--target %s: cannot tie the command to ipcx: %s", arg, strerror(errno));
		return -1;
	}
	if (poll(&pfd, 1, 0) != 0) {
		print_error("--target %s: ipcx ended before its command started", arg);
		return -1;
	}
	close(ipcx_alive);
	return 0;
}

/*
 * The C library loads locale data when first used: error messages from
 * libc.mo, which names a character set whose converter (a gconv module) is
 * then loaded, and the converter of our own character set, for mbrtowc().
 * Messages stay untranslated, and the rest is loaded now, from our files;
 * the time zone too (tzfile), so that times are the host's.
 */
static void load_host_locale_data(void)
{
	mbstate_t state = { 0 };
	wchar_t wc;

	setlocale(LC_MESSAGES, "C");
	mbrtowc(&wc, "a", 1, &state);
	tzset();
}

/*
 * Before the container's files are ours: libproc2 is loaded now, and user
 * and group names come from its /etc/passwd and /etc/group read by glibc's
 * built-in files module, never through its nsswitch.conf, which would load
 * the container's libnss_* modules. (glibc reads nsswitch.conf no more once
 * a lookup is configured.)
 */
static int distrust_container_files(const char *arg)
{
	/*
	 * (If it cannot be loaded, it is never tried again: the commands that
	 * read processes fail in there, the others work.)
	 */
	ipcx_preload();
	load_host_locale_data();
	if (__nss_configure_lookup("passwd", "files") < 0 ||
	    __nss_configure_lookup("group", "files") < 0) {
		print_error("--target %s: cannot set up name lookups", arg);
		return -1;
	}
	/* before glibc 2.34, "files" is a module too (libnss_files.so.2): ours, loaded now */
	getpwuid(0);
	getgrgid(0);
	return 0;
}

/*
 * Enters the namespaces of process arg. Returns -1 in the child, which goes
 * on with the command, or an exit status for an error before entering; the
 * parent ends as its child does.
 */
int enter_target(const char *arg)
{
	int pid, rc = parse_pid_arg(arg, &pid), ipcx_alive[2];
	struct target target;
	sigset_t forwarded, caller_mask;
	pid_t child;

	if (rc)
		return rc;
	if (distrust_container_files(arg) < 0)
		return EXIT_FAILED;
	/* some namespaces may have been entered when this fails */
	if (enter_namespaces(arg, pid, &target) < 0 || confine(arg, &target) < 0)
		leave(EXIT_FAILED);
	if (pipe2(ipcx_alive, O_CLOEXEC) < 0) {
		print_error("--target %s: %s", arg, strerror(errno));
		leave(EXIT_FAILED);
	}
	/* buffered output belongs to one of the two */
	fflush(stdout);
	forwarded_signals(&forwarded);
	sigprocmask(SIG_BLOCK, &forwarded, &caller_mask);
	child = fork();
	if (child < 0) {
		print_error("--target %s: cannot fork: %s", arg, strerror(errno));
		leave(EXIT_FAILED);
	}
	if (child > 0) {
		close(ipcx_alive[0]);
		wait_child(child, &forwarded);
	}
	close(ipcx_alive[1]);
	if (die_with_ipcx(arg, ipcx_alive[0]) < 0)
		leave(EXIT_FAILED);
	sigprocmask(SIG_SETMASK, &caller_mask, NULL);
	return -1;
}
