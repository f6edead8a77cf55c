#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx --target PID: the objects of a container, as the container sees them.
# The container is a process in IPC, mount, network and PID namespaces of
# its own; what it has is read with nsenter (ipcs in its IPC namespace, ls in
# its mount namespace) and from its own processes.

load common

setup() {
	common_setup
	DIR=$BATS_TEST_TMPDIR
}

teardown() {
	# the init of a PID namespace takes no signal but SIGKILL from outside,
	# and unshare(1) waits for it
	[ -z "${CONTAINER:-}" ] || kill -KILL "$CONTAINER" 2>/dev/null || true
	stop_helpers
}

# start_container: the container, holding a segment, a queue and a semaphore
# set (ipcmk), a POSIX shared memory object, a POSIX queue, and a process
# attached to its segment, and a FIFO its init holds open, $DIR/held. Sets
# CONTAINER (its init's pid here), INNER_PID (the attached process's pid in
# there) and SEGMENT (the segment's id). Arguments are a command its init
# runs under (setpriv ...).
start_container() {
	[ -x "$IPCX_TEST_ATTACH" ] || skip "needs $IPCX_TEST_ATTACH (make check builds it)"
	unshare --net --pid --fork true 2>/dev/null || skip "cannot make network and PID namespaces here"
	mkfifo "$DIR/attached" "$DIR/held"
	# --kill-child: the container ends with the helper
	start_helper_value unshare --ipc --mount --net --pid --mount-proc --kill-child "$@" sh -c '
		mount -t tmpfs -o mode=1777 x /dev/shm && mount -t mqueue x /dev/mqueue &&
		id=$(ipcmk -M 8192 | grep -o "[0-9]*$") && ipcmk -Q >/dev/null &&
		ipcmk -S 2 >/dev/null && : >/dev/shm/inside &&
		"$1" create posix-mq /inside >/dev/null || exit 1
		"$2" "$id" >"$3" &
		read -r line <"$3"
		exec 4<>"$4"
		echo "ready ${line#attached }"
		exec sleep infinity' sh "$IPCX" "$IPCX_TEST_ATTACH" "$DIR/attached" "$DIR/held"
	CONTAINER=$(pgrep -P "$HELPER_PID")
	INNER_PID=$HELPER_VALUE
	SEGMENT=$(nsenter -t "$CONTAINER" -i ipcs -m | awk '/^0x/ { print $2 }')
	[ -n "$CONTAINER" ] && [ -n "$SEGMENT" ] || fail "no container: '$CONTAINER' '$SEGMENT'"
}

# The System V objects of the container, "KIND KEY ID" as its ipcs lists them
container_sysv() {
	local opt kind
	for kind in shm sem msg; do
		opt=$(ipcs_opt "$kind")
		nsenter -t "$CONTAINER" -i ipcs "$opt" | awk -v k="$kind" '/^0x/ { print k, $1, $2 }'
	done
}

@test "--target: the container's objects, as its ipcs and its /dev/shm and /dev/mqueue have them, and none of ours" {
	start_container
	mk_shm 100 >/dev/null
	: >/dev/shm/outside
	run -0 --separate-stderr "$IPCX" --target "$CONTAINER" list sysv -o TYPE,KEY,ID -r -n
	assert_stderr_empty
	assert_equal "$(sort <<<"$output")" "$(container_sysv | sort)"
	assert_equal "${#lines[@]}" 3
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" list posix-shm -o NAME -r -n
	assert_output "/$(nsenter -t "$CONTAINER" -m ls /dev/shm)"
	assert_output /inside
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" list posix-mq -o NAME -r -n
	assert_output "/$(nsenter -t "$CONTAINER" -m ls /dev/mqueue)"
	# ours are ours still: one segment, and /outside
	run -0 "$IPCX" list sysv -o TYPE -r -n
	assert_output shm
	assert_equal "$(kernel_count shm)" 1
	run -0 "$IPCX" list posix-shm -o NAME -r -n
	assert_output /outside
}

@test "--target: the processes are the container's, with the pids they have in there" {
	start_container
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" list shm -o ID,NATTCH,PIDS -r -n
	assert_output "$SEGMENT 1 $INNER_PID"
	# the kernel's pid of the attached process in the container's namespace
	local outer
	outer=$(pgrep --ns "$CONTAINER" --nslist pid -f "ipcx-test-attach $SEGMENT\$")
	assert_equal "$(awk '/^NSpid:/ { print $NF }' "/proc/$outer/status")" "$INNER_PID"
}

@test "--target: rm and create change the container's objects, not ours" {
	start_container
	local ours
	ours=$(mk_shm 100)
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" rm shm "$SEGMENT" --force
	# attached: marked for removal (ipcs' status "dest")
	run -0 nsenter -t "$CONTAINER" -i ipcs -m
	assert_line --regexp "^0x[0-9a-f]+ +$SEGMENT .* dest *\$"
	assert_equal "$(kernel_ids shm)" "$ours"
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" create posix-shm /made --size 1
	run -0 nsenter -t "$CONTAINER" -m stat -c %s /dev/shm/made
	assert_output 1
	[ ! -e /dev/shm/made ] || fail "made in our /dev/shm"
	run -0 --separate-stderr "$IPCX" -t "$CONTAINER" rm posix-mq /inside
	run -0 nsenter -t "$CONTAINER" -m ls -A /dev/mqueue
	assert_output ""
}

@test "--target: its command's exit status and errors are ipcx's" {
	start_container
	run -1 --separate-stderr "$IPCX" -t "$CONTAINER" rm shm 99999
	assert_one_error 99999
	run -2 --separate-stderr "$IPCX" -t "$CONTAINER" list --bogus
	assert_one_error --bogus
	assert_equal "$(container_sysv | wc -l)" 3
}

@test "--target: a process gone, or whose namespaces the caller may not enter: exit 1, nothing done" {
	local ours gone
	ours=$(mk_shm 100)
	gone=$(sh -c 'echo $$')
	while running "$gone"; do sleep 0.05; done
	run -1 --separate-stderr "$IPCX" --target "$gone" rm shm "$ours"
	assert_one_error "--target $gone" "No such process"
	assert_equal "$(kernel_ids shm)" "$ours"
	start_container
	run -1 --separate-stderr as_nobody "$IPCX" -t "$CONTAINER" rm shm "$SEGMENT"
	assert_one_error "--target $CONTAINER" "cannot enter its namespaces"
	assert_equal "$(nsenter -t "$CONTAINER" -i ipcs -m | awk '/^0x/ { print $2 }')" "$SEGMENT"
}

@test "--target: bash and fish complete the container's objects after it, and the commands after its value" {
	require_bash_completion
	start_container
	mk_shm 100 >/dev/null
	run -0 bash_complete --target "$CONTAINER" l
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' limits list)"
	run -0 bash_complete -t "$CONTAINER" rm shm ''
	assert_line "$SEGMENT"
	assert_equal "$(grep -c '^[0-9]' <<<"$output")" 1
	# (after a kind, rm also takes more kinds)
	run -0 bash_complete -t "$CONTAINER" rm posix-mq ''
	assert_equal "$(grep '^/' <<<"$output")" "/$(nsenter -t "$CONTAINER" -m ls /dev/mqueue)"
	require_fish
	run -0 --separate-stderr fish_complete "ipcx -t $CONTAINER l"
	assert_output "$(printf '%s\n' limits list)"
	run -0 --separate-stderr fish_complete "ipcx --target $CONTAINER show posix-shm "
	assert_output "/$(nsenter -t "$CONTAINER" -m ls /dev/shm)"
}

# The pids the container's /proc has, one a line, ascending
container_pids() {
	nsenter -t "$CONTAINER" -m ls /proc | grep -x '[0-9]*' | sort -n
}

# The FIFOs the container's processes have open, one a line, sorted; not
# those removed since (their paths are ipcx's with " (deleted)")
container_fifos() {
	local pid fd
	for pid in $(pgrep --ns "$CONTAINER" --nslist pid); do
		for fd in "/proc/$pid/fd/"*; do
			[ -p "$fd" ] && readlink "$fd"
		done
	done | grep '^/' | grep -v ' (deleted)$' | sort -u
}

@test "--target: -tPID is a target too; after it, pids and FIFO paths are the container's (bash, fish)" {
	require_bash_completion
	start_container
	# the kernel: the FIFO its init holds open
	assert_equal "$(readlink "/proc/$CONTAINER/fd/4")" "$DIR/held"
	run -0 bash_complete "-t$CONTAINER" rm shm ''
	assert_equal "$(grep '^[0-9]' <<<"$output")" "$SEGMENT"
	run -0 bash_complete "-t$CONTAINER" list --attached-by ''
	assert_equal "$(sort -n <<<"$output")" "$(container_pids)"
	run -0 bash_complete -t "$CONTAINER" rm fifo ''
	assert_line "$DIR/held"
	assert_equal "$(grep / <<<"$output" | grep -v deleted | sort)" "$(container_fifos)"
	run -0 bash_complete -t "$CONTAINER" create fifo ''
	assert_output ""
	require_fish
	run -0 --separate-stderr fish_complete "ipcx -t$CONTAINER rm shm "
	assert_equal "$(grep '^[0-9]' <<<"$output")" "$SEGMENT"
	run -0 --separate-stderr fish_complete "ipcx -t $CONTAINER list --attached-by "
	assert_equal "$(sort -n <<<"$output")" "$(container_pids)"
	run -0 --separate-stderr fish_complete "ipcx --target=$CONTAINER show fifo "
	assert_equal "$(grep -v deleted <<<"$output")" "$(container_fifos)"
}

@test "--target: no library, NSS module or nsswitch.conf of the container is loaded; names are from its /etc/passwd (strace)" {
	command -v strace >/dev/null || skip "needs strace"
	# (LeakSanitizer cannot run under ptrace: a sanitizer build would exit 1)
	start_container
	# in there: root is named otherwise, and uids not in its passwd go to an NSS module
	printf 'croot:x:0:0::/:/bin/sh\n' >"$DIR/passwd"
	printf 'passwd: files ipcxtest\ngroup: files ipcxtest\n' >"$DIR/nsswitch.conf"
	nsenter -t "$CONTAINER" -m sh -c '
		mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf &&
		: >/dev/shm/stranger && chown 4242:4242 /dev/shm/stranger' sh "$DIR"
	run -0 --separate-stderr env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=open,openat,setns -e signal=none \
		-o "$DIR/trace" "$IPCX" -t "$CONTAINER" list posix-shm shm -r -n -o TYPE,NAME,OWNER,GROUP,PIDS,COMMAND
	assert_line --regexp "^posix-shm /inside croot root +\$"
	assert_line --regexp "^posix-shm /stranger 4242 4242 +\$"
	assert_line --regexp "^shm  croot root $INNER_PID ipcx-test-att[a-z]*\\[$INNER_PID\\]\$"
	run -0 --separate-stderr env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=open,openat,setns -e signal=none \
		-o "$DIR/trace.show" "$IPCX" -t "$CONTAINER" show shm "$SEGMENT"
	assert_line --regexp "^ +$INNER_PID +croot "
	# the system calls: after entering the mount namespace, no shared object
	# nor nsswitch.conf is opened (the container's passwd is)
	local file
	for file in "$DIR/trace" "$DIR/trace.show"; do
		run -0 awk '/setns\(.*CLONE_NEWNS/ { inside = 1 } inside && /open/ { print }' "$file"
		assert_line --partial '"/etc/passwd"'
		refute_line --regexp '\.so[."]|nsswitch'
	done
}

# start_blocked_command: ipcx -t CONTAINER with a command that fills a pipe
# nobody reads, its write end fd 4 here, and blocks there. Sets PARENT (ipcx)
# and CHILD (its command).
start_blocked_command() {
	# enough objects that the listing fills the pipe
	nsenter -t "$CONTAINER" -m sh -c 'for i in $(seq 400); do : >"/dev/shm/$(printf "%0200d" "$i")"; done'
	mkfifo "$DIR/out"
	exec 4<>"$DIR/out"
	"$IPCX" -t "$CONTAINER" list posix-shm >"$DIR/out" 2>/dev/null &
	PARENT=$!
	CHILD=$(command_of "$PARENT") || fail "ipcx -t started no command"
}

# command_of PID: the child of ipcx -t that is in the container's PID
# namespace (not, under valgrind, one its wrapper script runs first)
command_of() {
	local tries=200 child
	while kill -0 "$1" 2>/dev/null && ((tries--)); do
		for child in $(pgrep -P "$1"); do
			if [ "$(readlink "/proc/$child/ns/pid")" = "$(readlink "/proc/$CONTAINER/ns/pid")" ]; then
				echo "$child"
				return 0
			fi
		done
		sleep 0.05
	done
	return 1
}

# cap_set PID NAME: that capability set of the process (CapEff, CapBnd...), as a number
cap_set() {
	echo $((16#$(sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status")))
}

# cap_bit NAME: the capability's number, as capsh and setpriv --list-caps order them
cap_bit() {
	setpriv --list-caps | grep -nx "$1" | cut -d: -f1 | awk '{ print $1 - 1 }'
}

@test "--target: a signal for ipcx goes to its command, and ipcx ends with it as the command does" {
	start_container
	start_blocked_command
	local parent=$PARENT child=$CHILD status=0
	# (whether the command has blocked yet or not, it is not to outlive ipcx)
	kill -TERM "$parent"
	wait "$parent" || status=$?
	exec 4<&-
	# 128 + SIGTERM, and the command has gone with it
	assert_equal "$status" 143
	! running "$child" || fail "the command ($child) runs on"
}

@test "--target: where the container may trace its command, the command has no capability the container lacks; it ends when ipcx is killed" {
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
	start_container setpriv --bounding-set -sys_module,-sys_rawio --
	local module rawio
	module=$((1 << $(cap_bit sys_module))) rawio=$((1 << $(cap_bit sys_rawio)))
	(($(cap_set "$CONTAINER" CapBnd) & module)) && fail "setpriv left sys_module in the container"
	(($(cap_set $$ CapEff) & module)) || skip "the tests run without CAP_SYS_MODULE: nothing to drop"
	start_blocked_command
	# once the command has written, it runs as it will
	read -r -t 20 -N 1 -u 4 || fail "the command wrote nothing"
	local cap
	for cap in CapEff CapPrm CapInh CapAmb; do
		assert_equal "$(($(cap_set "$CHILD" "$cap") & ~$(cap_set "$CONTAINER" CapBnd)))" 0
		assert_equal "$(($(cap_set "$CHILD" "$cap") & (module | rawio)))" 0
	done
	# an execve() would gain none back
	assert_equal "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$CHILD/status")" 1
	# what it keeps lets it read the container's processes
	(($(cap_set "$CHILD" CapEff) & (1 << $(cap_bit sys_ptrace)))) || fail "no sys_ptrace left"
	# killed, ipcx takes the command with it (which still could write: fd 4 is open)
	kill -KILL "$PARENT"
	wait "$PARENT" || true
	local tries=50
	while running "$CHILD" && ((tries--)); do sleep 0.1; done
	! running "$CHILD" || fail "the command ($CHILD) runs on after ipcx was killed"
	exec 4<&-
}

@test "--target: where the container may not trace its command, the command keeps the caller's capabilities" {
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
	start_container setpriv --bounding-set -sys_ptrace,-sys_module --
	start_blocked_command
	read -r -t 20 -N 1 -u 4 || fail "the command wrote nothing"
	assert_equal "$(cap_set "$CHILD" CapEff)" "$(cap_set "$PARENT" CapEff)"
	assert_equal "$(cap_set "$CHILD" CapEff)" "$(cap_set $$ CapEff)"
	kill -TERM "$PARENT"
	wait "$PARENT" || true
	exec 4<&-
}
