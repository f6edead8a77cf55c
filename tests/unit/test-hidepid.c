// SPDX-License-Identifier: LGPL-2.1-or-later
/* The options of a proc mount in /proc/self/mountinfo, as Linux prints them. */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "ipcx-private.h"
#include "testing.h"

/*
 * Captured in a PID namespace of its own (Linux 6.18): the /proc it was
 * started with, then its own, remounted with hidepid=invisible,gid=5, on top
 */
static const char mountinfo[] =
	"27 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n"
	"48 46 0:21 / /proc rw,relatime - proc proc rw\n"
	"66 48 0:40 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw,gid=5,hidepid=invisible\n"
	"70 27 0:41 / /dev/shm rw shared:5 - tmpfs ipcx-test-shm rw,mode=1777\n";

static int options_of(const char *text, unsigned int maj, unsigned int min, struct proc_mount *m)
{
	*m = (struct proc_mount){ .hidepid = -1, .gid = 12345 };
	return mountinfo_proc_options(text, strlen(text), makedev(maj, min), m);
}

static void test_by_device(void)
{
	struct proc_mount m;

	CHECK_INT(options_of(mountinfo, 0, 40, &m), 0);
	CHECK_INT(m.hidepid, PROC_HIDEPID_INVISIBLE);
	CHECK_INT(m.gid, 5);
	/* the /proc underneath: no option, so gid 0, which the kernel defaults to */
	CHECK_INT(options_of(mountinfo, 0, 21, &m), 0);
	CHECK_INT(m.hidepid, 0);
	CHECK_INT(m.gid, 0);
	/* a device that is no proc mount, or none at all */
	CHECK_INT(options_of(mountinfo, 0, 41, &m), -ENOENT);
	CHECK_INT(options_of(mountinfo, 9, 9, &m), -ENOENT);
}

static void test_values(void)
{
	struct proc_mount m;

	/* numbers, as kernels before 5.8 print them */
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc rw,hidepid=2\n", 0, 5, &m), 0);
	CHECK_INT(m.hidepid, PROC_HIDEPID_INVISIBLE);
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc rw,hidepid=ptraceable", 0, 5, &m), 0);
	CHECK_INT(m.hidepid, PROC_HIDEPID_PTRACEABLE);
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc rw,hidepid=noaccess,subset=pid", 0, 5,
			     &m), 0);
	CHECK_INT(m.hidepid, 1);
	/* a word this parser does not know is taken for the strictest */
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc hidepid=secret", 0, 5, &m), 0);
	CHECK_INT(m.hidepid, PROC_HIDEPID_PTRACEABLE);
	/* a gid that is no number is no group anyone is in */
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc gid=5x,hidepid=2", 0, 5, &m), 0);
	CHECK_INT(m.gid, UINT32_MAX);
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc proc gid=99999999999", 0, 5, &m), 0);
	CHECK_INT(m.gid, UINT32_MAX);
}

static void test_malformed(void)
{
	struct proc_mount m;

	/* not proc, no separator, no fields after it, no device */
	CHECK_INT(options_of("1 1 0:5 / /x rw - tmpfs proc hidepid=2\n", 0, 5, &m), -ENOENT);
	CHECK_INT(options_of("1 1 0:5 / /proc rw proc proc hidepid=2\n", 0, 5, &m), -ENOENT);
	CHECK_INT(options_of("1 1 0:5 / /proc rw -\n", 0, 5, &m), -ENOENT);
	CHECK_INT(options_of("1 1 0:5 / /proc rw - proc\n", 0, 5, &m), -ENOENT);
	CHECK_INT(options_of("1 1 0-5 / /proc rw - proc proc hidepid=2\n", 0, 5, &m), -ENOENT);
	CHECK_INT(options_of("", 0, 5, &m), -ENOENT);
	/* optional tags before the separator; no super options at all */
	CHECK_INT(options_of("1 1 0:5 / /proc rw shared:1 master:2 - proc proc\n", 0, 5, &m), 0);
	CHECK_INT(m.hidepid, 0);
	/* only len bytes are read: the line is cut before its options */
	CHECK_INT(mountinfo_proc_options("1 1 0:5 / /proc rw - proc proc hidepid=2", 30,
					 makedev(0, 5), &m), 0);
	CHECK_INT(m.hidepid, 0);
}

int main(void)
{
	test_by_device();
	test_values();
	test_malformed();
	return test_summary("test-hidepid");
}
