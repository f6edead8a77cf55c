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

int scan_dir_files(struct ipcx_list *list, const char *dir,
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
		struct stat st;

		if (de->d_name[0] == '.' || !keep(de->d_name))
			continue;
		/* vanished since readdir, or not a regular file: not an object */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		r = add(list, dfd, de->d_name, &st);
	}
	closedir(d);
	return r;
}

int still_same_file(int fd, const struct stat *st)
{
	struct stat now;

	if (fstat(fd, &now) < 0)
		return -errno;
	return now.st_ino == st->st_ino ? 0 : -ENOENT;
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

	if (!s || !buf)
		return -EINVAL;
	if (*s == '/')
		s++;
	if (kind == IPCX_KIND_POSIX_SEM && strncmp(s, "sem.", 4) == 0)
		s += 4;
	/* /dev/shm/sem.NAME is a semaphore's file: no shared memory object can have it */
	if (kind == IPCX_KIND_POSIX_SHM && strncmp(s, "sem.", 4) == 0)
		return -EINVAL;
	len = strlen(s);
	if (len == 0 || len > posix_name_max(kind) || strchr(s, '/') ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
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
