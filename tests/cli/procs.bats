#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The processes that use objects (cli-procs): PIDS, COMMAND, NPROCS and the
# rest, for helper processes that attach, map, open, wait on and notify,
# checked against the pids the helpers print and what the kernel says:
# /proc/PID/maps, /proc/PID/fd, /proc/PID/syscall, /proc/sysvipc, the
# mqueue files, ipcs and `ss -xa`. Then orphans, the new filters, rm's
# refusal of objects in use, and show's table of processes.

load common

setup() {
	common_setup
	require_built "$IPCX_TEST_POSIX"
	require_built "$IPCX_TEST_ATTACH"
	DIR=$(mktemp -d "$BATS_TEST_TMPDIR/procs.XXXXXX")
}

teardown() {
	stop_helpers
	[ -z "${OPEN_DIR:-}" ] || rm -rf "$OPEN_DIR"
	unmount_shm_tmpfs
}

# shm_on_tmpfs: /dev/shm a directory of a tmpfs mounted at $DIR/tmpfs (as
# when /dev/shm is a bind mount or link of /run/shm), undone in teardown.
# The tmpfs is named as ns-run's, which the namespace guard looks for.
shm_on_tmpfs() {
	SHM_TMPFS=$DIR/tmpfs
	mkdir "$SHM_TMPFS"
	mount -t tmpfs -o mode=1777 ipcx-test-shm "$SHM_TMPFS"
	mkdir -m 1777 "$SHM_TMPFS/shm"
	mount --bind "$SHM_TMPFS/shm" /dev/shm
	SHM_BOUND=1
}

unmount_shm_tmpfs() {
	in_private_ns || return 0
	[ -z "${SHM_BOUND:-}" ] || umount /dev/shm
	[ -z "${SHM_TMPFS:-}" ] || umount "$SHM_TMPFS"
}

# open_dir: a directory of our own that nobody can reach too (bats' is
# private), removed in teardown. Sets OPEN_DIR.
open_dir() {
	OPEN_DIR=$(mktemp -d)
	chmod 755 "$OPEN_DIR"
}

# --- helper processes ---------------------------------------------------------------

# posix ARG...: a helper of tests/helpers/ipcx-test-posix that says "ready"
posix() {
	start_helper ready "$IPCX_TEST_POSIX" "$@"
}

# posix_value ARG...: one that says "ready VALUE" (HELPER_VALUE)
posix_value() {
	start_helper_value "$IPCX_TEST_POSIX" "$@"
}

# Fail unless helper PID still runs (a loop waiting for it would never end)
helper_alive() {
	running "$1" || fail "helper $1 has exited: $(cat "$HELPER_ERR" 2>/dev/null)"
}

# sem_ncnt ID SEMNUM: processes waiting for the semaphore to grow, as ipcs says
sem_ncnt() {
	ipcs -s -i "$1" | awk -v n="$2" '/^semnum/ { t = 1; next } t && NF == 5 && $1 == n { print $3 }'
}

# sem_pid ID SEMNUM: the pid of the last operation on it, as ipcs says
sem_pid() {
	ipcs -s -i "$1" | awk -v n="$2" '/^semnum/ { t = 1; next } t && NF == 5 && $1 == n { print $5 }'
}

# sem_waiter ID: a helper blocked in semop(-1) on semaphore 0 of the set,
# once the kernel counts it (semncnt). Sets WAITER.
sem_waiter() {
	local before
	before=$(sem_ncnt "$1" 0)
	posix sem-wait "$1" 0
	WAITER=$HELPER_PID
	while [ "$(sem_ncnt "$1" 0)" = "$before" ]; do
		helper_alive "$WAITER"
		sleep 0.05
	done
}

# msg_waiter ID [send]: a helper blocked in msgrcv on the queue (with send:
# in msgsnd of one byte), once /proc/PID/syscall shows it in that call on
# that id. Sets WAITER.
msg_waiter() {
	local want
	if [ "${2:-}" = send ]; then
		posix_value msg-send-wait "$1" x
	else
		posix_value msg-recv "$1"
	fi
	WAITER=$HELPER_PID
	want="$HELPER_VALUE $(printf '0x%x' "$1")"
	while [ "$(cut -d' ' -f1-2 "/proc/$WAITER/syscall" 2>/dev/null)" != "$want" ]; do
		helper_alive "$WAITER"
		sleep 0.05
	done
}

# posix_shm_file NAME SIZE [MODE]: a POSIX shared memory object, made as the
# C library would
posix_shm_file() {
	head -c "$2" /dev/zero >"/dev/shm/$1"
	chmod "${3:-600}" "/dev/shm/$1"
}

# list_raw ARG...: `run ipcx list ARG... -r -n`, but with the spaces raw
# output writes as \x20 inside values (REASON, PATH) put back
list_raw() {
	run --separate-stderr "$IPCX" list "$@" -r -n
	output=${output//\\x20/ }
	lines=()
	[ -z "$output" ] || IFS=$'\n' read -d '' -r -a lines <<<"$output" || true
}

# --- the kernel's view of who uses what ----------------------------------------------

# fd_pids FILE: the processes with a descriptor on FILE's inode (stat of
# /proc/PID/fd/N), pids ascending, comma-joined. The processes are those
# running before find starts: find -samefile holds FILE open itself.
fd_pids() {
	local procs=(/proc/[0-9]*/fd)
	find -L "${procs[@]}" -mindepth 1 -maxdepth 1 -samefile "$1" 2>/dev/null |
		cut -d/ -f3 | sort -n -u | paste -sd,
}

# maps_dev FILE: FILE's device as /proc/PID/maps writes it (major:minor, hex)
maps_dev() {
	stat -L -c '%Hd %Ld' "$1" | { read -r major minor && printf '%02x:%02x' "$major" "$minor"; }
}

# map_pids FILE: the processes with a shared mapping of FILE's inode in
# /proc/PID/maps
map_pids() {
	local dev ino
	dev=$(maps_dev "$1")
	ino=$(stat -L -c %i "$1")
	grep -s -l -E "^[^ ]+ [^ ]{3}s [^ ]+ $dev $ino " /proc/[0-9]*/maps |
		cut -d/ -f3 | sort -n -u | paste -sd,
}

# mapped_bytes FILE: the bytes of the shared mappings of FILE, over every process
mapped_bytes() {
	local dev ino
	dev=$(maps_dev "$1")
	ino=$(stat -L -c %i "$1")
	grep -s -h -E "^[^ ]+ [^ ]{3}s [^ ]+ $dev $ino " /proc/[0-9]*/maps | cut -d' ' -f1 |
		while IFS=- read -r start end; do echo $(( 16#$end - 16#$start )); done |
		awk '{ n += $1 } END { print n + 0 }'
}

# ns_pids: the processes in this IPC namespace
ns_pids() {
	local ours
	ours=$(readlink /proc/self/ns/ipc)
	find /proc/[0-9]*/ns/ipc -maxdepth 0 -printf '%l %p\n' 2>/dev/null |
		awk -v ns="$ours" '$1 == ns { split($2, p, "/"); print p[3] }' | sort -n
}

# shm_pids SHMID: the processes of this IPC namespace that map the segment
# (/proc/PID/maps: "/SYSV<key> (deleted)" with the shmid as its inode)
shm_pids() {
	local pid
	for pid in $(ns_pids); do
		grep -s -q -E " $1 +/SYSV[0-9a-f]{8} \\(deleted\\)\$" "/proc/$pid/maps" && echo "$pid"
	done | paste -sd,
}

# fd_number PID FILE: the descriptor PID has FILE open on (the lowest)
fd_number() {
	find -L "/proc/$1/fd" -mindepth 1 -maxdepth 1 -samefile "$2" 2>/dev/null |
		cut -d/ -f5 | sort -n | head -n 1
}

# fd_access PID FD: r, w or rw, as the mode of the /proc/PID/fd/FD link says
fd_access() {
	local mode
	mode=$(stat -c %A "/proc/$1/fd/$2")
	case ${mode:1:2} in
	rw) echo rw ;;
	r-) echo r ;;
	-w) echo w ;;
	esac
}

# cmdline PID: the command line as show prints it (arguments joined by spaces)
cmdline() {
	tr '\0' ' ' <"/proc/$1/cmdline" | sed 's/ $//'
}

# re TEXT: TEXT as an extended regular expression that matches just it
re() {
	sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"
}

# bash_complete WORD...: what the bash completion offers for "ipcx WORD...",
# the last word being the one completed (bash-completion's helpers stubbed)
bash_complete() {
	bash -c '
		_init_completion() {
			words=("${COMP_WORDS[@]}") cword=$COMP_CWORD split=false
			cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
		}
		_filedir() { :; }
		source "$1"
		shift
		COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
		_ipcx
		printf "%s\n" "${COMPREPLY[@]}"' bash "$SRCDIR/completions/ipcx.bash" "$IPCX" "$@"
}

# pipe_inode PID FD: the inode of the pipe on that descriptor
pipe_inode() {
	readlink "/proc/$1/fd/$2" | sed -n 's/^pipe:\[\([0-9]*\)\]$/\1/p'
}

# socket_inodes PID: the inodes of the sockets the process holds, ascending
socket_inodes() {
	find "/proc/$1/fd" -mindepth 1 -maxdepth 1 -printf '%l\n' |
		sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | sort -n
}

# ss_row INODE [PID]: the `ss -xa` line of the socket as ipcx prints
# INODE,PATH,SOCKTYPE,STATE,PEER,RECVQ,SENDQ,PENDING,BACKLOG with -r:
# a listener's queues are PENDING and BACKLOG, the others' RECVQ and SENDQ.
# With PID, ss runs in that process's network namespace.
ss_row() {
	local in_ns=()
	[ -z "${2:-}" ] || in_ns=(nsenter -t "$2" -n)
	"${in_ns[@]}" ss -xaH | awk -v ino="$1" '
		$6 == ino {
			type = $1 == "u_str" ? "stream" : $1 == "u_dgr" ? "dgram" : $1 == "u_seq" ? "seqpacket" : $1
			state = $2 == "LISTEN" ? "listen" : $2 == "ESTAB" ? "connected" : $2 == "UNCONN" ? "unconnected" : $2
			path = $5 == "*" ? "" : $5
			peer = $8 == "0" ? "" : $8
			if (state == "listen")
				print ino, path, type, state, peer, "", "", $3, $4
			else
				print ino, path, type, state, peer, $3, $4, "", ""
		}'
}

UNIX_COLS=INODE,PATH,SOCKTYPE,STATE,PEER,RECVQ,SENDQ,PENDING,BACKLOG

# --- shm -----------------------------------------------------------------------------

@test "shm: PIDS, COMMAND, NPROCS are the processes /proc/PID/maps shows attached" {
	local id free expected
	id=$(mk_shm 8192)
	free=$(mk_shm 4096)
	attach_shm "$id"
	attach_shm "$id"
	expected=$(shm_pids "$id")
	assert_equal "$expected" "$(pid_list "${HELPER_PIDS[@]}")"
	run -0 --separate-stderr "$IPCX" list shm -r -n -o ID,NATTCH,PIDS,COMMAND,NPROCS
	assert_stderr_empty
	assert_line "$id $(proc_field shm "$id" nattch) $expected $(comm_list "${HELPER_PIDS[@]}") 2"
	assert_line "$free 0   0"
	assert_equal "${#lines[@]}" 2
	# JSON: arrays of numbers and of strings, empty ones when nobody
	run -0 --separate-stderr "$IPCX" list shm -J -o ID,PIDS,COMMAND,NPROCS
	run -0 jq -c --argjson id "$id" '.objects[] | select(.id == $id) | [.pids, .command, .nprocs]' <<<"$output"
	assert_output "[[${expected}],$(comm_list "${HELPER_PIDS[@]}" | jq -R -c 'split(",")'),2]"
	run -0 --separate-stderr "$IPCX" list shm -J -o ID,PIDS,COMMAND,NPROCS --id "$free"
	run -0 jq -c '.objects[0] | [.pids, .command, .nprocs]' <<<"$output"
	assert_output "[[],[],0]"
}

@test "shm: a process of another IPC namespace mapping the same shmid is not a user" {
	local id other
	id=$(mk_shm 4096)
	# a segment with the same id in a namespace of its own, attached there
	start_helper "attached %PID" unshare --ipc sh -c \
		'echo "$1" >/proc/sys/kernel/shm_next_id && id=$(ipcmk -M 4096 | sed -n "s/^Shared memory id: //p") && exec "$2" "$id"' \
		sh "$id" "$IPCX_TEST_ATTACH"
	other=$HELPER_PID
	# the kernel: it maps a segment whose inode is our shmid, from another namespace
	grep -q -E " $id +/SYSV[0-9a-f]{8} \\(deleted\\)\$" "/proc/$other/maps"
	[ "$(readlink "/proc/$other/ns/ipc")" != "$(readlink /proc/self/ns/ipc)" ]
	assert_equal "$(shm_pids "$id")" ""
	list_raw shm -o ID,NATTCH,PIDS,NPROCS,REASON
	assert_stderr_empty
	assert_output "$id 0  0 not attached, creator gone"
	run -0 --separate-stderr "$IPCX" list shm --attached-by "$other" -n
	assert_output ""
}

@test "CPID_ALIVE: yes while the creator runs, no once it has gone" {
	local mine gone
	posix_value make-shm 4096
	mine=$HELPER_VALUE
	gone=$(mk_shm 4096)
	# the kernel: the helper created it; ipcmk has exited
	assert_equal "$(proc_field shm "$mine" cpid)" "$HELPER_PID"
	running "$(proc_field shm "$gone" cpid)" && skip "ipcmk's pid is another process's already"
	list_raw shm -o ID,CPID,NATTCH,CPID_ALIVE,REASON,NPROCS
	assert_stderr_empty
	assert_line "$mine $HELPER_PID 0 yes  0"
	assert_line "$gone $(proc_field shm "$gone" cpid) 0 no not attached, creator gone 0"
	run -0 "$IPCX" show shm "$mine"
	assert_line --regexp "^cpid: +$HELPER_PID \\(running\\)\$"
	# not attached but its creator runs: not orphaned; --orphaned adds REASON
	run -0 --separate-stderr "$IPCX" list shm --orphaned -r
	assert_line --index 0 --regexp ' REASON$'
	assert_line --index 1 --regexp "^shm 0x[0-9a-f]{8} $gone .* not\\\\x20attached,\\\\x20creator\\\\x20gone\$"
	assert_equal "${#lines[@]}" 2
}

@test "CPID_ALIVE: a creator that has exited but is not reaped yet (a zombie, as ps says) has gone" {
	# ipcmk's parent execs sleep, which never reaps it
	start_helper ready sh -c 'ipcmk -M 4096 >/dev/null & echo ready; exec sleep infinity'
	local id zombie
	while ! id=$(kernel_ids shm | grep .); do sleep 0.05; done
	zombie=$(proc_field shm "$id" cpid)
	while [[ "$(ps -o stat= -p "$zombie")" != Z* ]]; do sleep 0.05; done
	list_raw shm -o ID,CPID,CPID_ALIVE,REASON
	assert_line "$id $zombie no not attached, creator gone"
	run -0 "$IPCX" show shm "$id"
	assert_line --regexp "^cpid: +$zombie \\(gone\\)\$"
	run -0 --separate-stderr "$IPCX" list shm --orphaned -r -n -o ID
	assert_output "$id"
}

@test "CPID_ALIVE reused: the creator's pid taken by a later process (private PID namespace)" {
	local out id
	# In a PID namespace of its own, ipcmk makes a segment and exits; two
	# seconds later (so that the start time is later than the segment's
	# CTIME) a sleep gets the creator's pid through ns_last_pid.
	run -0 --separate-stderr unshare --pid --fork --mount-proc bash -c '
		ipcmk -M 4096 -p 0600 >/dev/null || exit 1
		cpid=$(awk "NR == 2 { print \$5 }" /proc/sysvipc/shm)
		sleep 2
		echo $((cpid - 1)) >/proc/sys/kernel/ns_last_pid || exit 1
		sleep 1000 &
		echo "cpid $cpid sleep $!"
		"$1" list shm -r -n -o ID,CPID,NATTCH,CPID_ALIVE,REASON
		"$1" list shm --orphaned -r -n -o ID,REASON
		"$1" show shm "$(awk "NR == 2 { print \$2 }" /proc/sysvipc/shm)" -J
		kill $!' bash "$IPCX"
	# the whole namespace is ours: no process ipcx cannot inspect
	assert_equal "$stderr" ""
	output=${output//\\x20/ }
	IFS=$'\n' read -d '' -r -a lines <<<"$output" || true
	[[ "${lines[0]}" =~ ^cpid\ ([0-9]+)\ sleep\ ([0-9]+)$ ]] || fail "no pids: '$output'"
	local cpid=${BASH_REMATCH[1]}
	assert_equal "${BASH_REMATCH[2]}" "$cpid"
	id=$(kernel_ids shm)
	assert_equal "${lines[1]}" "$id $cpid 0 reused not attached, creator gone (pid reused)"
	assert_equal "${lines[2]}" "$id not attached, creator gone (pid reused)"
	out=$(printf '%s\n' "${lines[@]:3}")
	run -0 jq -r '.objects[0] | "\(.cpid) \(.cpid_alive) \(.reason)"' <<<"$out"
	assert_output "$cpid reused not attached, creator gone (pid reused)"
}

@test "/proc of another PID namespace (unshare --pid without --mount-proc): who runs and uses what is not guessed; rm --orphaned removes nothing" {
	local alive gone
	posix_value make-shm 4096
	alive=$HELPER_VALUE
	gone=$(mk_shm 4096)
	running "$(proc_field shm "$gone" cpid)" && skip "ipcmk's pid is another process's already"
	# in there, ipcx is pid 1 and /proc is still ours, where pid 1 is another process
	run -1 --separate-stderr unshare --pid --fork "$IPCX" rm shm --orphaned
	assert_one_error "cannot tell which processes use what: /proc belongs to another PID namespace (mount this namespace's own on /proc)"
	run -1 --separate-stderr unshare --pid --fork "$IPCX" list shm -o ID,CPID_ALIVE
	assert_one_error "/proc belongs to another PID namespace"
	assert_output ""
	# the kernel: both are there still
	assert_equal "$(kernel_ids shm | sort)" "$(printf '%s\n' "$alive" "$gone" | sort)"
	# what needs no process is listed
	run -0 --separate-stderr unshare --pid --fork "$IPCX" list shm -r -n -o ID
	assert_equal "$(sort <<<"$output")" "$(kernel_ids shm | sort)"
}

@test "no proc file system on /proc (a tmpfs, its self a link to ipcx's pid): nothing is guessed; rm --orphaned removes nothing" {
	# valgrind and the sanitizers read /proc/self themselves
	unshare --mount --fork sh -c 'mount -t tmpfs x /proc && exec "$1" --version' sh "$IPCX" 2>&1 >/dev/null |
		grep -q . && skip "the ipcx under test (valgrind, sanitizers) needs /proc itself"
	local alive gone
	posix_value make-shm 4096
	alive=$HELPER_VALUE
	gone=$(mk_shm 4096)
	# exec: ipcx has the pid of the sh that made the link
	run -1 --separate-stderr unshare --mount --fork sh -c \
		'mount -t tmpfs x /proc && ln -s "$$" /proc/self && exec "$1" rm shm --orphaned' sh "$IPCX"
	assert_one_error "cannot tell which processes use what: no proc file system on /proc (mount one there)"
	# the kernel: the one whose creator runs is there, and the orphan too
	assert_equal "$(kernel_ids shm | sort)" "$(printf '%s\n' "$alive" "$gone" | sort)"
	running "$(proc_field shm "$alive" cpid)"
	run -1 --separate-stderr unshare --mount --fork sh -c 'mount -t tmpfs x /proc && exec "$1" list shm -o ID,CPID_ALIVE' sh "$IPCX"
	assert_one_error "cannot tell which processes use what: no proc file system on /proc (mount one there)"
	assert_output ""
}

# --- sem and msg -------------------------------------------------------------------------

# The kernel counts the waiters on a semaphore (semncnt), also those ipcx
# cannot see: rm leaves the set to a waiter in another PID namespace too
@test "rm refuses a set a process waits on, also when the waiter is out of its sight" {
	local id key
	id=$(mk_sem 1 0600)
	key=$(kernel_key sem "$id")
	sem_waiter "$id"
	run -1 --separate-stderr "$IPCX" rm sem "$id"
	assert_equal "$(stderr_but_init)" "ipcx: sem $id (key $key) is in use by $(comm_list "$WAITER"): not removed (--force removes it anyway)"
	# in a PID namespace of its own, ipcx sees no process but itself
	run -1 --separate-stderr in_own_pids "$IPCX" rm sem "$id" --dry-run
	assert_equal "$stderr" "ipcx: sem $id (key $key) is waited on by 1 process: not removed (--force removes it anyway)"
	assert_equal "$output" ""
	assert_equal "$(sem_ncnt "$id" 0)" 1
	assert_equal "$(kernel_key sem "$id")" "$key"
}

@test "sem: a waiter in semop and the live last operator are users, an exited operator is not" {
	local used gone cmd
	used=$(mk_sem 2 0600)
	gone=$(mk_sem 1 0600)
	sem_waiter "$used"
	posix sem-op "$used" 1 3
	local op=$HELPER_PID
	# the kernel: one waiter on semaphore 0, the helper did the last operation on 1
	assert_equal "$(sem_ncnt "$used" 0)" 1
	assert_equal "$(sem_pid "$used" 1)" "$op"
	# the last operation on the other set was a process that has exited
	posix sem-op "$gone" 0 1
	assert_equal "$(sem_pid "$gone" 0)" "$HELPER_PID"
	stop_helper "$HELPER_PID"
	list_raw sem -o ID,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "$used $(pid_list "$WAITER" "$op") $(comm_list "$WAITER" "$op") 2 "
	assert_line "$gone   0 no live last operator or waiter"
	# show: how each uses it, and whether the pids of the semaphores still run
	run -0 --separate-stderr "$IPCX" show sem "$used" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.user) \(.how) \(.command)"' <<<"$output"
	cmd=$(cmdline "$WAITER")
	assert_line "$WAITER root waits on the set $cmd"
	assert_line "$op root did the last operation $(cmdline "$op")"
	assert_equal "${#lines[@]}" 2
	run -0 "$IPCX" show sem "$used"
	assert_line --regexp "^ +1 +3 +$op +0 +0 +yes\$"
	assert_line --regexp "^ +0 +0 +0 +1 +0 *\$"
	assert_line --regexp "^ *PID +USER +HOW +COMMAND\$"
	assert_line --regexp "^ *$WAITER +root +waits on the set +$(re "$cmd")\$"
	run -0 "$IPCX" show sem "$gone"
	assert_line --regexp "^ +0 +1 +$(sem_pid "$gone" 0) +0 +0 +(no|reused)\$"
	refute_line --regexp "^ *PID +USER"
}

@test "sem: a live process that last set a value (SETVAL) is a user, though it started after the last semop" {
	local id setter
	id=$(mk_sem 1 0600)
	posix sem-op "$id" 0 1
	stop_helper "$HELPER_PID"
	# whole seconds: the setter starts after the set's OTIME
	sleep 1.1
	posix sem-setval "$id" 0 5
	setter=$HELPER_PID
	# the kernel: the setter's pid, and a CTIME after the OTIME
	assert_equal "$(sem_pid "$id" 0)" "$setter"
	(( $(proc_field sem "$id" ctime) > $(proc_field sem "$id" otime) ))
	list_raw sem -o ID,PIDS,NPROCS
	assert_output "$id $setter 1"
	run -0 --separate-stderr "$IPCX" list sem --orphaned -n -o ID
	assert_output ""
	run -0 "$IPCX" show sem "$id"
	assert_line --regexp "^ +0 +5 +$setter +0 +0 +yes\$"
}

@test "msg: a sender blocked on a full queue waits to send, as its syscall says" {
	local saved full
	# a queue of 8 bytes (QBYTES from kernel.msgmnb, this namespace's own)
	saved=$(cat /proc/sys/kernel/msgmnb)
	echo 8 >/proc/sys/kernel/msgmnb
	full=$(mk_msg 0600)
	echo "$saved" >/proc/sys/kernel/msgmnb
	send_msg "$full" 8
	assert_equal "$(proc_field msg "$full" cbytes)" 8
	msg_waiter "$full" send
	run -0 --separate-stderr "$IPCX" show msg "$full" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.how)"' <<<"$output"
	assert_output "$WAITER waits on the queue to send (it is full)"
}

# posix32: ipcx-test-posix built for 32-bit x86 (ia32), whose system calls
# /proc/PID/syscall numbers as i386 does. Sets POSIX32; skips without a
# 32-bit C library (Debian's gcc-multilib) or a kernel that runs its programs.
posix32() {
	[ "$(uname -m)" = x86_64 ] || skip "32-bit x86 processes need an x86-64 host"
	POSIX32=$BATS_FILE_TMPDIR/ipcx-test-posix32
	[ ! -x "$POSIX32" ] || return 0
	# a compiler that cannot build 32-bit programs skips; an error in the helper fails
	printf 'int main(void) { return 0; }\n' >"$BATS_FILE_TMPDIR/m32.c"
	"${CC:-cc}" -m32 -o "$BATS_FILE_TMPDIR/m32" "$BATS_FILE_TMPDIR/m32.c" 2>/dev/null ||
		skip "no 32-bit C library to build a 32-bit helper (gcc-multilib)"
	# a kernel may have no ia32 emulation, or have it off (ia32_emulation=0, or a guest's own)
	"$BATS_FILE_TMPDIR/m32" 2>/dev/null || skip "this kernel does not run 32-bit x86 programs"
	"${CC:-cc}" -m32 -D_GNU_SOURCE -std=gnu11 -O2 -o "$POSIX32" \
		"$SRCDIR/tests/helpers/ipcx-test-posix.c" -lrt -pthread
}

@test "a 32-bit process's waits count: semop through ipc(), msgrcv, a full msgsnd, open() of a FIFO" {
	posix32
	local IPCX_TEST_POSIX=$POSIX32 sem waited full saved semw rcv snd opener
	sem=$(mk_sem 1 0600)
	waited=$(mk_msg 0600)
	saved=$(cat /proc/sys/kernel/msgmnb)
	echo 8 >/proc/sys/kernel/msgmnb
	full=$(mk_msg 0600)
	echo "$saved" >/proc/sys/kernel/msgmnb
	send_msg "$full" 8
	sem_waiter "$sem"
	semw=$WAITER
	msg_waiter "$waited"
	rcv=$WAITER
	msg_waiter "$full" send
	snd=$WAITER
	mkfifo "$DIR/fifo"
	posix open-fifo "$DIR/fifo" w
	opener=$HELPER_PID
	wait_blocked_open "$opener"
	# the kernel numbers their calls as i386 does: semop through ipc(SEMTIMEDOP)
	# (117 0x4; natively setresuid) or, by a C library for Linux 5.1 and later,
	# semtimedop_time64 (420); msgrcv 401 and msgsnd 400 (none natively),
	# openat 295 (natively preadv)
	assert_regex "$(cut -d' ' -f1-2 "/proc/$semw/syscall")" '^(117 0x4|420 0x[0-9a-f]+)$'
	assert_equal "$(cut -d' ' -f1 "/proc/$rcv/syscall")" 401
	assert_equal "$(cut -d' ' -f1 "/proc/$snd/syscall")" 400
	assert_equal "$(cut -d' ' -f1 "/proc/$opener/syscall")" 295
	list_raw sem msg -o TYPE,ID,PIDS
	assert_stderr_empty
	assert_line "sem $sem $semw"
	assert_line "msg $waited $rcv"
	# the sender did the last msgsnd before it blocked, so it is the queue's LSPID too
	assert_line "msg $full $snd"
	run -0 --separate-stderr "$IPCX" show msg "$full" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.how)"' <<<"$output"
	assert_output "$snd waits on the queue to send (it is full)"
	show_fifo_user "$DIR/fifo"
	assert_output "0 1 $opener opening it to write: waits for a reader"
	# in use: neither orphaned nor removed
	list_raw sem msg --orphaned -o ID
	assert_output ""
	run -1 --separate-stderr "$IPCX" rm sem "$sem"
	assert_equal "$(kernel_count sem)" 1
	[ -p "$DIR/fifo" ]
}

@test "msg: a waiter in msgrcv, a live sender and the last receiver are users" {
	local waited sent gone
	waited=$(mk_msg 0600)
	sent=$(mk_msg 0600)
	gone=$(mk_msg 0600)
	msg_waiter "$waited"
	local waiter=$WAITER
	posix msg-send-stay "$sent" hello
	local sender=$HELPER_PID
	assert_equal "$(proc_field msg "$sent" lspid)" "$sender"
	send_msg "$gone" 5
	list_raw msg -o ID,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "$waited $waiter $(comm_list "$waiter") 1 "
	assert_line "$sent $sender $(comm_list "$sender") 1 "
	assert_line "$gone   0 no live sender, receiver or waiter"
	run -0 --separate-stderr "$IPCX" show msg "$waited" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.how)"' <<<"$output"
	assert_output "$waiter waits on the queue to receive"
	# a message for the waiter: it receives it (LRPID) and stays
	send_msg "$waited" 3
	while [ "$(proc_field msg "$waited" lrpid)" != "$waiter" ]; do
		helper_alive "$waiter"
		sleep 0.05
	done
	helper_alive "$waiter"
	run -0 --separate-stderr "$IPCX" list msg -r -n -o ID,LRPID,PIDS,NPROCS --id "$waited"
	assert_output "$waited $waiter $waiter 1"
	run -0 "$IPCX" show msg "$waited"
	assert_line --regexp "^lrpid: +$waiter \\(running\\)\$"
}

# --- POSIX objects -----------------------------------------------------------------------

@test "posix-shm: processes that map it and that hold it open, as maps and fd show them" {
	local mapper holder fd
	posix_shm_file used 16384
	posix_shm_file free 4096
	posix hold-posix-shm /used 8192 map
	mapper=$HELPER_PID
	posix hold-posix-shm /used 8192 fd
	holder=$HELPER_PID
	# the kernel: one maps it (and has closed its fd), the other has it on an fd
	assert_equal "$(map_pids /dev/shm/used)" "$mapper"
	assert_equal "$(fd_pids /dev/shm/used)" "$holder"
	list_raw posix-shm -o NAME,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "/used $(pid_list "$mapper" "$holder") $(comm_list "$mapper" "$holder") 2 "
	assert_line "/free   0 not mapped or open"
	fd=$(fd_number "$holder" /dev/shm/used)
	run -0 --separate-stderr "$IPCX" show posix-shm /used -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid)|\(.user)|\(.how)|\(.command)"' <<<"$output"
	assert_line --index 0 "$mapper|root|mapped 8K|$(cmdline "$mapper")"
	assert_line --index 1 --regexp "^$holder\\|root\\|fd $fd( rw)?\\|$(re "$(cmdline "$holder")")\$"
	assert_equal "${#lines[@]}" 2
	# /dev/shm files are posix-shm, not mmap objects
	run -0 --separate-stderr "$IPCX" list mmap --attached-by "$mapper" -r -n -o PATH
	refute_output --partial /dev/shm
	refute_output --partial /used
}

# ipcx-list(1) and ipcx-rm(1) document it: only shared mappings are read
@test "posix-shm: a process that maps it private, its descriptor closed, is no user; rm removes it" {
	posix_shm_file priv 8192
	posix hold-posix-shm /priv 8192 private
	local mapper=$HELPER_PID dev ino
	dev=$(maps_dev /dev/shm/priv)
	ino=$(stat -c %i /dev/shm/priv)
	# the kernel: one private mapping of the file, no shared one, no descriptor
	run -0 grep -c -E "^[^ ]+ [^ ]{3}p [^ ]+ $dev $ino +/dev/shm/priv\$" "/proc/$mapper/maps"
	assert_output 1
	assert_equal "$(map_pids /dev/shm/priv)" ""
	assert_equal "$(fd_pids /dev/shm/priv)" ""
	local source
	for source in "" text; do
		IPCX_MAPS_SOURCE=$source list_raw posix-shm -o NAME,NPROCS,REASON
		assert_stderr_empty
		assert_output "/priv 0 not mapped or open"
	done
	run -0 --separate-stderr "$IPCX" rm posix-shm /priv
	assert_output "removed posix-shm /priv"
	[ ! -e /dev/shm/priv ]
	# the mapping outlives the name, as the kernel shows
	run -0 grep -c -E "^[^ ]+ [^ ]{3}p [^ ]+ $dev $ino +/dev/shm/priv \(deleted\)\$" "/proc/$mapper/maps"
	assert_output 1
}

@test "posix-sem: processes that opened it (sem_open maps it)" {
	"$IPCX" create posix-sem /held --value 1
	"$IPCX" create posix-sem /idle
	posix hold-posix-sem /held
	assert_equal "$(map_pids /dev/shm/sem.held)" "$HELPER_PID"
	list_raw posix-sem -o NAME,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "/held $HELPER_PID $(comm_list "$HELPER_PID") 1 "
	assert_line "/idle   0 not mapped or open"
	run -0 "$IPCX" show posix-sem /held
	assert_line --regexp "^ *$HELPER_PID +root +mapped 4K +$(re "$(cmdline "$HELPER_PID")")\$"
}

@test "posix-mq: processes holding it open, and the one registered with mq_notify" {
	# (mq_open fails with "Too many open files" when other runs of the same
	# user have used up RLIMIT_MSGQUEUE)
	run -0 "$IPCX" create posix-mq /held
	run -0 "$IPCX" create posix-mq /idle
	posix_value hold-posix-mq /held
	local reader=$HELPER_PID rfd=$HELPER_VALUE
	posix_value hold-posix-mq /held notify
	local notifier=$HELPER_PID nfd=$HELPER_VALUE
	# the kernel: both have it open, the second is NOTIFY_PID
	assert_equal "$(fd_pids /dev/mqueue/held)" "$(pid_list "$reader" "$notifier")"
	grep -q -E "(^| )NOTIFY_PID:$notifier( |$)" /dev/mqueue/held
	list_raw posix-mq -o NAME,NOTIFY_PID,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "/held $notifier $(pid_list "$reader" "$notifier") $(comm_list "$reader" "$notifier") 2 "
	assert_line "/idle 0   0 not open, no notifier"
	run -0 --separate-stderr "$IPCX" show posix-mq /held -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid)|\(.how)"' <<<"$output"
	assert_line --regexp "^$reader\\|fd $rfd( r)?\$"
	assert_line --regexp "^$notifier\\|fd $nfd( r)?, notified of messages\$"
	# in use: rm leaves it, removes the other
	run -1 --separate-stderr "$IPCX" rm posix-mq /held /idle
	assert_output "removed posix-mq /idle"
	assert_equal "$(stderr_but_init)" "ipcx: posix-mq /held is in use by $(comm_list "$reader" "$notifier"): not removed (--force removes it anyway)"
	[ -e /dev/mqueue/held ]
	[ ! -e /dev/mqueue/idle ]
}

# --- FIFOs and pipes ----------------------------------------------------------------------

@test "fifo: PIDS of readers and writers, HOW as their /proc/PID/fd links say" {
	mkfifo "$DIR/p" "$DIR/idle"
	start_helper ready "$IPCX_TEST_POSIX" hold-fifo "$DIR/p" r
	local reader=$HELPER_PID
	start_helper ready "$IPCX_TEST_POSIX" hold-fifo "$DIR/p" w
	local writer=$HELPER_PID
	assert_equal "$(fd_pids "$DIR/p")" "$(pid_list "$reader" "$writer")"
	list_raw fifo --path "$DIR" --name "$DIR/*" -o PATH,READERS,WRITERS,PIDS,COMMAND,NPROCS,REASON
	assert_stderr_empty
	assert_line "$DIR/idle 0 0   0 no reader or writer"
	assert_line "$DIR/p 1 1 $(pid_list "$reader" "$writer") $(comm_list "$reader" "$writer") 2 "
	assert_equal "${#lines[@]}" 2
	local rfd wfd
	rfd=$(fd_number "$reader" "$DIR/p")
	wfd=$(fd_number "$writer" "$DIR/p")
	run -0 --separate-stderr "$IPCX" show fifo "$DIR/p" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.how)"' <<<"$output"
	assert_output "$(printf '%s\n' "$reader fd $rfd $(fd_access "$reader" "$rfd")" \
		"$writer fd $wfd $(fd_access "$writer" "$wfd")" | sort -n)"
}

@test "pipe: inode, readers, writers and holders as /proc/PID/fd shows them" {
	# the helper's pipes: read end on descriptor 100, write end on 101
	posix hold-pipe
	local both=$HELPER_PID
	posix_value hold-pipe fork
	local writer=$HELPER_PID reader=$HELPER_VALUE
	stop_also "$reader"
	local ino1 ino2
	ino1=$(pipe_inode "$both" 100)
	ino2=$(pipe_inode "$reader" 100)
	[ -n "$ino1" ]
	[ -n "$ino2" ]
	assert_equal "$(pipe_inode "$both" 101)" "$ino1"
	assert_equal "$(pipe_inode "$writer" 101)" "$ino2"
	[ ! -e "/proc/$writer/fd/100" ]
	[ ! -e "/proc/$reader/fd/101" ]
	assert_equal "$(fd_access "$both" 100) $(fd_access "$both" 101)" "r w"
	assert_equal "$(fd_pids "/proc/$both/fd/100")" "$both"
	assert_equal "$(fd_pids "/proc/$reader/fd/100")" "$(pid_list "$reader" "$writer")"
	run -0 --separate-stderr "$IPCX" list pipe --attached-by "$both" --attached-by "$reader" -r -n \
		-o INODE,UID,PERMS,READERS,WRITERS,PIDS,COMMAND,NPROCS -P
	assert_stderr_empty
	assert_line "$ino1 $(stat -L -c '%u %a' "/proc/$both/fd/100") 1 1 $both $(comm_list "$both") 1"
	assert_line "$ino2 $(stat -L -c '%u %a' "/proc/$reader/fd/100") 1 1 $(pid_list "$reader" "$writer") $(comm_list "$reader" "$writer") 2"
	# any other row is a pipe they inherited (from make, say) and still hold
	local line ino
	for line in "${lines[@]}"; do
		ino=${line%% *}
		find "/proc/$both/fd" "/proc/$reader/fd" -mindepth 1 -lname "pipe:\\[$ino\\]" | grep -q . ||
			fail "pipe $ino is held by neither helper"
	done
	# show, by inode: each process with the end it holds
	run -0 --separate-stderr "$IPCX" show pipe "$ino2" -J
	run -0 jq -r '.objects[0] | "\(.readers) \(.writers)", (.processes[] | "\(.pid) \(.how)")' <<<"$output"
	assert_output "$(printf '%s\n' "1 1" "$(printf '%s\n' "$reader fd 100 r" "$writer fd 101 w" | sort -n)")"
	# one process at both ends: each descriptor with its own access
	run -0 --separate-stderr "$IPCX" show pipe "$ino1" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.how)"' <<<"$output"
	assert_output "$both fd 100 $(fd_access "$both" 100), fd 101 $(fd_access "$both" 101)"
	# a pipe is named by its inode only; bash completes the inodes
	run -2 --separate-stderr "$IPCX" show pipe foo
	assert_equal "$stderr" "ipcx: invalid pipe inode 'foo'"
	run -0 bash_complete show pipe ''
	assert_line "$ino1"
	assert_line "$ino2"
	run -0 bash_complete show ''
	assert_line pipe
	# list --id selects System V ids, not the inodes show takes
	run -0 --separate-stderr "$IPCX" list all --id "$ino2" -n -r -o TYPE
	refute_output --partial pipe
	# default columns of the kind
	run -0 --separate-stderr "$IPCX" list pipe -r --attached-by "$both"
	assert_line --index 0 "TYPE OWNER PERMS READERS WRITERS CTIME INODE COMMAND"
	# never orphaned, never removed
	run -0 --separate-stderr "$IPCX" list pipe --orphaned -n
	assert_output ""
}

@test "show pipe|unix INODE: any 32-bit inode is a number to look for, a larger one a usage error" {
	local held kind
	# the kernel's word: no process holds a pipe or socket of inode 2^32 - 1
	held=$(find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 \( -lname 'pipe:\[4294967295\]' \
		-o -lname 'socket:\[4294967295\]' \) 2>/dev/null || true)
	[ -z "$held" ]
	for kind in pipe unix; do
		run -1 --separate-stderr "$IPCX" show "$kind" 4294967295
		assert_one_error "$kind 4294967295: no such object"
		run -1 --separate-stderr "$IPCX" show "$kind" 2147483648
		assert_one_error "$kind 2147483648: no such object"
		run -2 --separate-stderr "$IPCX" show "$kind" 4294967296
		assert_one_error "invalid $kind inode '4294967296'"
	done
}

# --- mmap --------------------------------------------------------------------------------

@test "mmap: MAPPED sums the mappings of every process, as /proc/PID/maps shows them" {
	head -c 10000 /dev/zero >"$DIR/file"
	posix map-file "$DIR/file" 8192
	local m1=$HELPER_PID
	posix map-file "$DIR/file" 4096
	local m2=$HELPER_PID
	assert_equal "$(map_pids "$DIR/file")" "$(pid_list "$m1" "$m2")"
	assert_equal "$(mapped_bytes "$DIR/file")" 12288
	run -0 --separate-stderr "$IPCX" list mmap --name "$DIR/*" -r -n -b -o PATH,SIZE,INODE,MAPPED,PIDS,COMMAND,NPROCS
	assert_stderr_empty
	assert_output "$DIR/file $(stat -c '%s %i' "$DIR/file") $(mapped_bytes "$DIR/file") $(pid_list "$m1" "$m2") $(comm_list "$m1" "$m2") 2"
	run -0 --separate-stderr "$IPCX" list mmap -r --attached-by "$m1"
	assert_line --index 0 "TYPE PATH OWNER PERMS SIZE CTIME COMMAND MAPPED"
	# unlinked: the path as maps shows it, no size
	rm "$DIR/file"
	grep -q " $DIR/file (deleted)\$" "/proc/$m1/maps"
	list_raw mmap --attached-by "$m1" -b -o PATH,SIZE,MAPPED,NPROCS
	assert_output "$DIR/file (deleted)  12288 2"
}

@test "mmap: a process that only holds the file open is no user of the mapping, whatever kinds are listed with it" {
	local mapper holder i kinds
	head -c 8192 /dev/zero >"$DIR/file"
	posix map-file "$DIR/file" 8192
	mapper=$HELPER_PID
	sleep 1000 <"$DIR/file" &
	holder=$!
	stop_also "$holder"
	for ((i = 0; i < 200; i++)); do
		[ "$(readlink "/proc/$holder/fd/0")" != "$DIR/file" ] || break
		sleep 0.05
	done
	# the kernel: one process maps the file, the other has it open only
	assert_equal "$(map_pids "$DIR/file")" "$mapper"
	assert_equal "$(readlink "/proc/$holder/fd/0")" "$DIR/file"
	for kinds in mmap "mmap pipe" "mmap unix fifo" all; do
		list_raw $kinds --name "$DIR/file" -o PATH,PIDS,NPROCS
		assert_output "$DIR/file $mapper 1"
	done
	list_raw mmap pipe --attached-by "$holder" -o PATH
	assert_output ""
}

@test "mmap: /dev/shm on a larger tmpfs leaves out its POSIX objects only, as maps and stat tell" {
	shm_on_tmpfs
	head -c 8192 /dev/zero >"$SHM_TMPFS/other"
	posix_shm_file obj 4096
	posix_shm_file gone 4096
	# the kernel: one filesystem, the file outside the /dev/shm directory
	assert_equal "$(stat -c %d "$SHM_TMPFS/other")" "$(stat -c %d /dev/shm/obj)"
	posix map-file "$SHM_TMPFS/other" 8192
	local other=$HELPER_PID
	posix hold-posix-shm /obj 4096 map
	local obj=$HELPER_PID
	posix hold-posix-shm /gone 4096 map
	local gone=$HELPER_PID
	rm /dev/shm/gone
	assert_equal "$(map_pids "$SHM_TMPFS/other")" "$other"
	assert_equal "$(map_pids /dev/shm/obj)" "$obj"
	grep -q " /dev/shm/gone (deleted)\$" "/proc/$gone/maps"
	list_raw mmap --attached-by "$other" --attached-by "$obj" --attached-by "$gone" -b -o PATH,SIZE,MAPPED,PIDS
	assert_stderr_empty
	# a file of /dev/shm unlinked but mapped is no POSIX object: a mapping
	assert_line "$SHM_TMPFS/other 8192 $(mapped_bytes "$SHM_TMPFS/other") $other"
	assert_line "/dev/shm/gone (deleted)  4096 $gone"
	assert_equal "${#lines[@]}" 2
	list_raw posix-shm -o NAME,PIDS
	assert_stderr_empty
	assert_output "/obj $obj"
}

@test "mmap: a file name with a newline (\\012 in maps) has the SIZE, OWNER and times stat gives, both ways of reading maps" {
	local nl=$DIR/new$'\n'line lit=$DIR/lit'\012'name source
	head -c 5000 /dev/zero >"$nl"
	head -c 3000 /dev/zero >"$lit"
	posix map-file "$nl" 4096
	local m1=$HELPER_PID
	posix map-file "$lit" 4096
	local m2=$HELPER_PID
	# the kernel writes the newline as \012, and the backslash as it is: both look alike
	assert_equal "$(grep -c -F " $DIR/new\012line" "/proc/$m1/maps")" 1
	assert_equal "$(grep -c -F " $DIR/lit\012name" "/proc/$m2/maps")" 1
	for source in "" text; do
		run -0 --separate-stderr env ${source:+IPCX_MAPS_SOURCE=$source} "$IPCX" list mmap \
			--attached-by "$m1" --attached-by "$m2" -J -o PATH,SIZE,INODE,UID,MTIME
		assert_stderr_empty
		run -0 jq -r --arg nl "$nl" --arg lit "$lit" '.objects[] |
			"\(if .path == $nl then "nl" elif .path == $lit then "lit" else .path end) \(.size) \(.inode) \(.uid) \(.mtime)"' <<<"$output"
		assert_line "nl $(stat -c '%s %i %u' "$nl") $(iso_time "$(stat -c %Y "$nl")")"
		assert_line "lit $(stat -c '%s %i %u' "$lit") $(iso_time "$(stat -c %Y "$lit")")"
		assert_equal "${#lines[@]}" 2
	done
}

@test "mmap: memfd and shared anonymous memory, as maps names them; SysV segments are not mmap" {
	posix map-memfd ipcx-test 12288
	local memfd=$HELPER_PID
	posix map-anon 20480
	local anon=$HELPER_PID
	grep -q ' /memfd:ipcx-test (deleted)$' "/proc/$memfd/maps"
	grep -q ' /dev/zero (deleted)$' "/proc/$anon/maps"
	list_raw mmap --attached-by "$memfd" --attached-by "$anon" -b -o PATH,MAPPED,PIDS
	assert_stderr_empty
	assert_line "/memfd:ipcx-test (deleted) 12288 $memfd"
	assert_line "/dev/zero (deleted) 20480 $anon"
	assert_equal "${#lines[@]}" 2
	local id
	id=$(mk_shm 4096)
	attach_shm "$id"
	run -0 --separate-stderr "$IPCX" list mmap --attached-by "$ATTACH_PID" -n
	assert_output ""
	run -0 --separate-stderr "$IPCX" list shm --attached-by "$ATTACH_PID" -r -n -o ID
	assert_output "$id"
}

@test "mmap: a mapping of the kernel's anon_inode (an io_uring's ring) is no file: not listed, with either maps source" {
	helper_start "$IPCX_TEST_POSIX" map-io-uring
	local pid=$HELPER_PID source rc=0
	if [ "$HELPER_LINE" != ready ]; then
		wait "$pid" || rc=$?
		[ "$rc" != 77 ] || skip "no io_uring here: $(cat "$HELPER_ERR")"
		fail "map-io-uring failed ($rc): $(cat "$HELPER_ERR")"
	fi
	grep -q ' rw-s .* anon_inode:\[io_uring\]$' "/proc/$pid/maps"
	for source in default text; do
		IPCX_MAPS_SOURCE=$source list_raw mmap --attached-by "$pid" -o TYPE,PATH
		assert_success
		assert_stderr_empty
		assert_output ""
	done
	# a file it maps is listed
	truncate -s 4096 "$DIR/file"
	posix map-file "$DIR/file" 4096
	list_raw mmap --attached-by "$pid" --attached-by "$HELPER_PID" -o PATH,PIDS
	assert_output "$DIR/file $HELPER_PID"
}

# --- unix sockets -------------------------------------------------------------------------

@test "unix: a listener with pending connections, as ss -xa shows it" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	posix unix-listen "$DIR/sock" 7 3
	local pid=$HELPER_PID ino
	run -0 socket_inodes "$pid"
	assert_equal "${#lines[@]}" 4
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o "$UNIX_COLS"
	assert_stderr_empty
	for ino in $(socket_inodes "$pid"); do
		assert_line "$(ss_row "$ino")"
	done
	assert_equal "${#lines[@]}" 4
	# the listener itself: bound at the path, 3 of 7 waiting for accept
	ino=$(ss -xaH | awk -v p="$DIR/sock" '$2 == "LISTEN" && $5 == p { print $6 }')
	assert_line "$ino $DIR/sock stream listen    3 7"
	run -0 --separate-stderr "$IPCX" list unix --name "$DIR/*" -r -n -o INODE,PIDS,COMMAND,NPROCS
	assert_output "$ino $pid $(comm_list "$pid") 1"
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r
	assert_line --index 0 "TYPE PATH OWNER INODE COMMAND SOCKTYPE STATE PEER"
}

# A socket of another network namespace: ss sees it only from inside
@test "unix: the sockets of a process in another network namespace are listed with it, as ss in there shows them" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	unshare --net true 2>/dev/null || skip "cannot make a network namespace here"
	start_helper ready unshare --net "$IPCX_TEST_POSIX" unix-listen "$DIR/nsock" 5 2
	local pid=$HELPER_PID ino netns
	netns=$(stat -L -c %i "/proc/$pid/ns/net")
	[ "$netns" != "$(stat -L -c %i /proc/self/ns/net)" ]
	# out of our own namespace's sight
	run -0 socket_inodes "$pid"
	assert_equal "${#lines[@]}" 3
	for ino in "${lines[@]}"; do
		ss -xaH | awk -v ino="$ino" '$6 == ino { exit 1 }'
	done
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o "$UNIX_COLS"
	assert_stderr_empty
	for ino in $(socket_inodes "$pid"); do
		assert_line "$(ss_row "$ino" "$pid")"
	done
	assert_equal "${#lines[@]}" 3
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o NETNS
	assert_output "$(printf '%s\n' "$netns" "$netns" "$netns")"
	ino=$(nsenter -t "$pid" -n ss -xlH | awk -v p="$DIR/nsock" '$5 == p { print $6 }')
	run -0 --separate-stderr "$IPCX" show unix "$ino" -J
	assert_equal "$(jq -r '.objects[0] | "\(.path) \(.state) \(.netns) \(.pids)"' <<<"$output")" \
		"$DIR/nsock listen $netns [$pid]"
	# our own namespace's sockets carry its inode
	posix unix-listen "$DIR/own" 1 0
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$HELPER_PID" -r -n -o NETNS
	assert_output "$(stat -L -c %i /proc/self/ns/net)"
}

# /proc/PID/ns/net is the main thread's: another thread's namespace, or the
# one left when the main thread has exited, is found through task/TID
@test "unix: a network namespace only a thread is in: one it unshared, or the process's once its main thread exited" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	unshare --net true 2>/dev/null || skip "cannot make a network namespace here"
	posix in-thread own-net unix-listen "$DIR/tsock" 1 0
	local pid=$HELPER_PID tid ino netns
	tid=$(ls "/proc/$pid/task" | grep -vx "$pid")
	netns=$(stat -L -c %i "/proc/$pid/task/$tid/ns/net")
	[ "$netns" != "$(stat -L -c %i "/proc/$pid/ns/net")" ]
	ino=$(socket_inodes "$pid")
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o "$UNIX_COLS"
	assert_stderr_empty
	assert_output "$(ss_row "$ino" "$tid")"
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o NETNS
	assert_output "$netns"
	start_helper ready unshare --net "$IPCX_TEST_POSIX" in-thread main-exits unix-listen "$DIR/zsock" 1 0
	pid=$HELPER_PID
	# the main thread is a zombie: its ns links are gone, the thread's are there
	run ! readlink "/proc/$pid/ns/net"
	tid=$(ls "/proc/$pid/task" | grep -vx "$pid")
	ino=$(socket_inodes "$tid")
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o "$UNIX_COLS"
	assert_output "$(ss_row "$ino" "$tid")"
	assert_output --partial "$DIR/zsock"
}

@test "unix: a network namespace the caller may not enter is said, its sockets not listed" {
	require_nobody
	as_nobody unshare -r --net true 2>/dev/null || skip "nobody cannot make a user namespace here"
	open_dir
	chmod 1777 "$OPEN_DIR"
	start_helper ready setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- \
		unshare -r --net "$IPCX_TEST_POSIX" unix-listen "$OPEN_DIR/nsock" 1 0
	local pid=$HELPER_PID ino
	ino=$(socket_inodes "$pid")
	[[ $ino =~ ^[0-9]+$ ]]
	# nobody may read its process's namespace, not enter it: CAP_SYS_ADMIN
	# over it is in the user namespace that owns it, not in ours
	run -0 --separate-stderr as_nobody "$IPCX" list unix -r -n -o INODE
	refute_line "$ino"
	# others of nobody's may be on the host: at least this one
	drop_init_line
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "${stderr_lines[0]}" \
		'^ipcx: the sockets of [1-9][0-9]* other network namespaces? are not listed: entering (it|them) needs CAP_SYS_ADMIN$'
	# show of it finds nothing, and says where it may be
	run -1 --separate-stderr as_nobody "$IPCX" show unix "$ino"
	drop_init_line
	assert_equal "${stderr_lines[0]}" "ipcx: unix $ino: no such object"
	assert_regex "${stderr_lines[1]}" '^ipcx: the sockets of [1-9][0-9]* other network namespaces? are not listed'
	assert_equal "${#stderr_lines[@]}" 2
	# root may
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$pid" -r -n -o INODE,PATH
	assert_output "$ino $OPEN_DIR/nsock"
}

@test "unix: a path that fills sun_path (108 bytes, no NUL) is listed, shown and selected as ss -xl shows it" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	local path ino
	path=$DIR/$(printf '%*s' $((108 - ${#DIR} - 1)) '' | tr ' ' s)
	[ "${#path}" = 108 ]
	posix unix-listen "$path" 1 0
	# the kernel names it with all 108 bytes (and the NUL it adds)
	ino=$(ss -xlH | awk -v p="$path" '$5 == p { print $6 }')
	[ -n "$ino" ]
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$HELPER_PID" -r -n -o "$UNIX_COLS"
	assert_stderr_empty
	assert_output "$(ss_row "$ino")"
	run -0 --separate-stderr "$IPCX" list unix --name "$path" -r -n -o INODE
	assert_stderr_empty
	assert_output "$ino"
	run -0 --separate-stderr "$IPCX" show unix "$path" -J
	assert_stderr_empty
	run -0 jq -r '.objects[0].inode' <<<"$output"
	assert_output "$ino"
}

# show unix OPERAND's object, with the jq FILTER of it as the output
show_unix_json() {
	run -0 --separate-stderr "$IPCX" show unix "$1" -J
	assert_stderr_empty
	run -0 jq -r ".objects[0] | $2" <<<"$output"
}

# the inode of the listening socket ss shows bound to PATH (as it was bound)
listening_inode() {
	ss -xlH | awk -v p="$1" '$5 == p { print $6 }'
}

@test "show unix PATH: a relative operand names a socket bound to that relative path, or to its absolute form; a number is an inode" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	local rel abs digit number
	# bound from $DIR as "rel.sock", which the kernel keeps as it was given
	start_helper ready env -C "$DIR" "$IPCX_TEST_POSIX" unix-listen rel.sock 1 0
	start_helper ready env -C "$DIR" "$IPCX_TEST_POSIX" unix-listen 9.sock 1 0
	posix unix-listen "$DIR/abs.sock" 1 0
	posix unix-listen "$DIR/42" 1 0
	rel=$(listening_inode rel.sock)
	digit=$(listening_inode 9.sock)
	abs=$(listening_inode "$DIR/abs.sock")
	number=$(listening_inode "$DIR/42")
	[ -n "$rel" ] && [ -n "$digit" ] && [ -n "$abs" ] && [ -n "$number" ]
	cd "$DIR"
	show_unix_json rel.sock '"\(.inode) \(.path)"'
	assert_output "$rel rel.sock"
	show_unix_json abs.sock '"\(.inode) \(.path)"'
	assert_output "$abs $DIR/abs.sock"
	show_unix_json "$DIR/abs.sock" '.inode'
	assert_output "$abs"
	run -1 --separate-stderr "$IPCX" show unix none.sock
	assert_one_error "unix $DIR/none.sock: no such object"
	# an operand that only starts with a digit is a path
	show_unix_json 9.sock '"\(.inode) \(.path)"'
	assert_output "$digit 9.sock"
	# a socket file named by digits alone: ./42 is its path, 42 an inode
	show_unix_json ./42 '.inode'
	assert_output "$number"
	show_unix_json "$number" '.path'
	assert_output "$DIR/42"
	run -2 --separate-stderr "$IPCX" show unix 99999999999
	assert_one_error "invalid unix inode '99999999999'"
	run -1 --separate-stderr "$IPCX" show unix 99999999999.sock
	assert_one_error "unix $DIR/99999999999.sock: no such object"
}

@test "show unix PATH: a socket bound to ./PATH, or to digits alone, is named by its relative path with or without ./" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	# relative paths are matched whatever directory they were bound from: names no other socket has
	local dotted digits operand name=dot.$$.sock number=$$
	start_helper ready env -C "$DIR" "$IPCX_TEST_POSIX" unix-listen "./$name" 1 0
	start_helper ready env -C "$DIR" "$IPCX_TEST_POSIX" unix-listen "$number" 1 0
	# the kernel keeps both as they were bound
	dotted=$(listening_inode "./$name")
	digits=$(listening_inode "$number")
	[ -n "$dotted" ] && [ -n "$digits" ]
	cd "$DIR"
	for operand in "$name" "./$name" ".//$name"; do
		show_unix_json "$operand" '"\(.inode) \(.path)"'
		assert_output "$dotted ./$name"
	done
	show_unix_json "./$number" '"\(.inode) \(.path)"'
	assert_output "$digits $number"
}

@test "show unix|mmap PATH: of several objects with that path, the first is shown, with a word on the others; each by its inode" {
	require_python
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	local listener accepted a b ino_a ino_b pid ino
	# a listener and the connection it accepted: both bound to its path, as ss says
	start_helper ready python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); a, _ = s.accept()
print("ready", flush=True)
time.sleep(1000)' "$DIR/shared.sock"
	listener=$(listening_inode "$DIR/shared.sock")
	accepted=$(ss -xH state connected | awk -v p="$DIR/shared.sock" '$5 == p { print $6 }')
	[ -n "$listener" ] && [ -n "$accepted" ]
	run -0 --separate-stderr "$IPCX" show unix "$DIR/shared.sock" -J
	assert_equal "$(stderr_but_init)" "ipcx: 1 other unix object has this path too: shown is inode $(jq .objects[0].inode <<<"$output"), show the other by its inode ('ipcx list unix -o +INODE,NETNS' gives it)"
	show_unix_json "$accepted" '"\(.path) \(.state)"'
	assert_output "$DIR/shared.sock connected"
	# two shared anonymous mappings: each "/dev/zero (deleted)" in maps, of its own inode
	posix map-anon 4096
	a=$HELPER_PID
	posix map-anon 8192
	b=$HELPER_PID
	ino_a=$(awk '/ \/dev\/zero \(deleted\)$/ && $2 ~ /s/ { print $5 }' "/proc/$a/maps")
	ino_b=$(awk '/ \/dev\/zero \(deleted\)$/ && $2 ~ /s/ { print $5 }' "/proc/$b/maps")
	[ -n "$ino_a" ] && [ -n "$ino_b" ] && [ "$ino_a" != "$ino_b" ]
	run -0 --separate-stderr "$IPCX" show mmap "/dev/zero (deleted)" -J
	assert_regex "$stderr" "^ipcx: [1-9][0-9]* other mmap objects? ha(s|ve) this path too: shown is inode [0-9]+, "
	for pid in "$a" "$b"; do
		ino=$([ "$pid" = "$a" ] && echo "$ino_a" || echo "$ino_b")
		run -0 --separate-stderr "$IPCX" show mmap "$ino" -J
		run -0 jq -r '.objects[0] | "\(.inode) \(.pids | join(","))"' <<<"$output"
		assert_output "$ino $pid"
	done
	run -2 --separate-stderr "$IPCX" show mmap 99999999999999999999
	assert_one_error "invalid mmap inode '99999999999999999999'"
}

@test "show mmap INODE: of mapped files with that inode on several file systems, the first is shown, with a word on the others" {
	# two fresh tmpfs, in a mount namespace of this test's own: their first files share
	# inode 2; and a PID namespace with its own /proc, so that no other process's
	# mapping of a file with inode 2 (on any other fresh tmpfs) counts
	run -0 unshare --mount --pid --fork --mount-proc bash -c '
		posix=$1 ipcx=$2 dir=$3
		mkdir "$dir/a" "$dir/b"
		mount -t tmpfs ipcx-test-a "$dir/a" && mount -t tmpfs ipcx-test-b "$dir/b" || exit 1
		head -c 4096 /dev/zero >"$dir/a/f"
		head -c 4096 /dev/zero >"$dir/b/g"
		stat -c "%i %d" "$dir/a/f" "$dir/b/g"
		: >"$dir/a.out"
		: >"$dir/b.out"
		"$posix" map-file "$dir/a/f" 4096 >"$dir/a.out" &
		"$posix" map-file "$dir/b/g" 4096 >"$dir/b.out" &
		until grep -q ready "$dir/a.out" && grep -q ready "$dir/b.out"; do sleep 0.05; done
		"$ipcx" show mmap "$(stat -c %i "$dir/a/f")" -J 2>&1 >"$dir/show.json" | grep -v "could not be inspected"
		jq -r ".objects[0].path" "$dir/show.json"
		kill %1 %2' bash "$IPCX_TEST_POSIX" "$IPCX" "$DIR"
	# the kernel: one inode number, two devices
	[ "${lines[0]%% *}" = "${lines[1]%% *}" ] && [ "${lines[0]#* }" != "${lines[1]#* }" ]
	assert_line --index 2 --regexp "^ipcx: 1 other mmap object of another file system has inode ${lines[0]%% *} too: shown is $DIR/(a/f|b/g), show the other by its path\$"
	assert_line --index 3 --regexp "^$DIR/(a/f|b/g)\$"
}

@test "unix: connected pairs, peers, peer pids and queues, as ss -xa shows them" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	posix_value unix-pair stream 100 fork
	local parent=$HELPER_PID child=$HELPER_VALUE
	stop_also "$child"
	posix unix-pair dgram 3
	local dgram=$HELPER_PID
	local a b
	a=$(socket_inodes "$parent")
	b=$(socket_inodes "$child")
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$parent" --attached-by "$child" \
		--attached-by "$dgram" -r -n -o "$UNIX_COLS"
	assert_stderr_empty
	local ino
	for ino in $a $b $(socket_inodes "$dgram"); do
		assert_line "$(ss_row "$ino")"
	done
	assert_equal "${#lines[@]}" 4
	# the child's end: the 100 bytes written by the parent wait in it
	assert_line "$b  stream connected $a 100 0  "
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$parent" -r -n -o INODE,PEER,PIDS,PEER_PIDS,COMMAND
	assert_output "$a $b $parent $child $(comm_list "$parent")"
	# ss -p agrees on who holds it
	ss -xapH | awk -v ino="$a" '$6 == ino' | grep -q "pid=$parent,"
	run -0 --separate-stderr "$IPCX" list unix --attached-by "$dgram" -J -o INODE,SOCKTYPE,PIDS,PEER_PIDS
	run -0 jq -c '.objects[] | [.socktype, .pids, .peer_pids]' <<<"$output"
	assert_output "$(printf '%s\n' "[\"dgram\",[$dgram],[$dgram]]" "[\"dgram\",[$dgram],[$dgram]]")"
}

@test "unix: a connected socket whose peer has closed stays connected, with no PEER, as ss -xa shows it" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	local type parent child ino
	for type in stream dgram; do
		posix_value unix-pair "$type" 0 fork
		parent=$HELPER_PID child=$HELPER_VALUE
		# the child holds the other end: it goes with it
		kill "$child"
		while running "$child"; do
			sleep 0.05
		done
		ino=$(socket_inodes "$parent")
		[ -n "$ino" ]
		# the kernel: still established, and the peer's inode is 0
		ss -xaH | awk -v ino="$ino" '$6 == ino && $2 == "ESTAB" && $8 == "0" { f = 1 } END { exit !f }'
		run -0 --separate-stderr "$IPCX" list unix --attached-by "$parent" -r -n -o "$UNIX_COLS"
		assert_stderr_empty
		assert_output "$(ss_row "$ino")"
		assert_output "$ino  $type connected  0 0  "
	done
}

@test "COMMAND: libproc2 gives control and non-UTF-8 bytes of a name as ?, not as \\xHH" {
	locale -a | grep -q -i -x 'c.utf-\?8' || skip "needs the C.UTF-8 locale"
	local prog=$DIR/h$'\x01'é$'\xff'
	mkfifo "$DIR/f"
	ln -s "$IPCX_TEST_POSIX" "$prog"
	start_helper ready "$prog" hold-fifo "$DIR/f" r
	# the kernel: the name holds the bytes themselves
	assert_equal "$(cat "/proc/$HELPER_PID/comm")" "h"$'\x01'"é"$'\xff'
	run -0 --separate-stderr env LC_ALL=C.UTF-8 "$IPCX" list fifo --path "$DIR" --name "$DIR/f" -J -o COMMAND
	run -0 jq -r '.objects[0].command[0]' <<<"$output"
	assert_output "h?é?[$HELPER_PID]"
	run -0 --separate-stderr env LC_ALL=C.UTF-8 "$IPCX" show fifo "$DIR/f" -J
	run -0 jq -r '.objects[0].processes[0].command' <<<"$output"
	assert_output "$DIR/h?é? hold-fifo $DIR/f r"
}

# --- ipcx itself ---------------------------------------------------------------------------

@test "ipcx's own process is never a user" {
	posix_shm_file mine 4096
	mkfifo "$DIR/f"
	run -0 --separate-stderr sh -c 'f=$1; shift; exec "$@" 7<"$0" 8<>"$f"' /dev/shm/mine "$DIR/f" \
		"$IPCX" list posix-shm fifo --path "$DIR" --name "*mine" --name "$DIR/*" -r -n -o TYPE,NPROCS,PIDS
	assert_stderr_empty
	assert_output "$(printf '%s\n' 'posix-shm 0 ' 'fifo 0 ')"
}

# --- the text maps parser ------------------------------------------------------------------

@test "IPCX_MAPS_SOURCE=text finds the same users as the default, /proc/PID/maps' own" {
	local id
	id=$(mk_shm 8192)
	attach_shm "$id"
	attach_shm "$id"
	posix_shm_file ps 8192
	posix hold-posix-shm /ps 8192 map
	"$IPCX" create posix-sem /s
	posix hold-posix-sem /s
	head -c 8192 /dev/zero >"$DIR/file"
	posix map-file "$DIR/file" 4096
	local expected
	expected=$(printf '%s\n' "shm $id $(shm_pids "$id")" \
		"posix-shm /ps $(map_pids /dev/shm/ps)" \
		"posix-sem /s $(map_pids /dev/shm/sem.s)" \
		"mmap $DIR/file $(map_pids "$DIR/file")")
	local source
	# (PROCMAP_QUERY by default, from Linux 6.11 on)
	for source in "" text; do
		run -0 --separate-stderr env ${source:+IPCX_MAPS_SOURCE=$source} \
			"$IPCX" list shm posix-shm posix-sem mmap --attached-by "${HELPER_PIDS[0]}" \
			--attached-by "${HELPER_PIDS[2]}" --attached-by "${HELPER_PIDS[3]}" \
			--attached-by "${HELPER_PIDS[4]}" -r -n -o TYPE,ID,NAME,PATH,PIDS
		assert_stderr_empty
		assert_equal "$(tr -s ' ' <<<"$output")" "$expected"
	done
}

# --- orphans -------------------------------------------------------------------------------

# One object nobody uses and one in use, of every kind --orphaned knows
# (posix-mq apart: another run may have used up RLIMIT_MSGQUEUE). Sets
# SHM_FREE SHM_USED SEM_FREE SEM_USED MSG_FREE MSG_USED.
make_orphans_and_users() {
	SHM_FREE=$(mk_shm 4096)
	SHM_USED=$(mk_shm 4096)
	attach_shm "$SHM_USED"
	SEM_FREE=$(mk_sem 1)
	SEM_USED=$(mk_sem 1)
	sem_waiter "$SEM_USED"
	MSG_FREE=$(mk_msg)
	send_msg "$MSG_FREE" 4
	MSG_USED=$(mk_msg)
	posix msg-send-stay "$MSG_USED" hi
	posix_shm_file free 4096
	posix_shm_file used 4096
	posix hold-posix-shm /used 4096 map
	"$IPCX" create posix-sem /free
	"$IPCX" create posix-sem /used
	posix hold-posix-sem /used
	mkfifo "$DIR/free" "$DIR/used"
	posix hold-fifo "$DIR/used" r
}

@test "list --orphaned: the objects nobody uses, with the reason, of every kind" {
	make_orphans_and_users
	list_raw all --orphaned --path "$DIR" --name "$DIR/*" --name free -o TYPE,ID,NAME,PATH,REASON
	assert_stderr_empty
	# (--name drops the System V objects)
	assert_output "$(printf '%s\n' "posix-shm  /free  not mapped or open" \
		"posix-sem  /free  not mapped or open" "fifo   $DIR/free no reader or writer")"
	list_raw all --orphaned --path "$DIR" -o TYPE,ID,NAME,PATH,REASON
	assert_stderr_empty
	assert_line "shm $SHM_FREE   not attached, creator gone"
	assert_line "sem $SEM_FREE   no live last operator or waiter"
	assert_line "msg $MSG_FREE   no live sender, receiver or waiter"
	assert_line "posix-shm  /free  not mapped or open"
	assert_line "posix-sem  /free  not mapped or open"
	assert_line "fifo   $DIR/free no reader or writer"
	# the used ones are not there; pipes, mappings and sockets never are
	refute_line --partial "$DIR/used"
	refute_line --partial /used
	refute_line --regexp "^(pipe|mmap|unix) "
	list_raw sysv -o TYPE,ID,REASON
	assert_line "shm $SHM_USED "
	assert_line "sem $SEM_USED "
	assert_line "msg $MSG_USED "
	# REASON is added to the default columns, not to -o
	run -0 --separate-stderr "$IPCX" list sem --orphaned -r
	assert_line --index 0 "TYPE KEY ID OWNER PERMS NSEMS CTIME REASON"
	assert_equal "${#lines[@]}" 2
	# and to the default columns -o +LIST adds to, not to those -o LIST chooses
	run -0 --separate-stderr "$IPCX" list shm --orphaned -r -o +CPID
	assert_line --index 0 "TYPE KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID REASON"
	list_raw shm --orphaned -o +CPID
	assert_line --index 0 --regexp " $SHM_FREE .* $(proc_field shm "$SHM_FREE" cpid) not attached, creator gone\$"
	run -0 --separate-stderr "$IPCX" list shm --orphaned -r -o ID,CPID
	assert_line --index 0 "ID CPID"
}

@test "rm --orphaned: a kind is needed, fifo needs --path, no ids; --dry-run" {
	make_orphans_and_users
	local before
	before=$(kernel_state)
	run -2 --separate-stderr "$IPCX" rm --orphaned
	assert_one_error "--orphaned needs a kind, such as 'ipcx rm shm --orphaned'"
	run -2 --separate-stderr "$IPCX" rm fifo --orphaned
	assert_one_error "--path"
	run -2 --separate-stderr "$IPCX" rm shm --orphaned "$SHM_FREE"
	assert_one_error "--orphaned cannot be combined with ids, names or --key"
	run -2 --separate-stderr "$IPCX" rm shm --orphaned --key "$(kernel_key shm "$SHM_FREE")"
	assert_one_error "cannot be combined"
	# shm: NATTCH comes from the kernel, so even unseen processes cannot hide a user
	run -0 --separate-stderr "$IPCX" rm shm --orphaned --dry-run
	assert_stderr_empty
	assert_output "would remove shm $SHM_FREE (key $(kernel_key shm "$SHM_FREE"))"
	# FIFO users are seen by their descriptors only: where some process's cannot be
	# read (PID 1 in some sandboxes, even for root), rm refuses to guess
	local link init_hidden=
	for link in /proc/1/fd/*; do
		readlink "$link" >/dev/null 2>&1 || init_hidden=1
	done
	if [ -z "$init_hidden" ]; then
		run -0 --separate-stderr "$IPCX" rm fifo --orphaned --path "$DIR" --dry-run
		assert_output "would remove fifo $DIR/free"
	else
		run -1 --separate-stderr "$IPCX" rm fifo --orphaned --path "$DIR" --dry-run
		assert_one_error "1 process could not be inspected, so objects it uses could look orphaned: nothing removed (run as root, or add --force)"
		run -0 --separate-stderr "$IPCX" rm fifo --orphaned --path "$DIR" --dry-run --force
		assert_output "would remove fifo $DIR/free"
	fi
	assert_equal "$(kernel_state)" "$before"
	[ -p "$DIR/free" ]
	[ -p "$DIR/used" ]
	local key
	key=$(kernel_key shm "$SHM_FREE")
	run -0 --separate-stderr "$IPCX" rm shm --orphaned
	assert_output "removed shm $SHM_FREE (key $key)"
	assert_equal "$(kernel_ids shm)" "$SHM_USED"
	run -0 --separate-stderr "$IPCX" rm fifo --orphaned --path "$DIR" ${init_hidden:+--force}
	assert_output "removed fifo $DIR/free"
	[ ! -e "$DIR/free" ]
	[ -p "$DIR/used" ]
}

@test "rm --orphaned of other kinds refuses while processes are out of sight" {
	make_orphans_and_users
	local before shm_key sem_key msg_key
	before=$(kernel_state)
	shm_key=$(kernel_key shm "$SHM_FREE")
	sem_key=$(kernel_key sem "$SEM_FREE")
	msg_key=$(kernel_key msg "$MSG_FREE")
	if init_is_hidden; then
		run -1 --separate-stderr "$IPCX" rm sem msg posix --orphaned
		assert_output ""
		assert_equal "$stderr" "ipcx: 1 process could not be inspected, so objects it uses could look orphaned: nothing removed (run as root, or add --force)"
	fi
	if setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- true 2>/dev/null; then
		run -1 --separate-stderr as_nobody "$IPCX" rm sem --orphaned
		assert_output ""
		[[ "$stderr" =~ ^ipcx:\ [1-9][0-9]*\ process(es)?\ could\ not\ be\ inspected,\ so\ objects\ they\ use\ could\ look\ orphaned:\ nothing\ removed\ \(run\ as\ root,\ or\ add\ --force\)$ ]] ||
			fail "unexpected stderr '$stderr'"
	fi
	assert_equal "$(kernel_state)" "$before"
	[ -e /dev/shm/free ]
	[ -e /dev/shm/sem.free ]
	# --force: the orphans go all the same, the objects in use stay
	run -0 --separate-stderr "$IPCX" rm sysv posix --orphaned --force
	assert_line "removed shm $SHM_FREE (key $shm_key)"
	assert_line "removed sem $SEM_FREE (key $sem_key)"
	assert_line "removed msg $MSG_FREE (key $msg_key)"
	assert_line "removed posix-shm /free"
	assert_line "removed posix-sem /free"
	assert_equal "${#lines[@]}" 5
	assert_equal "$(kernel_ids shm) $(kernel_ids sem) $(kernel_ids msg)" "$SHM_USED $SEM_USED $MSG_USED"
	[ ! -e /dev/shm/free ]
	[ ! -e /dev/shm/sem.free ]
	[ -e /dev/shm/used ]
	[ -e /dev/shm/sem.used ]
}

@test "rm --orphaned removes what nobody uses, when every process is in sight (private PID namespace)" {
	local sem_free sem_used msg_free keys
	sem_free=$(mk_sem 1)
	sem_used=$(mk_sem 1)
	msg_free=$(mk_msg)
	posix_shm_file free 4096
	posix_shm_file used 4096
	keys="$(kernel_key sem "$sem_free") $(kernel_key msg "$msg_free")"
	# the users must run inside the namespace to be seen from there
	run -0 --separate-stderr unshare --pid --fork --mount-proc bash -c '
		posix=$1 ipcx=$2 sem=$3 dir=$4
		mkfifo "$dir/ready"
		"$posix" sem-wait "$sem" 0 >"$dir/ready" &
		read -r line <"$dir/ready"
		until [ "$(ipcs -s -i "$sem" | awk "/^semnum/ { t = 1; next } t && NF == 5 { print \$3; exit }")" = 1 ]; do
			sleep 0.05
		done
		"$posix" hold-posix-shm /used 4096 map >"$dir/ready" &
		read -r line <"$dir/ready"
		"$ipcx" rm sem msg posix-shm --orphaned --dry-run
		echo "rc $?"
		"$ipcx" rm sem msg posix-shm --orphaned
		echo "rc $?"' bash "$IPCX_TEST_POSIX" "$IPCX" "$sem_used" "$DIR"
	assert_equal "$stderr" ""
	local k
	read -r -a k <<<"$keys"
	assert_output "$(printf '%s\n' \
		"would remove sem $sem_free (key ${k[0]})" "would remove msg $msg_free (key ${k[1]})" \
		"would remove posix-shm /free" "rc 0" \
		"removed sem $sem_free (key ${k[0]})" "removed msg $msg_free (key ${k[1]})" \
		"removed posix-shm /free" "rc 0")"
	assert_equal "$(kernel_ids sem)" "$sem_used"
	assert_equal "$(kernel_count msg)" 0
	[ ! -e /dev/shm/free ]
	[ -e /dev/shm/used ]
}

@test "sem: a waiter out of sight (another PID namespace) keeps its set from being an orphan" {
	local sem
	sem=$(mk_sem 1)
	sem_waiter "$sem"
	# from a private PID namespace no process of ours can be seen, but the
	# kernel still counts the waiter (ipcs: ncount 1)
	assert_equal "$(sem_ncnt "$sem" 0)" 1
	run -0 --separate-stderr unshare --pid --fork --mount-proc "$IPCX" list sem --orphaned -o ID,REASON -n
	assert_output ""
	stop_helper "$WAITER"
	assert_equal "$(sem_ncnt "$sem" 0)" 0
	run -0 --separate-stderr unshare --pid --fork --mount-proc "$IPCX" list sem --orphaned -o ID,REASON -n
	assert_output "$sem no live last operator or waiter"
}

# --- filters -------------------------------------------------------------------------------

@test "--creator is CUID, --owner is UID; POSIX objects' creator is their owner; on rm too" {
	require_nobody
	local mine theirs given
	mine=$(mk_shm 4096)
	theirs=$(as_nobody ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
	given=$(mk_shm 4096)
	"$IPCX_TEST_POSIX" sysv-chown shm "$given" "$NOBODY_UID"
	# the kernel: created by root, owned by nobody now
	assert_equal "$(proc_field shm "$given" uid) $(proc_field shm "$given" cuid)" "$NOBODY_UID 0"
	assert_equal "$(proc_field shm "$theirs" cuid)" "$NOBODY_UID"
	posix_shm_file np 4096
	chown "$NOBODY_UID" /dev/shm/np
	posix_shm_file rp 4096
	local opt
	for opt in nobody "$NOBODY_UID"; do
		run -0 --separate-stderr "$IPCX" list shm posix-shm --creator "$opt" -r -n -o ID,NAME
		assert_output "$(printf '%s\n' "$theirs " " /np")"
		run -0 --separate-stderr "$IPCX" list shm --owner "$opt" -r -n -o ID
		assert_output "$(printf '%s\n' "$theirs" "$given" | sort -n)"
	done
	run -0 --separate-stderr "$IPCX" list shm posix-shm --creator root -r -n -o ID,NAME
	assert_output "$(printf '%s\n' "$(printf '%s \n' "$mine" "$given" | sort -n)" " /rp")"
	# AND across filters
	run -0 --separate-stderr "$IPCX" list shm --owner nobody --creator root -r -n -o ID
	assert_output "$given"
	# rm: the filters narrow --all
	run -0 --separate-stderr "$IPCX" rm shm --all --owner nobody --dry-run
	assert_equal "$(printf '%s\n' "${lines[@]}" | sed 's/ (key.*//')" \
		"$(printf 'would remove shm %s\n' "$theirs" "$given" | sort -k4,4n)"
	# rm: an object named that a filter leaves out stays, and a line says so
	run -0 --separate-stderr "$IPCX" rm shm "$mine" "$theirs" --owner nobody --dry-run
	assert_stderr_empty
	assert_line "would remove shm $theirs (key $(kernel_key shm "$theirs"))"
	assert_line "left shm $mine (key $(kernel_key shm "$mine")) as it is: --owner leaves it out"
	assert_equal "${#lines[@]}" 2
	run -0 --separate-stderr "$IPCX" rm posix-shm /rp --creator nobody
	assert_output "left posix-shm /rp as it is: --creator leaves it out"
	run -0 --separate-stderr "$IPCX" rm shm "$mine" --owner nobody --quiet
	assert_output ""
	assert_equal "$(kernel_ids shm)" "$(printf '%s\n' "$mine" "$theirs" "$given" | sort -n)"
	[ -e /dev/shm/rp ]
	run -0 --separate-stderr "$IPCX" rm shm posix-shm --all --creator nobody
	assert_line --regexp "^removed shm $theirs \\(key 0x[0-9a-f]{8}\\)\$"
	assert_line "removed posix-shm /np"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(kernel_ids shm)" "$(printf '%s\n' "$mine" "$given" | sort -n)"
	[ -e /dev/shm/rp ]
	[ ! -e /dev/shm/np ]
	run -2 --separate-stderr "$IPCX" list shm --creator no-such-user-here
	assert_one_error "no-such-user-here"
}

@test "--older-than: by CTIME; durations in s, m, h, d, w; bad ones are usage errors" {
	local old new born d
	old=$(mk_shm 4096)
	posix_shm_file old 10
	sleep 4
	new=$(mk_shm 4096)
	posix_shm_file new 10
	# the kernel: four seconds apart at least
	born=$(proc_field shm "$new" ctime)
	(( born - $(proc_field shm "$old" ctime) >= 4 ))
	# The new objects must be left out while they are 3 s old at most
	# (ipcx takes "older than" as strictly older). Under valgrind on a busy
	# machine the runs may end later: then only the old ones are checked.
	run -0 --separate-stderr "$IPCX" rm shm --all --older-than 3s --dry-run
	if still_young "$born" 3; then
		assert_output "would remove shm $old (key $(kernel_key shm "$old"))"
	else
		assert_line "would remove shm $old (key $(kernel_key shm "$old"))"
	fi
	for d in 3 3s; do
		run -0 --separate-stderr "$IPCX" list shm posix-shm --older-than "$d" -r -n -o ID,NAME
		if still_young "$born" 3; then
			assert_output "$(printf '%s\n' "$old " " /old")"
		else
			assert_line "$old "
			assert_line " /old"
		fi
	done
	for d in 1h 5m 1d 1w 3600; do
		run -0 --separate-stderr "$IPCX" list --older-than "$d" -n
		assert_output ""
	done
	run -0 --separate-stderr "$IPCX" rm shm --all --older-than 1h
	assert_output ""
	assert_equal "$(kernel_count shm)" 2
	for d in junk 5x -1 "" 1.5 1y; do
		run -2 --separate-stderr "$IPCX" list --older-than "$d"
		assert_one_error "invalid duration '$d' (use 90s, 30m, 2h, 7d or 1w)"
	done
	for d in 0 0s; do
		run -2 --separate-stderr "$IPCX" list --older-than "$d"
		assert_one_error "duration '$d'"
	done
	run -2 --separate-stderr "$IPCX" rm shm --all --older-than 99999999999999999999w
	assert_one_error "duration '99999999999999999999w' is out of range"
	assert_equal "$(kernel_count shm)" 2
}

@test "--name: a glob on POSIX names (with or without '/'), paths; never System V, and not with System V alone" {
	posix_shm_file app1 10
	posix_shm_file app2 10
	posix_shm_file other 10
	"$IPCX" create posix-sem /app3
	mk_shm 4096 >/dev/null
	mkfifo "$DIR/app-fifo" "$DIR/zz"
	run -0 --separate-stderr "$IPCX" list --name 'app*' -r -n -o TYPE,NAME
	assert_output "$(printf '%s\n' "posix-shm /app1" "posix-shm /app2" "posix-sem /app3")"
	run -0 --separate-stderr "$IPCX" list --name '/app[12]' -r -n -o NAME
	assert_output "$(printf '%s\n' /app1 /app2)"
	run -0 --separate-stderr "$IPCX" list --name 'app1' --name other -r -n -o NAME
	assert_output "$(printf '%s\n' /app1 /other)"
	# System V objects have no name: --name with them alone is a usage error
	run -2 --separate-stderr "$IPCX" list sysv --name '*' -n
	assert_output ""
	run -0 --separate-stderr "$IPCX" list sysv posix-shm --name '*' -r -n -o TYPE
	refute_line shm
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" --name "$DIR/app*" -r -n -o PATH
	assert_output "$DIR/app-fifo"
	run -0 --separate-stderr "$IPCX" rm posix-shm --all --name 'app*'
	assert_output "$(printf '%s\n' "removed posix-shm /app1" "removed posix-shm /app2")"
	[ -e /dev/shm/other ]
	[ -e /dev/shm/sem.app3 ]
	[ ! -e /dev/shm/app1 ]
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --name '*/zz'
	assert_output "removed fifo $DIR/zz"
	run -0 --separate-stderr "$IPCX" rm fifo "$DIR/app-fifo" --name '*/zz'
	assert_output "left fifo $DIR/app-fifo as it is: --name leaves it out"
	[ -p "$DIR/app-fifo" ]
}

@test "--attached-by PID: the objects that process uses, of every kind; repeatable" {
	local a b
	a=$(mk_shm 4096)
	b=$(mk_shm 4096)
	mk_shm 4096 >/dev/null
	attach_shm "$a"
	local pa=$ATTACH_PID
	attach_shm "$b"
	local pb=$ATTACH_PID
	posix_shm_file p 4096
	posix hold-posix-shm /p 4096 map
	local pp=$HELPER_PID
	run -0 --separate-stderr "$IPCX" list --attached-by "$pa" -r -n -o TYPE,ID,NAME
	assert_stderr_empty
	assert_output "shm $a "
	run -0 --separate-stderr "$IPCX" list --attached-by "$pa" --attached-by "$pp" --attached-by "$pb" -r -n -o TYPE,ID,NAME
	assert_output "$(printf '%s\n' "shm $a " "shm $b " "posix-shm  /p")"
	# a process that uses nothing: nothing
	run -0 --separate-stderr "$IPCX" list --attached-by "$$" -n
	assert_output ""
	local bad
	for bad in 0 -3 junk 12x ""; do
		run -2 --separate-stderr "$IPCX" list --attached-by "$bad"
		assert_one_error "invalid process id '$bad'"
	done
	# rm: --force to take an attached segment; only that process's
	local key
	key=$(kernel_key shm "$b")
	run -0 --separate-stderr "$IPCX" rm shm --all --attached-by "$pb" --force
	assert_output "marked shm $b (key $key) for removal: the kernel destroys it when the last of its 1 attached process detaches"
	(( 8#$(proc_field shm "$b" perms) & 8#1000 )) || fail "SHM_DEST not set"
	(( 8#$(proc_field shm "$a" perms) & 8#1000 )) && fail "shm $a marked too"
	assert_equal "$(kernel_count shm)" 3
}

# --- rm and objects in use -------------------------------------------------------------------

@test "rm refuses objects in use of every kind, names the processes, removes the rest; --force" {
	local sem msg
	sem=$(mk_sem 1)
	sem_waiter "$sem"
	local waiter=$WAITER waiter_err=$HELPER_ERR
	msg=$(mk_msg)
	posix msg-send-stay "$msg" hi
	local sender=$HELPER_PID
	posix_shm_file used 4096
	posix_shm_file free 4096
	posix hold-posix-shm /used 4096 fd
	local holder=$HELPER_PID
	"$IPCX" create posix-sem /used
	posix hold-posix-sem /used
	local semholder=$HELPER_PID
	mkfifo "$DIR/used"
	posix hold-fifo "$DIR/used" r
	local writer=$HELPER_PID
	local before semkey msgkey
	before=$(kernel_state)
	semkey=$(kernel_key sem "$sem")
	msgkey=$(kernel_key msg "$msg")
	run -1 --separate-stderr "$IPCX" rm sem "$sem"
	assert_output ""
	assert_equal "$(stderr_but_init)" "ipcx: sem $sem (key $semkey) is in use by $(comm_list "$waiter"): not removed (--force removes it anyway)"
	run -1 --separate-stderr "$IPCX" rm msg --key "$msgkey"
	assert_equal "$(stderr_but_init)" "ipcx: msg $msg (key $msgkey) is in use by $(comm_list "$sender"): not removed (--force removes it anyway)"
	run -1 --separate-stderr "$IPCX" rm posix-shm /used /free
	assert_output "removed posix-shm /free"
	assert_equal "$(stderr_but_init)" "ipcx: posix-shm /used is in use by $(comm_list "$holder"): not removed (--force removes it anyway)"
	run -1 --separate-stderr "$IPCX" rm posix-sem used --dry-run
	assert_output ""
	assert_equal "$(stderr_but_init)" "ipcx: posix-sem /used is in use by $(comm_list "$semholder"): not removed (--force removes it anyway)"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/used"
	assert_equal "$(stderr_but_init)" "ipcx: fifo $DIR/used is in use by $(comm_list "$writer"): not removed (--force removes it anyway)"
	assert_equal "$(kernel_state)" "$before"
	[ -e /dev/shm/used ]
	[ -e /dev/shm/sem.used ]
	[ -p "$DIR/used" ]
	[ ! -e /dev/shm/free ]
	# --force: no process is read, so no line about the ones out of sight
	run -0 --separate-stderr "$IPCX" rm sem "$sem" --force
	assert_equal "$stderr" ""
	assert_output "removed sem $sem (key $semkey)"
	run -0 --separate-stderr "$IPCX" rm -f msg "$msg"
	assert_output "removed msg $msg (key $msgkey)"
	run -0 --separate-stderr "$IPCX" rm -f posix-shm /used
	assert_output "removed posix-shm /used"
	run -0 --separate-stderr "$IPCX" rm -f posix-sem /used
	run -0 --separate-stderr "$IPCX" rm -f fifo "$DIR/used"
	assert_equal "$stderr" ""
	assert_equal "$(kernel_count sem)$(kernel_count msg)" 00
	[ ! -e /dev/shm/used ]
	[ ! -e /dev/shm/sem.used ]
	[ ! -e "$DIR/used" ]
	# the waiter's semop failed when the set went (EIDRM), as the kernel does
	local rc=0
	wait "$waiter" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$waiter_err")" "semop: Identifier removed"
}

# The kinds come in the order ipcx(1) lists them (enum ipcx_kind), though
# unix is read beside the System V kinds and fifo, pipe and mmap later
@test "list all: the kinds in their order, unix last" {
	mk_shm 4096 >/dev/null
	mkfifo "$DIR/p"
	posix hold-fifo "$DIR/p" r
	posix hold-pipe
	posix unix-listen "$DIR/sock" 1 0
	run -0 --separate-stderr "$IPCX" list all -n -r -o TYPE
	# (mappings are the host's processes': there may be none)
	local kind expected=
	for kind in shm sem msg posix-shm posix-sem posix-mq fifo pipe mmap unix; do
		! grep -qx "$kind" <<<"$output" || expected+="$kind "
	done
	[[ $expected == "shm fifo pipe "*"unix " ]] || fail "kinds missing: $expected"
	assert_equal "$(uniq <<<"$output" | tr '\n' ' ')" "$expected"
}

# --- show ---------------------------------------------------------------------------------

@test "show: the table of processes, their users, HOW and full command lines; JSON processes" {
	local id
	id=$(mk_shm 8192)
	attach_shm "$id"
	attach_shm "$id"
	local p1=${HELPER_PIDS[0]} p2=${HELPER_PIDS[1]}
	run -0 --separate-stderr "$IPCX" show shm "$id"
	assert_stderr_empty
	assert_line --regexp "^pids: +$(pid_list "$p1" "$p2")\$"
	assert_line --regexp "^command: +$(re "$(comm_list "$p1" "$p2")")\$"
	assert_line --regexp "^nprocs: +2\$"
	assert_line --regexp "^cpid_alive: +(no|reused)\$"
	assert_line --regexp "^reason: *\$"
	[[ "$output" == *$'\n\n'*PID*USER*HOW*COMMAND* ]] || fail "no blank line before the table"
	assert_line --regexp "^ *PID +USER +HOW +COMMAND\$"
	local p
	for p in "$p1" "$p2"; do
		assert_line --regexp "^ *$p +root +mapped 8K +$(re "$(cmdline "$p")")\$"
	done
	run -0 --separate-stderr "$IPCX" show shm "$id" -J
	run -0 jq -c '.objects[0].processes' <<<"$output"
	assert_output "$(jq -n -c --argjson p1 "$p1" --argjson p2 "$p2" --arg c1 "$(cmdline "$p1")" --arg c2 "$(cmdline "$p2")" \
		'[{pid: $p1, how: "mapped 8K", command: $c1, user: "root"}, {pid: $p2, how: "mapped 8K", command: $c2, user: "root"}] | sort_by(.pid)')"
	# nobody uses it: no table, an empty array
	local free
	free=$(mk_shm 4096)
	run -0 --separate-stderr "$IPCX" show shm "$free"
	refute_line --regexp "^ *PID +USER"
	run -0 --separate-stderr "$IPCX" show shm "$free" -J
	run -0 jq -c '.objects[0].processes' <<<"$output"
	assert_output "[]"
}

# --- an unprivileged caller --------------------------------------------------------------------

@test "nobody sees only the processes it may inspect, and is told how many it could not" {
	require_nobody
	local id
	id=$(mk_shm 8192 0666)
	attach_shm "$id"
	local rootp=$ATTACH_PID
	start_helper "attached %PID" setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- \
		"$IPCX_TEST_ATTACH" "$id"
	local nobodyp=$HELPER_PID
	assert_equal "$(shm_pids "$id")" "$(pid_list "$rootp" "$nobodyp")"
	# the kernel counts both, nobody can read the maps of its own process only
	as_nobody cat "/proc/$nobodyp/maps" >/dev/null
	run ! as_nobody cat "/proc/$rootp/maps"
	run -0 --separate-stderr as_nobody "$IPCX" list shm -r -n -o ID,NATTCH,PIDS,COMMAND,NPROCS,REASON
	assert_output "$id 2 $nobodyp $(comm_list "$nobodyp") 1 "
	[[ "$stderr" =~ ^ipcx:\ ([0-9]+)\ processes\ could\ not\ be\ inspected\ \(permission\ denied\?\):\ what\ they\ use\ is\ not\ counted$ ]] ||
		fail "unexpected stderr '$stderr'"
	# at least root's helper and this test's root processes
	(( BASH_REMATCH[1] >= 2 ))
	run -0 --separate-stderr "$IPCX" list shm -r -n -o ID,NATTCH,PIDS,NPROCS
	assert_stderr_empty
	assert_output "$id 2 $(pid_list "$rootp" "$nobodyp") 2"
	run -0 --separate-stderr as_nobody "$IPCX" show shm "$id" -J
	run -0 jq -c '[.objects[0].processes[] | [.pid, .user]]' <<<"$output"
	assert_output "[[$nobodyp,\"nobody\"]]"
	# rm as nobody: its own segment, in use by its process
	local mine
	mine=$(as_nobody ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
	start_helper "attached %PID" setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- \
		"$IPCX_TEST_ATTACH" "$mine"
	run -1 --separate-stderr as_nobody "$IPCX" rm shm "$mine"
	assert_equal "$stderr" "ipcx: shm $mine (key $(kernel_key shm "$mine")) is in use by $(comm_list "$HELPER_PID"): not removed (--force removes it anyway)"
	run -0 --separate-stderr as_nobody "$IPCX" rm shm "$mine" --force
	assert_output --partial "marked shm $mine "
}

# hidepid_rm OPTIONS: in a PID namespace of its own, with its own /proc
# remounted with OPTIONS (never the host's), root holds /nb and /nbq open;
# then nobody runs rm --orphaned and list, and root rm --orphaned. Prints
# whether nobody's /proc shows root's holder and its stat, what each command says, and
# what /dev/shm and /dev/mqueue hold in between.
hidepid_rm() {
	in_own_pids bash -c '
		posix=$1 ipcx=$2 dir=$3 opts=$4
		nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
		rm -f "$dir/ready"
		mkfifo "$dir/ready"
		"$posix" hold-posix-shm /nb 4096 fd >"$dir/ready" &
		read -r line <"$dir/ready"
		"$posix" hold-posix-mq /nbq >"$dir/ready" &
		read -r line <"$dir/ready"
		mount -o "remount,$opts" /proc
		if $nobody test -e "/proc/$!"; then echo "holder visible"; else echo "holder hidden"; fi
		if $nobody cat "/proc/$!/stat" >/dev/null 2>&1; then echo "stat readable"; else echo "stat unreadable"; fi
		$nobody "$ipcx" rm posix-shm posix-mq --orphaned 2>"$dir/err"
		echo "nobody rc $?"
		cat "$dir/err"
		$nobody "$ipcx" list posix -o NAME,NPROCS 2>&1 >/dev/null
		ls /dev/shm /dev/mqueue
		"$ipcx" rm posix-shm posix-mq --orphaned 2>&1
		echo "root rc $?"' bash "$IPCX_TEST_POSIX" "$IPCX" "$DIR" "$1"
}

@test "rm --orphaned as nobody refuses when /proc's hidepid hides root's processes; root's removes the orphan" {
	require_nobody
	local opts why left sight
	left="$(printf '%s\n' /dev/mqueue: nbq '' /dev/shm: free nb)"
	for opts in hidepid=1 hidepid=noaccess hidepid=2 hidepid=invisible hidepid=4 hidepid=ptraceable; do
		clean_ns
		as_nobody "$IPCX" create posix-shm /nb --size 4096
		as_nobody "$IPCX" create posix-mq /nbq
		as_nobody "$IPCX" create posix-shm /free --size 4096
		# noaccess lists root's processes, but nobody may not read them, not even their stat
		sight="holder hidden"
		case $opts in
		*1 | *noaccess)
			why="/proc is mounted with hidepid=noaccess: other users' processes cannot be read"
			sight="holder visible"
			;;
		*2 | *invisible) why="/proc is mounted with hidepid=invisible: other users' processes are out of sight" ;;
		*) why="/proc is mounted with hidepid=ptraceable: the processes you may not trace are out of sight" ;;
		esac
		run -0 --separate-stderr hidepid_rm "$opts"
		assert_equal "$stderr" ""
		assert_output "$(printf '%s\n' "$sight" "stat unreadable" "nobody rc 1" \
			"ipcx: $why, so objects they use could look orphaned: nothing removed (run as root, or add --force)" \
			"ipcx: $why, and what they use is not counted" \
			"$left" "removed posix-shm /free" "root rc 0")"
		# what the file systems hold now: the objects in use, not the orphan
		[ -f /dev/shm/nb ]
		[ -f /dev/mqueue/nbq ]
		[ ! -e /dev/shm/free ]
	done
}

@test "hidepid=invisible or noaccess with nobody in its gid= group: every process listed, the unreadable ones counted" {
	require_nobody
	local opts
	for opts in invisible noaccess; do
		clean_ns
		as_nobody "$IPCX" create posix-shm /nb --size 4096
		as_nobody "$IPCX" create posix-mq /nbq
		as_nobody "$IPCX" create posix-shm /free --size 4096
		run -0 --separate-stderr hidepid_rm "hidepid=$opts,gid=$NOBODY_GID"
		assert_equal "$stderr" ""
		assert_line --index 0 "holder visible"
		assert_line --index 1 "stat readable"
		assert_line --index 2 "nobody rc 1"
		assert_line --index 3 --regexp "^ipcx: [1-9][0-9]* processes could not be inspected, so objects they use could look orphaned: nothing removed \(run as root, or add --force\)$"
		assert_line --index 4 --regexp "^ipcx: [1-9][0-9]* processes could not be inspected \(permission denied\?\): what they use is not counted$"
		refute_output --partial "hidepid"
		assert_line "removed posix-shm /free"
		[ -f /dev/shm/nb ]
		[ -f /dev/mqueue/nbq ]
	done
}

@test "show as nobody: says that processes could not be inspected" {
	require_nobody
	local id
	id=$(mk_shm 8192 0666)
	attach_shm "$id"
	run -0 --separate-stderr as_nobody "$IPCX" show shm "$id"
	[[ "$stderr" =~ ^ipcx:\ [0-9]+\ processes\ could\ not\ be\ inspected ]] || fail "stderr: '$stderr'"
}

@test "a process whose descriptors cannot be read counts as not inspected" {
	require_nobody
	open_dir
	mkfifo -m 0666 "$OPEN_DIR/f"
	# In a PID namespace of its own: a reader run as nobody but with a
	# capability nobody's ipcx lacks, so /proc/PID/fd lists (it is nobody's)
	# but its links cannot be read (ptrace access). Every other process of
	# the namespace is root's bash, PID 1.
	run -0 --separate-stderr unshare --pid --fork --mount-proc bash -c '
		posix=$1 ipcx=$2 dir=$3
		nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
		mkfifo "$dir/ready"
		$nobody --inh-caps=+net_bind_service --ambient-caps=+net_bind_service -- \
			"$posix" hold-fifo "$dir/f" r >"$dir/ready" &
		read -r line <"$dir/ready"
		$nobody -- ls "/proc/$!/fd" >/dev/null && echo listed
		$nobody -- readlink "/proc/$!/fd/0" >/dev/null 2>&1 || echo unreadable
		$nobody -- "$ipcx" list fifo --path "$dir" --name "$dir/f" -r -n -o PATH,READERS,NPROCS 2>&1' \
		bash "$IPCX_TEST_POSIX" "$IPCX" "$OPEN_DIR"
	assert_line --index 0 listed
	assert_line --index 1 unreadable
	# either the reader is counted, or ipcx says it could not inspect it (and bash)
	[ "${lines[2]}" = "$OPEN_DIR/f 1 1" ] ||
		assert_equal "${lines[3]}" "ipcx: 2 processes could not be inspected (permission denied?): what they use is not counted"
}

# --- threads -----------------------------------------------------------------------------

# task_holds PID TEXT: some thread of PID has a descriptor whose link shows
# TEXT, as the kernel lists them in /proc/PID/task/TID/fd
task_holds() {
	local fd
	for fd in /proc/"$1"/task/*/fd/*; do
		[[ "$(readlink "$fd" 2>/dev/null)" == "$2" ]] && return 0
	done
	return 1
}

# fd_holds PID TEXT: the same in /proc/PID/fd, the main thread's table
fd_holds() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		[[ "$(readlink "$fd" 2>/dev/null)" == "$2" ]] && return 0
	done
	return 1
}

# The main thread exited (pthread_exit): /proc/PID/fd and maps are empty,
# the process runs on in its threads, which hold the objects
@test "a process whose main thread exited uses what its threads hold" {
	mkfifo "$DIR/f"
	run -0 "$IPCX" create posix-mq /q
	run -0 "$IPCX" create posix-shm /m --size 4096
	posix in-thread main-exits hold-fifo "$DIR/f" r
	local fifo_user=$HELPER_PID
	posix_value in-thread main-exits hold-posix-mq /q
	local mq_user=$HELPER_PID
	posix in-thread main-exits hold-posix-shm /m 4096 map
	local shm_user=$HELPER_PID
	for pid in "$fifo_user" "$mq_user" "$shm_user"; do
		grep -qx 'State:	Z (zombie)' "/proc/$pid/status"
		[ -z "$(ls "/proc/$pid/fd")" ]
	done
	task_holds "$fifo_user" "$DIR/f"
	task_holds "$mq_user" /q
	[ -z "$(cat "/proc/$shm_user/maps")" ]
	grep -q ' /dev/shm/m$' /proc/"$shm_user"/task/*/maps
	list_raw posix-mq posix-shm -o NAME,PIDS,REASON
	assert_line "/q $mq_user "
	assert_line "/m $shm_user "
	list_raw fifo --path "$DIR" -o PATH,READERS,PIDS
	assert_line "$DIR/f 1 $fifo_user"
	run -1 --separate-stderr "$IPCX" rm posix-mq /q --dry-run
	run -1 --separate-stderr "$IPCX" rm fifo --orphaned --path "$DIR" --dry-run
	[ -e /dev/mqueue/q ]
	[ -p "$DIR/f" ]
}

# Its IPC namespace too is the threads': /proc/PID/ns is empty, not the
# waiting thread's /proc/PID/task/TID/ns
@test "a process whose main thread exited, waiting in semop in another thread, uses the set" {
	local id before
	id=$(mk_sem 1 0600)
	before=$(sem_ncnt "$id" 0)
	posix in-thread main-exits sem-wait "$id" 0
	WAITER=$HELPER_PID
	# (its main thread a zombie, the process runs on: no helper_alive)
	while [ "$(sem_ncnt "$id" 0)" = "$before" ]; do
		[ -d "/proc/$WAITER/task" ] || fail "helper $WAITER has exited: $(cat "$HELPER_ERR")"
		sleep 0.05
	done
	# the kernel: the main thread a zombie, without ns/ipc; a thread waits on the set
	grep -qx 'State:	Z (zombie)' "/proc/$WAITER/status"
	run -1 stat "/proc/$WAITER/ns/ipc"
	assert_equal "$(sem_ncnt "$id" 0)" 1
	list_raw sem -o ID,PIDS,REASON
	assert_line "$id $WAITER "
	run -0 --separate-stderr "$IPCX" list sem --orphaned -n -o ID
	assert_output ""
}

# unshare(CLONE_FILES) in a thread: its descriptors are in its own table,
# /proc/PID/task/TID/fd, not in /proc/PID/fd
@test "a thread with a descriptor table of its own: its descriptors count, once" {
	mkfifo "$DIR/f"
	run -0 "$IPCX" create posix-mq /q
	posix in-thread own-files hold-fifo "$DIR/f" r
	local fifo_user=$HELPER_PID
	posix_value in-thread own-files hold-posix-mq /q
	local mq_user=$HELPER_PID
	task_holds "$fifo_user" "$DIR/f"
	run -1 fd_holds "$fifo_user" "$DIR/f"
	task_holds "$mq_user" /q
	run -1 fd_holds "$mq_user" /q
	list_raw posix-mq -o NAME,PIDS,REASON
	assert_line "/q $mq_user "
	list_raw fifo --path "$DIR" -o PATH,READERS,WRITERS,PIDS
	assert_line "$DIR/f 1 0 $fifo_user"
	# a thread sharing the main thread's table adds nothing twice
	posix in-thread thread hold-fifo "$DIR/f" w
	list_raw fifo --path "$DIR" -o PATH,READERS,WRITERS,PIDS
	assert_line "$DIR/f 1 1 $(pid_list "$fifo_user" "$HELPER_PID")"
	run -1 --separate-stderr "$IPCX" rm posix-mq /q
	[ -e /dev/mqueue/q ]
}

# own_tables_script: writes a python program of N threads (its argument),
# each with a descriptor table of its own (unshare CLONE_FILES) that holds
# a pipe of its own, which says "ready" once all are; prints its path
own_tables_script() {
	cat >"$BATS_TEST_TMPDIR/own_tables.py" <<'EOF'
import ctypes, os, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
n = int(sys.argv[1])
done = threading.Barrier(n + 1)
stop = threading.Event()
def own_table():
    if libc.unshare(0x400) != 0:
        sys.exit("unshare: %s" % os.strerror(ctypes.get_errno()))
    os.pipe()
    done.wait()
    stop.wait()
for _ in range(n):
    threading.Thread(target=own_table, daemon=True).start()
done.wait()
print("ready", flush=True)
stop.wait()
EOF
	echo "$BATS_TEST_TMPDIR/own_tables.py"
}

# pipes_in DIR...: the pipes of the descriptor tables /proc shows in DIR...
pipes_in() {
	find "$@" -mindepth 1 -maxdepth 1 -printf '%l\n' 2>/dev/null |
		sed -n 's/^pipe:\[\([0-9]*\)\]$/\1/p' | sort -n -u
}

# task_pipes PID: the pipes of every thread's table, as /proc/PID/task/*/fd shows them
task_pipes() {
	pipes_in /proc/"$1"/task/*/fd
}

# own_table_pipes PID: how many pipes the threads' own tables hold beyond the main one's
own_table_pipes() {
	echo $(($(task_pipes "$1" | wc -l) - $(pipes_in "/proc/$1/fd" | wc -l)))
}

@test "threads with tables of their own: all read, up to 1024 tables; past that the process counts as not inspected" {
	require_python
	local pid script
	script=$(own_tables_script)
	start_helper ready python3 "$script" 24
	pid=$HELPER_PID
	# the kernel: 24 pipes in the threads' own tables, beside the main table's (to bats)
	assert_equal "$(own_table_pipes "$pid")" 24
	list_raw pipe --attached-by "$pid" -o INODE
	assert_output "$(task_pipes "$pid")"
	stop_helper "$pid"
	# 1030 tables, in a PID namespace of its own: the only process that can go uncounted
	run -0 in_own_pids bash -c '
		: >"$2"
		python3 "$1" 1030 >"$2" &
		until grep -qx ready "$2"; do kill -0 $! || exit 1; sleep 0.1; done
		pipes() { find "$@" -mindepth 1 -maxdepth 1 -lname "pipe:*" -printf "%l\n" | sort -u | wc -l; }
		echo "own tables: $(($(pipes /proc/$!/task/*/fd) - $(pipes /proc/$!/fd)))"
		"$3" list pipe -n -o INODE 2>&1 >/dev/null
		kill $!' bash "$script" "$BATS_TEST_TMPDIR/ready" "$IPCX"
	assert_line --index 0 "own tables: 1030"
	assert_line --index 1 "ipcx: 1 process could not be inspected (permission denied?): what it uses is not counted"
}

# /proc/PID/syscall is the main thread's: a thread blocked in msgrcv is in
# /proc/PID/task/TID/syscall
@test "a thread that is not the main one, waiting in msgrcv, uses the queue" {
	local id want tid=
	id=$(mk_msg 0600)
	posix_value in-thread thread msg-recv "$id"
	WAITER=$HELPER_PID
	want="$HELPER_VALUE $(printf '0x%x' "$id")"
	while [ -z "$tid" ]; do
		helper_alive "$WAITER"
		for t in /proc/"$WAITER"/task/*; do
			[ "$(cut -d' ' -f1-2 "$t/syscall" 2>/dev/null)" != "$want" ] || tid=${t##*/}
		done
		sleep 0.05
	done
	[ "$tid" != "$WAITER" ]
	list_raw msg -o ID,PIDS,REASON
	assert_line "$id $WAITER "
	run -1 --separate-stderr "$IPCX" rm msg "$id"
	assert_equal "$(stderr_but_init)" "ipcx: msg $id (key $(kernel_key msg "$id")) is in use by $(comm_list "$WAITER"): not removed (--force removes it anyway)"
}

# An unattached segment needs no process read but its creator's liveness,
# read when asked: under hidepid, that creator is out of sight there too
@test "show of an unattached segment under hidepid: its creator's state comes with the warning" {
	require_nobody
	run -0 --separate-stderr in_own_pids bash -c '
		posix=$1 ipcx=$2 dir=$3
		rm -f "$dir/ready"
		mkfifo "$dir/ready"
		"$posix" make-shm 4096 >"$dir/ready" &
		read -r _ id <"$dir/ready"
		mount -o remount,hidepid=invisible /proc
		echo "$id $!"
		setpriv --reuid=65534 --regid=65534 --clear-groups "$ipcx" show shm "$id" -J' \
		bash "$IPCX_TEST_POSIX" "$IPCX" "$DIR"
	assert_equal "$stderr" "ipcx: /proc is mounted with hidepid=invisible: other users' processes are out of sight, and what they use is not counted"
	local id creator
	read -r id creator <<<"${lines[0]}"
	run -0 jq -r '.objects[0] | "\(.id) \(.cpid) \(.nattch)"' <<<"$(sed 1d <<<"$output")"
	assert_output "$id $creator 0"
}

@test "show: a command line and a field of any length, in the table and in JSON, as /proc has them" {
	local id long pid i holders=()
	id=$(mk_shm 4096)
	# a command line of 5000 bytes and more, as a Java process's often is
	printf -v long 'x%.0s' {1..5000}
	start_helper "attached %PID" bash -c 'exec -a "$1" "$2" "$3"' sh "$long" "$IPCX_TEST_ATTACH" "$id"
	pid=$HELPER_PID
	run -0 --separate-stderr "$IPCX" show shm "$id" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.user) \(.command)"' <<<"$output"
	assert_output "$pid root $(cmdline "$pid")"
	# a COMMAND of 300 processes, longer than a cell's first buffer
	: >/dev/shm/big
	for i in $(seq 300); do
		sleep infinity 3</dev/shm/big &
		holders+=("$!")
		HELPER_PIDS+=("$!")
	done
	run -0 --separate-stderr "$IPCX" show posix-shm /big
	assert_line --regexp "^nprocs: +300\$"
	assert_line "command: $(comm_list "${holders[@]}")"
	assert_line "pids:    $(pid_list "${holders[@]}")"
}

@test "show -J: the user of a process whose uid has no name is the uid, as in the table" {
	require_nobody
	local uid=4242424 id
	! getent passwd "$uid" >/dev/null || skip "uid $uid has a name here"
	id=$(mk_shm 4096 0666)
	start_helper "attached %PID" setpriv --reuid="$uid" --regid="$uid" --clear-groups \
		"$IPCX_TEST_ATTACH" "$id"
	# the kernel's uid of the process
	assert_equal "$(awk '/^Uid:/ { print $2 }' "/proc/$HELPER_PID/status")" "$uid"
	run -0 --separate-stderr "$IPCX" show shm "$id" -J
	run -0 jq -r '.objects[0].processes[] | "\(.pid) \(.user)"' <<<"$output"
	assert_output "$HELPER_PID $uid"
	run -0 "$IPCX" show shm "$id"
	assert_line --regexp "^ *$HELPER_PID +$uid +mapped"
}
