// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The network namespaces that processes are in, and netlink sockets opened
 * in them. A netlink socket reports the namespace it was opened in, for as
 * long as it lives, wherever its opener goes afterwards: a thread that
 * joins a namespace (setns() of CLONE_NEWNET moves that thread alone) and
 * opens one there gives the caller a view of the namespace, and ends. The
 * caller's own threads never leave its namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libmnl/libmnl.h>

#include "ipcx-private.h"

static bool same_ns(const struct netns *ns, const struct stat *st)
{
	return ns->dev == st->st_dev && ns->ino == st->st_ino;
}

static int netns_add(struct netns_set *set, const struct stat *st, pid_t pid)
{
	for (size_t i = 0; i < set->n; i++) {
		if (same_ns(&set->ns[i], st))
			return 0;
	}
	if (array_grow((void **)&set->ns, &set->alloc, set->n, sizeof(*set->ns)) < 0)
		return -ENOMEM;
	set->ns[set->n++] = (struct netns){ .dev = st->st_dev, .ino = st->st_ino, .pid = pid };
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

int netns_own(struct netns *ns)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0)
		return -errno;
	*ns = (struct netns){ .dev = st.st_dev, .ino = st.st_ino, .pid = getpid() };
	return 0;
}

/*
 * Each namespace once, with the first process seen in it. A process whose
 * ns/net we may not read (another user's, without CAP_SYS_PTRACE) is
 * passed over: its sockets are out of reach whatever its namespace.
 */
int netns_of_processes(struct netns_set *set)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	int r = 0;

	if (!proc)
		return -errno;
	while (r == 0 && (de = readdir(proc))) {
		pid_t pid = pid_of(de->d_name);
		char path[32];
		struct stat st;

		snprintf(path, sizeof(path), "%d/ns/net", (int)pid);
		if (pid && fstatat(dirfd(proc), path, &st, 0) == 0)
			r = netns_add(set, &st, pid);
	}
	closedir(proc);
	return r;
}

void netns_set_free(struct netns_set *set)
{
	free(set->ns);
	*set = (struct netns_set){ 0 };
}

struct netns_opener {
	int nsfd;
	int bus;
	struct mnl_socket *nl;
	int r;
};

static void *open_in_netns(void *data)
{
	struct netns_opener *o = data;

	if (setns(o->nsfd, CLONE_NEWNET) < 0)
		o->r = -errno;
	else if (!(o->nl = mnl_socket_open2(o->bus, SOCK_CLOEXEC)))
		o->r = -errno;
	return NULL;
}

/*
 * A netlink socket of the given bus in namespace ns: -ESRCH when its
 * process has gone and its pid leads elsewhere now, -EPERM without
 * CAP_SYS_ADMIN over the namespace.
 */
int netns_mnl_open(const struct netns *ns, int bus, struct mnl_socket **ret)
{
	struct netns_opener o = { .bus = bus };
	char path[40];
	pthread_t thread;
	struct stat st;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->pid);
	o.nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (o.nsfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (fstat(o.nsfd, &st) < 0 || !same_ns(ns, &st)) {
		close(o.nsfd);
		return -ESRCH;
	}
	r = pthread_create(&thread, NULL, open_in_netns, &o);
	if (r == 0) {
		pthread_join(thread, NULL);
		r = o.r;
	} else {
		r = -r;
	}
	close(o.nsfd);
	*ret = o.nl;
	return r;
}
