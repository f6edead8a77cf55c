// SPDX-License-Identifier: LGPL-2.1-or-later
/* Reading the kernel's text: whole files, sysctl values, /proc/sysvipc tables. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipcx-private.h"

int read_fd(int fd, char **buf, size_t *len)
{
	size_t alloc = 65536, n = 0;
	char *data = malloc(alloc);
	int r = 0;

	if (!data)
		return -ENOMEM;
	for (;;) {
		ssize_t got;

		if (alloc - n < 4096) {
			char *bigger = realloc(data, alloc * 2);

			if (!bigger) {
				r = -ENOMEM;
				break;
			}
			data = bigger;
			alloc *= 2;
		}
		got = read(fd, data + n, alloc - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			r = got < 0 ? -errno : 0;
			break;
		}
		n += (size_t)got;
	}
	if (r < 0) {
		free(data);
		return r;
	}
	data[n] = '\0';
	*buf = data;
	*len = n;
	return 0;
}

int read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = read_fd(fd, buf, len);
	close(fd);
	return r;
}

/* One unsigned decimal (or octal) number; advances *p. False if none. */
static bool parse_number(const char **p, const char *end, unsigned int base,
			 bool allow_minus, uint64_t *val)
{
	const char *s = *p;
	bool minus = false;
	uint64_t v = 0;

	if (allow_minus && s < end && *s == '-') {
		minus = true;
		s++;
	}
	if (s == end || *s < '0' || *s >= (char)('0' + base))
		return false;
	while (s < end && *s >= '0' && *s < (char)('0' + base)) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - digit) / base)
			return false;
		v = v * base + digit;
		s++;
	}
	*p = s;
	*val = minus ? (uint64_t)-(int64_t)v : v;
	return true;
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

int sysctl_parse_u64s(const char *text, size_t len, uint64_t *vals, size_t max)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (n < max) {
		p = skip_blanks(p, end);
		if (!parse_number(&p, end, 10, false, &vals[n]))
			break;
		n++;
	}
	p = skip_blanks(p, end);
	/* junk after the numbers means this is not the file we think it is */
	if (n == 0 || (p < end && *p != '\n' && n < max))
		return -EBADMSG;
	return (int)n;
}

int read_sysctl_u64s(const char *path, uint64_t *vals, size_t max)
{
	char *buf;
	size_t len;
	int r = read_file(path, &buf, &len);

	if (r < 0)
		return r;
	r = sysctl_parse_u64s(buf, len, vals, max);
	free(buf);
	return r;
}

int read_sysctl_u64(const char *path, uint64_t *val)
{
	int r = read_sysctl_u64s(path, val, 1);

	return r < 0 ? r : 0;
}

/* /proc/sysvipc column names, for all three files */
static const struct sysvipc_column {
	const char *name;
	enum ipcx_field field;
	unsigned int base;
	bool is_signed;
} sysvipc_columns[] = {
	{ "key", F_KEY, 10, true },	/* printed as a signed int */
	{ "shmid", F_ID, 10, false },
	{ "semid", F_ID, 10, false },
	{ "msqid", F_ID, 10, false },
	{ "perms", F_MODE, 8, false },
	{ "size", F_SIZE, 10, false },
	{ "cbytes", F_SIZE, 10, false },
	{ "qnum", F_MESSAGES, 10, false },
	{ "nsems", F_NSEMS, 10, false },
	{ "nattch", F_NATTCH, 10, false },
	{ "cpid", F_CPID, 10, false },
	{ "lpid", F_LPID, 10, false },
	{ "lspid", F_LSPID, 10, false },
	{ "lrpid", F_LRPID, 10, false },
	{ "uid", F_UID, 10, false },
	{ "gid", F_GID, 10, false },
	{ "cuid", F_CUID, 10, false },
	{ "cgid", F_CGID, 10, false },
	{ "atime", F_ATIME, 10, false },
	{ "dtime", F_DTIME, 10, false },
	{ "stime", F_STIME, 10, false },
	{ "rtime", F_RTIME, 10, false },
	{ "otime", F_OTIME, 10, false },
	{ "ctime", F_CTIME, 10, false },
	{ "rss", F_RSS, 10, false },
	{ "swap", F_SWAP, 10, false },
};

#define SYSVIPC_MAX_COLUMNS 32

static const struct sysvipc_column *sysvipc_column_named(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysvipc_columns); i++) {
		if (strlen(sysvipc_columns[i].name) == len &&
		    memcmp(sysvipc_columns[i].name, name, len) == 0)
			return &sysvipc_columns[i];
	}
	return NULL;	/* a column a newer kernel added: skipped */
}

/* The header line to a column map; returns the number of columns or -EBADMSG */
static int sysvipc_header(const char *p, const char *end,
			  const struct sysvipc_column **map)
{
	int n = 0;

	for (;;) {
		const char *word;

		p = skip_blanks(p, end);
		if (p == end)
			break;
		if (n == SYSVIPC_MAX_COLUMNS)
			return -EBADMSG;
		word = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		map[n++] = sysvipc_column_named(word, (size_t)(p - word));
	}
	return n > 0 ? n : -EBADMSG;
}

/* One row; false if it does not have exactly one number per column */
static bool sysvipc_row(const char *p, const char *end,
			const struct sysvipc_column **map, int ncols,
			uint64_t *val, uint64_t *present)
{
	*present = 0;
	for (int c = 0; c < ncols; c++) {
		const struct sysvipc_column *col = map[c];
		uint64_t v;

		p = skip_blanks(p, end);
		if (!parse_number(&p, end, col ? col->base : 10, !col || col->is_signed, &v))
			return false;
		if (p < end && *p != ' ' && *p != '\t')
			return false;
		if (!col)
			continue;
		val[col->field] = col->field == F_KEY ? (uint32_t)v : v;
		*present |= FIELD_BIT(col->field);
	}
	return skip_blanks(p, end) == end && (*present & FIELD_BIT(F_ID));
}

int sysvipc_parse(const char *text, size_t len, sysvipc_row_fn fn, void *data,
		  struct sysvipc_stats *stats)
{
	const struct sysvipc_column *map[SYSVIPC_MAX_COLUMNS];
	const char *p = text, *end = text + len;
	struct sysvipc_stats counted = { 0, 0 };
	int ncols = -EBADMSG;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		uint64_t val[F_COUNT], present;

		if (!eol)
			eol = end;
		if (ncols < 0) {
			ncols = sysvipc_header(p, eol, map);
			if (ncols < 0)
				return ncols;
		} else if (sysvipc_row(p, eol, map, ncols, val, &present)) {
			fn(data, val, present);
			counted.rows++;
		} else if (skip_blanks(p, eol) != eol) {
			counted.skipped++;
		}
		p = eol + 1;
	}
	if (stats)
		*stats = counted;
	return ncols < 0 ? ncols : 0;
}

/* One "NAME:number" of the mqueue text; false if name is not there */
static bool mqueue_field(const char *text, const char *name, uint64_t *val)
{
	size_t len = strlen(name);

	for (const char *p = text; (p = strstr(p, name)); p += len) {
		const char *num = p + len;

		/* whole words only: "NOTIFY:" must not match inside "NOTIFY_PID:" */
		if ((p == text || p[-1] == ' ') &&
		    parse_number(&num, num + strlen(num), 10, false, val) &&
		    (*num == ' ' || *num == '\n' || *num == '\0'))
			return true;
	}
	return false;
}

int mqueue_info_parse(const char *text, uint64_t *qsize, uint64_t *notify_pid)
{
	if (!mqueue_field(text, "QSIZE:", qsize))
		return -EBADMSG;
	if (!mqueue_field(text, "NOTIFY_PID:", notify_pid))
		*notify_pid = 0;
	return 0;
}

/*
 * /proc/PID/syscall of a blocked process: "NR 0xARG1 ... 0xARG6 0xSP 0xPC".
 * A process that runs says "running", one outside a system call "-1 ...".
 * The first nargs arguments go to args[].
 */
int syscall_parse(const char *text, long *nr, uint64_t *args, size_t nargs)
{
	const char *p = text;
	char *end;
	long n;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || *end != ' ')
		return -EINVAL;
	for (size_t i = 0; i < nargs; i++) {
		if (strncmp(end, " 0x", 3) != 0)
			return -EINVAL;
		p = end + 3;
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return -EINVAL;
		args[i] = strtoull(p, &end, 16);
		if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
			return -EINVAL;
	}
	*nr = n;
	return 0;
}
