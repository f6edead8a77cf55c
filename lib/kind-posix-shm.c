// SPDX-License-Identifier: LGPL-2.1-or-later
/* POSIX shared memory: the regular files of /dev/shm but for semaphores. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcx-private.h"

static bool is_shm_name(const char *name)
{
	return strncmp(name, "sem.", 4) != 0;
}

static int posix_shm_add(struct ipcx_list *list, int fd, const char *name,
			 const struct stat *st)
{
	struct ipcx_obj *obj = list_add(list, IPCX_KIND_POSIX_SHM);
	char full[NAME_MAX + 2] = "/";

	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, st);
	obj_set(obj, F_SIZE, (uint64_t)st->st_size);
	strncat(full, name, NAME_MAX);
	return obj_set_text(obj, F_NAME, full);
}

static int posix_shm_scan(struct ipcx_list *list, unsigned int need)
{
	return scan_dir_files(list, DEV_SHM, DIR_SCAN_STAT, is_shm_name, posix_shm_add);
}

/* What shm_unlink() does, but only to the object listed: not one put in its place since */
static int posix_shm_remove(struct ipcx_obj *obj)
{
	return remove_listed_file(DEV_SHM, obj->name + 1, obj);
}

/*
 * Past RLIMIT_FSIZE, ftruncate() raises SIGXFSZ, which kills the caller
 * before it can unlink the empty object: ask first, as the kernel would
 */
static bool over_file_size_limit(uint64_t size)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	       size > rl.rlim_cur;
}

static int posix_shm_create(struct ipcx_ctx *ctx, const struct ipcx_create_spec *spec, int *id)
{
	int fd, r = 0;

	if (!spec->name || spec->size == 0 || spec->size > INT64_MAX)
		return -EINVAL;
	/* its file, named as shm_open() names it, would be listed as a semaphore */
	if (!is_shm_name(spec->name + strspn(spec->name, "/")))
		return -EINVAL;
	if (over_file_size_limit(spec->size))
		return -EFBIG;
	fd = shm_open(spec->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		      spec->mode);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)spec->size) < 0) {
		r = -errno;
		shm_unlink(spec->name);	/* ours, just made: do not leave it half made */
	}
	close(fd);
	return r;
}

const struct kind_ops kind_posix_shm_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_NAME) | FIELD_BIT(F_SIZE),
	.scan = posix_shm_scan,
	.remove = posix_shm_remove,
	.create = posix_shm_create,
	.procs = PROCS_MAPS | PROCS_FDS,
	.users = obj_add_file_users,
	.orphan_reason = posix_file_orphan_reason,
};
