// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * POSIX message queues of this IPC namespace, read from the mqueue
 * filesystem. Where none is mounted at /dev/mqueue, a short-lived child
 * mounts one in a mount namespace of its own and sends the objects back:
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
#include <sys/wait.h>
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

/*
 * The objects go through a pipe as: present, values (the slots of the kind),
 * partial, name length, name
 */
static size_t obj_vals_size(const struct ipcx_obj *obj)
{
	return (size_t)__builtin_popcountll(obj->slots) * sizeof(*obj->vals);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_objects(int fd, const struct ipcx_list *list)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < list->n; i++) {
		const struct ipcx_obj *obj = &list->objs[i];
		uint32_t len = (uint32_t)strlen(obj->name);
		uint8_t partial = obj->partial;

		r = write_all(fd, &obj->present, sizeof(obj->present));
		if (r == 0)
			r = write_all(fd, obj->vals, obj_vals_size(obj));
		if (r == 0)
			r = write_all(fd, &partial, sizeof(partial));
		if (r == 0)
			r = write_all(fd, &len, sizeof(len));
		if (r == 0)
			r = write_all(fd, obj->name, len);
	}
	return r;
}

/*
 * The child's last bytes, written only when it has sent every queue: the
 * parent cannot always learn its exit status (a caller that ignores SIGCHLD,
 * or reaps children in a handler, leaves waitpid() nothing but ECHILD).
 */
static const char stream_end[4] = { 'I', 'P', 'C', 'X' };

/* In the child: a private mount of this IPC namespace's queues */
static int child_scan(struct ipcx_ctx *ctx, int fd)
{
	struct ipcx_list tmp = { .ctx = ctx };
	struct stat st;
	const char *mnt = stat(DEV_MQUEUE, &st) == 0 && S_ISDIR(st.st_mode) ? DEV_MQUEUE : "/tmp";
	int r;

	if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("mqueue", mnt, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -ENOMEDIUM;
	r = mq_scan_dir(&tmp, mnt);
	if (r == 0)
		r = send_objects(fd, &tmp);
	if (r == 0)
		r = write_all(fd, stream_end, sizeof(stream_end));
	return r;
}

/* One object from the child's bytes; advances *p, false at a short record */
static bool take(const char **p, const char *end, void *out, size_t len)
{
	if ((size_t)(end - *p) < len)
		return false;
	memcpy(out, *p, len);
	*p += len;
	return true;
}

static int receive_objects(struct ipcx_list *list, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		struct ipcx_obj *obj = list_add(list, IPCX_KIND_POSIX_MQ);
		char name[NAME_MAX + 2];
		uint8_t partial;
		uint32_t n;

		if (!obj)
			return -ENOMEM;
		if (!take(&p, end, &obj->present, sizeof(obj->present)) ||
		    !take(&p, end, obj->vals, obj_vals_size(obj)) ||
		    !take(&p, end, &partial, sizeof(partial)) ||
		    !take(&p, end, &n, sizeof(n)) || n > NAME_MAX + 1 ||
		    !take(&p, end, name, n)) {
			list_drop_last(list);
			return -EBADMSG;
		}
		name[n] = '\0';
		obj->partial = partial;
		obj->present &= ~FIELD_BIT(F_NAME);
		if (obj_set_text(obj, F_NAME, name) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The child sent every queue: its stream ends so (cut off, len is the rest) */
static bool stream_complete(const char *buf, size_t *len)
{
	if (*len < sizeof(stream_end) ||
	    memcmp(buf + *len - sizeof(stream_end), stream_end, sizeof(stream_end)) != 0)
		return false;
	*len -= sizeof(stream_end);
	return true;
}

static int mq_scan_private_mount(struct ipcx_list *list)
{
	char *buf = NULL;
	size_t len = 0;
	int pfd[2], r;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return r;
	}
	if (pid == 0) {
		close(pfd[0]);
		_exit(child_scan(list->ctx, pfd[1]) < 0 ? 1 : 0);
	}
	close(pfd[1]);
	r = read_fd(pfd[0], &buf, &len);
	close(pfd[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !stream_complete(buf, &len))
		r = -ENOMEDIUM;
	if (r == 0)
		r = receive_objects(list, buf, len);
	free(buf);
	return r;
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

static int mq_remove(struct ipcx_obj *obj)
{
	return mq_unlink(obj->name) < 0 ? -errno : 0;
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
