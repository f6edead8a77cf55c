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
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipcx-cmd.h"

#define TARGET_NAMESPACES (CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID)

/* The parent's exit status: the child's, or the signal that ended it raised again */
static int wait_child(pid_t child)
{
	int status;

	/* ^C and ^\ reach the child through the terminal: only it decides */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			print_error("cannot wait for the command: %s", strerror(errno));
			return EXIT_FAILED;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	signal(WTERMSIG(status), SIG_DFL);
	raise(WTERMSIG(status));
	return EXIT_FAILED;
}

/*
 * Enters the namespaces of process arg. Returns -1 in the child, which goes
 * on with the command, or the exit status the caller ends with: the child's
 * in the parent, or an error's.
 */
int enter_target(const char *arg)
{
	int pid, pidfd, rc = parse_pid_arg(arg, &pid);
	pid_t child;

	if (rc)
		return rc;
	/* one pidfd for all of them: the same process even if pid is reused meanwhile */
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		print_error("--target %s: %s", arg, strerror(errno));
		return EXIT_FAILED;
	}
	/*
	 * libproc2 from the host, not the container's file run as us; if it
	 * cannot be loaded, commands that read processes fail in there too
	 */
	ipcx_preload();
	rc = setns(pidfd, TARGET_NAMESPACES);
	if (rc < 0)
		print_error("--target %s: cannot enter its namespaces: %s", arg, strerror(errno));
	close(pidfd);
	if (rc < 0)
		return EXIT_FAILED;
	/* buffered output belongs to one of the two */
	fflush(stdout);
	child = fork();
	if (child < 0) {
		print_error("--target %s: cannot fork: %s", arg, strerror(errno));
		return EXIT_FAILED;
	}
	return child == 0 ? -1 : wait_child(child);
}
