// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's contracts: what ipcx_preload() loads and when, what
 * ipcx_create() refuses. Objects are made only in an IPC namespace of the
 * test's own, when it may unshare one.
 */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <sys/sem.h>

#include "ipcx-private.h"
#include "testing.h"

/* 1 if libproc2 is in the process, without loading it */
static int proc2_loaded(void)
{
	void *handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_NOLOAD);

	if (!handle)
		return 0;
	dlclose(handle);
	return 1;
}

/* Nothing loaded before it is needed (start-up time), everything after preload */
static void test_preload(void)
{
	struct ipcx_ctx *ctx;

	CHECK_INT(ipcx_new(&ctx), 0);
	CHECK_INT(proc2_loaded(), 0);
	CHECK_INT(ipcx_preload(), 0);
	CHECK_INT(proc2_loaded(), 1);
	CHECK_INT(ipcx_preload(), 0);
	ipcx_unref(ctx);
	/* one load for the process: no context holds it */
	CHECK_INT(proc2_loaded(), 1);
}

/* Refused before anything is made: the host's namespace is safe */
static void test_create_refused(void)
{
	struct ipcx_create_spec spec = { .key = 0x1c0ffee, .nsems = 1, .size = 4096 };
	struct ipcx_ctx *ctx;
	int id = -1;

	CHECK_INT(ipcx_new(&ctx), 0);
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_COUNT, &spec, &id), -EINVAL);
	CHECK_INT(ipcx_create(ctx, 1000, &spec, &id), -EINVAL);
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_PIPE, &spec, &id), -EOPNOTSUPP);
	CHECK_INT(id, 0);
	spec.mode = 01000;
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_SEM, &spec, &id), -EINVAL);
	ipcx_unref(ctx);
}

static int create(struct ipcx_ctx *ctx, unsigned int kind, uint32_t key, uint64_t size)
{
	struct ipcx_create_spec spec = { .key = key, .mode = 0600, .size = size,
					 .nsems = (unsigned int)size };
	int id;

	return ipcx_create(ctx, kind, &spec, &id);
}

/* A taken key is -EEXIST whatever the size or count, which the kernel checks first */
static void test_create_taken(void)
{
	const unsigned int kinds[] = { IPCX_KIND_SHM, IPCX_KIND_SEM };
	struct ipcx_ctx *ctx;

	if (unshare(CLONE_NEWIPC) < 0) {
		printf("test-api: no IPC namespace of its own (%s): creation not tested\n",
		       strerror(errno));
		return;
	}
	CHECK_INT(ipcx_new(&ctx), 0);
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		CHECK_INT(create(ctx, kinds[i], 0x1c0ffee, 0), -EINVAL);
		CHECK(create(ctx, kinds[i], 0x1c0ffee, 1) == 0);
		CHECK_INT(create(ctx, kinds[i], 0x1c0ffee, 1), -EEXIST);
		CHECK_INT(create(ctx, kinds[i], 0x1c0ffee, 0), -EEXIST);
		CHECK_INT(create(ctx, kinds[i], 0x1c0ffee, INT32_MAX), -EEXIST);
		CHECK_INT(create(ctx, kinds[i], 0, 0), -EINVAL);
	}
	CHECK_INT(create(ctx, IPCX_KIND_SEM, 0x1c0ffef, (uint64_t)INT32_MAX + 1), -EINVAL);
	ipcx_unref(ctx);
}

int main(void)
{
	test_preload();
	test_create_refused();
	test_create_taken();
	return test_summary("test-api");
}
