// SPDX-License-Identifier: LGPL-2.1-or-later
/* The one table of IPC kinds, and the words that name kinds and groups. */
#include <errno.h>
#include <string.h>

#include "ipcx-private.h"

struct kind_entry {
	const char *name;
	const char *description;
	const struct kind_ops *ops;	/* NULL: not in this build yet */
};

static const struct kind_entry kinds[IPCX_KIND_COUNT] = {
	[IPCX_KIND_SHM] = { "shm", "System V shared memory segment", &kind_shm_ops },
	[IPCX_KIND_SEM] = { "sem", "System V semaphore set", &kind_sem_ops },
	[IPCX_KIND_MSG] = { "msg", "System V message queue", &kind_msg_ops },
	[IPCX_KIND_POSIX_SHM] = { "posix-shm", "POSIX shared memory object", &kind_posix_shm_ops },
	[IPCX_KIND_POSIX_SEM] = { "posix-sem", "POSIX named semaphore", &kind_posix_sem_ops },
	[IPCX_KIND_POSIX_MQ] = { "posix-mq", "POSIX message queue", &kind_posix_mq_ops },
	[IPCX_KIND_FIFO] = { "fifo", "named pipe (FIFO)", &kind_fifo_ops },
	[IPCX_KIND_PIPE] = { "pipe", "anonymous pipe", &kind_pipe_ops },
	[IPCX_KIND_MMAP] = { "mmap", "shared file mapping", &kind_mmap_ops },
	[IPCX_KIND_UNIX] = { "unix", "UNIX domain socket", &kind_unix_ops },
};

#define SYSV_KINDS (IPCX_KIND_BIT(IPCX_KIND_SHM) | IPCX_KIND_BIT(IPCX_KIND_SEM) | \
		    IPCX_KIND_BIT(IPCX_KIND_MSG))
#define POSIX_KINDS (IPCX_KIND_BIT(IPCX_KIND_POSIX_SHM) | \
		     IPCX_KIND_BIT(IPCX_KIND_POSIX_SEM) | IPCX_KIND_BIT(IPCX_KIND_POSIX_MQ))

static const struct {
	const char *name;
	unsigned int mask;	/* 0: every available kind */
} groups[] = {
	{ "sysv", SYSV_KINDS },
	{ "posix", POSIX_KINDS },
	{ "all", 0 },
};

const struct kind_ops *kind_get(unsigned int kind)
{
	return kind < IPCX_KIND_COUNT ? kinds[kind].ops : NULL;
}

IPCX_EXPORT const char *ipcx_kind_name(unsigned int kind)
{
	return kind < IPCX_KIND_COUNT ? kinds[kind].name : NULL;
}

IPCX_EXPORT const char *ipcx_kind_description(unsigned int kind)
{
	return kind < IPCX_KIND_COUNT ? kinds[kind].description : NULL;
}

IPCX_EXPORT int ipcx_kind_is_available(unsigned int kind)
{
	return kind_get(kind) != NULL;
}

IPCX_EXPORT int ipcx_kind_can_remove(unsigned int kind)
{
	const struct kind_ops *ops = kind_get(kind);

	return ops && ops->remove;
}

IPCX_EXPORT unsigned int ipcx_kinds_default(void)
{
	return (SYSV_KINDS | POSIX_KINDS) & ipcx_kinds_all();
}

IPCX_EXPORT unsigned int ipcx_kinds_all(void)
{
	unsigned int mask = 0;

	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if (kinds[k].ops)
			mask |= IPCX_KIND_BIT(k);
	}
	return mask;
}

/* A group counts as available if this build has any of its kinds */
static int group_mask(unsigned int wanted, unsigned int *mask)
{
	unsigned int have = wanted ? wanted & ipcx_kinds_all() : ipcx_kinds_all();

	if (!have)
		return -EOPNOTSUPP;
	*mask = have;
	return 0;
}

IPCX_EXPORT int ipcx_kinds_parse(const char *word, unsigned int *mask)
{
	if (!word || !mask)
		return -EINVAL;
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if (strcmp(word, kinds[k].name) != 0)
			continue;
		if (!kinds[k].ops)
			return -EOPNOTSUPP;
		*mask = IPCX_KIND_BIT(k);
		return 0;
	}
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		if (strcmp(word, groups[g].name) == 0)
			return group_mask(groups[g].mask, mask);
	}
	return -EINVAL;
}
