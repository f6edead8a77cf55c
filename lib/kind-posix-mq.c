// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * POSIX message queues of this IPC namespace, read from the mqueue
 * filesystem. Where none is mounted at /dev/mqueue, a short-lived thread
 * mounts one in a mount namespace of its own and reads the queues there:
 * nothing is ever mounted in the caller's namespace.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ipcx-private.h"

#define MQUEUE_MAGIC 0x19800202

static bool any_name(const char *name)
{
	return true;
}

/* QSIZE and NOTIFY_PID from the queue's file: reading it takes no message */
static int mq_read_info(struct ipcx_obj *obj, int fd)
{
	char text[256];
	uint64_t qsize, notify_pid;
	ssize_t n = read(fd, text, sizeof(text) - 1);

	if (n < 0)
		return -errno;
	text[n] = '\0';
	if (mqueue_info_parse(text, &qsize, &notify_pid) < 0)
		return -EBADMSG;
	obj_set(obj, F_SIZE, qsize);
	obj_set(obj, F_NOTIFY_PID, notify_pid);	/* 0: nobody asked to be notified */
	return 0;
}

/*
 * The attributes. A queue's file opened in the mqueue file system is a queue
 * descriptor (the kernel gives both the same file operations), so this needs
 * no mq_open() of the name, which could find a newer queue.
 */
static int mq_read_attr(struct ipcx_obj *obj, int fd)
{
	struct mq_attr attr;

	if (mq_getattr(fd, &attr) < 0)
		return -errno;
	obj_set(obj, F_MESSAGES, (uint64_t)attr.mq_curmsgs);
	obj_set(obj, F_MAXMSG, (uint64_t)attr.mq_maxmsg);
	obj_set(obj, F_MSGSIZE, (uint64_t)attr.mq_msgsize);
	return 0;
}

/* Both, through one read-only descriptor of the file that was listed */
static int mq_add(struct ipcx_list *list, int fd, const char *file, const struct stat *st)
{
	struct ipcx_obj *obj = list_add(list, IPCX_KIND_POSIX_MQ);
	char name[NAME_MAX + 2] = "/";
	int info, attr;

	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, st);
	strncat(name, file, NAME_MAX);
	if (fd < 0) {
		obj->partial = true;
	} else {
		info = mq_read_info(obj, fd);
		attr = mq_read_attr(obj, fd);
		obj->partial = info < 0 || attr < 0;
	}
	return obj_set_text(obj, F_NAME, name);
}

static int mq_scan_dir(struct ipcx_list *list, const char *dir)
{
	return scan_dir_files(list, dir, DIR_SCAN_OPEN, any_name, mq_add);
}

/* A scan in a thread of its own, and what came of it */
struct own_mount_scan {
	struct ipcx_list *list;
	int r;
};

/*
 * In a thread whose mount namespace is its own (unshare() of a thread
 * unshares it for that thread alone): a private mount of this IPC
 * namespace's queues. The namespace, and the mount with it, is gone when
 * the thread ends. Not a child process: a fork() copies what the other
 * threads hold at that moment, for the child to leave behind.
 */
static void scan_own_mount(void *data)
{
	struct own_mount_scan *scan = data;
	struct stat st;
	const char *mnt = stat(DEV_MQUEUE, &st) == 0 && S_ISDIR(st.st_mode) ? DEV_MQUEUE : "/tmp";

	if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("mqueue", mnt, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		scan->r = -ENOMEDIUM;
	else
		scan->r = mq_scan_dir(scan->list, mnt);
}

static int mq_scan_private_mount(struct ipcx_list *list)
{
	/* until the thread says otherwise: a seccomp filter may end it at unshare() */
	struct own_mount_scan scan = { .list = list, .r = -ENOMEDIUM };
	int r = thread_run(scan_own_mount, &scan);

	return r < 0 ? r : scan.r;
}

int mq_default(const char *default_path, const char *max_path, uint64_t *v)
{
	uint64_t max;
	int r = read_sysctl_u64(default_path, v);

	/* the kernel caps the default by the maximum (mqueue_get_tree_ns) */
	if (r == 0 && read_sysctl_u64(max_path, &max) == 0 && max < *v)
		*v = max;
	return r;
}

bool mq_fs_mounted(void)
{
	struct statfs sfs;

	return statfs(DEV_MQUEUE, &sfs) == 0 && sfs.f_type == MQUEUE_MAGIC;
}

/*
 * What mq_open() of one queue listed in DEV_MQUEUE says of the mount: 1 the
 * queue is there too, on the mount's device (ours); 0 it is not, though
 * still listed (another namespace's); -1 nothing learnt (gone meanwhile,
 * or not ours to open)
 */
static int mq_mount_test(int dfd, const struct stat *mount, const char *file)
{
	char name[NAME_MAX + 2];
	struct stat st;
	mqd_t q;
	int ours;

	snprintf(name, sizeof(name), "/%s", file);
	q = mq_open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (q == (mqd_t)-1)
		return errno == ENOENT && fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : -1;
	ours = fstat(q, &st) == 0 && st.st_dev == mount->st_dev;
	mq_close(q);
	return ours;
}

/*
 * DEV_MQUEUE may be the mount of another IPC namespace (the parent's, after
 * unshare --ipc without a new mount), whose queues mq_open() does not see.
 * 1: a queue there is ours (mq_open() finds it on the mount's device); 0:
 * one listed there is not (mq_open() does not find it); -1: nothing tells,
 * as when the mount is empty (systemd mounts one on every host).
 */
static int mq_mount_owner(void)
{
	int dfd = open(DEV_MQUEUE, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	struct stat mount;
	int ours = -1;
	DIR *d;

	if (dfd < 0 || fstat(dfd, &mount) < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while (ours < 0 && (de = readdir(d))) {
		if (!is_dot_or_dotdot(de->d_name))
			ours = mq_mount_test(dirfd(d), &mount, de->d_name);
	}
	closedir(d);
	return ours;
}

/*
 * Where nothing tells whose DEV_MQUEUE is, a private mount is sure; one who
 * may not mount (a user) gets DEV_MQUEUE read as ours, the likelier guess.
 */
static int mq_scan(struct ipcx_list *list, unsigned int need)
{
	int ours = mq_fs_mounted() ? mq_mount_owner() : 0;
	int r;

	if (ours == 1)
		return mq_scan_dir(list, DEV_MQUEUE);
	r = mq_scan_private_mount(list);
	if (r == -ENOMEDIUM && ours < 0)
		r = mq_scan_dir(list, DEV_MQUEUE);
	return r;
}

/*
 * Only the queue listed, not one made under its name since: its inode,
 * through a descriptor of the queue itself (mq_open() looks in the IPC
 * namespace's own mqueue file system, wherever /dev/mqueue leads). A queue
 * the caller may not open (no read permission) is removed as named.
 */
static int mq_remove(struct ipcx_obj *obj)
{
	mqd_t mq = mq_open(obj->name, O_RDONLY | O_NONBLOCK);
	struct stat st;
	int r = 0;

	if (mq == (mqd_t)-1 && errno != EACCES)
		return -errno;	/* gone (ENOENT), or no descriptor to check with */
	if (mq != (mqd_t)-1) {
		if (fstat(mq, &st) < 0)
			r = -errno;
		else if (st.st_ino != obj_val(obj, F_INODE) || st.st_dev != obj_val(obj, F_DEV))
			r = -ESTALE;
		mq_close(mq);
	}
	if (r == 0 && mq_unlink(obj->name) < 0)
		r = -errno;
	return r;
}

static int mq_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	struct mq_attr attr = { .mq_maxmsg = spec->max_msgs, .mq_msgsize = spec->msg_size };
	bool defaults = !spec->max_msgs && !spec->msg_size;
	mqd_t mq;

	if (!spec->name || spec->max_msgs < 0 || spec->msg_size < 0)
		return -EINVAL;
	/* mq_open() takes both attributes or neither: fill the other from the system default */
	if (!defaults && (!attr.mq_maxmsg || !attr.mq_msgsize)) {
		uint64_t v;

		if (!attr.mq_maxmsg && mq_default(MQ_MSG_DEFAULT, MQ_MSG_MAX, &v) == 0)
			attr.mq_maxmsg = (long)v;
		if (!attr.mq_msgsize && mq_default(MQ_MSGSIZE_DEFAULT, MQ_MSGSIZE_MAX, &v) == 0)
			attr.mq_msgsize = (long)v;
	}
	mq = mq_open(spec->name, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     spec->mode, defaults ? NULL : &attr);
	if (mq == (mqd_t)-1)
		return -errno;
	mq_close(mq);
	return 0;
}

/* Who holds it open, and the process registered for notification */
static int mq_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	int r = obj_add_file_users(obj, idx);

	if (r == 0 && obj_has(obj, F_NOTIFY_PID) && obj_val(obj, F_NOTIFY_PID))
		r = obj_add_pid_user(obj, idx, (pid_t)obj_val(obj, F_NOTIFY_PID), 0, IPCX_USE_NOTIFY);
	return r;
}

static const char *mq_orphan_reason(const struct ipcx_obj *obj)
{
	return obj->nusers ? NULL : "not open, no notifier";
}

const struct kind_ops kind_posix_mq_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_NAME) | FIELD_BIT(F_SIZE) | FIELD_BIT(F_MESSAGES) |
		  FIELD_BIT(F_MAXMSG) | FIELD_BIT(F_MSGSIZE) | FIELD_BIT(F_NOTIFY_PID),
	.scan = mq_scan,
	.remove = mq_remove,
	.create = mq_create,
	.procs = PROCS_FDS,
	.users = mq_users,
	.orphan_reason = mq_orphan_reason,
};
