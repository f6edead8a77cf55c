// SPDX-License-Identifier: LGPL-2.1-or-later
/* POSIX named semaphores: /dev/shm/sem.NAME. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ipcx-private.h"

#define SEM_PREFIX "sem."

static bool is_sem_name(const char *name)
{
	return strncmp(name, SEM_PREFIX, strlen(SEM_PREFIX)) == 0 && name[strlen(SEM_PREFIX)];
}

/*
 * The value through sem_open()/sem_getvalue(), which only read it. A file of
 * another size is no semaphore: mapping it could fault (SIGBUS).
 */
static int posix_sem_value(const char *name, const struct stat *st, int *value)
{
	sem_t *sem;
	int r = 0;

	if (st->st_size != (off_t)sizeof(sem_t))
		return -EBADMSG;
	sem = sem_open(name, 0);
	if (sem == SEM_FAILED)
		return -errno;
	if (sem_getvalue(sem, value) < 0)
		r = -errno;
	sem_close(sem);
	return r;
}

static int posix_sem_add(struct ipcx_list *list, int dirfd, const char *file,
			 const struct stat *st)
{
	struct ipcx_obj *obj = list_add(list, IPCX_KIND_POSIX_SEM);
	char name[NAME_MAX + 2] = "/";
	int value;

	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, st);
	strncat(name, file + strlen(SEM_PREFIX), NAME_MAX);
	if (posix_sem_value(name, st, &value) == 0)
		obj_set(obj, F_VALUE, (uint64_t)value);
	else
		obj->partial = true;
	return obj_set_text(obj, F_NAME, name);
}

static int posix_sem_scan(struct ipcx_list *list, unsigned int need)
{
	return scan_dir_files(list, DEV_SHM, is_sem_name, posix_sem_add);
}

static int posix_sem_remove(struct ipcx_obj *obj)
{
	char file[NAME_MAX + 1];
	int r;

	snprintf(file, sizeof(file), SEM_PREFIX "%s", obj->name + 1);
	r = check_regular_file(DEV_SHM, file);
	if (r < 0)
		return r;
	return sem_unlink(obj->name) < 0 ? -errno : 0;
}

static int posix_sem_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	sem_t *sem;

	if (!spec->name || spec->value > SEM_VALUE_MAX)
		return -EINVAL;
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
