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
 * capabilities.
 *
 * The container's files are not to be trusted: in its mount namespace, no
 * library may be loaded, since its code would run with our capabilities.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <nss.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
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

/* The parent's exit status: the child's, or the signal that ended it raised again */
static int wait_child(pid_t child, const sigset_t *forwarded)
{
	int status;

	forward_signals_to(child, forwarded);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			print_error("cannot wait for the command: %s", strerror(errno));
			return EXIT_FAILED;
		}
	}
	/*
	 * _exit: the parent has nothing buffered, and exit handlers that start
	 * threads would start them in the target's PID namespace (LeakSanitizer's
	 * tracer, which then never finds us, and spun forever in CI)
	 */
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	signal(WTERMSIG(status), SIG_DFL);
	raise(WTERMSIG(status));
	_exit(EXIT_FAILED);
}

/*
 * One fd per namespace, all opened through one /proc/PID directory: it
 * stays that process's even if the pid is reused meanwhile. (pidfd_open
 * and setns on a pidfd would do it in one call from Linux 5.8, but
 * valgrind and older kernels know neither.)
 */
static int open_namespaces(const char *arg, int pid, int fds[NAMESPACE_COUNT])
{
	char dir[32];
	int piddir, r = 0;

	for (size_t i = 0; i < NAMESPACE_COUNT; i++)
		fds[i] = -1;
	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	piddir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0) {
		print_error("--target %s: %s", arg, strerror(errno == ENOENT ? ESRCH : errno));
		return -1;
	}
	for (size_t i = 0; r == 0 && i < NAMESPACE_COUNT; i++) {
		fds[i] = openat(piddir, target_namespaces[i].path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			print_error("--target %s: cannot enter its namespaces: %s", arg,
				    strerror(errno == ENOENT ? ESRCH : errno));
			r = -1;
		}
	}
	close(piddir);
	return r;
}

static int enter_namespaces(const char *arg, int pid)
{
	int fds[NAMESPACE_COUNT], r = open_namespaces(arg, pid, fds);

	for (size_t i = 0; i < NAMESPACE_COUNT; i++) {
		if (r == 0 && setns(fds[i], target_namespaces[i].type) < 0) {
			print_error("--target %s: cannot enter its namespaces: %s", arg,
				    strerror(errno));
			r = -1;
		}
		if (fds[i] >= 0)
			close(fds[i]);
	}
	return r;
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
		print_error("--target %s: cannot set up name lookups: %s", arg, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Enters the namespaces of process arg. Returns -1 in the child, which goes
 * on with the command, or the exit status the caller ends with: the child's
 * in the parent, or an error's.
 */
int enter_target(const char *arg)
{
	int pid, rc = parse_pid_arg(arg, &pid);
	sigset_t forwarded;
	pid_t child;

	if (rc)
		return rc;
	if (distrust_container_files(arg) < 0 || enter_namespaces(arg, pid) < 0)
		return EXIT_FAILED;
	/* buffered output belongs to one of the two */
	fflush(stdout);
	forwarded_signals(&forwarded);
	sigprocmask(SIG_BLOCK, &forwarded, NULL);
	child = fork();
	if (child < 0) {
		print_error("--target %s: cannot fork: %s", arg, strerror(errno));
		return EXIT_FAILED;
	}
	if (child > 0)
		return wait_child(child, &forwarded);
	sigprocmask(SIG_UNBLOCK, &forwarded, NULL);
	return -1;
}
