// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer: /proc/sysvipc/{shm,sem,msg} text. */
#include "ipcx-private.h"

static void on_row(void *data, const uint64_t *val, uint64_t present)
{
	(void)data;
	(void)val;
	(void)present;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sysvipc_stats stats = { 0 };

	sysvipc_parse((const char *)data, size, on_row, NULL, &stats);
	return 0;
}
