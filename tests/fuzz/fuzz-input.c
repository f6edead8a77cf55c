// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer: what users type: keys, ids, sizes, modes, durations, POSIX
 * names of every kind, kind words and column names.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ipcx-private.h"

static void parse_all(const char *s)
{
	char name[NAME_MAX + 2];
	unsigned int mode, mask;
	uint64_t u64;
	uint32_t key;
	int id;

	ipcx_parse_key(s, &key);
	ipcx_parse_id(s, &id);
	ipcx_parse_size(s, &u64);
	ipcx_parse_mode(s, &mode);
	ipcx_parse_duration(s, &u64);
	ipcx_kinds_parse(s, &mask);
	ipcx_col_from_name(s, strlen(s));
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		ipcx_parse_posix_name(k, s, name, sizeof(name));
		ipcx_parse_posix_name(k, s, name, 3);	/* a buffer too short */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	parse_all(s);
	free(s);
	return 0;
}
