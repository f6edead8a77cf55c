// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system calls a blocked thread may wait in that tie it to an IPC
 * object, as /proc/PID/syscall numbers them: semop and msgsnd/msgrcv on an
 * id, open() of a FIFO that waits for the other end.
 *
 * The number is the thread's own ABI's. A 32-bit process on an x86-64
 * kernel (ia32) numbers its calls as i386 does, where 220 is getdents64 and
 * not semtimedop, and reaches System V IPC through the ipc() multiplexer;
 * an x32 process uses x86-64's numbers with __X32_SYSCALL_BIT set. Other
 * compat ABIs (arm on arm64) are not known here: their waits are missed.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include "procs.h"

#ifdef __x86_64__
/* arch/x86/entry/syscalls/syscall_32.tbl: asm/unistd_32.h clashes with the native header */
#define IA32_OPEN		5
#define IA32_CREAT		8
#define IA32_IPC		117
#define IA32_OPENAT		295
#define IA32_MSGSND		400
#define IA32_MSGRCV		401
#define IA32_SEMTIMEDOP_TIME64	420
#define IA32_OPENAT2		437
/* The calls of ipc(CALL, FIRST, ...) that block, from linux/ipc.h; FIRST is the id */
#define IPC_CALL_SEMOP		1
#define IPC_CALL_SEMTIMEDOP	4
#define IPC_CALL_MSGSND		11
#define IPC_CALL_MSGRCV		12
#define X32_SYSCALL_BIT		0x40000000L
#endif

static const struct open_call OPEN_AT = { 0, 1, 2, false };
static const struct open_call OPEN_AT2 = { 0, 1, 2, true };
static const struct open_call OPEN_CWD = { -1, 0, 1, false };
static const struct open_call CREAT_CWD = { -1, 0, -1, false };

static void wait_on(struct blocked_call *call, enum blocked_kind kind, uint64_t id)
{
	call->kind = kind;
	call->id = id;
}

static void opening(struct blocked_call *call, const struct open_call *how)
{
	call->kind = BLOCKED_OPEN;
	call->open = *how;
}

static void decode_native(long nr, const uint64_t *args, struct blocked_call *call)
{
#ifdef SYS_semop
	if (nr == SYS_semop)
		wait_on(call, BLOCKED_SEMOP, args[0]);
#endif
#ifdef SYS_semtimedop
	if (nr == SYS_semtimedop)
		wait_on(call, BLOCKED_SEMOP, args[0]);
#endif
#ifdef SYS_msgsnd
	if (nr == SYS_msgsnd)
		wait_on(call, BLOCKED_MSGSND, args[0]);
	if (nr == SYS_msgrcv)
		wait_on(call, BLOCKED_MSGRCV, args[0]);
#endif
#ifdef SYS_open
	if (nr == SYS_open)
		opening(call, &OPEN_CWD);
#endif
#ifdef SYS_creat
	if (nr == SYS_creat)
		opening(call, &CREAT_CWD);
#endif
#ifdef SYS_openat2
	if (nr == SYS_openat2)
		opening(call, &OPEN_AT2);
#endif
	if (nr == SYS_openat)
		opening(call, &OPEN_AT);
}

#ifdef __x86_64__
static void decode_ipc(const uint64_t *args, struct blocked_call *call)
{
	/* the upper half of CALL is a version, for ipc()'s older calling conventions */
	switch (args[0] & 0xffff) {
	case IPC_CALL_SEMOP:
	case IPC_CALL_SEMTIMEDOP:
		wait_on(call, BLOCKED_SEMOP, args[1]);
		break;
	case IPC_CALL_MSGSND:
		wait_on(call, BLOCKED_MSGSND, args[1]);
		break;
	case IPC_CALL_MSGRCV:
		wait_on(call, BLOCKED_MSGRCV, args[1]);
		break;
	}
}

static void decode_ia32(long nr, const uint64_t *args, struct blocked_call *call)
{
	switch (nr) {
	case IA32_IPC: decode_ipc(args, call); break;
	case IA32_SEMTIMEDOP_TIME64: wait_on(call, BLOCKED_SEMOP, args[0]); break;
	case IA32_MSGSND: wait_on(call, BLOCKED_MSGSND, args[0]); break;
	case IA32_MSGRCV: wait_on(call, BLOCKED_MSGRCV, args[0]); break;
	case IA32_OPEN: opening(call, &OPEN_CWD); break;
	case IA32_CREAT: opening(call, &CREAT_CWD); break;
	case IA32_OPENAT: opening(call, &OPEN_AT); break;
	case IA32_OPENAT2: opening(call, &OPEN_AT2); break;
	}
}
#endif

bool syscall_abi_matters(long nr)
{
#ifdef __x86_64__
	struct blocked_call native = { .kind = BLOCKED_NONE }, ia32 = native;
	/* ipc()'s CALL as a wait, so that the number itself is what is judged */
	uint64_t args[SYSCALL_ARGS] = { IPC_CALL_SEMOP };

	decode_native(nr, args, &native);
	decode_ia32(nr, args, &ia32);
	return native.kind != BLOCKED_NONE || ia32.kind != BLOCKED_NONE;
#else
	(void)nr;
	return false;
#endif
}

void syscall_decode(long nr, const uint64_t *args, bool compat, struct blocked_call *call)
{
	memset(call, 0, sizeof(*call));
	call->kind = BLOCKED_NONE;
#ifdef __x86_64__
	/* an x32 process: x86-64's numbers, whatever its auxiliary vector looks like */
	if (nr & X32_SYSCALL_BIT) {
		decode_native(nr & ~X32_SYSCALL_BIT, args, call);
		return;
	}
	if (compat) {
		decode_ia32(nr, args, call);
		return;
	}
#else
	(void)compat;
#endif
	decode_native(nr, args, call);
}

/*
 * /proc/PID/auxv holds the auxiliary vector in the words of the process's
 * ABI: (type, value) pairs of 64 bits for a 64-bit process, whose first
 * type is a small number; pairs of 32 bits for a 32-bit one, whose first
 * two words read as one 64-bit word are far larger, since the first value
 * is never zero (AT_SYSINFO's address or AT_HWCAP's bits on x86). Either
 * byte order. An empty vector (a kernel thread, an exited process) is
 * native.
 */
bool auxv_is_compat(const void *auxv, size_t len)
{
	uint64_t first;

	if (len < sizeof(first))
		return false;
	memcpy(&first, auxv, sizeof(first));
	return first > UINT32_MAX;
}
