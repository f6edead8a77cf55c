// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Whether the caller may remove an object, asked before removing it (for
 * rm --dry-run): the kernel's rules for IPC_RMID and for unlinking a file,
 * applied to what the scan read. Only the kernel's answer is final: the
 * object may change, and a capability of our user namespace may not count
 * for an IPC namespace that an ancestor's owns.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ipcx-private.h"

static bool has_capability(unsigned int cap)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &header, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

/* IPC_RMID: the owner, the creator, or CAP_SYS_ADMIN (see shmctl(2)) */
static int sysv_may_remove(const struct ipcx_obj *obj)
{
	uid_t euid = geteuid();

	if (euid == obj_val(obj, F_UID) || euid == obj_val(obj, F_CUID) ||
	    has_capability(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/*
 * unlink(2): write and search permission on the directory (EACCES), and in
 * a sticky one (/dev/shm, /dev/mqueue) owning the file or the directory,
 * or CAP_FOWNER (EPERM)
 */
/* The kernel refuses with EPERM; glibc's shm_unlink(), sem_unlink() and mq_unlink() say EACCES */
static int sticky_refusal(const struct ipcx_obj *obj)
{
	return obj->kind == IPCX_KIND_FIFO ? -EPERM : -EACCES;
}

static int sticky_allows(const struct ipcx_obj *obj, uid_t dir_owner)
{
	uid_t euid = geteuid();

	if (euid == obj_val(obj, F_UID) || euid == dir_owner || has_capability(CAP_FOWNER))
		return 0;
	return sticky_refusal(obj);
}

static int file_may_remove(const struct ipcx_obj *obj, const char *dir)
{
	struct stat st;

	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	return st.st_mode & S_ISVTX ? sticky_allows(obj, st.st_uid) : 0;
}

/* The directory a FIFO's path is in */
static int fifo_dir(const struct ipcx_obj *obj, char *buf, size_t size)
{
	const char *slash = obj->path ? strrchr(obj->path, '/') : NULL;

	if (!slash)
		return -EINVAL;
	if ((size_t)(slash - obj->path) + 2 > size)
		return -ENAMETOOLONG;
	if (slash == obj->path)
		slash++;	/* a FIFO in / */
	memcpy(buf, obj->path, (size_t)(slash - obj->path));
	buf[slash - obj->path] = '\0';
	return 0;
}

IPCX_EXPORT int ipcx_obj_check_remove(const struct ipcx_obj *obj)
{
	char dir[PATH_MAX];
	int r;

	if (!obj)
		return -EINVAL;
	switch (obj->kind) {
	case IPCX_KIND_SHM:
	case IPCX_KIND_SEM:
	case IPCX_KIND_MSG:
		return sysv_may_remove(obj);
	case IPCX_KIND_POSIX_SHM:
	case IPCX_KIND_POSIX_SEM:
		return file_may_remove(obj, DEV_SHM);
	case IPCX_KIND_POSIX_MQ:
		/* not mounted there, its root is the kernel's: root's, mode 1777 */
		return mq_fs_mounted() ? file_may_remove(obj, DEV_MQUEUE) : sticky_allows(obj, 0);
	case IPCX_KIND_FIFO:
		r = fifo_dir(obj, dir, sizeof(dir));
		return r < 0 ? r : file_may_remove(obj, dir);
	default:
		return -EOPNOTSUPP;
	}
}
