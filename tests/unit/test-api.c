// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's contracts: what ipcx_preload() loads and when, what
 * ipcx_create() refuses, what the log function is told. Objects are made
 * only in an IPC namespace of the test's own, and mounts in a mount
 * namespace of its own, when it may unshare them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
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

/*
 * Refused before anything is made; the kernel would refuse the spec too (no
 * size, no semaphores), so that a check gone missing makes no object here
 */
static void test_create_refused(void)
{
	struct ipcx_create_spec spec = { .mode = 0600 };
	struct ipcx_ctx *ctx;
	int id = -1;

	CHECK_INT(ipcx_new(&ctx), 0);
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_COUNT, &spec, &id), -EINVAL);
	CHECK_INT(ipcx_create(ctx, 1000, &spec, &id), -EINVAL);
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_PIPE, &spec, &id), -EOPNOTSUPP);
	CHECK_INT(id, 0);
	ipcx_unref(ctx);
}

static int create(struct ipcx_ctx *ctx, unsigned int kind, uint32_t key, uint64_t size)
{
	struct ipcx_create_spec spec = { .key = key, .mode = 0600, .size = size,
					 .nsems = (unsigned int)size };
	int id;

	return ipcx_create(ctx, kind, &spec, &id);
}

/*
 * A taken key is -EEXIST whatever the size or count, which the kernel checks
 * first. false if the test has no IPC namespace of its own.
 */
static bool test_create_taken(void)
{
	const unsigned int kinds[] = { IPCX_KIND_SHM, IPCX_KIND_SEM };
	struct ipcx_ctx *ctx;

	if (unshare(CLONE_NEWIPC) < 0) {
		printf("test-api: no IPC namespace of its own (%s): creation not tested\n",
		       strerror(errno));
		return false;
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
	return true;
}

struct log_record {
	int count, priority;
	char last[256];
};

static void record_log(void *data, int priority, const char *msg)
{
	struct log_record *rec = data;

	rec->count++;
	rec->priority = priority;
	snprintf(rec->last, sizeof(rec->last), "%s", msg);
}

/* A list of posix-shm where there is no /dev/shm: its kind's error */
static int list_without_dev_shm(struct ipcx_ctx *ctx)
{
	struct ipcx_list *list;
	int r = ipcx_list_new(ctx, IPCX_KIND_BIT(IPCX_KIND_POSIX_SHM), NULL, 0, &list);

	if (r < 0)
		return r;
	r = ipcx_list_kind_error(list, IPCX_KIND_POSIX_SHM);
	ipcx_list_unref(list);
	return r;
}

/*
 * A kind that could not be read is said, once, at LOG_WARNING. false if the
 * test has no mount namespace of its own.
 */
static bool test_log(void)
{
	struct log_record rec = { 0 };
	struct ipcx_ctx *ctx;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("none", "/dev", "tmpfs", 0, NULL) < 0) {
		printf("test-api: no mount namespace of its own (%s): logging not tested\n",
		       strerror(errno));
		return false;
	}
	CHECK_INT(ipcx_new(&ctx), 0);
	ipcx_set_log_fn(ctx, record_log, &rec);
	/* LOG_ERR by default: a kind missing is less */
	CHECK_INT(list_without_dev_shm(ctx), -ENOENT);
	CHECK_INT(rec.count, 0);
	ipcx_set_log_priority(ctx, LOG_WARNING);
	CHECK_INT(list_without_dev_shm(ctx), -ENOENT);
	CHECK_INT(rec.count, 1);
	CHECK_INT(rec.priority, LOG_WARNING);
	CHECK_STR(rec.last, "posix-shm: not listed: No such file or directory");
	ipcx_set_log_fn(ctx, NULL, NULL);
	CHECK_INT(list_without_dev_shm(ctx), -ENOENT);
	CHECK_INT(rec.count, 1);
	ipcx_unref(ctx);
	return true;
}

/*
 * Processes read on demand (the first pid state asked of a list whose
 * segments nobody can have attached): a failure is the answer of every
 * later call too, tried and logged once. Only in the mount namespace of
 * test_log() and the IPC namespace of test_create_taken(), whose segment it
 * lists.
 */
static void test_procs_failure_once(void)
{
	const unsigned int cols[] = { IPCX_COL_ID, IPCX_COL_PIDS };
	struct log_record rec = { 0 };
	struct ipcx_list *list;
	struct ipcx_ctx *ctx;

	if (mount("none", "/proc", "tmpfs", 0, NULL) < 0) {
		printf("test-api: cannot hide /proc (%s): failures not tested\n", strerror(errno));
		return;
	}
	CHECK_INT(ipcx_new(&ctx), 0);
	ipcx_set_log_fn(ctx, record_log, &rec);
	CHECK_INT(ipcx_list_new(ctx, IPCX_KIND_BIT(IPCX_KIND_SHM), cols, ARRAY_SIZE(cols), &list), 0);
	CHECK_INT((int)ipcx_list_count(list), 1);
	CHECK_INT(rec.count, 0);
	for (int i = 0; i < 3; i++)
		CHECK_INT(ipcx_obj_pid_state(ipcx_list_get(list, 0), IPCX_COL_CPID), -ENODEV);
	CHECK_INT(rec.count, 1);
	CHECK_INT(rec.priority, LOG_ERR);
	CHECK_STR(rec.last, "cannot read the processes: no proc file system on /proc");
	ipcx_list_unref(list);
	ipcx_unref(ctx);
	umount("/proc");
}

int main(void)
{
	bool own_ipc, own_mounts;

	test_preload();
	test_create_refused();
	own_ipc = test_create_taken();
	own_mounts = test_log();
	if (own_ipc && own_mounts)
		test_procs_failure_once();
	return test_summary("test-api");
}
