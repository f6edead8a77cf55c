// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer: /proc/PID/maps text; every mapping reported must lie inside the input. */
#include <stdlib.h>

#include "ipcx-private.h"

struct bounds {
	const char *text;
	size_t size;
};

static int on_map(void *data, const struct shared_map *map)
{
	const struct bounds *b = data;

	/* a path outside the text would be a read past the buffer */
	if (map->pathlen && (map->path < b->text || map->path + map->pathlen > b->text + b->size))
		abort();
	if (map->start >= map->end)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bounds b = { (const char *)data, size };

	maps_parse_shared((const char *)data, size, on_map, &b);
	return 0;
}
