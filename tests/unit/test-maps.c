// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared mappings: the /proc/PID/maps text parser on made-up text, then this
 * process's own mappings read both ways, which must agree. Only files under
 * /tmp and anonymous memory are mapped: no IPC object of the host is touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipcx-private.h"
#include "testing.h"

struct rec {
	uint64_t start, end, offset, dev, ino;
	char *path;		/* a NUL-terminated copy */
	size_t pathlen;
	bool deleted;
};

struct recs {
	struct rec *v;
	size_t n, alloc;
	int stop_at;		/* return -42 on the call with this index; -1: never */
	const char *lo, *hi;	/* where paths must point; NULL: anywhere */
};

#define RECS_INIT { NULL, 0, 0, -1, NULL, NULL }

static void recs_free(struct recs *recs)
{
	for (size_t i = 0; i < recs->n; i++)
		free(recs->v[i].path);
	free(recs->v);
	recs->v = NULL;
	recs->n = recs->alloc = 0;
}

static int collect(void *data, const struct shared_map *map)
{
	struct recs *recs = data;
	struct rec *rec;

	if (recs->stop_at >= 0 && recs->n == (size_t)recs->stop_at)
		return -42;
	CHECK(map->path != NULL);
	if (map->pathlen && recs->lo) {
		CHECK(map->path >= recs->lo && map->path + map->pathlen <= recs->hi);
	}
	if (recs->n == recs->alloc) {
		recs->alloc = recs->alloc ? recs->alloc * 2 : 16;
		recs->v = realloc(recs->v, recs->alloc * sizeof(*recs->v));
		if (!recs->v)
			abort();
	}
	rec = &recs->v[recs->n++];
	rec->start = map->start;
	rec->end = map->end;
	rec->offset = map->offset;
	rec->dev = map->dev;
	rec->ino = map->ino;
	rec->pathlen = map->pathlen;
	rec->deleted = map->deleted;
	rec->path = malloc(map->pathlen + 1);
	if (!rec->path)
		abort();
	memcpy(rec->path, map->path, map->pathlen);
	rec->path[map->pathlen] = '\0';
	return 0;
}

/* Parse a copy of exactly len bytes, with no NUL after it for a parser to lean on */
static int parse_exact(const char *text, size_t len, struct recs *recs)
{
	char *copy = malloc(len ? len : 1);
	int r;

	if (!copy)
		abort();
	memcpy(copy, text, len);
	recs->lo = copy;
	recs->hi = copy + len;
	r = maps_parse_shared(copy, len, collect, recs);
	recs->lo = recs->hi = NULL;
	free(copy);
	return r;
}

/* A string literal, embedded NULs included */
#define PARSE(lit, recs) parse_exact(lit, sizeof(lit) - 1, recs)

static void test_normal(void)
{
	struct recs recs = RECS_INIT;

	CHECK_INT(PARSE("00400000-00452000 r-xp 00000000 08:02 173521                     /usr/bin/dbus-daemon\n"
			"7f2c4a000000-7f2c4a021000 rw-s 00001000 fe:01 1234567                    /tmp/file\n"
			"7f2c4a021000-7f2c4a022000 r--s 00000000 103:0a 99                        /usr/share/x.cache\n",
			&recs), 0);
	CHECK_INT(recs.n, 2);
	if (recs.n == 2) {
		CHECK_INT(recs.v[0].start, 0x7f2c4a000000);
		CHECK_INT(recs.v[0].end, 0x7f2c4a021000);
		CHECK_INT(recs.v[0].offset, 0x1000);
		CHECK_INT(recs.v[0].dev, makedev(0xfe, 1));
		CHECK_INT(recs.v[0].ino, 1234567);
		CHECK_STR(recs.v[0].path, "/tmp/file");
		CHECK_INT(recs.v[0].pathlen, 9);
		CHECK(!recs.v[0].deleted);
		/* majors and minors are hex, and can be longer than two digits */
		CHECK_INT(recs.v[1].dev, makedev(0x103, 0xa));
		CHECK_STR(recs.v[1].path, "/usr/share/x.cache");
	}
	recs_free(&recs);

	/* the largest values fit */
	CHECK_INT(PARSE("0-ffffffffffffffff rw-s ffffffffffffffff ffffffff:ffffffff 18446744073709551615 /x\n",
			&recs), 0);
	CHECK_INT(recs.n, 1);
	if (recs.n == 1) {
		CHECK(recs.v[0].end == UINT64_MAX);
		CHECK(recs.v[0].offset == UINT64_MAX);
		CHECK(recs.v[0].ino == UINT64_MAX);
		CHECK(recs.v[0].dev == makedev(0xffffffffu, 0xffffffffu));
	}
	recs_free(&recs);
}

static void test_paths(void)
{
	struct recs recs = RECS_INIT;

	CHECK_INT(PARSE("1000-2000 rw-s 00000000 fe:00 11          /tmp/with  two spaces \n"
			"2000-3000 rw-s 00000000 00:01 12          /dev/zero (deleted)\n"
			"3000-4000 rw-s 00000000 00:01 13          /SYSV00000000 (deleted)\n"
			"4000-5000 r--s 00000000 00:01 14          /memfd:x y (deleted)\n"
			"5000-6000 rw-s 00000000 fe:00 15          /a (deleted) b\n"
			"6000-7000 rw-s 00000000 fe:00 16          (deleted)\n"
			"7000-8000 rw-s 00000000 fe:00 17          /new\\012line\n"
			"8000-9000 rw-s 00000000 00:00 0 \n"
			"9000-a000 rw-s 00000000 00:00 0\n"
			"a000-b000 rw-s 00000000 00:00 0                   \n",
			&recs), 0);
	CHECK_INT(recs.n, 10);
	if (recs.n == 10) {
		CHECK_STR(recs.v[0].path, "/tmp/with  two spaces ");
		CHECK(!recs.v[0].deleted);
		CHECK_STR(recs.v[1].path, "/dev/zero");
		CHECK_INT(recs.v[1].pathlen, 9);
		CHECK(recs.v[1].deleted);
		CHECK_STR(recs.v[2].path, "/SYSV00000000");
		CHECK(recs.v[2].deleted);
		CHECK_STR(recs.v[3].path, "/memfd:x y");
		CHECK(recs.v[3].deleted);
		CHECK_STR(recs.v[4].path, "/a (deleted) b");
		CHECK(!recs.v[4].deleted);
		CHECK_STR(recs.v[5].path, "(deleted)");
		CHECK(!recs.v[5].deleted);
		/* kept as the kernel escaped it */
		CHECK_STR(recs.v[6].path, "/new\\012line");
		for (size_t i = 7; i < 10; i++) {
			CHECK_STR(recs.v[i].path, "");
			CHECK_INT(recs.v[i].pathlen, 0);
			CHECK(!recs.v[i].deleted);
			CHECK_INT(recs.v[i].ino, 0);
		}
	}
	recs_free(&recs);
}

static void test_private(void)
{
	struct recs recs = RECS_INIT;

	CHECK_INT(PARSE("55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0                          [heap]\n"
			"7ffd1e2b0000-7ffd1e2d1000 rw-p 00000000 00:00 0                          [stack]\n"
			"7ffd1e3f0000-7ffd1e3f2000 r-xp 00000000 00:00 0                          [vdso]\n"
			"7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
			"7f0000001000-7f0000002000 rw-p 00000000 00:01 5                          /dev/zero (deleted)\n",
			&recs), 0);
	CHECK_INT(recs.n, 0);
	recs_free(&recs);
}

static void test_malformed(void)
{
	struct recs recs = RECS_INIT;

	/* each bad line is counted once; the good ones around them still come */
	CHECK_INT(PARSE("1000-2000 rw-s 00000000 fe:00 1 /good1\n"
			"1000-2000 rw-s 0000\n"			/* truncated */
			"1000-\n"
			"1000-2000 rw\n"
			"hello world\n"				/* junk */
			"1000-2000 rw-q 00000000 fe:00 1 /x\n"	/* not s or p */
			"1000-2000 rwxsp 00000000 fe:00 1 /x\n"
			"1000_2000 rw-s 00000000 fe:00 1 /x\n"
			"1g00-2000 rw-s 00000000 fe:00 1 /x\n"
			"-1000-2000 rw-s 00000000 fe:00 1 /x\n"
			"10000000000000000-20000000000000000 rw-s 00000000 fe:00 1 /x\n"	/* overflow */
			"1000-2000 rw-s 00000000 fe:00 18446744073709551616 /x\n"
			"1000-2000 rw-s 10000000000000000 fe:00 1 /x\n"
			"1000-2000 rw-s 00000000 100000000:00 1 /x\n"
			"1000-2000 rw-s 00000000 fe:100000000 1 /x\n"
			"1000-2000 rw-s 00000000 fe:00\n"	/* missing fields */
			"1000-2000 rw-s 00000000 1\n"
			"1000-2000 rw-s fe:00 1 /x\n"
			"1000-2000 00000000 fe:00 1 /x\n"
			"1000-2000 rw-s 00000000 fe:00 /x\n"
			"2000-1000 rw-s 00000000 fe:00 1 /x\n"	/* empty or reversed */
			"2000-2000 rw-s 00000000 fe:00 1 /x\n"
			"1000-2000  rw-s 00000000 fe:00 1 /x\n"	/* fields split oddly */
			"1000-2000\trw-s 00000000 fe:00 1 /x\n"
			" 1000-2000 rw-s 00000000 fe:00 1 /x\n"
			"1000-2000 rw-s 00000000 fe:00 1x /x\n"
			"1000-2000 rw-s 00000000 fe:00 0x1 /x\n"
			"1000-2000 rw-s 00000000 fe:00 1 /x\0y\n"	/* embedded NUL */
			"1000-2000 rw-s 0000\0000 fe:00 1 /x\n"
			"\0\n"
			"\n"					/* blank: not counted */
			"   \n"
			"1000-2000 rw-s 00000000 fe:00 2 /good2\n"
			"1000-2000 rw-s 0",			/* truncated, no newline */
			&recs), 30);
	CHECK_INT(recs.n, 2);
	if (recs.n == 2) {
		CHECK_STR(recs.v[0].path, "/good1");
		CHECK_STR(recs.v[1].path, "/good2");
	}
	recs_free(&recs);

	/* a last line without its newline is whole all the same */
	CHECK_INT(PARSE("1000-2000 rw-s 00000000 fe:00 3 /last", &recs), 0);
	CHECK_INT(recs.n, 1);
	if (recs.n == 1)
		CHECK_STR(recs.v[0].path, "/last");
	recs_free(&recs);
	CHECK_INT(PARSE("1000-2000 rw-s 00000000 fe:00 3", &recs), 0);
	CHECK_INT(recs.n, 1);
	recs_free(&recs);
	/* cut anywhere, a line is either whole or skipped, and never read past */
	{
		static const char line[] = "7f2c4a000000-7f2c4a021000 rw-s 00001000 fe:01 1234567 /tmp/f (deleted)\n";

		for (size_t len = 0; len < sizeof(line) - 1; len++) {
			int r = parse_exact(line, len, &recs);

			CHECK(r == 0 || r == 1);
			CHECK_INT((size_t)r + recs.n, len > 0);
			recs_free(&recs);
		}
	}

	CHECK_INT(maps_parse_shared(NULL, 0, collect, &recs), 0);
	CHECK_INT(PARSE("", &recs), 0);
	CHECK_INT(PARSE("\n\n\n", &recs), 0);
	CHECK_INT(recs.n, 0);
}

static void test_stop(void)
{
	static const char text[] = "1000-2000 rw-s 00000000 fe:00 1 /a\n"
				   "2000-3000 rw-p 00000000 fe:00 2 /b\n"
				   "3000-4000 rw-s 00000000 fe:00 3 /c\n"
				   "4000-5000 rw-s 00000000 fe:00 4 /d\n";
	struct recs recs = RECS_INIT;

	recs.stop_at = 1;
	CHECK_INT(PARSE(text, &recs), -42);
	CHECK_INT(recs.n, 1);
	recs_free(&recs);
	recs.stop_at = 0;
	CHECK_INT(PARSE(text, &recs), -42);
	CHECK_INT(recs.n, 0);
	recs_free(&recs);
}

/* unescape TEXT and compare with WANT */
static void check_unescape(const char *text, const char *want)
{
	char buf[64];
	size_t len = strlen(text);

	memcpy(buf, text, len + 1);
	len = maps_unescape_newlines(buf, len);
	buf[len] = '\0';
	CHECK_STR(buf, want);
}

static void test_unescape(void)
{
	check_unescape("/tmp/plain", "/tmp/plain");
	check_unescape("/tmp/a\\012b", "/tmp/a\nb");
	check_unescape("\\012\\012", "\n\n");
	check_unescape("/a\\0123 (deleted)", "/a\n3 (deleted)");
	/* no other escape is the kernel's: left as they are */
	check_unescape("/a\\011\\01", "/a\\011\\01");
	check_unescape("/a\\", "/a\\");
	check_unescape("", "");
}

/* --- this process's own mappings ------------------------------------------- */

static bool recs_equal(const struct recs *a, const struct recs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct rec *x = &a->v[i], *y = &b->v[i];

		if (x->start != y->start || x->end != y->end || x->offset != y->offset ||
		    x->dev != y->dev || x->ino != y->ino || x->deleted != y->deleted ||
		    x->pathlen != y->pathlen || memcmp(x->path, y->path, x->pathlen) != 0) {
			fprintf(stderr, "differ: %" PRIx64 "-%" PRIx64 " '%s' vs %" PRIx64 "-%" PRIx64 " '%s'\n",
				x->start, x->end, x->path, y->start, y->end, y->path);
			return false;
		}
	}
	return true;
}

static const struct rec *recs_at(const struct recs *recs, const void *addr)
{
	for (size_t i = 0; i < recs->n; i++) {
		if (recs->v[i].start == (uintptr_t)addr)
			return &recs->v[i];
	}
	return NULL;
}

static int read_maps(const char *path, bool query, struct recs *recs, bool *query_after)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = maps_read_shared(fd, &query, collect, recs);
	close(fd);
	if (query_after)
		*query_after = query;
	return r;
}

/* A file of size bytes mapped shared, from offset; its stat in *st */
static void *map_file(int dirfd, const char *name, int flags, size_t size, off_t offset,
		      struct stat *st)
{
	int prot = (flags & O_ACCMODE) == O_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
	int fd = openat(dirfd, name, flags | O_CLOEXEC, 0600);
	void *p;

	if (fd < 0)
		return NULL;
	if ((prot & PROT_WRITE) && ftruncate(fd, (off_t)size + offset) < 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, size, prot, MAP_SHARED, fd, offset);
	fstat(fd, st);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

#define DEEP_LEVELS 24

/* A directory chain deep enough that a file in it has a path over PATH_MAX */
struct deep {
	int fd[DEEP_LEVELS + 1];	/* fd[0] the top, fd[i] level i */
	char comp[200];
	char *path;			/* of the file */
};

static bool deep_make(struct deep *deep, const char *top)
{
	size_t len = strlen(top);

	memset(deep->comp, 'd', sizeof(deep->comp) - 1);
	deep->comp[sizeof(deep->comp) - 1] = '\0';
	deep->path = malloc(len + DEEP_LEVELS * sizeof(deep->comp) + 3);
	if (!deep->path)
		return false;
	strcpy(deep->path, top);
	deep->fd[0] = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 1; i <= DEEP_LEVELS; i++) {
		if (mkdirat(deep->fd[i - 1], deep->comp, 0700) < 0)
			return false;
		deep->fd[i] = openat(deep->fd[i - 1], deep->comp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (deep->fd[i] < 0)
			return false;
		strcat(deep->path, "/");
		strcat(deep->path, deep->comp);
	}
	strcat(deep->path, "/f");
	return true;
}

static void deep_remove(struct deep *deep)
{
	unlinkat(deep->fd[DEEP_LEVELS], "f", 0);
	for (int i = DEEP_LEVELS; i > 0; i--) {
		close(deep->fd[i]);
		unlinkat(deep->fd[i - 1], deep->comp, AT_REMOVEDIR);
	}
	close(deep->fd[0]);
	free(deep->path);
}

#define OVERLAYFS_MAGIC 0x794c7630

/*
 * Older kernels show, for a file of an overlayfs, the dev and inode of the
 * file under it rather than those stat gives: there, they are not checked.
 */
static bool tmp_is_overlay(void)
{
	struct statfs sfs;

	return statfs("/tmp", &sfs) == 0 && sfs.f_type == OVERLAYFS_MAGIC;
}

static void check_file_rec(const struct rec *rec, const void *addr, size_t size, uint64_t offset,
			   const struct stat *st, const char *path, bool deleted)
{
	CHECK(rec != NULL);
	if (!rec)
		return;
	CHECK_INT(rec->end - rec->start, size);
	CHECK_INT(rec->offset, offset);
	if (!tmp_is_overlay()) {
		CHECK_INT(rec->dev, st->st_dev);
		CHECK_INT(rec->ino, st->st_ino);
	}
	CHECK_STR(rec->path, path);
	CHECK_INT(rec->pathlen, strlen(path));
	CHECK_INT(rec->deleted, deleted);
	(void)addr;
}

static void check_own_maps(const struct recs *recs, void *const *addr, const struct stat *st,
			   char *const *path)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const struct rec *anon = recs_at(recs, addr[4]);

	check_file_rec(recs_at(recs, addr[0]), addr[0], page, page, &st[0], path[0], false);
	/* read-only: VM_MAYSHARE without VM_SHARED is still 's' */
	check_file_rec(recs_at(recs, addr[1]), addr[1], page, 0, &st[1], path[1], false);
	check_file_rec(recs_at(recs, addr[2]), addr[2], page, 0, &st[2], path[2], false);
	check_file_rec(recs_at(recs, addr[3]), addr[3], page, 0, &st[3], path[3], true);
	/* shared anonymous memory is a deleted file of shmem */
	CHECK(anon != NULL);
	if (anon) {
		CHECK_INT(anon->end - anon->start, 3 * page);
		CHECK_STR(anon->path, "/dev/zero");
		CHECK(anon->deleted);
		CHECK_INT(anon->offset, 0);
	}
	if (addr[5])
		check_file_rec(recs_at(recs, addr[5]), addr[5], page, 0, &st[5], path[5], false);
}

static void test_live(void)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char file[] = "/tmp/ipcx-test maps.XXXXXX";
	char dir[] = "/tmp/ipcx-test-maps.XXXXXX";
	struct recs by_query = RECS_INIT, by_text = RECS_INIT, cut = RECS_INIT;
	struct stat st[6];
	void *addr[6] = { NULL };
	char *path[6] = { NULL };
	struct deep deep;
	bool query, have_deep;
	int fd, dirfd;

	fd = mkstemp(file);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	CHECK(mkdtemp(dir) != NULL);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dirfd >= 0);
	if (dirfd < 0) {
		unlink(file);
		return;
	}

	/*
	 * A path longer than PATH_MAX, which the ioctl cannot give. Mapped
	 * first, so likely above the others: the text takes over midway.
	 */
	have_deep = deep_make(&deep, dir);
	CHECK(have_deep);
	if (have_deep) {
		addr[5] = map_file(deep.fd[DEEP_LEVELS], "f", O_RDWR | O_CREAT, page, 0, &st[5]);
		path[5] = deep.path;
		CHECK(strlen(deep.path) > PATH_MAX);
	}
	/* a page from a page in, so the offset shows */
	addr[0] = map_file(AT_FDCWD, file, O_RDWR, page, (off_t)page, &st[0]);
	path[0] = strdup(file);
	addr[1] = map_file(AT_FDCWD, file, O_RDONLY, page, 0, &st[1]);
	path[1] = strdup(file);
	/* the text escapes a newline; the ioctl must come out the same */
	addr[2] = map_file(dirfd, "new\nline", O_RDWR | O_CREAT, page, 0, &st[2]);
	if (asprintf(&path[2], "%s/new\\012line", dir) < 0)
		path[2] = NULL;
	addr[3] = map_file(dirfd, "gone", O_RDWR | O_CREAT, page, 0, &st[3]);
	unlinkat(dirfd, "gone", 0);
	if (asprintf(&path[3], "%s/gone", dir) < 0)
		path[3] = NULL;
	addr[4] = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (addr[4] == MAP_FAILED)
		addr[4] = NULL;
	for (int i = 0; i < 6; i++) {
		CHECK(addr[i] != NULL);
		CHECK(path[i] != NULL || i == 4);
	}

	CHECK_INT(read_maps("/proc/self/maps", true, &by_query, &query), 0);
	if (!query)
		fprintf(stderr, "test-maps: no PROCMAP_QUERY here, the text was read\n");
	CHECK_INT(read_maps("/proc/self/maps", false, &by_text, &query), 0);
	CHECK(!query);
	CHECK(recs_equal(&by_query, &by_text));
	check_own_maps(&by_query, addr, st, path);
	check_own_maps(&by_text, addr, st, path);

	/* fn's error stops both ways at once */
	cut.stop_at = 2;
	CHECK_INT(read_maps("/proc/self/maps", true, &cut, NULL), -42);
	CHECK_INT(cut.n, 2);
	recs_free(&cut);
	cut.stop_at = 2;
	CHECK_INT(read_maps("/proc/self/maps", false, &cut, NULL), -42);
	CHECK_INT(cut.n, 2);
	recs_free(&cut);

	recs_free(&by_query);
	recs_free(&by_text);
	munmap(addr[0], page);
	munmap(addr[1], page);
	munmap(addr[2], page);
	munmap(addr[3], page);
	munmap(addr[4], 3 * page);
	if (have_deep) {
		munmap(addr[5], page);
		deep_remove(&deep);
	}
	unlinkat(dirfd, "new\nline", 0);
	close(dirfd);
	rmdir(dir);
	unlink(file);
	for (int i = 0; i < 5; i++)
		free(path[i]);
}

/* A process gone: a zombie has no mappings, a reaped one no maps at all */
static void test_exited(void)
{
	struct recs recs = RECS_INIT;
	siginfo_t info;
	char path[64];
	pid_t pid;
	int fd;

	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	if (pid < 0)
		return;
	/* wait for the zombie, leaving it there */
	CHECK_INT(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	for (int i = 0; i < 2; i++) {
		bool query = i == 0;

		CHECK_INT(maps_read_shared(fd, &query, collect, &recs), 0);
		CHECK_INT(recs.n, 0);
	}
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 2; i++) {
		bool query = i == 0;

		CHECK_INT(maps_read_shared(fd, &query, collect, &recs), -ESRCH);
		CHECK_INT(recs.n, 0);
	}
	close(fd);
}

/* A kernel without the ioctl: any file that is not maps answers it ENOTTY */
static void test_old_kernel(void)
{
	static const char text[] = "1000-2000 rw-s 00000000 fe:00 1 /a\n"
				   "2000-3000 rw-p 00000000 fe:00 2 /b\n"
				   "junk\n"
				   "3000-4000 r--s 00001000 00:01 3 /dev/zero (deleted)\n";
	struct recs from_fd = RECS_INIT, parsed = RECS_INIT;
	bool query = true;
	int fd = memfd_create("ipcx-test-maps", MFD_CLOEXEC);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, text, sizeof(text) - 1), sizeof(text) - 1);
	CHECK_INT(maps_read_shared(fd, &query, collect, &from_fd), 1);
	CHECK(!query);
	CHECK_INT(PARSE(text, &parsed), 1);
	CHECK_INT(from_fd.n, 2);
	CHECK(recs_equal(&from_fd, &parsed));
	recs_free(&from_fd);
	recs_free(&parsed);
	close(fd);
}

/* A mapping as maps names it: PATH, deleted or not, on device MAJOR:MINOR */
static bool sysv_named(const char *path, bool deleted, unsigned int major_nr, unsigned int minor_nr)
{
	struct shared_map map = { .dev = makedev(major_nr, minor_nr), .ino = 13, .path = path,
				  .pathlen = strlen(path), .deleted = deleted };

	return shared_map_is_sysv_shm(&map);
}

/* A System V segment's file: its name as newseg() makes it, deleted, on an internal mount */
static void test_sysv_names(void)
{
	CHECK(sysv_named("/SYSV0000abcd", true, 0, 1));
	CHECK(sysv_named("/SYSV00000000", true, 0, 17));	/* hugetlbfs */
	/* a disk's file of that name, mapped and unlinked */
	CHECK(!sysv_named("/SYSV0000abcd", true, 0xfe, 0));
	CHECK(!sysv_named("/SYSV0000abcd", false, 0, 1));
	CHECK(!sysv_named("/SYSV0000ABCD", true, 0, 1));
	CHECK(!sysv_named("/SYSV0000abcz", true, 0, 1));
	CHECK(!sysv_named("/SYSV0000abcde", true, 0, 1));
	CHECK(!sysv_named("/dev/zero", true, 0, 1));
}

/* A mapping of a file or of shared memory, named as maps names it, with an inode */
static bool file_named(const char *path)
{
	struct shared_map map = { .dev = makedev(0, 1), .ino = 13, .path = path,
				  .pathlen = strlen(path) };

	return shared_map_is_file(&map);
}

static void test_file_names(void)
{
	CHECK(file_named("/srv/data"));
	CHECK(file_named("/dev/zero"));		/* shared anonymous, with " (deleted)" */
	CHECK(file_named("/memfd:cache"));
	CHECK(file_named("[anon_shmem:ring]"));	/* shared anonymous, named (PR_SET_VMA) */
	CHECK(!file_named("anon_inode:[io_uring]"));
	CHECK(!file_named("anon_inode:[perf_event]"));
	CHECK(!file_named(""));
}

int main(void)
{
	test_normal();
	test_paths();
	test_sysv_names();
	test_file_names();
	test_private();
	test_malformed();
	test_stop();
	test_unescape();
	test_live();
	test_exited();
	test_old_kernel();
	return test_summary("test-maps");
}
