// SPDX-License-Identifier: LGPL-2.1-or-later
/* Anonymous pipes: they exist only as descriptors, so the process engine finds them. */
#include <errno.h>
#include <sys/stat.h>

#include "ipcx-private.h"

/* One pipe: the descriptors [first, end) that hold its ends */
static int add_pipe(struct ipcx_list *list, const struct use *first, const struct use *end)
{
	const struct use *use = first;
	unsigned int readers, writers;
	struct ipcx_obj *obj;
	struct stat st;

	/* owner and times of the pipe's inode, through any descriptor still open */
	while (use < end && procs_stat_use(list->procs, use, &st) < 0)
		use++;
	if (use == end)
		return 0;	/* every end was closed since the processes were read */
	obj = list_add(list, IPCX_KIND_PIPE);
	if (!obj)
		return -ENOMEM;
	obj_set_stat(obj, &st);
	uses_count_access(NULL, first, end, NULL, &readers, &writers);
	obj_set(obj, F_INODE, first->ino);
	obj_set(obj, F_READERS, readers);
	obj_set(obj, F_WRITERS, writers);
	return 0;
}

static int pipe_scan(struct ipcx_list *list, unsigned int need)
{
	const struct use *uses;
	size_t n = procs_space(list->procs, US_PIPE, &uses), i = 0;
	int r = 0;

	while (r == 0 && i < n) {
		size_t j = uses_same_key(uses, n, i);

		r = add_pipe(list, &uses[i], &uses[j]);
		i = j;
	}
	return r;
}

static int pipe_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	return obj_add_users(obj, idx, US_PIPE, 0, obj_val(obj, F_INODE));
}

const struct kind_ops kind_pipe_ops = {
	.fields = FILE_FIELDS | FIELD_BIT(F_READERS) | FIELD_BIT(F_WRITERS),
	.scan = pipe_scan,
	.procs = PROCS_FDS | PROCS_PIPES,
	.scan_reads_procs = true,
	.users = pipe_users,
};
