// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A /proc mounted with hidepid=invisible or hidepid=ptraceable leaves the
 * processes the caller may not inspect out of its directory altogether, and
 * one with hidepid=noaccess keeps even their stat from the caller, so that
 * the process list skips them: the process engine cannot count them as
 * unreadable, since it never meets them. So the mount's options are read,
 * to tell the caller that processes may be missing.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ipcx-private.h"

/* hidepid= as a number, whether written as one (before Linux 5.8) or as a word */
static int hidepid_value(const char *value, size_t len)
{
	static const char *const words[] = { "off", "noaccess", "invisible", NULL, "ptraceable" };

	if (len == 1 && value[0] >= '0' && value[0] <= '4')
		return value[0] - '0';
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (words[i] && strlen(words[i]) == len && strncmp(value, words[i], len) == 0)
			return (int)i;
	}
	return -EINVAL;
}

/* gid= in decimal; one that does not parse is no group anyone is in */
static uint32_t option_gid(const char *value, size_t len)
{
	uint64_t gid = 0;

	for (size_t i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9' || gid > UINT32_MAX / 10)
			return UINT32_MAX;
		gid = gid * 10 + (uint64_t)(value[i] - '0');
	}
	return gid < UINT32_MAX ? (uint32_t)gid : UINT32_MAX;
}

/* One option of the comma-separated list [opt, end) */
static void proc_option(const char *opt, size_t len, struct proc_mount *out)
{
	if (len > 8 && strncmp(opt, "hidepid=", 8) == 0) {
		int v = hidepid_value(opt + 8, len - 8);

		/* unknown: the strictest, so that nothing hidden is taken for seen */
		out->hidepid = v < 0 ? PROC_HIDEPID_PTRACEABLE : v;
	} else if (len > 4 && strncmp(opt, "gid=", 4) == 0) {
		out->gid = option_gid(opt + 4, len - 4);
	}
}

static void proc_options(const char *opts, const char *end, struct proc_mount *out)
{
	while (opts < end) {
		const char *comma = memchr(opts, ',', (size_t)(end - opts));
		const char *stop = comma ? comma : end;

		proc_option(opts, (size_t)(stop - opts), out);
		opts = stop + 1;
	}
}

/* The next space-separated field of [*p, end): *field, *len; advances *p */
static bool next_field(const char **p, const char *end, const char **field, size_t *len)
{
	const char *s = *p, *stop;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return false;
	stop = memchr(s, ' ', (size_t)(end - s));
	if (!stop)
		stop = end;
	*field = s;
	*len = (size_t)(stop - s);
	*p = stop;
	return true;
}

static bool field_is(const char *field, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(field, word, len) == 0;
}

/* "MAJ:MIN" to a device number as st_dev has it */
static bool field_dev(const char *field, size_t len, uint64_t *dev)
{
	unsigned int maj, min;
	char copy[32], extra;

	if (len >= sizeof(copy))
		return false;
	memcpy(copy, field, len);
	copy[len] = '\0';
	if (sscanf(copy, "%u:%u%c", &maj, &min, &extra) != 2)
		return false;
	*dev = makedev(maj, min);
	return true;
}

/*
 * "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS":
 * true for a proc mount of device dev, whose super options are then read
 */
static bool proc_line(const char *p, const char *end, uint64_t dev, struct proc_mount *out)
{
	const char *f = NULL;
	size_t len = 0;
	uint64_t d;

	for (int i = 0; i < 3; i++) {
		if (!next_field(&p, end, &f, &len))
			return false;
	}
	if (!field_dev(f, len, &d) || d != dev)
		return false;
	while (next_field(&p, end, &f, &len) && !field_is(f, len, "-"))
		;	/* ROOT, MOUNTPOINT, OPTS and the optional tags */
	if (!field_is(f, len, "-") || !next_field(&p, end, &f, &len) || !field_is(f, len, "proc") ||
	    !next_field(&p, end, &f, &len))
		return false;
	*out = (struct proc_mount){ .hidepid = 0, .gid = 0 };
	if (next_field(&p, end, &f, &len))
		proc_options(f, f + len, out);
	return true;
}

int mountinfo_proc_options(const char *text, size_t len, uint64_t dev, struct proc_mount *out)
{
	const char *end = text + len;

	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end;

		if (proc_line(line, stop, dev, out))
			return 0;
		line = stop + 1;
	}
	return -ENOENT;
}

/* ptrace_may_access() lets CAP_SYS_PTRACE read every process, whatever hidepid says */
static bool has_cap_sys_ptrace(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &head, data) < 0)
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_PTRACE)].effective & CAP_TO_MASK(CAP_SYS_PTRACE);
}

/* The kernel's in_group_p(): the filesystem gid (the effective one) or a supplementary group */
static bool in_group(gid_t gid)
{
	int n = getgroups(0, NULL);
	gid_t *groups;
	bool found = getegid() == gid;

	if (found || n <= 0)
		return found;
	groups = calloc((size_t)n, sizeof(*groups));
	if (!groups)
		return false;
	n = getgroups(n, groups);
	for (int i = 0; i < n && !found; i++)
		found = groups[i] == gid;
	free(groups);
	return found;
}

/*
 * Whether the caller sees every process under these options
 * (has_pid_permissions()). Under noaccess the other users' processes are
 * listed, but their directories cannot be read, not even their stat: the
 * process list (libproc2) leaves them out as it does those invisible ones.
 */
static bool sees_every_process(const struct proc_mount *m)
{
	if (m->hidepid == 0)
		return true;
	if (has_cap_sys_ptrace())
		return true;
	/* gid= exempts its members from noaccess and invisible, not from ptraceable */
	return m->hidepid != PROC_HIDEPID_PTRACEABLE && in_group((gid_t)m->gid);
}

int procs_hidepid(void)
{
	struct proc_mount m;
	struct stat st;
	char *text;
	size_t len;
	int r;

	if (stat("/proc", &st) < 0 || read_file("/proc/self/mountinfo", &text, &len) < 0)
		return 0;	/* then no process was read either */
	r = mountinfo_proc_options(text, len, st.st_dev, &m);
	free(text);
	if (r < 0 || sees_every_process(&m))
		return 0;
	return m.hidepid;
}
