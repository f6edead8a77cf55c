// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared mappings of a process, from /proc/PID/maps.
 *
 * The PROCMAP_QUERY ioctl (Linux 6.11+) asks the kernel for the shared
 * mappings only, skipping the formatting and parsing of every private one;
 * the text is the fallback. Both give the same records: the ioctl's names
 * are rewritten the way the text shows them, and whatever the ioctl cannot
 * report (a path longer than PATH_MAX, a process without memory) is read
 * from the text.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>

#include "ipcx-private.h"

/*
 * The ioctl's uapi (include/uapi/linux/fs.h), under names of our own since
 * older headers lack it; where the headers have it, they must agree.
 */
struct maps_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

#define MAPS_QUERY _IOWR('f', 17, struct maps_query)
#define MAPS_QUERY_VMA_SHARED 0x08
#define MAPS_QUERY_COVERING_OR_NEXT_VMA 0x10

#ifdef PROCMAP_QUERY
_Static_assert(MAPS_QUERY == PROCMAP_QUERY, "PROCMAP_QUERY changed");
_Static_assert(sizeof(struct maps_query) == sizeof(struct procmap_query), "procmap_query changed");
_Static_assert(MAPS_QUERY_VMA_SHARED == PROCMAP_QUERY_VMA_SHARED, "flags changed");
_Static_assert(MAPS_QUERY_COVERING_OR_NEXT_VMA == PROCMAP_QUERY_COVERING_OR_NEXT_VMA,
	       "flags changed");
#endif

/* The kernel gives at most PATH_MAX bytes of name, NUL included */
#define QUERY_NAME_SIZE PATH_MAX
/* Room for every byte of it escaped as \012 */
#define QUERY_NAME_BUF (4 * QUERY_NAME_SIZE)

#define DELETED " (deleted)"

/* A path as both sources give it: a trailing " (deleted)" becomes a flag */
static void set_path(struct shared_map *map, const char *path, size_t len)
{
	const size_t dlen = sizeof(DELETED) - 1;

	map->deleted = len >= dlen && memcmp(path + len - dlen, DELETED, dlen) == 0;
	if (map->deleted)
		len -= dlen;
	map->path = len ? path : "";
	map->pathlen = len;
}

/* --- the text -------------------------------------------------------------- */

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

/* One number in base 10 or 16; false if there is none or it overflows */
static bool take_number(const char **p, const char *end, unsigned int base, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;

	for (; s < end; s++) {
		unsigned int digit = digit_value(*s);

		if (digit >= base)
			break;
		if (v > (UINT64_MAX - digit) / base)
			return false;
		v = v * base + digit;
	}
	if (s == *p)
		return false;
	*p = s;
	*val = v;
	return true;
}

static bool take_char(const char **p, const char *end, char c)
{
	if (*p == end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* "rw-s": each letter or a dash, and 's' or 'p' last */
static bool take_perms(const char **p, const char *end, bool *shared)
{
	static const char on[] = "rwxs", off[] = "---p";
	const char *s = *p;

	if (end - s < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (s[i] != on[i] && s[i] != off[i])
			return false;
	}
	*shared = s[3] == 's';
	*p = s + 4;
	return true;
}

/* "start-end perms offset major:minor inode   path", without the newline */
static bool parse_line(const char *p, const char *end, struct shared_map *map, bool *shared)
{
	uint64_t major, minor;

	if (!take_number(&p, end, 16, &map->start) || !take_char(&p, end, '-') ||
	    !take_number(&p, end, 16, &map->end) || !take_char(&p, end, ' ') ||
	    !take_perms(&p, end, shared) || !take_char(&p, end, ' ') ||
	    !take_number(&p, end, 16, &map->offset) || !take_char(&p, end, ' ') ||
	    !take_number(&p, end, 16, &major) || !take_char(&p, end, ':') ||
	    !take_number(&p, end, 16, &minor) || !take_char(&p, end, ' ') ||
	    !take_number(&p, end, 10, &map->ino))
		return false;
	if (map->start >= map->end || major > UINT32_MAX || minor > UINT32_MAX)
		return false;
	/* the kernel ends the inode with a space, then pads up to the path */
	if (p < end && !take_char(&p, end, ' '))
		return false;
	while (p < end && *p == ' ')
		p++;
	/* no path holds a NUL: this is not the kernel's text */
	if (memchr(p, '\0', (size_t)(end - p)))
		return false;
	map->dev = makedev((unsigned int)major, (unsigned int)minor);
	set_path(map, p, (size_t)(end - p));
	return true;
}

bool shared_map_is_sysv_shm(const struct shared_map *map)
{
	/* a disk's file of that name, mapped and unlinked, has a major */
	return map->deleted && map->pathlen == 13 && strncmp(map->path, "/SYSV", 5) == 0 &&
	       strspn(map->path + 5, "0123456789abcdef") == 8 && major(map->dev) == 0;
}

/*
 * A file of a file system, named by its path. The kernel's own files that
 * a descriptor may be mapped from (io_uring's rings, perf's buffer, a BPF
 * map) are anon_inode:[...], all one inode: no file to anyone. A shared
 * anonymous mapping is /dev/zero (deleted), or [anon_shmem:NAME] once
 * named with PR_SET_VMA (Linux 6.2+), and a memfd /memfd:NAME: memory to
 * share, as a file is.
 */
bool shared_map_is_file(const struct shared_map *map)
{
	static const char named_shmem[] = "[anon_shmem:";
	const size_t named_len = sizeof(named_shmem) - 1;

	if (!map->ino || map->pathlen == 0)
		return false;
	return map->path[0] == '/' ||
	       (map->pathlen > named_len && memcmp(map->path, named_shmem, named_len) == 0);
}

static bool is_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end;
}

int maps_parse_shared(const char *text, size_t len, shared_map_fn fn, void *data)
{
	const char *p = text, *end;
	int skipped = 0;

	if (len == 0)
		return 0;
	end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		struct shared_map map;
		bool shared;

		/* a last line without its newline is taken as it is */
		if (!eol)
			eol = end;
		if (parse_line(p, eol, &map, &shared)) {
			if (shared) {
				int r = fn(data, &map);

				if (r < 0)
					return r;
			}
		} else if (!is_blank(p, eol) && skipped < INT_MAX) {
			skipped++;
		}
		p = eol < end ? eol + 1 : end;
	}
	return skipped;
}

/* What the ioctl already reported, so the text can take over after it */
struct maps_resume {
	shared_map_fn fn;
	void *data;
	uint64_t from;
};

static int resume_fn(void *data, const struct shared_map *map)
{
	const struct maps_resume *resume = data;

	if (map->end <= resume->from)
		return 0;
	return resume->fn(resume->data, map);
}

/* The text, reporting only the mappings that end after from */
static int maps_read_text(int fd, uint64_t from, shared_map_fn fn, void *data)
{
	struct maps_resume resume = { fn, data, from };
	char *text;
	size_t len;
	int r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	r = read_fd(fd, &text, &len);
	if (r < 0)
		return r;
	r = maps_parse_shared(text, len, resume_fn, &resume);
	free(text);
	return r;
}

/* --- the ioctl ------------------------------------------------------------- */

/*
 * The text shows a newline of a path as \012 (seq_path escapes it, so one
 * line stays one mapping); the ioctl gives it raw. Escape it the same way,
 * in place, from the end: buf holds QUERY_NAME_BUF bytes. A name holding
 * a real backslash-012 then reads as one with a newline, as in the text.
 */
static size_t escape_newlines(char *buf, size_t len)
{
	size_t newlines = 0, out;

	for (size_t i = 0; i < len; i++)
		newlines += buf[i] == '\n';
	if (!newlines)
		return len;
	out = len + 3 * newlines;
	for (size_t i = len, o = out; i > 0; i--) {
		if (buf[i - 1] != '\n') {
			buf[--o] = buf[i - 1];
			continue;
		}
		o -= 4;
		memcpy(buf + o, "\\012", 4);
	}
	return out;
}

size_t maps_unescape_newlines(char *buf, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (len - i >= 4 && memcmp(buf + i, "\\012", 4) == 0) {
			buf[out++] = '\n';
			i += 3;
		} else {
			buf[out++] = buf[i];
		}
	}
	return out;
}

/* The first shared mapping that ends after addr */
static int query_next(int fd, uint64_t addr, char *name, struct maps_query *q)
{
	*q = (struct maps_query){
		.size = sizeof(*q),
		.query_flags = MAPS_QUERY_VMA_SHARED | MAPS_QUERY_COVERING_OR_NEXT_VMA,
		.query_addr = addr,
		.vma_name_size = QUERY_NAME_SIZE,
		.vma_name_addr = (uint64_t)(uintptr_t)name,
	};
	while (ioctl(fd, MAPS_QUERY, q) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int query_report(const struct maps_query *q, char *name, shared_map_fn fn, void *data)
{
	struct shared_map map = {
		.start = q->vma_start,
		.end = q->vma_end,
		.offset = q->vma_offset,
		.dev = makedev(q->dev_major, q->dev_minor),
		.ino = q->inode,
	};
	size_t len = 0;

	/* the size counts the NUL; 0 means the mapping has no name */
	if (q->vma_name_size)
		len = strnlen(name, q->vma_name_size < QUERY_NAME_SIZE ?
				    q->vma_name_size : QUERY_NAME_SIZE);
	set_path(&map, name, escape_newlines(name, len));
	return fn(data, &map);
}

/* What a kernel without the ioctl answers */
static bool query_missing(int r)
{
	return r == -ENOTTY || r == -EINVAL || r == -EOPNOTSUPP;
}

int maps_read_shared(int fd, bool *query, shared_map_fn fn, void *data)
{
	struct maps_query q;
	uint64_t addr = 0;
	char *name;
	int r;

	if (!*query)
		return maps_read_text(fd, 0, fn, data);
	name = calloc(1, QUERY_NAME_BUF);
	if (!name)
		return -ENOMEM;
	for (;;) {
		r = query_next(fd, addr, name, &q);
		if (r < 0)
			break;
		/* each answer must move on, or this never ends */
		if (q.vma_end <= addr || q.vma_start >= q.vma_end) {
			r = -EBADMSG;
			goto out;
		}
		r = query_report(&q, name, fn, data);
		if (r < 0)
			goto out;
		addr = q.vma_end;
	}
	if (r == -ENOENT) {
		/* no shared mapping after addr */
		r = 0;
	} else if (addr == 0 && query_missing(r)) {
		*query = false;
		r = maps_read_text(fd, 0, fn, data);
	} else if (r == -ENAMETOOLONG || r == -ESRCH) {
		/*
		 * A path longer than PATH_MAX, which only the text shows; or
		 * no memory to ask about, where the text says whether that is
		 * an empty map (a zombie) or an error (a reaped process).
		 */
		r = maps_read_text(fd, addr, fn, data);
	}
out:
	free(name);
	return r;
}
