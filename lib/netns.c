// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The network namespaces that processes are in, and entering them. A
 * netlink socket reports the namespace it was opened in, wherever its
 * opener goes afterwards, and setns() of CLONE_NEWNET moves the calling
 * thread alone: a thread of ipcx's own that enters a namespace and opens a
 * socket there gives a view of it, while the caller's threads stay where
 * they are.
 *
 * A namespace is found through the tasks in it, threads included: one
 * thread may have a namespace of its own (unshare() in that thread), and a
 * process whose main thread has exited has no ns/net of its own left.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcx-private.h"

static bool same_ns(const struct netns *ns, const struct stat *st)
{
	return ns->dev == st->st_dev && ns->ino == st->st_ino;
}

int netns_own(struct netns *ns)
{
	struct stat st;

	/* the calling thread's: it may be in another than the process */
	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return -errno;
	*ns = (struct netns){ .dev = st.st_dev, .ino = st.st_ino, .pid = getpid(), .tid = gettid() };
	return 0;
}

static pid_t pid_of(const char *name)
{
	char *end;
	long pid;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	errno = 0;
	pid = strtol(name, &end, 10);
	return *end || errno || pid > INT32_MAX ? 0 : (pid_t)pid;
}

static int add_task(struct netns_set *set, const struct stat *st, pid_t pid, pid_t tid)
{
	if (array_grow((void **)&set->ns, &set->alloc, set->n, sizeof(*set->ns)) < 0)
		return -ENOMEM;
	set->ns[set->n++] = (struct netns){ .dev = st->st_dev, .ino = st->st_ino,
					    .pid = pid, .tid = tid };
	return 0;
}

/*
 * The tasks of one process. One whose ns/net we may not read (another
 * user's, without CAP_SYS_PTRACE) is passed over: the namespace of its
 * sockets stays unknown.
 */
static int add_process(struct netns_set *set, int proc, pid_t pid)
{
	char path[48];
	int fd, r = 0;
	DIR *tasks;
	struct dirent *de;

	snprintf(path, sizeof(path), "%d/task", (int)pid);
	fd = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	tasks = fd < 0 ? NULL : fdopendir(fd);
	if (!tasks) {
		r = fd < 0 && (errno == ENOENT || errno == ESRCH) ? 0 : -errno;	/* gone: 0 */
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (de = readdir(tasks))) {
		pid_t tid = pid_of(de->d_name);
		struct stat st;

		if (!tid)
			continue;
		snprintf(path, sizeof(path), "%d/ns/net", (int)tid);
		if (fstatat(dirfd(tasks), path, &st, 0) == 0)
			r = add_task(set, &st, pid, tid);
	}
	closedir(tasks);
	return r;
}

static int compare_ns(const void *a, const void *b)
{
	const struct netns *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

int netns_of_tasks(struct netns_set *set)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	int r = 0;

	if (!proc)
		return -errno;
	while (r == 0 && (de = readdir(proc))) {
		pid_t pid = pid_of(de->d_name);

		if (pid)
			r = add_process(set, dirfd(proc), pid);
	}
	closedir(proc);
	if (r == 0 && set->n)
		qsort(set->ns, set->n, sizeof(*set->ns), compare_ns);
	return r;
}

size_t netns_group_end(const struct netns_set *set, size_t first)
{
	size_t end = first + 1;

	while (end < set->n && compare_ns(&set->ns[first], &set->ns[end]) == 0)
		end++;
	return end;
}

void netns_set_free(struct netns_set *set)
{
	free(set->ns);
	*set = (struct netns_set){ 0 };
}

/*
 * The calling thread into the namespace of task ns->tid, if that still is
 * ns: -ESRCH when the task has gone, or left the namespace (or its id is
 * another task's now).
 */
int netns_enter(const struct netns *ns)
{
	char path[64];
	struct stat st;
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/net", (int)ns->pid, (int)ns->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ESRCH : -errno;
	if (fstat(fd, &st) < 0 || !same_ns(ns, &st))
		r = -ESRCH;
	else if (setns(fd, CLONE_NEWNET) < 0)
		r = -errno;
	close(fd);
	return r;
}

int netns_enter_group(const struct netns_set *set, size_t first, size_t end)
{
	int r = -ESRCH;

	/* the first task may have gone since the namespaces were read while others are there */
	for (size_t i = first; r == -ESRCH && i < end; i++)
		r = netns_enter(&set->ns[i]);
	return r;
}
