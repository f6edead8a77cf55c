// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer: the small files of /proc and the mqueue fs: /proc/PID/syscall,
 * /dev/mqueue/NAME ("QSIZE:... NOTIFY_PID:..."), sysctl values, the proc
 * mounts of /proc/self/mountinfo. The first
 * byte picks the parser; those that read NUL-terminated text get a copy.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcx-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t a, b, vals[4], args[6];
	struct proc_mount mount;
	char *text;
	long nr;

	if (size == 0)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		syscall_parse(text, &nr, args, sizeof(args) / sizeof(args[0]));
		break;
	case 1:
		mqueue_info_parse(text, &a, &b);
		break;
	case 2:
		/* exactly the bytes given, not the copy: the parser must stop at size */
		sysctl_parse_u64s((const char *)data + 1, size - 1, vals, 4);
		break;
	default:
		/* the same: device 0:5 */
		mountinfo_proc_options((const char *)data + 1, size - 1, 5, &mount);
		break;
	}
	free(text);
	return 0;
}
