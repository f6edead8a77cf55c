# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# shellcheck disable=SC2154 # output, lines, stderr, stderr_lines: set by bats' run
#
# Loaded by every CLI test file (`load common`).
#
# The tests create and remove System V IPC objects, so they must run inside a
# private IPC namespace: tests/ns-run makes one (with a private mount
# namespace, a tmpfs on /dev/shm and an mqueue mount on /dev/mqueue) and runs
# bats in it. Every test calls require_private_ns first (from `setup`), which
# skips the test unless it really is inside such a namespace, so nothing ever
# runs against the host's objects. Note that bats runs `teardown` even for a
# skipped test: a teardown that changes anything must check in_private_ns.
#
# The expected values come from sources we did not write: the kernel
# (/proc/sysvipc/*, /proc/sys/kernel/*) and util-linux (ipcmk, ipcs).

bats_require_minimum_version 1.5.0

: "${BATS_LIB_PATH:=/usr/lib/bats}"
export BATS_LIB_PATH
bats_load_library bats-support
bats_load_library bats-assert

# The program under test. The Makefile exports an absolute path.
IPCX=${IPCX:-$BATS_TEST_DIRNAME/../../ipcx}
# Attaches to a shm segment and stays attached until killed (built by make check)
IPCX_TEST_ATTACH=${IPCX_TEST_ATTACH:-$BATS_TEST_DIRNAME/../helpers/ipcx-test-attach}
# Sends System V messages and more (built by make check; see cli-posix.md)
IPCX_TEST_POSIX=${IPCX_TEST_POSIX:-$BATS_TEST_DIRNAME/../helpers/ipcx-test-posix}
# Source and build trees (man pages, completions)
SRCDIR=${SRCDIR:-$BATS_TEST_DIRNAME/../..}
BUILDDIR=${BUILDDIR:-$BATS_TEST_DIRNAME/../..}

# Messages and dates in a known language; ns-run sets TZ=UTC already
export LC_ALL=C
export TZ=UTC
unset LANG LANGUAGE

SYSV_KINDS=(shm sem msg)

# --- the namespace guard ----------------------------------------------------

# The guard runs in every setup and before every clean-up, so it is made of
# few bash commands and no subshell: in a test, bats traps every command
# (0.2 ms each here) and a fork costs 6 ms; with awk, readlink and findmnt it
# took 0.4 s a test. `[ A -ef B ]` compares what stat(2) says of two
# namespace links: the namespaces' own inodes.

# parent_of PID: set PARENT to the parent of a process. In /proc/PID/stat
# the parent follows the command name (in parentheses) and the state.
parent_of() {
	local stat
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	stat=${stat#* }
	PARENT=${stat%% *}
}

# True when some ancestor of this process is in another IPC namespace than
# ours, i.e. ours was made below the one we were started from. The outer
# ns-run process waits in the old namespace, as the same user. An ancestor
# whose link cannot be read (another user's) proves nothing.
ancestor_in_other_ipc_ns() {
	local pid=$BASHPID link
	while [ "$pid" -gt 1 ] 2>/dev/null && parent_of "$pid"; do
		pid=$PARENT link=/proc/$PARENT/ns/ipc
		if [ -e "$link" ] && ! [ "$link" -ef /proc/self/ns/ipc ] && [ -e "$link" ]; then
			return 0
		fi
	done
	return 1
}

# True when we are in a user namespace other than the initial one (ns-run
# without root: `unshare -r`) whose root may change the IPC sysctls: then the
# IPC namespace belongs to that user namespace, so it is not the host's. (From
# there the ancestors' namespace links cannot be read.)
ipc_ns_of_child_userns() {
	local inside outside count
	read -r inside outside count </proc/self/uid_map 2>/dev/null || return 1
	[ "$inside $outside $count" != "0 0 4294967295" ] && [ -w /proc/sys/kernel/shmmni ]
}

# in_outer_ipc_ns: true when this process is in the IPC namespace ns-run
# started in (IPCX_TEST_OUTER_PID is ns-run's outer process, which waits
# there; its IPCX_TEST_OUTER_IPCNS names that namespace)
in_outer_ipc_ns() {
	local link=/proc/${IPCX_TEST_OUTER_PID:-0}/ns/ipc
	if [ -n "${IPCX_TEST_OUTER_PID:-}" ] && [ -e "$link" ]; then
		[ "$link" -ef /proc/self/ns/ipc ]
	else
		[ "$(readlink /proc/self/ns/ipc)" = "${IPCX_TEST_OUTER_IPCNS:-}" ]
	fi
}

# private_ns_problem: why this process is not (provably) inside a private IPC
# namespace made by ns-run; prints nothing and succeeds when it is
private_ns_problem() {
	if [ "${IPCX_TEST_NS:-}" != 1 ]; then
		echo "not inside a private IPC namespace (run through tests/ns-run)"
		return 1
	fi
	if [ ! -e /proc/self/ns/ipc ]; then
		echo "cannot read /proc/self/ns/ipc"
		return 1
	fi
	# As root ns-run makes no PID namespace: PID 1 is the host's init. Some
	# containers hide its namespaces; the ancestor check below still holds.
	# Without root it does, and PID 1 is its own: the IPC namespace of a
	# child user namespace is no host's anyway.
	if [ /proc/1/ns/ipc -ef /proc/self/ns/ipc ] && ! ipc_ns_of_child_userns; then
		echo "the IPC namespace is the host's ($(readlink /proc/self/ns/ipc))"
		return 1
	fi
	if in_outer_ipc_ns; then
		echo "the IPC namespace is the one ns-run started in ($(readlink /proc/self/ns/ipc))"
		return 1
	fi
	if ! ancestor_in_other_ipc_ns && ! ipc_ns_of_child_userns; then
		echo "no ancestor process is in another IPC namespace: $(readlink /proc/self/ns/ipc) is not private"
		return 1
	fi
	if ! mounted_by_ns_run /dev/shm ipcx-test-shm; then
		echo "/dev/shm is not the private tmpfs ns-run mounts"
		return 1
	fi
	# under it may be the host's: a test that takes it off does so in a
	# mount namespace of its own (without_mqueue)
	if ! mounted_by_ns_run /dev/mqueue ipcx-test-mqueue; then
		echo "/dev/mqueue is not the private mqueue file system ns-run mounts"
		return 1
	fi
}

# without_mqueue CMD...: CMD where no mqueue file system is mounted at
# /dev/mqueue, in a mount namespace of its own: the test's keeps its mount
without_mqueue() {
	unshare --mount sh -c 'umount /dev/mqueue && exec "$@"' sh "$@"
}

# mounted_by_ns_run DIR SOURCE: the file system on top at DIR is the one
# ns-run mounted there (it names the source ipcx-test-shm / ipcx-test-mqueue).
# /proc/self/mountinfo lists the mounts in the order they were made, each as
# "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAG...] - FSTYPE SOURCE OPTIONS";
# the last one at DIR is on top.
mounted_by_ns_run() {
	local -a mounts
	local i re="^([^ ]+ ){4}$1 .* - [^ ]+ ([^ ]+) "
	mapfile -t mounts </proc/self/mountinfo
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		if [[ ${mounts[i]} =~ $re ]]; then
			[ "${BASH_REMATCH[2]}" = "$2" ]
			return
		fi
	done
	return 1
}

# True when this process runs in a private IPC namespace made by ns-run
in_private_ns() {
	private_ns_problem >/dev/null
}

# Skip (never fail, never run) the current test unless it is inside a private
# IPC namespace. Call it first in `setup`.
require_private_ns() {
	local why
	why=$(private_ns_problem) || skip "$why"
}

# Remove every System V object of the namespace (and the POSIX files of our
# private mounts), so each test starts from an empty namespace.
clean_ns() {
	in_private_ns || return 1
	sysv_empty || ipcrm -a >/dev/null 2>&1 || true
	# only through our own mounts: a host mqueue mount shows the host's queues
	if mounted_by_ns_run /dev/shm ipcx-test-shm && compgen -G '/dev/shm/*' >/dev/null; then
		rm -rf /dev/shm/* 2>/dev/null || true
	fi
	if mounted_by_ns_run /dev/mqueue ipcx-test-mqueue && compgen -G '/dev/mqueue/*' >/dev/null; then
		rm -f /dev/mqueue/* 2>/dev/null || true
	fi
	local kind
	for kind in "${SYSV_KINDS[@]}"; do
		if ! sysv_empty "$kind"; then
			echo "cannot empty the namespace: $kind objects left" >&2
			cat "/proc/sysvipc/$kind" >&2
			return 1
		fi
	done
}

# sysv_empty [KIND...]: true when the namespace has no System V object of
# those kinds (default: all three); bash only, as it runs in every setup
sysv_empty() {
	local kind header row kinds=("$@")
	[ $# -gt 0 ] || kinds=("${SYSV_KINDS[@]}")
	for kind in "${kinds[@]}"; do
		if { read -r header && read -r row; } <"/proc/sysvipc/$kind" && [ -n "$row" ]; then
			return 1
		fi
	done
}

# The usual setup of a test: guard, a binary to test, an empty namespace
common_setup() {
	require_private_ns
	[ -x "$IPCX" ] || fail "no ipcx binary at '$IPCX' (build it, or set IPCX)"
	clean_ns
}

# --- the kernel's view ------------------------------------------------------

# Number of objects of a System V kind (shm, sem or msg) in /proc/sysvipc
kernel_count() {
	local line n=0
	{
		read -r line
		while read -r line; do
			[ -n "$line" ] && n=$((n + 1))
		done
	} <"/proc/sysvipc/$1"
	echo "$n"
}

# The ids of one kind, ascending, one per line
kernel_ids() {
	awk 'NR > 1 { print $2 }' "/proc/sysvipc/$1" | sort -n
}

# proc_field KIND ID FIELD: one field of the /proc/sysvipc/KIND row of ID,
# FIELD named as in that file's header (key, perms, size, nsems, cbytes,
# qnum, uid, cpid, ctime, rss, ...). Prints nothing when there is no such row.
proc_field() {
	awk -v id="$2" -v name="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == id && (name in col) { print $(col[name]); exit }
	' "/proc/sysvipc/$1"
}

# still_young BORN AGE: an object made at BORN (seconds since the epoch, as
# the kernel rounds it) is AGE seconds old at most now. A command that ended
# before this turned false saw it no older than AGE.
still_young() {
	(( $(date +%s) - $1 <= $2 ))
}

# /proc prints keys as signed decimal; print one as ipcx does: 0x%08x
hex_key() {
	printf '0x%08x\n' $(( $1 & 0xffffffff ))
}

# The key of an object, as 0x%08x
kernel_key() {
	local k
	k=$(proc_field "$1" "$2" key)
	[ -n "$k" ] || return 1
	hex_key "$k"
}

# The access permissions of an object in octal (without SHM_DEST/SHM_LOCKED)
kernel_perms() {
	local p
	p=$(proc_field "$1" "$2" perms)
	[ -n "$p" ] || return 1
	printf '%o\n' $(( 8#$p & 8#777 ))
}

# A snapshot of every System V object, to compare before and after a command
# (bash only: it runs around every command of the bad-input tests)
kernel_state() {
	local kind IFS=
	local -a rows
	for kind in "${SYSV_KINDS[@]}"; do
		mapfile rows <"/proc/sysvipc/$kind"
		printf '== %s\n%s' "$kind" "${rows[*]}"
	done
}

# An unused key: one no object of any kind holds
unused_key() {
	local k=${1:-4660} kind used
	while :; do
		used=
		for kind in "${SYSV_KINDS[@]}"; do
			awk -v k="$k" 'NR > 1 && ($1 % 4294967296 + 4294967296) % 4294967296 == k { f = 1 } END { exit !f }' \
				"/proc/sysvipc/$kind" && used=1
		done
		[ -z "$used" ] && break
		k=$((k + 1))
	done
	hex_key "$k"
}

# An id no object of the kind has
unused_id() {
	local id=${2:-424242}
	while [ -n "$(proc_field "$1" "$id" key)" ]; do
		id=$((id + 1))
	done
	echo "$id"
}

# --- util-linux's view --------------------------------------------------------

# The ipcs option of a System V kind
ipcs_opt() {
	case $1 in
	shm) echo -m ;;
	sem) echo -s ;;
	msg) echo -q ;;
	esac
}

# The rows of `ipcs -m|-s|-q` (they start with the key), sorted by id
ipcs_rows() {
	ipcs "$(ipcs_opt "$1")" | awk '/^0x/' | sort -k2,2n
}

ipcs_count() {
	ipcs_rows "$1" | awk 'NF { n++ } END { print n + 0 }'
}

# ipcs_detail KIND ID NAME: a value of `ipcs -m|-s|-q -i ID`, written there as
# NAME=VALUE (the time fields keep their spaces)
ipcs_detail() {
	ipcs "$(ipcs_opt "$1")" -i "$2" | tr '\t' '\n' | sed 's/, /\n/g' | sed -n "s/^ *$3 *= *//p" |
		sed -e 's/[, ]*$//' | head -n 1
}

# --- making objects with util-linux --------------------------------------------

# mk_shm SIZE [MODE], mk_sem NSEMS [MODE], mk_msg [MODE]: create an object
# with ipcmk (random key) and print its id
mk_shm() {
	ipcmk -M "$1" -p "${2:-0644}" | sed -n 's/^Shared memory id: //p'
}

mk_sem() {
	ipcmk -S "$1" -p "${2:-0644}" | sed -n 's/^Semaphore id: //p'
}

mk_msg() {
	ipcmk -Q -p "${1:-0644}" | sed -n 's/^Message queue id: //p'
}

# --- another user ------------------------------------------------------------

NOBODY_UID=65534
NOBODY_GID=65534

# Skip unless this process can switch to uid/gid 65534 (it is root, outside
# a user namespace that does not map 65534)
require_nobody() {
	if [ "$(id -u)" != 0 ]; then
		skip "needs root to switch to uid $NOBODY_UID"
	fi
	if ! setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- true 2>/dev/null; then
		skip "cannot switch to uid $NOBODY_UID (setpriv failed)"
	fi
	if ! setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- test -x "$IPCX"; then
		skip "uid $NOBODY_UID cannot run $IPCX"
	fi
}

# traced STRACE-ARGS...: strace, the kernel's record of a command's system
# calls, on stderr. LeakSanitizer cannot work in a traced process (it fails
# the run): a sanitizer build checks leaks in the other tests.
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}

# in_own_pids CMD...: CMD in a PID namespace of its own, with its own /proc.
# For commands that must refuse to act on every process's FIFOs, pipes or
# sockets: if one did not refuse, it would reach none of the host's.
in_own_pids() {
	unshare --pid --fork --mount-proc "$@"
}

# Run a command as nobody:nogroup
as_nobody() {
	require_nobody
	setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- "$@"
}

# The user name of a uid, as ipcs and ipcx print it (the number when unknown)
user_name() {
	getent passwd "$1" | cut -d: -f1 | grep . || echo "$1"
}

group_name() {
	getent group "$1" | cut -d: -f1 | grep . || echo "$1"
}

# --- processes that use objects ----------------------------------------------

# require_built PROGRAM: skip unless that test helper was built
require_built() {
	[ -x "$1" ] || skip "needs $1 (make check builds it)"
}

# start_helper READY CMD...: run a helper process in the background until
# stop_helpers, once it has printed the line READY ("%PID" in READY stands for
# its pid). Sets HELPER_PID.
HELPER_PIDS=()
HELPER_OTHERS=()
start_helper() {
	local ready=$1
	shift
	helper_start "$@"
	if [ "$HELPER_LINE" != "${ready//%PID/$HELPER_PID}" ]; then
		fail "helper '$*' failed: '$HELPER_LINE' $(cat "$HELPER_ERR")"
	fi
}

# start_helper_value CMD...: the same for a helper that says "ready VALUE"
# (a pid, an id, a descriptor): sets HELPER_PID and HELPER_VALUE
start_helper_value() {
	helper_start "$@"
	if [[ ! "$HELPER_LINE" =~ ^ready\ ([0-9]+)$ ]]; then
		fail "helper '$*' failed: '$HELPER_LINE' $(cat "$HELPER_ERR")"
	fi
	# shellcheck disable=SC2034 # read by the tests
	HELPER_VALUE=${BASH_REMATCH[1]}
}

# helper_start CMD...: start it, read the first line it writes into HELPER_LINE
helper_start() {
	local out="$BATS_TEST_TMPDIR/helper.$RANDOM"
	mkfifo "$out"
	HELPER_ERR=$out.err
	# fd 3 closed, so bats does not wait for the helper
	"$@" >"$out" 2>"$HELPER_ERR" 3>&- &
	HELPER_PID=$!
	HELPER_PIDS+=("$HELPER_PID")
	HELPER_LINE=
	# The helper writes one line once ready, or exits (EOF): no timeout
	read -r HELPER_LINE <"$out" || true
	rm -f "$out"
}

# stop_also PID: stop_helpers also stops this process, which is not a child
# of ours (a helper's child)
stop_also() {
	HELPER_OTHERS+=("$1:$(start_ticks "$1")")
}

# start_ticks PID: when the process started (clock ticks after boot), which
# tells it from a later process with the same pid
start_ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# running PID[:TICKS]: true while that process runs (is not a zombie)
running() {
	local pid=${1%%:*} state
	state=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null) || return 1
	[ -n "$state" ] && [[ "$state" != Z* ]] || return 1
	[[ "$1" != *:* ]] || [ "$(start_ticks "$pid")" = "${1#*:}" ]
}

# stop_helper PID: stop that helper now, and wait until it has gone
stop_helper() {
	local pid kept=()
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for pid in "${HELPER_PIDS[@]}"; do
		[ "$pid" = "$1" ] || kept+=("$pid")
	done
	HELPER_PIDS=("${kept[@]}")
}

# Stop every helper and wait until each has gone (and so let go of its object)
stop_helpers() {
	local pid
	for pid in "${HELPER_PIDS[@]}" "${HELPER_OTHERS[@]%%:*}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${HELPER_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	# not ours to wait for: until they are gone (no timeout)
	for pid in "${HELPER_OTHERS[@]}"; do
		while running "$pid"; do
			sleep 0.05
		done
	done
	HELPER_PIDS=()
	HELPER_OTHERS=()
}

# Attach a process to shm segment ID; it stays attached until detach_all.
# Sets ATTACH_PID. Skips when the helper is not built.
attach_shm() {
	if [ ! -x "$IPCX_TEST_ATTACH" ]; then
		skip "needs the attach helper (make check builds $IPCX_TEST_ATTACH)"
	fi
	start_helper "attached %PID" "$IPCX_TEST_ATTACH" "$1"
	# shellcheck disable=SC2034 # read by the tests
	ATTACH_PID=$HELPER_PID
}

detach_all() {
	stop_helpers
}

# comm_list PID...: the COMMAND cell of processes as /proc names them,
# "comm[pid]" comma-joined, pids ascending
comm_list() {
	local pid
	for pid in $(printf '%s\n' "$@" | sort -n -u); do
		printf '%s[%s]\n' "$(cat "/proc/$pid/comm")" "$pid"
	done | paste -sd,
}

# pid_list PID...: the PIDS cell, pids ascending, comma-joined
pid_list() {
	printf '%s\n' "$@" | sort -n -u | paste -sd,
}

# Python, for the few system calls util-linux has no tool for (msgsnd,
# writing into a segment, setting a semaphore). Tests using it skip without.
require_python() {
	PYTHON=$(command -v python3) || skip "needs python3 (ctypes) to call msgsnd/shmat/semctl"
	"$PYTHON" -c 'import ctypes' 2>/dev/null || skip "python3 has no ctypes"
}

# send_msg QID NBYTES: queue one System V message of NBYTES (< 256) bytes,
# with the project's helper (built by make check) or else with python
send_msg() {
	local text
	text=$(printf "%${2}s" "" | tr ' ' m)
	if [ -x "$IPCX_TEST_POSIX" ]; then
		"$IPCX_TEST_POSIX" msg-send "$1" "$text"
		return
	fi
	require_python
	"$PYTHON" - "$1" "$text" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
qid, text = int(sys.argv[1]), sys.argv[2].encode()
class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * max(len(text), 1))]
m = Msg(1, text)
IPC_NOWAIT = 0o4000
if libc.msgsnd(qid, ctypes.byref(m), ctypes.c_size_t(len(text)), IPC_NOWAIT) != 0:
    sys.exit("msgsnd: " + os.strerror(ctypes.get_errno()))
EOF
}

# touch_shm SHMID NBYTES: attach, write NBYTES bytes (so they become
# resident), detach
touch_shm() {
	require_python
	"$PYTHON" - "$@" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
shmid, n = int(sys.argv[1]), int(sys.argv[2])
addr = libc.shmat(shmid, None, 0)
if addr is None or addr == ctypes.c_void_p(-1).value or addr == 2**64 - 1:
    sys.exit("shmat: " + os.strerror(ctypes.get_errno()))
ctypes.memset(addr, 0x5a, n)
libc.shmdt(addr)
EOF
}

# set_semval SEMID SEMNUM VALUE: semctl(SETVAL)
set_semval() {
	require_python
	"$PYTHON" - "$@" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
semid, num, val = (int(a) for a in sys.argv[1:4])
SETVAL = 16
# union semun is passed like an int on the supported ABIs
if libc.semctl(semid, num, SETVAL, ctypes.c_int(val)) != 0:
    sys.exit("semctl: " + os.strerror(ctypes.get_errno()))
EOF
}

# --- checking errors ------------------------------------------------------------

# After `run --separate-stderr`: stderr is exactly one line, starting with
# "ipcx: ", that contains every given string; stdout is empty.
assert_one_error() {
	local s
	if [ "${#stderr_lines[@]}" != 1 ]; then
		fail "expected one line on stderr, got ${#stderr_lines[@]}: '$stderr'"
	fi
	if [[ "${stderr_lines[0]}" != "ipcx: "* ]]; then
		fail "stderr does not start with 'ipcx: ': '$stderr'"
	fi
	for s in "$@"; do
		if [[ "${stderr_lines[0]}" != *"$s"* ]]; then
			fail "stderr '${stderr_lines[0]}' does not contain '$s'"
		fi
	done
	if [ -n "$output" ]; then
		fail "expected nothing on stdout, got '$output'"
	fi
}

# --- processes ipcx cannot inspect --------------------------------------------------

# Some sandboxes keep PID 1's maps and fds unreadable even for root. ipcx
# reads every process for some columns (PIDS, COMMAND, ...; every kind of
# 'all') and then says, in exactly this line, that it could not read one.
HIDDEN_INIT_LINE="ipcx: 1 process could not be inspected (permission denied?): what it uses is not counted"

# True when this process cannot read PID 1's maps, so ipcx cannot either
init_is_hidden() {
	! cat /proc/1/maps >/dev/null 2>&1
}

# uncounted TEXT: TEXT with every number of processes not inspected as N
# (the tests of other files, run at the same time, come and go)
uncounted() {
	sed -E -e 's/ipcx: [0-9]+ process(es)? could not be inspected/ipcx: N processes could not be inspected/' \
		-e 's/what it uses is not counted$/what they use is not counted/' <<<"$1"
}

# The stderr of the last `run --separate-stderr`, without HIDDEN_INIT_LINE
# when PID 1 really is out of sight (every other line is kept)
stderr_but_init() {
	if init_is_hidden; then
		grep -vxF "$HIDDEN_INIT_LINE" <<<"$stderr" || true
	else
		printf '%s\n' "$stderr"
	fi
}

# After `run --separate-stderr`: forget HIDDEN_INIT_LINE in stderr and
# stderr_lines when PID 1 really is out of sight (before assert_one_error)
drop_init_line() {
	stderr=$(stderr_but_init)
	mapfile -t stderr_lines <<<"$stderr"
	[ -n "$stderr" ] || stderr_lines=()
}

# After `run --separate-stderr`: nothing on stderr but, at most, that line
assert_stderr_empty() {
	local rest
	rest=$(stderr_but_init)
	[ -z "$rest" ] || fail "expected nothing on stderr, got '$rest'"
}

# --- expected listings, from /proc/sysvipc ---------------------------------------

# The ipcx columns kernel_rows prints for each kind, in that order
# shellcheck disable=SC2034 # read through ${!name}
{
	KERNEL_COLUMNS_shm=TYPE,KEY,ID,UID,GID,CUID,CGID,PERMS,SIZE,NATTCH,CPID,LPID
	KERNEL_COLUMNS_sem=TYPE,KEY,ID,UID,GID,CUID,CGID,PERMS,NSEMS
	KERNEL_COLUMNS_msg=TYPE,KEY,ID,UID,GID,CUID,CGID,PERMS,SIZE,MESSAGES,LSPID,LRPID
}

# kernel_rows KIND: one line per object of KIND, ids ascending, with the
# values of KERNEL_COLUMNS_<KIND> as `ipcx list -r -n -b -P` prints them
kernel_rows() {
	local kind=$1
	tail -n +2 "/proc/sysvipc/$kind" | while read -r -a f; do
		[ "${#f[@]}" -gt 0 ] || continue
		local key perms
		key=$(hex_key "${f[0]}")
		perms=$(printf '%o' $(( 8#${f[2]} & 8#777 )))
		case $kind in
		# key shmid perms size cpid lpid nattch uid gid cuid cgid ...
		shm) echo "shm $key ${f[1]} ${f[7]} ${f[8]} ${f[9]} ${f[10]} $perms ${f[3]} ${f[6]} ${f[4]} ${f[5]}" ;;
		# key semid perms nsems uid gid cuid cgid otime ctime
		sem) echo "sem $key ${f[1]} ${f[4]} ${f[5]} ${f[6]} ${f[7]} $perms ${f[3]}" ;;
		# key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid ...
		msg) echo "msg $key ${f[1]} ${f[7]} ${f[8]} ${f[9]} ${f[10]} $perms ${f[3]} ${f[4]} ${f[5]} ${f[6]}" ;;
		esac
	done | sort -k3,3n
}

# ipcx_rows KIND [ARG...]: the same columns as ipcx lists them
ipcx_rows() {
	local kind=$1 cols
	shift
	cols=KERNEL_COLUMNS_$kind
	"$IPCX" list "$kind" -r -n -b -P -o "${!cols}" "$@"
}

# lock_shm SHMID: shmctl(SHM_LOCK), which the kernel shows as SHM_LOCKED
lock_shm() {
	require_python
	"$PYTHON" - "$@" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
SHM_LOCK = 11
if libc.shmctl(int(sys.argv[1]), SHM_LOCK, None) != 0:
    sys.exit("shmctl(SHM_LOCK): " + os.strerror(ctypes.get_errno()))
PY
}

# perms_string OCTAL: 640 -> rw-r-----
perms_string() {
	local mode=$(( 8#$1 )) out='' bit
	for bit in 256 128 64 32 16 8 4 2 1; do
		if (( mode & bit )); then
			case $bit in
			256 | 32 | 4) out+=r ;;
			128 | 16 | 2) out+=w ;;
			*) out+=x ;;
			esac
		else
			out+=-
		fi
	done
	echo "$out"
}

# iso_time SECONDS: as in JSON and --time-format iso (TZ=UTC)
iso_time() {
	date -u -d "@$1" '+%Y-%m-%dT%H:%M:%S+00:00'
}

# wait_blocked_open PID: until the kernel has PID waiting in open() of a
# FIFO for its other end (wchan wait_for_partner, in an open system call:
# open, openat, openat2 of x86-64, and openat of i386)
wait_blocked_open() {
	local i wchan call
	for ((i = 0; i < 200; i++)); do
		read -r wchan <"/proc/$1/wchan" || true
		read -r call _ <"/proc/$1/syscall" || true
		[[ $wchan == wait_for_partner && $call == @(2|257|437|295) ]] && return 0
		sleep 0.05
	done
	fail "process $1 is not blocked opening a FIFO: wchan '$wchan', syscall '$call'"
}

# show_fifo_user PATH: "READERS WRITERS PID HOW" of the FIFO and its first
# process, as ipcx show -J gives them, in $output
show_fifo_user() {
	run -0 --separate-stderr "$IPCX" show fifo "$1" -J
	run -0 jq -r '.objects[0] | "\(.readers) \(.writers) \(.processes[0].pid) \(.processes[0].how)"' <<<"$output"
}

# --- a removal stopped between its listing and its system call ---------------------

kill_tree() {
	local p
	for p in $(pgrep -P "$1"); do
		kill_tree "$p"
	done
	kill -KILL "$1" 2>/dev/null || :
}

# rm_paused ARGS...: ipcx rm ARGS under strace, stopped (SIGSTOP injected) at
# the end of the scan: its last shmctl() before the removal's own, counted
# in a dry run of the same listing. PAUSED: its pid; STRACE_PID: the job's
rm_paused() {
	local n
	require_strace_of_ipcx
	traced -f -qq -e trace=shmctl -o "$BATS_TEST_TMPDIR/count" "$IPCX" rm "$@" --dry-run >/dev/null
	n=$(grep -c shmctl "$BATS_TEST_TMPDIR/count")
	rm_paused_at "-e trace=shmctl" "inject=shmctl:signal=SIGSTOP:when=$n" "$@"
}

# rm_paused_at OPTIONS INJECT ARGS...: ipcx rm ARGS under strace OPTIONS (its
# words) -e INJECT, once it has stopped (INJECT delivers SIGSTOP): strace
# says so. (A process strace follows is in a tracing stop at each of its
# system calls too: its state alone does not tell.)
rm_paused_at() {
	local options=$1 inject=$2 log=$BATS_TEST_TMPDIR/strace.log
	shift 2
	require_strace_of_ipcx
	: >"$log"
	# shellcheck disable=SC2086 # the words of options
	traced -f -qq $options -e "$inject" -o "$log" "$IPCX" rm "$@" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	STRACE_PID=$!
	for _ in $(seq 400); do
		PAUSED=$(sed -n 's/^\([0-9]*\) *--- stopped by SIGSTOP ---$/\1/p' "$log" | head -1)
		[ -z "$PAUSED" ] || return 0
		sleep 0.05
	done
	fail "ipcx rm did not stop where strace was to stop it ($inject)"
}

require_strace_of_ipcx() {
	command -v strace >/dev/null || skip "strace is not installed"
	# valgrind makes system calls of its own, and under strace its run goes wrong
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "strace cannot follow ipcx under valgrind"
}

# the paused rm goes on; its exit status, stdout and stderr in status, output, stderr
rm_resume() {
	kill -CONT "$PAUSED"
	status=0
	wait "$STRACE_PID" || status=$?
	STRACE_PID=
	output=$(cat "$BATS_TEST_TMPDIR/out")
	stderr=$(cat "$BATS_TEST_TMPDIR/err")
}

# --- the completions ----------------------------------------------------------

require_bash_completion() {
	[ -f /usr/share/bash-completion/bash_completion ] || skip "bash-completion is not installed"
}

# bash_complete WORD...: the candidates bash completion offers for the last
# WORD of "ipcx WORD...", one a line
bash_complete() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ipcx "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$SRCDIR/completions/ipcx.bash" "$IPCX" "$@"
}

require_fish() {
	command -v fish >/dev/null || skip "fish is not installed"
	# fish runs the "ipcx" of the command line: this one (a valgrind
	# wrapper, maybe, which a link would not find its files from)
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nexec %q "$@"\n' "$IPCX" >"$BATS_TEST_TMPDIR/bin/ipcx"
	chmod +x "$BATS_TEST_TMPDIR/bin/ipcx"
}

# fish_complete LINE: the candidates fish offers at the end of LINE, sorted
fish_complete() {
	PATH=$BATS_TEST_TMPDIR/bin:$PATH fish --no-config \
		-c 'source $argv[1]; complete -C $argv[2]' "$SRCDIR/completions/ipcx.fish" "$1" |
		cut -f1 | sort
}
