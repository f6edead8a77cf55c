// SPDX-License-Identifier: LGPL-2.1-or-later
/* Turning values into text, in one place for every kind and column. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <netinet/tcp.h>

#include "ipcx-private.h"
#include "format.h"

/* snprintf's result as this file's return convention */
static int fit(int n, size_t size)
{
	if (n < 0)
		return -EINVAL;
	return (size_t)n < size ? n : -ENOSPC;
}

int format_finish(int r, char *buf, size_t size)
{
	if (r < 0 && buf && size > 0)
		buf[0] = '\0';
	return r;
}

static int format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	unsigned int exp = 0;
	uint64_t unit = 1, tenths;

	while (bytes / unit >= 1024 && exp < sizeof(units) - 2) {
		unit *= 1024;
		exp++;
	}
	/*
	 * One decimal, rounded from the whole value (1101823 bytes are 1.05M:
	 * 1.1M), in 128 bits as bytes * 10 may not fit in 64; 1023.96K becomes
	 * 1M rather than 1024.0K
	 */
	tenths = (uint64_t)(((unsigned __int128)bytes * 10 + unit / 2) / unit);
	if (tenths >= 10240 && exp < sizeof(units) - 2) {
		unit *= 1024;
		exp++;
		tenths = (uint64_t)(((unsigned __int128)bytes * 10 + unit / 2) / unit);
	}
	if (tenths % 10 == 0)
		return fit(snprintf(buf, size, "%" PRIu64 "%c", tenths / 10, units[exp]), size);
	return fit(snprintf(buf, size, "%" PRIu64 ".%u%c", tenths / 10, (unsigned int)(tenths % 10),
			    units[exp]), size);
}

IPCX_EXPORT int ipcx_format_size(uint64_t bytes, char *buf, size_t size)
{
	if (!buf)
		return -EINVAL;
	return format_finish(format_size(bytes, buf, size), buf, size);
}

int format_perms(unsigned int mode, unsigned int flags, char *buf, size_t size)
{
	static const char rwx[] = "rwx";

	if (flags & IPCX_FMT_NUMERIC_PERMS)
		return fit(snprintf(buf, size, "%03o", mode & 0777), size);
	if (size < 10)
		return -ENOSPC;
	for (int bit = 0; bit < 9; bit++)
		buf[bit] = (mode & (0400u >> bit)) ? rwx[bit % 3] : '-';
	buf[9] = '\0';
	return 9;
}

static int format_status(unsigned int mode, char *buf, size_t size)
{
	bool dest = mode & SHM_DEST, locked = mode & SHM_LOCKED;

	if (!dest && !locked)
		return -ENODATA;
	return fit(snprintf(buf, size, "%s%s%s", dest ? "dest" : "",
			    dest && locked ? "," : "", locked ? "locked" : ""), size);
}

/* 2026-11-22T03:22:10+00:00: RFC 3339, which strftime's %z cannot give */
static int format_time_iso(const struct tm *tm, char *buf, size_t size)
{
	long off = tm->tm_gmtoff;
	char sign = off < 0 ? '-' : '+';

	if (off < 0)
		off = -off;
	return fit(snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
			    tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
			    tm->tm_hour, tm->tm_min, tm->tm_sec,
			    sign, off / 3600, off / 60 % 60), size);
}

int format_time(time_t t, time_t now, unsigned int flags, char *buf, size_t size)
{
	struct tm tm, tm_now;
	const char *fmt;
	size_t n;

	if (t == 0)
		return -ENODATA;
	if (!localtime_r(&t, &tm))
		return -EINVAL;
	switch (flags & IPCX_FMT_TIME_MASK) {
	case IPCX_FMT_TIME_ISO:
		return format_time_iso(&tm, buf, size);
	case IPCX_FMT_TIME_FULL:
		fmt = "%a %b %e %H:%M:%S %Y";
		break;
	default:
		localtime_r(&now, &tm_now);
		if (tm.tm_year != tm_now.tm_year)
			fmt = "%Y-%b%d";
		else if (tm.tm_yday != tm_now.tm_yday)
			fmt = "%b%d";
		else
			fmt = "%H:%M";
		break;
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"	/* fmt is one of the literals above */
	n = strftime(buf, size, fmt, &tm);
#pragma GCC diagnostic pop
	return n ? (int)n : -ENOSPC;
}

/*
 * Text and numbers are most cells of a listing: copied and converted here
 * at a tenth of what snprintf() costs to parse its format each time.
 */
static int format_name(const char *name, char *buf, size_t size)
{
	size_t len;

	if (!name)
		return -ENOMEM;
	len = strlen(name);
	if (len >= size)
		return -ENOSPC;
	memcpy(buf, name, len + 1);
	return (int)len;
}

static int format_number(uint64_t val, char *buf, size_t size)
{
	char digits[20];	/* UINT64_MAX has 20 */
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + val % 10);
		val /= 10;
	} while (val);
	if (n >= size)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		buf[i] = digits[n - 1 - i];
	buf[n] = '\0';
	return (int)n;
}

int format_text(const char *text, char *buf, size_t size)
{
	return text ? format_name(text, buf, size) : -ENODATA;
}

/* sock_diag's udiag_type: the SOCK_* numbers */
static const char *const socket_types[] = {
	[SOCK_STREAM] = "stream",
	[SOCK_DGRAM] = "dgram",
	[SOCK_SEQPACKET] = "seqpacket",
};

/* UNIX sockets report their state with the TCP_* numbers; af_unix uses these */
static const char *const socket_states[] = {
	[TCP_ESTABLISHED] = "connected",	/* dgram too: it has a default peer */
	[TCP_SYN_SENT] = "connecting",
	[TCP_CLOSE] = "unconnected",
	[TCP_LISTEN] = "listen",
};

/* A name from a table, or the number for a value the table lacks */
static int format_table_name(const char *const *names, size_t n, uint64_t val, char *buf,
			     size_t size)
{
	if (val < n && names[val])
		return format_name(names[val], buf, size);
	return format_number(val, buf, size);
}

/* A string as JSON wants it: quoted, with quotes, backslashes and control bytes escaped */
static int format_json_string(const char *s, char *buf, size_t size)
{
	size_t used = 0;

	if (size < 3)
		return -ENOSPC;
	buf[used++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int r = c < 0x20 ? snprintf(buf + used, size - used, "\\u%04x", c)
			: c == '"' || c == '\\' ? snprintf(buf + used, size - used, "\\%c", c)
						: snprintf(buf + used, size - used, "%c", c);

		r = fit(r, size - used);
		if (r < 0)
			return r;
		used += (size_t)r;
	}
	if (used + 2 > size)
		return -ENOSPC;
	buf[used++] = '"';
	buf[used] = '\0';
	return (int)used;
}

IPCX_EXPORT int ipcx_format_json_string(const char *s, char *buf, size_t size)
{
	if (!buf)
		return -EINVAL;
	return format_finish(s ? format_json_string(s, buf, size) : -EINVAL, buf, size);
}

/* One item of a list: "12" or "name[12]", quoted for JSON */
static int format_user(const struct ipcx_user *user, bool command, bool json, char *buf,
		       size_t size)
{
	char item[128];

	if (!command)
		return format_number((uint64_t)user->pid, buf, size);
	snprintf(item, sizeof(item), "%s[%d]", user->command, (int)user->pid);
	return json ? format_json_string(item, buf, size) : format_name(item, buf, size);
}

int format_users(const struct ipcx_user *users, size_t n, bool commands, unsigned int flags,
		 char *buf, size_t size)
{
	bool json = flags & IPCX_FMT_LIST_JSON;
	size_t used = 0;
	int r;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';	/* none: an empty cell */
	if (json && (r = format_name("[", buf, size)) > 0)
		used = (size_t)r;
	for (size_t i = 0; i < n; i++) {
		if (i && (r = format_name(",", buf + used, size - used)) > 0)
			used += (size_t)r;
		r = format_user(&users[i], commands, json, buf + used, size - used);
		if (r < 0)
			return r;
		used += (size_t)r;
	}
	if (json && (r = format_name("]", buf + used, size - used)) < 0)
		return r;
	return (int)(used + (json ? 1 : 0));
}

int format_pid_state(int state, char *buf, size_t size)
{
	static const char *const names[] = {
		[IPCX_PID_ALIVE] = "yes",
		[IPCX_PID_GONE] = "no",
		[IPCX_PID_REUSED] = "reused",
	};

	if (state < 0 || (size_t)state >= ARRAY_SIZE(names))
		return -ENODATA;
	return format_name(names[state], buf, size);
}

int format_value(struct ipcx_ctx *ctx, enum value_format format, uint64_t val,
		 unsigned int flags, char *buf, size_t size)
{
	switch (format) {
	case VF_KIND:
		return format_name(ipcx_kind_name((unsigned int)val), buf, size);
	case VF_KEY:
		return fit(snprintf(buf, size, "0x%08" PRIx32, (uint32_t)val), size);
	case VF_USER:
		if (!(flags & IPCX_FMT_NUMERIC_IDS))
			return format_name(ctx_user_name(ctx, (uint32_t)val), buf, size);
		break;
	case VF_GROUP:
		if (!(flags & IPCX_FMT_NUMERIC_IDS))
			return format_name(ctx_group_name(ctx, (uint32_t)val), buf, size);
		break;
	case VF_PERMS:
		return format_perms((unsigned int)val, flags, buf, size);
	case VF_SIZE:
		if (!(flags & IPCX_FMT_BYTES))
			return format_size(val, buf, size);
		break;
	case VF_STATUS:
		return format_status((unsigned int)val, buf, size);
	case VF_TIME:
		return format_time((time_t)val, time(NULL), flags, buf, size);
	case VF_SOCKTYPE:
		return format_table_name(socket_types, ARRAY_SIZE(socket_types), val, buf, size);
	case VF_SOCKSTATE:
		return format_table_name(socket_states, ARRAY_SIZE(socket_states), val, buf, size);
	default:	/* numbers; the views of users are read from the object */
		break;
	}
	return format_number(val, buf, size);
}
