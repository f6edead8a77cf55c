// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Whether the caller may remove an object, asked before removing it (for
 * rm --dry-run): the kernel's rules for IPC_RMID and for unlinking a file,
 * applied to what the scan read. Only the kernel's answer is final: the
 * object may change meanwhile.
 *
 * A capability counts where the kernel counts it (cap_capable()): in the
 * user namespace the caller is in and those below it, not in one that an
 * ancestor owns, the IPC namespace of a rootless container's parent say;
 * and for a file only if the file's owner and group are mapped into the
 * caller's user namespace (capable_wrt_inode_uidgid()).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

static bool same_ns(int fd, const struct stat *ns)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_ino == ns->st_ino && st.st_dev == ns->st_dev;
}

/*
 * Whether the caller has cap in user namespace fd (which it closes): its
 * own, or one below it, walked up through NS_GET_PARENT, which refuses
 * (EPERM) to go above the caller's. The creator of a child namespace has
 * every capability in it.
 */
static bool capable_in_userns(int fd, unsigned int cap)
{
	struct stat own;
	bool capable = false;

	if (stat("/proc/thread-self/ns/user", &own) < 0) {
		close(fd);
		return false;
	}
	while (fd >= 0) {
		int parent;
		/* set: valgrind does not know that NS_GET_OWNER_UID writes it */
		uid_t owner = (uid_t)-1;

		if (same_ns(fd, &own)) {
			capable = has_capability(cap);
			break;
		}
		parent = ioctl(fd, NS_GET_PARENT);
		if (parent >= 0 && same_ns(parent, &own) &&
		    ioctl(fd, NS_GET_OWNER_UID, &owner) == 0 && owner == geteuid()) {
			close(parent);
			capable = true;
			break;
		}
		close(fd);
		fd = parent;
	}
	if (fd >= 0)
		close(fd);
	return capable;
}

/* cap in the user namespace that owns the caller's IPC namespace */
static bool capable_in_ipc_ns(unsigned int cap)
{
	int ipc = open("/proc/thread-self/ns/ipc", O_RDONLY | O_CLOEXEC);
	int owner = ipc < 0 ? -1 : ioctl(ipc, NS_GET_USERNS);
	int error = errno;

	if (ipc >= 0)
		close(ipc);
	/* without /proc or NS_GET_USERNS (Linux < 4.9): the caller's own, as before user namespaces */
	if (owner < 0)
		return ipc < 0 || error == ENOTTY ? has_capability(cap) : false;
	return capable_in_userns(owner, cap);
}

/* A number in /proc/sys/kernel, or fallback */
static unsigned long sysctl_value(const char *path, unsigned long fallback)
{
	FILE *f = fopen(path, "re");
	unsigned long v;

	if (!f)
		return fallback;
	if (fscanf(f, "%lu", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

/*
 * Whether an id that stat() gave is one of the caller's user namespace: an
 * unmapped one reads as the overflow id, which a map may hold too (then it
 * counts as mapped: the kernel's answer will tell)
 */
static bool id_mapped(unsigned long id, const char *overflow_path, const char *map_path)
{
	unsigned long inside, outside, count;
	bool mapped = false;
	FILE *f;

	if (id != sysctl_value(overflow_path, 65534))
		return true;
	f = fopen(map_path, "re");
	if (!f)
		return true;
	while (!mapped && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		mapped = id >= inside && id - inside < count;
	fclose(f);
	return mapped;
}

/* A uid the kernel read for the caller is the caller's: an unmapped one is nobody's */
static bool is_caller(uid_t euid, unsigned long uid)
{
	return euid == uid && id_mapped(uid, "/proc/sys/kernel/overflowuid", "/proc/self/uid_map");
}

/* IPC_RMID: the owner, the creator, or CAP_SYS_ADMIN (see shmctl(2)) */
static int sysv_may_remove(const struct ipcx_obj *obj)
{
	uid_t euid = geteuid();

	if (is_caller(euid, obj_val(obj, F_UID)) || is_caller(euid, obj_val(obj, F_CUID)) ||
	    capable_in_ipc_ns(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* CAP_FOWNER over a file: in the caller's user namespace, with the file's ids mapped */
static bool capable_wrt_file(const struct ipcx_obj *obj)
{
	return has_capability(CAP_FOWNER) &&
	       id_mapped(obj_val(obj, F_UID), "/proc/sys/kernel/overflowuid", "/proc/self/uid_map") &&
	       id_mapped(obj_val(obj, F_GID), "/proc/sys/kernel/overflowgid", "/proc/self/gid_map");
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

	if (is_caller(euid, obj_val(obj, F_UID)) || is_caller(euid, dir_owner) ||
	    capable_wrt_file(obj))
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
