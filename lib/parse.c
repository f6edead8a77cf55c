// SPDX-License-Identifier: LGPL-2.1-or-later
/* Values typed by users: keys, ids, sizes, modes. Strict: junk is an error. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipcx-private.h"

/* In base (0: decimal, 0x hex or leading-0 octal), no sign, no blanks, at most max */
static int parse_unsigned_base(const char *s, int base, uint64_t max, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s || !val || !((*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE || v > max)
		return -ERANGE;
	if (errno || end == s || *end != '\0')
		return -EINVAL;
	*val = v;
	return 0;
}

/* Keys as ipcrm and ipcmk read them: 010 is octal */
static int parse_unsigned(const char *s, uint64_t max, uint64_t *val)
{
	return parse_unsigned_base(s, 0, max, val);
}

/*
 * Ids and inodes as ipcs, ipcrm, ss and lsof print them, in decimal: a
 * leading 0 is no octal (010, from zero-padded text, is 10), and only 0x
 * makes hexadecimal.
 */
IPCX_EXPORT int ipcx_parse_number(const char *s, uint64_t max, uint64_t *val)
{
	if (s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_unsigned_base(s, 16, max, val);
	return parse_unsigned_base(s, 10, max, val);
}

IPCX_EXPORT int ipcx_parse_key(const char *s, uint32_t *key)
{
	uint64_t v;
	int r = key ? parse_unsigned(s, UINT32_MAX, &v) : -EINVAL;

	if (r == 0)
		*key = (uint32_t)v;
	return r;
}

IPCX_EXPORT int ipcx_parse_id(const char *s, int *id)
{
	uint64_t v;
	int r = id ? ipcx_parse_number(s, INT_MAX, &v) : -EINVAL;

	if (r == 0)
		*id = (int)v;
	return r;
}

/* The multiplier a size suffix stands for, or 0 if it is not one */
static uint64_t size_multiplier(const char *suffix)
{
	static const char letters[] = "KMGTPE";
	const char *at;
	uint64_t base = 1024, mult = 1;

	if (*suffix == '\0' || strcasecmp(suffix, "B") == 0)
		return 1;
	/* not strchr() of the letter: a space, upper-cased, would find the NUL */
	at = memchr(letters, *suffix & ~0x20, sizeof(letters) - 1);
	if (!at)
		return 0;
	if (strcasecmp(suffix + 1, "B") == 0)
		base = 1000;
	else if (suffix[1] != '\0' && strcasecmp(suffix + 1, "iB") != 0)
		return 0;
	for (const char *l = letters; l <= at; l++)
		mult *= base;
	return mult;
}

IPCX_EXPORT int ipcx_parse_size(const char *s, uint64_t *size)
{
	unsigned long long v;
	uint64_t mult;
	char *end;

	if (!s || !size || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	mult = size_multiplier(end);
	if (!mult)
		return -EINVAL;
	if (v == 0)
		return -ERANGE;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*size = v * mult;
	return 0;
}

IPCX_EXPORT int ipcx_parse_mode(const char *s, unsigned int *mode)
{
	unsigned long v;
	char *end;

	if (!s || !mode || *s < '0' || *s > '7' || strlen(s) > 4)
		return -EINVAL;
	v = strtoul(s, &end, 8);
	if (*end != '\0')
		return -EINVAL;
	if (v > 0777)
		return -ERANGE;
	*mode = (unsigned int)v;
	return 0;
}

IPCX_EXPORT int ipcx_parse_duration(const char *s, uint64_t *seconds)
{
	static const struct {
		char suffix;
		uint64_t seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	unsigned long long v;
	uint64_t mult = 0;
	char *end;

	if (!s || !seconds || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end == '\0')
		mult = 1;
	for (size_t i = 0; !mult && i < sizeof(units) / sizeof(units[0]); i++) {
		if (end[0] == units[i].suffix && end[1] == '\0')
			mult = units[i].seconds;
	}
	if (!mult)
		return -EINVAL;
	if (v == 0 || v > UINT64_MAX / mult)
		return -ERANGE;
	*seconds = v * mult;
	return 0;
}
