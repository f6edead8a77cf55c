// SPDX-License-Identifier: LGPL-2.1-or-later
/* POSIX names as users type them, and the text of a file in the mqueue fs. */
#include <errno.h>
#include <limits.h>

#include "ipcx-private.h"
#include "testing.h"

static const char *name_of(unsigned int kind, const char *typed)
{
	static char buf[NAME_MAX + 2];

	return ipcx_parse_posix_name(kind, typed, buf, sizeof(buf)) == 0 ? buf : "(invalid)";
}

static void test_names(void)
{
	char longest[NAME_MAX + 2], too_long[NAME_MAX + 3];

	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "/foo"), "/foo");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "foo"), "/foo");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "sem.foo"), "(invalid)");	/* a semaphore's file */
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "/sem.foo"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "sem"), "/sem");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SEM, "sem.foo"), "/foo");
	/* with the slash, the semaphore named so: its file is sem.sem.foo */
	CHECK_STR(name_of(IPCX_KIND_POSIX_SEM, "/sem.foo"), "/sem.foo");
	CHECK_STR(name_of(IPCX_KIND_POSIX_MQ, "q.1"), "/q.1");
	CHECK_STR(name_of(IPCX_KIND_POSIX_MQ, "a..b"), "/a..b");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, ""), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "/"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "//foo"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "a/b"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "../etc/passwd"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, ".."), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, "/."), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_SEM, "sem."), "(invalid)");
	memset(longest, 'x', NAME_MAX);
	longest[NAME_MAX] = '\0';
	CHECK(strcmp(name_of(IPCX_KIND_POSIX_SHM, longest), "(invalid)") != 0);
	/* sem.NAME must fit NAME_MAX, so a semaphore's name is 4 shorter */
	CHECK_STR(name_of(IPCX_KIND_POSIX_SEM, longest), "(invalid)");
	memset(too_long, 'x', NAME_MAX + 1);
	too_long[NAME_MAX + 1] = '\0';
	CHECK_STR(name_of(IPCX_KIND_POSIX_SHM, too_long), "(invalid)");
	CHECK_INT(ipcx_parse_posix_name(IPCX_KIND_POSIX_SHM, "foo", (char[4]){ 0 }, 4),
		  -ENAMETOOLONG);
	/* names are POSIX kinds' only */
	CHECK_STR(name_of(IPCX_KIND_SHM, "/foo"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_COUNT, "/foo"), "(invalid)");
	CHECK_STR(name_of(IPCX_KIND_POSIX_MQ, "/foo"), "/foo");
}

static void test_mqueue_text(void)
{
	uint64_t qsize = 1, pid = 1;

	CHECK_INT(mqueue_info_parse("QSIZE:129        NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n",
				    &qsize, &pid), 0);
	CHECK_INT(qsize, 129);
	CHECK_INT(pid, 0);
	CHECK_INT(mqueue_info_parse("QSIZE:0 NOTIFY:2 SIGNO:10 NOTIFY_PID:4321\n", &qsize, &pid), 0);
	CHECK_INT(pid, 4321);
	/* NOTIFY: must not be read out of NOTIFY_PID:, nor QSIZE from XQSIZE */
	CHECK_INT(mqueue_info_parse("NOTIFY_PID:7 QSIZE:5", &qsize, &pid), 0);
	CHECK_INT(qsize, 5);
	CHECK_INT(pid, 7);
	CHECK_INT(mqueue_info_parse("XQSIZE:5", &qsize, &pid), -EBADMSG);
	CHECK_INT(mqueue_info_parse("QSIZE:", &qsize, &pid), -EBADMSG);
	CHECK_INT(mqueue_info_parse("QSIZE:12x", &qsize, &pid), -EBADMSG);
	CHECK_INT(mqueue_info_parse("QSIZE:99999999999999999999999", &qsize, &pid), -EBADMSG);
	CHECK_INT(mqueue_info_parse("", &qsize, &pid), -EBADMSG);
	CHECK_INT(mqueue_info_parse("QSIZE:3", &qsize, &pid), 0);	/* no NOTIFY_PID: 0 */
	CHECK_INT(pid, 0);
}

int main(void)
{
	test_names();
	test_mqueue_text();
	return test_summary("test-posix");
}
