// SPDX-License-Identifier: LGPL-2.1-or-later
/* The column and kind tables: names, lookups, which kinds a column applies to. */
#include <errno.h>
#include <strings.h>

#include "ipcx-private.h"
#include "format.h"
#include "testing.h"

static void test_names_unique(void)
{
	for (unsigned int a = 0; a < IPCX_COL_COUNT; a++) {
		CHECK(ipcx_col_name(a) != NULL);
		CHECK(ipcx_col_description(a) && *ipcx_col_description(a));
		CHECK_INT(ipcx_col_from_name(ipcx_col_name(a), strlen(ipcx_col_name(a))), a);
		for (unsigned int b = a + 1; b < IPCX_COL_COUNT; b++)
			CHECK(strcasecmp(ipcx_col_name(a), ipcx_col_name(b)) != 0);
	}
	CHECK(ipcx_col_name(IPCX_COL_COUNT) == NULL);
}

static void test_lookup(void)
{
	CHECK_INT(ipcx_col_from_name("nattch", 6), IPCX_COL_NATTCH);
	CHECK_INT(ipcx_col_from_name("NaTtCh", 6), IPCX_COL_NATTCH);
	/* a prefix or a list is not a column */
	CHECK_INT(ipcx_col_from_name("NATT", 4), -EINVAL);
	CHECK_INT(ipcx_col_from_name("KEY,ID", 3), IPCX_COL_KEY);
	CHECK_INT(ipcx_col_from_name("KEYS", 4), -EINVAL);
	CHECK_INT(ipcx_col_from_name("", 0), -EINVAL);
	CHECK_INT(ipcx_col_from_name(NULL, 0), -EINVAL);
	/* a length past the name's NUL: no match, and no read past its end */
	CHECK_INT(ipcx_col_from_name("ID", 3), -EINVAL);
	CHECK_INT(ipcx_col_from_name("ID\0X", 4), -EINVAL);
}

static void test_applies(void)
{
	for (unsigned int k = IPCX_KIND_SHM; k <= IPCX_KIND_MSG; k++) {
		CHECK(ipcx_col_applies(IPCX_COL_TYPE, k));
		CHECK(ipcx_col_applies(IPCX_COL_KEY, k));
		CHECK(ipcx_col_applies(IPCX_COL_PERMS, k));
		CHECK(ipcx_col_applies(IPCX_COL_CGID, k));
		CHECK(ipcx_col_applies(IPCX_COL_CTIME, k));
	}
	CHECK(ipcx_col_applies(IPCX_COL_NATTCH, IPCX_KIND_SHM));
	CHECK(!ipcx_col_applies(IPCX_COL_NATTCH, IPCX_KIND_SEM));
	CHECK(ipcx_col_applies(IPCX_COL_SIZE, IPCX_KIND_MSG));
	CHECK(!ipcx_col_applies(IPCX_COL_SIZE, IPCX_KIND_SEM));
	CHECK(ipcx_col_applies(IPCX_COL_NSEMS, IPCX_KIND_SEM));
	CHECK(ipcx_col_applies(IPCX_COL_QBYTES, IPCX_KIND_MSG));
	CHECK(!ipcx_col_applies(IPCX_COL_STATUS, IPCX_KIND_MSG));
	CHECK(ipcx_col_applies(IPCX_COL_TYPE, IPCX_KIND_UNIX));
	CHECK(ipcx_col_applies(IPCX_COL_PEER, IPCX_KIND_UNIX));
	CHECK(!ipcx_col_applies(IPCX_COL_PEER, IPCX_KIND_PIPE));
	CHECK(ipcx_col_applies(IPCX_COL_MAPPED, IPCX_KIND_MMAP));
	/* every kind has users; only kinds that can be orphaned have a REASON */
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		CHECK(ipcx_col_applies(IPCX_COL_PIDS, k));
		CHECK(ipcx_col_applies(IPCX_COL_NPROCS, k));
	}
	CHECK(ipcx_col_applies(IPCX_COL_REASON, IPCX_KIND_SHM));
	CHECK(ipcx_col_applies(IPCX_COL_REASON, IPCX_KIND_FIFO));
	CHECK(!ipcx_col_applies(IPCX_COL_REASON, IPCX_KIND_PIPE));
	CHECK(!ipcx_col_applies(IPCX_COL_REASON, IPCX_KIND_UNIX));
	CHECK(ipcx_col_applies(IPCX_COL_CPID_ALIVE, IPCX_KIND_SHM));
	CHECK(!ipcx_col_applies(IPCX_COL_CPID_ALIVE, IPCX_KIND_MSG));
	CHECK(ipcx_col_is_list(IPCX_COL_PIDS));
	CHECK(ipcx_col_is_list(IPCX_COL_COMMAND));
	CHECK(!ipcx_col_is_list(IPCX_COL_NPROCS));
	CHECK(ipcx_col_is_number(IPCX_COL_PIDS));
	CHECK(!ipcx_col_is_number(IPCX_COL_COMMAND));
	CHECK(ipcx_col_needs_users(IPCX_COL_CPID_ALIVE));
	CHECK(!ipcx_col_needs_users(IPCX_COL_CPID));
	CHECK(ipcx_col_is_default_for(IPCX_COL_COMMAND, IPCX_KIND_PIPE));
	CHECK(!ipcx_col_is_default_for(IPCX_COL_COMMAND, IPCX_KIND_SHM));
	CHECK(ipcx_col_is_default_for(IPCX_COL_TYPE, IPCX_KIND_SHM));
	CHECK(ipcx_col_applies(IPCX_COL_NAME, IPCX_KIND_POSIX_MQ));
	CHECK(!ipcx_col_applies(IPCX_COL_NAME, IPCX_KIND_SHM));
	CHECK(ipcx_col_applies(IPCX_COL_PATH, IPCX_KIND_FIFO));
	CHECK(ipcx_col_applies(IPCX_COL_SIZE, IPCX_KIND_POSIX_SHM));
	CHECK(!ipcx_col_applies(IPCX_COL_KEY, IPCX_KIND_POSIX_SEM));
	CHECK(ipcx_col_is_string(IPCX_COL_PATH));
	CHECK(!ipcx_col_is_string(IPCX_COL_ID));
	CHECK(ipcx_col_is_number(IPCX_COL_SIZE));
	CHECK(!ipcx_col_is_number(IPCX_COL_KEY));	/* JSON string */
	CHECK(!ipcx_col_is_number(IPCX_COL_PERMS));
	CHECK_INT(columns_scan_need((const unsigned int[]){ IPCX_COL_KEY }, 1), 0);
	CHECK_INT(columns_scan_need((const unsigned int[]){ IPCX_COL_KEY, IPCX_COL_SWAP }, 2),
		  NEED_RSS);
	CHECK_INT(columns_scan_need((const unsigned int[]){ IPCX_COL_KEY, IPCX_COL_PIDS }, 2),
		  NEED_USERS);
	/* a pid's state needs the list of processes up front, users or not */
	CHECK_INT(columns_scan_need((const unsigned int[]){ IPCX_COL_CPID_ALIVE }, 1),
		  NEED_USERS | NEED_PID_STATES);
	CHECK_INT(columns_scan_need((const unsigned int[]){ IPCX_COL_REASON }, 1),
		  NEED_USERS | NEED_PID_STATES);
	CHECK_INT(columns_scan_need(NULL, 0),
		  NEED_RSS | NEED_USERS | NEED_DETAILS | NEED_PID_STATES);
}

static void test_kinds(void)
{
	unsigned int mask = 0;

	CHECK_INT(ipcx_kinds_parse("shm", &mask), 0);
	CHECK_INT(mask, IPCX_KIND_BIT(IPCX_KIND_SHM));
	CHECK_INT(ipcx_kinds_parse("sysv", &mask), 0);
	CHECK_INT(mask, 7);
	CHECK_INT(ipcx_kinds_parse("all", &mask), 0);
	CHECK_INT(mask, ipcx_kinds_all());
	CHECK_INT(ipcx_kinds_parse("posix", &mask), 0);
	CHECK_INT(mask, IPCX_KIND_BIT(IPCX_KIND_POSIX_SHM) | IPCX_KIND_BIT(IPCX_KIND_POSIX_SEM) |
			IPCX_KIND_BIT(IPCX_KIND_POSIX_MQ));
	CHECK_INT(ipcx_kinds_parse("unix", &mask), 0);
	CHECK_INT(mask, IPCX_KIND_BIT(IPCX_KIND_UNIX));
	CHECK_INT(ipcx_kinds_parse("pipe", &mask), 0);
	CHECK(!ipcx_kind_can_remove(IPCX_KIND_PIPE));
	CHECK(ipcx_kind_can_remove(IPCX_KIND_SHM));
	CHECK(!(ipcx_kinds_default() & IPCX_KIND_BIT(IPCX_KIND_FIFO)));
	CHECK(ipcx_kinds_all() & IPCX_KIND_BIT(IPCX_KIND_FIFO));
	CHECK_INT(ipcx_kinds_parse("SHM", &mask), -EINVAL);
	CHECK_INT(ipcx_kinds_parse("shmem", &mask), -EINVAL);
	CHECK_STR(ipcx_kind_name(IPCX_KIND_MSG), "msg");
	CHECK(ipcx_kind_name(IPCX_KIND_COUNT) == NULL);
}

/*
 * Refused before anything is made. Each spec is one the kernel refuses too
 * (no semaphores), so that a check gone missing makes no object on the host.
 */
static void test_create_refused(void)
{
	struct ipcx_create_spec spec = { .mode = 0600 };
	struct ipcx_ctx *ctx;
	int id = -1;

	CHECK_INT(ipcx_new(&ctx), 0);
	spec.reserved[3] = 7;
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_SEM, &spec, &id), -EINVAL);
	spec.reserved[3] = 0;
	spec.mode = 01000;
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_SEM, &spec, &id), -EINVAL);
	CHECK_INT(ipcx_create(ctx, IPCX_KIND_SEM, NULL, &id), -EINVAL);
	ipcx_unref(ctx);
}

/* NULL for a context, list or object: refused or answered, never a crash */
static void test_null_handles(void)
{
	const struct ipcx_user *users;
	uint64_t v;
	size_t n;

	CHECK_INT(ipcx_new(NULL), -EINVAL);
	ipcx_set_log_fn(NULL, NULL, NULL);
	ipcx_set_log_priority(NULL, 3);
	CHECK(ipcx_list_get(NULL, 0) == NULL);
	CHECK_INT(ipcx_list_kind_error(NULL, IPCX_KIND_SHM), -EINVAL);
	CHECK_INT(ipcx_list_has_users(NULL), 0);
	CHECK_INT(ipcx_obj_kind(NULL), IPCX_KIND_COUNT);
	CHECK_INT(ipcx_obj_get_u64(NULL, IPCX_COL_ID, &v), -EINVAL);
	CHECK_INT(ipcx_obj_remove(NULL), -EINVAL);
	CHECK_INT(ipcx_obj_users(NULL, &users, &n), -EINVAL);
	CHECK(ipcx_obj_orphan_reason(NULL) == NULL);
	CHECK_INT(ipcx_limits_new(NULL, NULL), -EINVAL);
}

/* A kind or column this version does not know is refused, not ignored */
static void test_list_refused(void)
{
	const unsigned int bad_col = IPCX_COL_COUNT, good_col = IPCX_COL_ID;
	struct ipcx_list *list = NULL;
	struct ipcx_ctx *ctx;

	CHECK_INT(ipcx_new(&ctx), 0);
	CHECK_INT(ipcx_list_new(ctx, IPCX_KIND_BIT(IPCX_KIND_SHM), &bad_col, 1, &list), -EINVAL);
	CHECK_INT(ipcx_list_new(ctx, IPCX_KIND_BIT(IPCX_KIND_COUNT), &good_col, 1, &list),
		  -EINVAL);
	CHECK(list == NULL);
	ipcx_unref(ctx);
}

int main(void)
{
	test_names_unique();
	test_lookup();
	test_applies();
	test_kinds();
	test_create_refused();
	test_list_refused();
	test_null_handles();
	return test_summary("test-columns");
}
