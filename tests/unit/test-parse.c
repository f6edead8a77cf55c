// SPDX-License-Identifier: LGPL-2.1-or-later
/* Keys, ids, sizes and modes as users type them; what /proc/PID/syscall and auxv say. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "ipcx-private.h"
#include "procs.h"
#include "testing.h"

static void test_keys(void)
{
	uint32_t key = 1;

	CHECK_INT(ipcx_parse_key("1", NULL), -EINVAL);
	CHECK_INT(ipcx_parse_id("1", NULL), -EINVAL);
	CHECK_INT(ipcx_parse_key("0x1234abcd", &key), 0);
	CHECK_INT(key, 0x1234abcd);
	CHECK_INT(ipcx_parse_key("305441741", &key), 0);
	CHECK_INT(key, 0x1234abcd);
	CHECK_INT(ipcx_parse_key("0777", &key), 0);	/* leading 0: octal */
	CHECK_INT(key, 0777);
	CHECK_INT(ipcx_parse_key("0", &key), 0);
	CHECK_INT(key, 0);
	CHECK_INT(ipcx_parse_key("0xffffffff", &key), 0);
	CHECK_INT(key, 0xffffffffu);
	CHECK_INT(ipcx_parse_key("0x100000000", &key), -ERANGE);
	CHECK_INT(ipcx_parse_key("99999999999999999999999", &key), -ERANGE);
	CHECK_INT(ipcx_parse_key("-1", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("+1", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key(" 1", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("1 ", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("0xZZ", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("0x", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key("08", &key), -EINVAL);	/* not octal */
	CHECK_INT(ipcx_parse_key("12abc", &key), -EINVAL);
	CHECK_INT(ipcx_parse_key(NULL, &key), -EINVAL);
}

static void test_ids(void)
{
	int id = -1;

	CHECK_INT(ipcx_parse_id("65538", &id), 0);
	CHECK_INT(id, 65538);
	CHECK_INT(ipcx_parse_id("0x10", &id), 0);
	CHECK_INT(id, 16);
	/* decimal, as ipcs -i reads it: zero-padded text is no octal */
	CHECK_INT(ipcx_parse_id("010", &id), 0);
	CHECK_INT(id, 10);
	CHECK_INT(ipcx_parse_id("09", &id), 0);
	CHECK_INT(id, 9);
	CHECK_INT(ipcx_parse_id("0x", &id), -EINVAL);
	CHECK_INT(ipcx_parse_id("0x7fffffff", &id), 0);
	CHECK_INT(id, INT_MAX);
	CHECK_INT(ipcx_parse_id("0x80000000", &id), -ERANGE);
	CHECK_INT(ipcx_parse_id("2147483647", &id), 0);
	CHECK_INT(ipcx_parse_id("2147483648", &id), -ERANGE);
	CHECK_INT(ipcx_parse_id("-5", &id), -EINVAL);
	CHECK_INT(ipcx_parse_id("abc", &id), -EINVAL);
	CHECK_INT(ipcx_parse_id("1.5", &id), -EINVAL);
}

static void test_numbers(void)
{
	uint64_t v = 0;

	CHECK_INT(ipcx_parse_number("4294967295", UINT32_MAX, &v), 0);
	CHECK_INT(v == UINT32_MAX, 1);
	CHECK_INT(ipcx_parse_number("4294967296", UINT32_MAX, &v), -ERANGE);
	CHECK_INT(ipcx_parse_number("18446744073709551615", UINT64_MAX, &v), 0);
	CHECK_INT(v == UINT64_MAX, 1);
	CHECK_INT(ipcx_parse_number("0X1F", 100, &v), 0);
	CHECK_INT(v == 31, 1);
	CHECK_INT(ipcx_parse_number("017", 100, &v), 0);
	CHECK_INT(v == 17, 1);
	CHECK_INT(ipcx_parse_number(" 1", 100, &v), -EINVAL);
	CHECK_INT(ipcx_parse_number("+1", 100, &v), -EINVAL);
	CHECK_INT(ipcx_parse_number("1", 100, NULL), -EINVAL);
}

static void test_sizes(void)
{
	uint64_t size = 0;

	CHECK_INT(ipcx_parse_size("4096", &size), 0);
	CHECK_INT(size, 4096);
	CHECK_INT(ipcx_parse_size("8K", &size), 0);
	CHECK_INT(size, 8192);
	CHECK_INT(ipcx_parse_size("8k", &size), 0);
	CHECK_INT(size, 8192);
	CHECK_INT(ipcx_parse_size("1M", &size), 0);
	CHECK_INT(size, 1048576);
	CHECK_INT(ipcx_parse_size("2GiB", &size), 0);
	CHECK_INT(size, 2147483648LL);
	CHECK_INT(ipcx_parse_size("1KB", &size), 0);
	CHECK_INT(size, 1000);
	CHECK_INT(ipcx_parse_size("3B", &size), 0);
	CHECK_INT(size, 3);
	CHECK_INT(ipcx_parse_size("15E", &size), 0);
	CHECK_INT(size, 15ULL << 60);
	CHECK_INT(ipcx_parse_size("16E", &size), -ERANGE);
	CHECK_INT(ipcx_parse_size("99999999999999999999", &size), -ERANGE);
	CHECK_INT(ipcx_parse_size("0", &size), -ERANGE);
	CHECK_INT(ipcx_parse_size("0K", &size), -ERANGE);
	CHECK_INT(ipcx_parse_size("8X", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("8KiBB", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("8Ki", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("K", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("-1", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("0x10", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("1.5M", &size), -EINVAL);
	/* a space is no unit: upper-cased it is 0, the end of the unit letters */
	CHECK_INT(ipcx_parse_size("1 B", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("1 ", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("1 K", &size), -EINVAL);
	CHECK_INT(ipcx_parse_size("1@", &size), -EINVAL);
}

static void test_modes(void)
{
	unsigned int mode = 1;

	CHECK_INT(ipcx_parse_mode("600", &mode), 0);
	CHECK_INT(mode, 0600);
	CHECK_INT(ipcx_parse_mode("0644", &mode), 0);
	CHECK_INT(mode, 0644);
	CHECK_INT(ipcx_parse_mode("0", &mode), 0);
	CHECK_INT(mode, 0);
	CHECK_INT(ipcx_parse_mode("0777", &mode), 0);
	CHECK_INT(ipcx_parse_mode("1777", &mode), -ERANGE);
	CHECK_INT(ipcx_parse_mode("800", &mode), -EINVAL);
	CHECK_INT(ipcx_parse_mode("rw", &mode), -EINVAL);
	CHECK_INT(ipcx_parse_mode("00600", &mode), -EINVAL);
	CHECK_INT(ipcx_parse_mode("", &mode), -EINVAL);
	CHECK_INT(ipcx_parse_mode("-600", &mode), -EINVAL);
}

static void test_durations(void)
{
	uint64_t s = 0;

	CHECK_INT(ipcx_parse_duration("90", &s), 0);
	CHECK_INT(s, 90);
	CHECK_INT(ipcx_parse_duration("90s", &s), 0);
	CHECK_INT(s, 90);
	CHECK_INT(ipcx_parse_duration("30m", &s), 0);
	CHECK_INT(s, 1800);
	CHECK_INT(ipcx_parse_duration("2h", &s), 0);
	CHECK_INT(s, 7200);
	CHECK_INT(ipcx_parse_duration("7d", &s), 0);
	CHECK_INT(s, 604800);
	CHECK_INT(ipcx_parse_duration("1w", &s), 0);
	CHECK_INT(s, 604800);
	CHECK_INT(ipcx_parse_duration("0", &s), -ERANGE);
	CHECK_INT(ipcx_parse_duration("0h", &s), -ERANGE);
	CHECK_INT(ipcx_parse_duration("99999999999999999999", &s), -ERANGE);
	CHECK_INT(ipcx_parse_duration("30000000000000000w", &s), -ERANGE);
	CHECK_INT(ipcx_parse_duration("", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("h", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("2hours", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("2H", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("-2h", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration(" 2h", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("2h ", &s), -EINVAL);
	CHECK_INT(ipcx_parse_duration("1.5h", &s), -EINVAL);
}

/* /proc/PID/syscall: a blocked process's call and its first arguments */
static void test_syscall(void)
{
	uint64_t args[3] = { 0 }, arg = 0;
	long nr = 0;

	CHECK_INT(syscall_parse("65 0x3 0x7ffd2a0 0x1 0x0 0x0 0x0 0x7ffd290 0x7f12\n", &nr, &arg, 1), 0);
	CHECK_INT(nr, 65);
	CHECK_INT(arg, 3);
	CHECK_INT(syscall_parse("220 0x1f 0x0 0x0 0x0 0x0 0x0 0x0 0x0", &nr, &arg, 1), 0);
	CHECK_INT(arg, 31);
	/* openat(AT_FDCWD, path, O_WRONLY) */
	CHECK_INT(syscall_parse("257 0xffffffffffffff9c 0x7ffc1000 0x1 0x0 0x0 0x0 0x7ffc0 0x7f1\n",
				&nr, args, 3), 0);
	CHECK_INT(nr, 257);
	CHECK(args[0] == (uint64_t)-100 && args[1] == 0x7ffc1000 && args[2] == 1);
	CHECK_INT(syscall_parse("257 0x1 0x2", &nr, args, 3), -EINVAL);
	CHECK_INT(syscall_parse("running\n", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("-1 0x7ffd 0x7f12\n", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65 3", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65 0x", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65 0xzz", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65 0x3g", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("99999999999999999999 0x1", &nr, &arg, 1), -EINVAL);
	CHECK_INT(syscall_parse("65 0x11111111111111111111", &nr, &arg, 1), -EINVAL);
}

/* decode NR of a native or a 32-bit thread with arguments A0, A1, A2 */
static struct blocked_call decoded(long nr, bool compat, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[SYSCALL_ARGS] = { a0, a1, a2 };
	struct blocked_call call;

	syscall_decode(nr, args, compat, &call);
	return call;
}

/* What a blocked call waits on, in each ABI (numbers of the kernel's syscall tables) */
static void test_syscall_decode(void)
{
	struct blocked_call c;

	c = decoded(SYS_msgrcv, false, 7, 0, 0);
	CHECK(c.kind == BLOCKED_MSGRCV && c.id == 7);
	c = decoded(SYS_openat, false, (uint64_t)-100, 0x1000, O_WRONLY);
	CHECK(c.kind == BLOCKED_OPEN && c.open.dirfd_arg == 0 && c.open.path_arg == 1);
	CHECK(decoded(SYS_read, false, 0, 0, 0).kind == BLOCKED_NONE);
	CHECK(!syscall_abi_matters(SYS_read));
#ifdef __x86_64__
	/* semtimedop natively, getdents64 to a 32-bit process */
	CHECK(syscall_abi_matters(220));
	c = decoded(220, false, 3, 0, 0);
	CHECK(c.kind == BLOCKED_SEMOP && c.id == 3);
	CHECK(decoded(220, true, 3, 0, 0).kind == BLOCKED_NONE);
	/* ia32: ipc(SEMTIMEDOP, 5, ...), as /proc/PID/syscall showed a semop() */
	CHECK(syscall_abi_matters(117));
	c = decoded(117, true, 4, 5, 1);
	CHECK(c.kind == BLOCKED_SEMOP && c.id == 5);
	c = decoded(117, true, 0x10000 | 12, 9, 0);	/* MSGRCV, version 1 */
	CHECK(c.kind == BLOCKED_MSGRCV && c.id == 9);
	CHECK(decoded(117, true, 2, 9, 0).kind == BLOCKED_NONE);	/* SEMGET */
	CHECK(decoded(117, false, 4, 5, 1).kind == BLOCKED_NONE);	/* setresuid */
	c = decoded(400, true, 6, 0, 0);
	CHECK(c.kind == BLOCKED_MSGSND && c.id == 6);
	c = decoded(420, true, 8, 0, 0);
	CHECK(c.kind == BLOCKED_SEMOP && c.id == 8);
	c = decoded(5, true, 0x8000, O_RDONLY, 0);	/* open; fstat natively */
	CHECK(c.kind == BLOCKED_OPEN && c.open.dirfd_arg == -1 && c.open.flags_arg == 1);
	CHECK(decoded(5, false, 0x8000, 0, 0).kind == BLOCKED_NONE);
	c = decoded(295, true, 0xffffff9c, 0x8000, O_WRONLY);
	CHECK(c.kind == BLOCKED_OPEN && c.open.path_arg == 1 && !c.open.flags_in_how);
	c = decoded(437, true, 3, 0x8000, 0x9000);
	CHECK(c.kind == BLOCKED_OPEN && c.open.flags_in_how);
	/* x32: x86-64's msgsnd with __X32_SYSCALL_BIT, whatever its auxv says */
	CHECK(!syscall_abi_matters(0x40000000L + 69));
	c = decoded(0x40000000L + 69, true, 4, 0, 0);
	CHECK(c.kind == BLOCKED_MSGSND && c.id == 4);
#endif
}

/* /proc/PID/auxv: 64-bit pairs with a small first type, or 32-bit pairs */
static void test_auxv(void)
{
	const uint64_t native[] = { 33, 0x7ffd1000, 16, 0x178bfbff, 0, 0 };
	const uint32_t compat[] = { 32, 0xf7fc05e0, 33, 0xf7fc0000, 0, 0 };

	CHECK(!auxv_is_compat(native, sizeof(native)));
	CHECK(auxv_is_compat(compat, sizeof(compat)));
	CHECK(!auxv_is_compat(compat, 4));
	CHECK(!auxv_is_compat(NULL, 0));
}

int main(void)
{
	test_keys();
	test_ids();
	test_numbers();
	test_sizes();
	test_modes();
	test_durations();
	test_syscall();
	test_syscall_decode();
	test_auxv();
	return test_summary("test-parse");
}
