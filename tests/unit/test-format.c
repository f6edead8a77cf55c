// SPDX-License-Identifier: LGPL-2.1-or-later
/* How values print: sizes, permissions, times, and whole objects' columns. */
#include <errno.h>
#include <stdlib.h>

#include "ipcx-private.h"
#include "format.h"
#include "testing.h"

static const char *size_str(uint64_t v)
{
	static char buf[32];

	return ipcx_format_size(v, buf, sizeof(buf)) > 0 ? buf : "(error)";
}

static void test_sizes(void)
{
	CHECK_STR(size_str(0), "0B");
	CHECK_STR(size_str(512), "512B");
	CHECK_STR(size_str(1024), "1K");
	CHECK_STR(size_str(8192), "8K");
	CHECK_STR(size_str(1536), "1.5K");
	CHECK_STR(size_str(1048575), "1M");	/* rounds up into the next unit */
	CHECK_STR(size_str(1048576 + 104858), "1.1M");
	/* rounded from the whole value, not from the last unit's remainder */
	CHECK_STR(size_str(1101823), "1.1M");	/* 1.0508M */
	CHECK_STR(size_str(1101004), "1M");	/* 1.04999M */
	CHECK_STR(size_str(1023 * 1024 + 900), "1023.9K");
	CHECK_STR(size_str(UINT64_MAX), "16E");
	CHECK_STR(size_str(UINT64_MAX / 2), "8E");
	CHECK_INT(ipcx_format_size(1536, (char[3]){ 0 }, 3), -ENOSPC);
}

/* A short buffer is left empty: "12.1" of 12.1K would read as bytes */
static void test_errors_leave_empty(void)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(ipcx_format_size(12390, buf, 5), -ENOSPC);
	CHECK_STR(buf, "");
	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(ipcx_format_json_string("abcdefgh", buf, sizeof(buf)), -ENOSPC);
	CHECK_STR(buf, "");
	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(ipcx_format_json_string("ab\n", buf, sizeof(buf)), -ENOSPC);
	CHECK_STR(buf, "");
	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(ipcx_format_json_string(NULL, buf, sizeof(buf)), -EINVAL);
	CHECK_STR(buf, "");
	/* no room at all: nothing written */
	buf[0] = 'Z';
	CHECK_INT(ipcx_format_size(1, buf, 0), -ENOSPC);
	CHECK_INT(buf[0], 'Z');
	CHECK_INT(ipcx_format_json_string("a", buf, 0), -ENOSPC);
	CHECK_INT(buf[0], 'Z');
}

/* As RFC 8259 escapes them: quote, backslash, control bytes; a NULL is refused */
static void test_json_string(void)
{
	char buf[32];

	CHECK_INT(ipcx_format_json_string("a\"b\\c\n", buf, sizeof(buf)), 15);
	CHECK_STR(buf, "\"a\\\"b\\\\c\\u000a\"");
	CHECK_INT(ipcx_format_json_string("abc", buf, 5), -ENOSPC);
	CHECK_INT(ipcx_format_json_string(NULL, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(ipcx_format_json_string("a", NULL, sizeof(buf)), -EINVAL);
	CHECK_INT(ipcx_format_size(1, NULL, sizeof(buf)), -EINVAL);
}

static void test_perms_time(void)
{
	char buf[64];

	CHECK_INT(format_perms(0640, 0, buf, sizeof(buf)), 9);
	CHECK_STR(buf, "rw-r-----");
	CHECK_INT(format_perms(0777, 0, buf, sizeof(buf)), 9);
	CHECK_STR(buf, "rwxrwxrwx");
	format_perms(01600, IPCX_FMT_NUMERIC_PERMS, buf, sizeof(buf));
	CHECK_STR(buf, "600");
	format_perms(04, IPCX_FMT_NUMERIC_PERMS, buf, sizeof(buf));
	CHECK_STR(buf, "004");
	CHECK_INT(format_perms(0600, 0, buf, 9), -ENOSPC);

	CHECK_INT(format_time(0, 1, 0, buf, sizeof(buf)), -ENODATA);	/* never */
	format_time(1795317765, 1795317765, IPCX_FMT_TIME_ISO, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-22T03:22:45+00:00");
	format_time(1795317765, 1795317765, IPCX_FMT_TIME_FULL, buf, sizeof(buf));
	CHECK_STR(buf, "Sun Nov 22 03:22:45 2026");
	format_time(1795317765, 1795317765 + 60, IPCX_FMT_TIME_SHORT, buf, sizeof(buf));
	CHECK_STR(buf, "03:22");
	format_time(1795317765, 1795317765 + 86400, IPCX_FMT_TIME_SHORT, buf, sizeof(buf));
	CHECK_STR(buf, "Nov22");
	format_time(1795317765, 1795317765 + 400 * 86400, IPCX_FMT_TIME_SHORT, buf, sizeof(buf));
	CHECK_STR(buf, "2026-Nov22");
}

/* Columns through an object: one value, many views; n/a stays empty */
static void test_object(void)
{
	struct ipcx_ctx *ctx;
	struct ipcx_list list = { 0 };
	struct ipcx_obj *obj;
	char buf[64];
	uint64_t v;

	CHECK_INT(ipcx_new(&ctx), 0);
	list.ctx = ctx;
	obj = list_add(&list, IPCX_KIND_SHM);
	obj_set(obj, F_KEY, 0xabcd);
	obj_set(obj, F_ID, 65538);
	obj_set(obj, F_UID, 0);
	obj_set(obj, F_MODE, 0600);
	obj_set(obj, F_SIZE, 8192);
	obj_set(obj, F_STATUS, 01000);
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_KEY, 0, NULL, sizeof(buf)), -EINVAL);
	/* a column with no pid is refused as such, on a list without users too */
	CHECK_INT(ipcx_obj_pid_state(obj, IPCX_COL_ID), -EINVAL);
	CHECK_INT(ipcx_obj_pid_state(obj, IPCX_COL_CPID), -ENODATA);
	CHECK_INT(ipcx_obj_pid_state(NULL, IPCX_COL_CPID), -EINVAL);
	ipcx_obj_format(obj, IPCX_COL_KEY, 0, buf, sizeof(buf));
	CHECK_STR(buf, "0x0000abcd");
	ipcx_obj_format(obj, IPCX_COL_TYPE, 0, buf, sizeof(buf));
	CHECK_STR(buf, "shm");
	ipcx_obj_format(obj, IPCX_COL_OWNER, 0, buf, sizeof(buf));
	CHECK_STR(buf, "root");
	ipcx_obj_format(obj, IPCX_COL_UID, 0, buf, sizeof(buf));
	CHECK_STR(buf, "0");
	ipcx_obj_format(obj, IPCX_COL_SIZE, 0, buf, sizeof(buf));
	CHECK_STR(buf, "8K");
	ipcx_obj_format(obj, IPCX_COL_SIZE, IPCX_FMT_BYTES, buf, sizeof(buf));
	CHECK_STR(buf, "8192");
	ipcx_obj_format(obj, IPCX_COL_STATUS, 0, buf, sizeof(buf));
	CHECK_STR(buf, "dest");
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_NSEMS, 0, buf, sizeof(buf)), -ENODATA);
	CHECK_STR(buf, "");
	obj_set(obj, F_SIZE, 12390);
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_SIZE, 0, buf, 5), -ENOSPC);
	CHECK_STR(buf, "");
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_SIZE, 0, buf, 6), 5);
	CHECK_STR(buf, "12.1K");
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_COUNT, 0, buf, sizeof(buf)), -EINVAL);
	CHECK_STR(buf, "");
	CHECK_INT(ipcx_obj_get_u64(obj, IPCX_COL_NSEMS, &v), -ENODATA);
	CHECK_INT(ipcx_obj_get_u64(obj, IPCX_COL_ID, &v), 0);
	CHECK_INT(v, 65538);
	CHECK_INT(ipcx_obj_get_u64(obj, IPCX_COL_COUNT, &v), -EINVAL);
	/* a string column has no number: as documented, -ENODATA */
	CHECK_INT(ipcx_obj_get_u64(obj, IPCX_COL_NAME, &v), -ENODATA);
	/* numbers: every digit, and one byte too few is -ENOSPC */
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_ID, 0, buf, sizeof(buf)), 5);
	CHECK_STR(buf, "65538");
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_ID, 0, buf, 5), -ENOSPC);
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_ID, 0, buf, 6), 5);
	obj_set(obj, F_ID, 0);
	ipcx_obj_format(obj, IPCX_COL_ID, 0, buf, sizeof(buf));
	CHECK_STR(buf, "0");
	obj_set(obj, F_SIZE, UINT64_MAX);
	ipcx_obj_format(obj, IPCX_COL_SIZE, IPCX_FMT_BYTES, buf, sizeof(buf));
	CHECK_STR(buf, "18446744073709551615");
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_OWNER, 0, buf, 4), -ENOSPC);
	CHECK_INT(ipcx_obj_format(obj, IPCX_COL_OWNER, 0, buf, 5), 4);
	list_free_objs(&list);
	ipcx_unref(ctx);
}

/* A process's descriptors of an object: lowest first, the first max of them, and the count */
static void test_user_fds(void)
{
	struct obj_fd held[] = {
		{ 7, { 101, IPCX_USE_WRITE } }, { 9, { 3, 0 } },
		{ 7, { 100, IPCX_USE_READ } }, { 7, { 5, IPCX_USE_READ | IPCX_USE_WRITE } },
	};
	struct ipcx_list list = { .users_resolved = false };
	struct ipcx_obj obj = { .list = &list, .fds = held, .nfds = 4 };
	struct ipcx_fd fds[3];

	CHECK_INT(ipcx_obj_user_fds(&obj, 7, fds, 3), -ENODATA);
	list.users_resolved = true;
	CHECK_INT(ipcx_obj_user_fds(&obj, 7, fds, 3), 3);
	CHECK_INT(fds[0].fd, 5);
	CHECK_INT(fds[1].fd, 100);
	CHECK_INT(fds[1].how, IPCX_USE_READ);
	CHECK_INT(fds[2].fd, 101);
	CHECK_INT(fds[2].how, IPCX_USE_WRITE);
	/* two kept of three: the lowest two, whatever the order they came in */
	CHECK_INT(ipcx_obj_user_fds(&obj, 7, fds, 2), 3);
	CHECK_INT(fds[0].fd, 5);
	CHECK_INT(fds[1].fd, 100);
	CHECK_INT(ipcx_obj_user_fds(&obj, 7, NULL, 0), 3);
	CHECK_INT(ipcx_obj_user_fds(&obj, 8, fds, 3), 0);
	CHECK_INT(ipcx_obj_user_fds(&obj, 7, NULL, 1), -EINVAL);
	CHECK_INT(ipcx_obj_user_fds(NULL, 7, fds, 3), -EINVAL);
}

/* PIDS and COMMAND: comma lists as text, JSON arrays with names escaped */
static void test_users(void)
{
	const struct ipcx_user users[] = {
		{ .pid = 12, .command = "sleep" },
		{ .pid = 345, .command = "a\"b\\c\td" },
	};
	char buf[128];

	CHECK_INT(format_users(users, 2, false, 0, buf, sizeof(buf)), 6);
	CHECK_STR(buf, "12,345");
	CHECK_INT(format_users(users, 0, false, 0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	CHECK_INT(format_users(users, 0, true, IPCX_FMT_LIST_JSON, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "[]");
	CHECK(format_users(users, 2, false, IPCX_FMT_LIST_JSON, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "[12,345]");
	CHECK(format_users(users, 2, true, 0, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "sleep[12],a\"b\\c\td[345]");
	CHECK(format_users(users, 2, true, IPCX_FMT_LIST_JSON, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "[\"sleep[12]\",\"a\\\"b\\\\c\\u0009d[345]\"]");
	CHECK_INT(format_users(users, 2, true, IPCX_FMT_LIST_JSON, buf, 10), -ENOSPC);
	CHECK_INT(format_users(users, 2, false, 0, buf, 4), -ENOSPC);
	/* no room even for the NUL: nothing written */
	buf[0] = 'Z';
	CHECK_INT(format_users(users, 0, false, 0, buf, 0), -ENOSPC);
	CHECK_INT(buf[0], 'Z');
	CHECK_INT(format_users(users, 2, false, 0, NULL, 0), -ENOSPC);
	CHECK_INT(format_pid_state(IPCX_PID_REUSED, buf, sizeof(buf)), 6);
	CHECK_STR(buf, "reused");
	CHECK_INT(format_pid_state(-ENODATA, buf, sizeof(buf)), -ENODATA);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	test_users();
	test_user_fds();
	test_sizes();
	test_errors_leave_empty();
	test_json_string();
	test_perms_time();
	test_object();
	return test_summary("test-format");
}
