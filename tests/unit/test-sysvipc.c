// SPDX-License-Identifier: LGPL-2.1-or-later
/* /proc/sysvipc text as Linux 6.x prints it, and broken copies of it. */
#include <errno.h>

#include "ipcx-private.h"
#include "testing.h"

/* Captured from /proc/sysvipc/shm (Linux 6.18), one segment per key kind */
static const char shm_text[] =
	"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
	" 350089270          0   644                  4096  1739     0      0     0     0     0     0          0          0 1795317765                     0                     0\n"
	"        -1      32769  1600               1048576  1800  1801      2  1000   100     0     0 1795317800 1795317801 1795317765                  8192                  4096\n";

static const char sem_text[] =
	"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
	"         0          0   600          3     0     0     0     0          0 1795317765\n";

static const char msg_text[] =
	"       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
	"      4660          1   666         100          2   300   301    65534 65534     0     0 1795317700 1795317701 1795317765\n";

struct rows {
	size_t n;
	uint64_t val[4][F_COUNT];
	uint64_t present[4];
};

static void collect(void *data, const uint64_t *val, uint64_t present)
{
	struct rows *rows = data;

	if (rows->n < 4) {
		memcpy(rows->val[rows->n], val, sizeof(rows->val[0]));
		rows->present[rows->n] = present;
	}
	rows->n++;
}

static struct rows parse(const char *text, int *r, struct sysvipc_stats *stats)
{
	struct rows rows = { 0 };

	*r = sysvipc_parse(text, strlen(text), collect, &rows, stats);
	return rows;
}

static void test_shm(void)
{
	struct sysvipc_stats st;
	int r;
	struct rows rows = parse(shm_text, &r, &st);

	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 2);
	CHECK_INT(st.skipped, 0);
	CHECK_INT(rows.val[0][F_KEY], 0x14ddf036);
	CHECK_INT(rows.val[0][F_MODE], 0644);	/* perms are octal */
	CHECK_INT(rows.val[0][F_SIZE], 4096);
	CHECK_INT(rows.val[0][F_CPID], 1739);
	CHECK_INT(rows.val[0][F_CTIME], 1795317765);
	CHECK_INT(rows.val[1][F_KEY], 0xffffffffu);	/* printed signed */
	CHECK_INT(rows.val[1][F_ID], 32769);
	CHECK_INT(rows.val[1][F_MODE], 01600);
	CHECK_INT(rows.val[1][F_NATTCH], 2);
	CHECK_INT(rows.val[1][F_UID], 1000);
	CHECK_INT(rows.val[1][F_GID], 100);
	CHECK_INT(rows.val[1][F_RSS], 8192);
	CHECK_INT(rows.val[1][F_SWAP], 4096);
	CHECK(rows.present[1] & FIELD_BIT(F_DTIME));
	CHECK(!(rows.present[1] & FIELD_BIT(F_NSEMS)));
}

static void test_sem_msg(void)
{
	struct sysvipc_stats st;
	int r;
	struct rows rows = parse(sem_text, &r, &st);

	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 1);
	CHECK_INT(rows.val[0][F_NSEMS], 3);
	CHECK_INT(rows.val[0][F_OTIME], 0);
	rows = parse(msg_text, &r, &st);
	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 1);
	CHECK_INT(rows.val[0][F_KEY], 4660);
	CHECK_INT(rows.val[0][F_SIZE], 100);	/* cbytes: bytes queued */
	CHECK_INT(rows.val[0][F_MESSAGES], 2);
	CHECK_INT(rows.val[0][F_LSPID], 300);
	CHECK_INT(rows.val[0][F_LRPID], 301);
	CHECK_INT(rows.val[0][F_UID], 65534);
}

/* Lines that are cut, have junk, or too many fields are skipped, not half read */
static void test_malformed(void)
{
	static const char text[] =
		"key semid perms nsems uid gid cuid cgid otime ctime\n"
		"1 10 600 3 0 0 0 0 0 5\n"
		"2 11 600 3 0 0 0\n"			/* truncated */
		"3 12 600 x 0 0 0 0 0 5\n"		/* not a number */
		"4 13 698 3 0 0 0 0 0 5\n"		/* 9 is not octal */
		"5 14 600 3 0 0 0 0 0 5 7\n"		/* one field too many */
		"6 15 600 3 0 0 0 0 0 5junk\n"
		"7 16 600 3 0 0 0 0 0 99999999999999999999999\n" /* overflow */
		"\n"
		"8 17 600 4 0 0 0 0 0 6";		/* last line without newline */
	struct sysvipc_stats st;
	int r;
	struct rows rows = parse(text, &r, &st);

	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 2);
	CHECK_INT(st.rows, 2);
	CHECK_INT(st.skipped, 6);
	CHECK_INT(rows.val[0][F_ID], 10);
	CHECK_INT(rows.val[1][F_ID], 17);
	CHECK_INT(rows.val[1][F_NSEMS], 4);
}

/* A column a future kernel adds is ignored; the known ones still parse */
static void test_unknown_column(void)
{
	static const char text[] =
		"key shmid perms size newthing nattch\n"
		"1 5 600 4096 77 1\n";
	int r;
	struct rows rows = parse(text, &r, NULL);

	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 1);
	CHECK_INT(rows.val[0][F_SIZE], 4096);
	CHECK_INT(rows.val[0][F_NATTCH], 1);
}

static void test_empty(void)
{
	int r;
	struct rows rows = parse("", &r, NULL);

	CHECK_INT(r, -EBADMSG);
	CHECK_INT(rows.n, 0);
	rows = parse("key shmid\n", &r, NULL);	/* header only: no objects */
	CHECK_INT(r, 0);
	CHECK_INT(rows.n, 0);
	/* rows without an id column cannot name an object */
	rows = parse("key perms\n1 600\n", &r, NULL);
	CHECK_INT(rows.n, 0);
}

int main(void)
{
	test_shm();
	test_sem_msg();
	test_malformed();
	test_unknown_column();
	test_empty();
	return test_summary("test-sysvipc");
}
