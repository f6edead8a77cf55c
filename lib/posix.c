// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the POSIX kinds share: their objects are files in a directory
 * (/dev/shm, the mqueue filesystem), read with stat and never followed
 * through a symlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcx-private.h"

void obj_set_stat(struct ipcx_obj *obj, const struct stat *st)
{
	obj_set(obj, F_UID, st->st_uid);
	obj_set(obj, F_GID, st->st_gid);
	obj_set(obj, F_MODE, st->st_mode & 0777);
	obj_set(obj, F_MTIME, (uint64_t)st->st_mtime);
	obj_set(obj, F_CTIME, (uint64_t)st->st_ctime);
	obj_set(obj, F_INODE, st->st_ino);
	obj_set(obj, F_DEV, st->st_dev);
}

/* The stat of an entry that is a regular file: 0, or -ENOENT (no object) */
static int stat_entry(int dfd, const char *name, struct stat *st)
{
	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st->st_mode))
		return -ENOENT;
	return 0;
}

/*
 * An entry opened, then the stat of what was opened: the fields and the
 * contents come from one file even if the name is replaced meanwhile, with
 * one system call less an object than a stat of the name before the open
 * and of the descriptor after.
 * Only an entry readdir saw as a regular file is opened (a FIFO's writers
 * would see a reader come and go, a device could act); O_NONBLOCK and
 * O_NOFOLLOW keep one put there since from blocking or redirecting us.
 * Without read permission, the stat alone (*fd -1).
 */
static int open_entry(int dfd, const struct dirent *de, struct stat *st, int *fd)
{
	*fd = -1;
	if (de->d_type == DT_UNKNOWN && stat_entry(dfd, de->d_name, st) < 0)
		return -ENOENT;
	if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
		return -ENOENT;
	*fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT || errno == ELOOP ? -ENOENT : stat_entry(dfd, de->d_name, st);
	if (fstat(*fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(*fd);
		*fd = -1;
		return -ENOENT;
	}
	return 0;
}

bool is_dot_or_dotdot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static int add_entry(struct ipcx_list *list, int dfd, const struct dirent *de,
		     enum dir_scan how, dir_entry_fn add)
{
	struct stat st;
	int fd = -1, r;

	if (how == DIR_SCAN_OPEN)
		r = open_entry(dfd, de, &st, &fd);
	else
		r = stat_entry(dfd, de->d_name, &st);
	/* vanished since readdir, or not a regular file: not an object */
	if (r < 0)
		return 0;
	r = add(list, fd, de->d_name, &st);
	if (fd >= 0)
		close(fd);
	return r;
}

int scan_dir_files(struct ipcx_list *list, const char *dir, enum dir_scan how,
		   bool (*keep)(const char *name), dir_entry_fn add)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		r = -errno;
		close(dfd);
		return r;
	}
	while (r == 0 && (de = readdir(d))) {
		/* "/.name" is a name like any other: only . and .. are not objects */
		if (!is_dot_or_dotdot(de->d_name) && keep(de->d_name))
			r = add_entry(list, dfd, de, how, add);
	}
	closedir(d);
	return r;
}

int remove_listed_file(const char *dir, const char *file, const struct ipcx_obj *obj)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), r = 0;
	struct stat st;

	if (dfd < 0)
		return -errno;
	if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode) || st.st_ino != obj_val(obj, F_INODE) ||
		 st.st_dev != obj_val(obj, F_DEV))
		r = -ESTALE;
	else if (unlinkat(dfd, file, 0) < 0)
		/* as shm_unlink() and sem_unlink() say another's file of the sticky /dev/shm */
		r = errno == EPERM ? -EACCES : -errno;
	close(dfd);
	return r;
}

int check_regular_file(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	if (lstat(path, &st) < 0)
		return -errno;
	return S_ISREG(st.st_mode) ? 0 : -ENOENT;
}

/* Longest name of the kind: the file name must fit NAME_MAX */
static size_t posix_name_max(unsigned int kind)
{
	return kind == IPCX_KIND_POSIX_SEM ? NAME_MAX - strlen("sem.") : NAME_MAX;
}

IPCX_EXPORT int ipcx_parse_posix_name(unsigned int kind, const char *s, char *buf, size_t size)
{
	size_t len;

	if (!s || !buf || (kind != IPCX_KIND_POSIX_SHM && kind != IPCX_KIND_POSIX_SEM &&
			   kind != IPCX_KIND_POSIX_MQ))
		return -EINVAL;
	/*
	 * "sem.name" is the file of the semaphore "/name"; "/sem.name" is the
	 * semaphore of that name (its file is sem.sem.name), as sem_open() has it
	 */
	if (*s == '/')
		s++;
	else if (kind == IPCX_KIND_POSIX_SEM && strncmp(s, "sem.", 4) == 0)
		s += 4;
	/* /dev/shm/sem.NAME is a semaphore's file: no shared memory object can have it */
	if (kind == IPCX_KIND_POSIX_SHM && strncmp(s, "sem.", 4) == 0)
		return -EINVAL;
	len = strlen(s);
	if (len == 0 || len > posix_name_max(kind) || strchr(s, '/') || is_dot_or_dotdot(s))
		return -EINVAL;
	if (len + 2 > size)
		return -ENAMETOOLONG;
	buf[0] = '/';
	memcpy(buf + 1, s, len + 1);
	return 0;
}

const char *posix_file_orphan_reason(const struct ipcx_obj *obj)
{
	return obj->nusers ? NULL : "not mapped or open";
}
