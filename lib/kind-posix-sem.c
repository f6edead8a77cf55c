// SPDX-License-Identifier: LGPL-2.1-or-later
/* POSIX named semaphores: /dev/shm/sem.NAME. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcx-private.h"

#define SEM_PREFIX "sem."

static bool is_sem_name(const char *name)
{
	return strncmp(name, SEM_PREFIX, strlen(SEM_PREFIX)) == 0 && name[strlen(SEM_PREFIX)];
}

/*
 * The value: sem_getvalue() of a copy of the very file that was listed (the
 * semaphore is all in the file; sem_open() would open the name again, maybe
 * a newer file, map it and keep it in a table of its own). A file of
 * another size is no semaphore.
 */
static int posix_sem_value(int fd, const struct stat *st, int *value)
{
	sem_t copy;
	ssize_t n;

	if (fd < 0)
		return -EACCES;
	if (st->st_size != (off_t)sizeof(sem_t))
		return -EBADMSG;
	n = pread(fd, &copy, sizeof(copy), 0);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(copy))
		return -EBADMSG;	/* truncated since the stat */
	return sem_getvalue(&copy, value) < 0 ? -errno : 0;
}

static int posix_sem_add(struct ipcx_list *list, int fd, const char *file,
			 const struct stat *st)
{
	struct ipcx_obj *obj = list_add(list, IPCX_KIND_POSIX_SEM);
	char name[NAME_MAX + 2] = "/";
	int value, r;

	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, st);
	r = posix_sem_value(fd, st, &value);
	if (r == 0)
		obj_set(obj, F_VALUE, (uint64_t)value);
	/*
	 * A file of another size has no value, but was read. (sem_open() makes
	 * one: its temporary file, empty for a moment, then linked to the name.)
	 */
	else if (r != -EBADMSG)
		obj->partial = true;
	strncat(name, file + strlen(SEM_PREFIX), NAME_MAX);
	return obj_set_text(obj, F_NAME, name);
}

static int posix_sem_scan(struct ipcx_list *list, unsigned int need)
{
	return scan_dir_files(list, DEV_SHM, DIR_SCAN_OPEN, is_sem_name, posix_sem_add);
}

/* What sem_unlink() does, but only to the semaphore listed: not one put in its place since */
static int posix_sem_remove(struct ipcx_obj *obj)
{
	char file[NAME_MAX + 1];

	snprintf(file, sizeof(file), SEM_PREFIX "%s", obj->name + 1);
	return remove_listed_file(DEV_SHM, file, obj);
}

static int posix_sem_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	char file[NAME_MAX + 1];
	sem_t *sem;

	/* "/name", as sem_open() takes it: the file is sem.name */
	if (!spec->name || spec->name[0] != '/' || !spec->name[1] || spec->value > SEM_VALUE_MAX)
		return -EINVAL;
	/*
	 * sem_open() makes a temporary file in /dev/shm before it finds the
	 * name taken: asking first leaves /dev/shm alone in the common case
	 */
	snprintf(file, sizeof(file), SEM_PREFIX "%s", spec->name + 1);
	if (check_regular_file(DEV_SHM, file) == 0)
		return -EEXIST;
	sem = sem_open(spec->name, O_CREAT | O_EXCL, spec->mode, spec->value);
	if (sem == SEM_FAILED)
		return -errno;
	sem_close(sem);
	return 0;
}

const struct kind_ops kind_posix_sem_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_NAME) | FIELD_BIT(F_VALUE),
	.procs = PROCS_MAPS | PROCS_FDS,
	.users = obj_add_file_users,
	.orphan_reason = posix_file_orphan_reason,
	.scan = posix_sem_scan,
	.remove = posix_sem_remove,
	.create = posix_sem_create,
};
