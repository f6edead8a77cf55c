#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx run by an unprivileged user (nobody, through setpriv): it sees every
# object, also those it may not read, and cannot remove what is not its own.

load common

# stderr_but_unseen KIND: $stderr without its first line, which for a kind
# but shm must say that root's processes could not be inspected
stderr_but_unseen() {
	if [ "$1" = shm ]; then
		echo "$stderr"
		return
	fi
	[[ "${stderr_lines[0]}" =~ ^ipcx:\ [0-9]+\ process(es)?\ could\ not\ be\ inspected\ \(permission\ denied\?\):\ what\ (it|they)\ uses?\ is\ not\ counted$ ]] ||
		fail "no line on the processes not inspected: '$stderr'"
	printf '%s\n' "${stderr_lines[@]:1}"
}

setup() {
	common_setup
	require_nobody
	# root's objects, some unreadable by others
	RSHM=$(mk_shm 8192 0600)
	RSHM2=$(mk_shm 4096 0666)
	RSEM=$(mk_sem 2 0600)
	RMSG=$(mk_msg 0600)
}

@test "nobody lists root's objects, mode 600 too, as /proc shows them" {
	local kind
	for kind in shm sem msg; do
		run -0 --separate-stderr as_nobody "$IPCX" list "$kind" -r -n -b -P -o "$(eval echo "\$KERNEL_COLUMNS_$kind")"
		assert_equal "$stderr" ""
		assert_output "$(kernel_rows "$kind")"
	done
	run -0 as_nobody "$IPCX" list -n
	assert_equal "${#lines[@]}" 4
	# the kernel shows nobody the same objects
	assert_equal "$(as_nobody cat /proc/sysvipc/shm)" "$(cat /proc/sysvipc/shm)"
}

@test "nobody lists owners and keys as ipcs shows them" {
	run -0 as_nobody "$IPCX" list shm -r -n -b -P -o KEY,ID,OWNER,PERMS,SIZE,NATTCH
	assert_output "$(as_nobody ipcs -m | awk '/^0x/ { print $1, $2, $3, $4, $5, $6 }' | sort -k2,2n)"
	assert_line "$(kernel_key shm "$RSHM") $RSHM root 600 8192 0"
}

@test "nobody shows root's set of mode 600: the fields it may read, the semaphores said unread, exit 0" {
	# the kernel refuses nobody the values, as ipcs finds
	run -1 --separate-stderr as_nobody ipcs -s -i "$RSEM"
	assert_equal "$stderr" "ipcs: semctl(GETVAL) failed: Permission denied"
	run -0 --separate-stderr as_nobody "$IPCX" show sem "$RSEM"
	assert_line --regexp "^nsems: +2\$"
	refute_line --regexp "SEMNUM"
	assert_equal "$(stderr_but_init | grep -v 'could not be inspected')" \
		"ipcx: some fields could not be read (permission denied?): they are empty"
	run -0 --separate-stderr as_nobody "$IPCX" show sem "$RSEM" -J
	run -0 jq -r '.objects[0] | "\(.nsems) \(.children)"' <<<"$output"
	assert_output "2 null"
}

@test "nobody cannot remove root's object: exit 1 naming it, the object stays" {
	local kind id before
	before=$(kernel_state)
	for kind in shm sem msg; do
		case $kind in
		shm) id=$RSHM ;;
		sem) id=$RSEM ;;
		msg) id=$RMSG ;;
		esac
		run -1 --separate-stderr as_nobody "$IPCX" rm "$kind" "$id"
		assert_output ""
		assert_equal "$(stderr_but_unseen "$kind")" "ipcx: $kind $id (key $(kernel_key "$kind" "$id")): Operation not permitted"
	done
	# mode 0666 grants no removal either
	run -1 --separate-stderr as_nobody "$IPCX" rm shm --key "$(kernel_key shm "$RSHM2")"
	assert_equal "$stderr" "ipcx: shm $RSHM2 (key $(kernel_key shm "$RSHM2")): Operation not permitted"
	assert_equal "$(kernel_state)" "$before"
	assert_equal "$(kernel_count shm)" 2
}

@test "nobody removes its own objects; root's are reported and stay" {
	local mine expected
	mine=$(as_nobody ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
	assert_equal "$(proc_field shm "$mine" uid)" "$NOBODY_UID"
	local mkey
	mkey=$(kernel_key shm "$mine")
	run -1 --separate-stderr as_nobody "$IPCX" rm shm "$RSHM" "$mine"
	assert_equal "$stderr" "ipcx: shm $RSHM (key $(kernel_key shm "$RSHM")): Operation not permitted"
	assert_output "removed shm $mine (key $mkey)"
	assert_equal "$(proc_field shm "$mine" key)" ""
	[ -n "$(proc_field shm "$RSHM" key)" ] || fail "root's segment was removed"
}

# Before IPC_RMID rm reads the object again (IPC_STAT) to check it is the one
# listed; the owner of a segment with mode 000 may remove it, not read it
@test "nobody removes its own segment of mode 000, which it may not read" {
	local mine mkey
	mine=$(as_nobody ipcmk -M 4096 -p 0000 | sed -n 's/^Shared memory id: //p')
	assert_equal "$(kernel_perms shm "$mine")" 0
	assert_equal "$(proc_field shm "$mine" uid)" "$NOBODY_UID"
	mkey=$(kernel_key shm "$mine")
	run -0 --separate-stderr as_nobody "$IPCX" rm shm "$mine"
	assert_output "removed shm $mine (key $mkey)"
	assert_equal "$(proc_field shm "$mine" key)" ""
}

@test "nobody's rm --all removes its own, fails on root's, exit 1" {
	local mine
	mine=$(as_nobody ipcmk -Q | sed -n 's/^Message queue id: //p')
	run -1 --separate-stderr as_nobody "$IPCX" rm msg --all
	assert_equal "$(stderr_but_unseen msg)" "ipcx: msg $RMSG (key $(kernel_key msg "$RMSG")): Operation not permitted"
	assert_output --partial "removed msg $mine "
	assert_equal "$(kernel_ids msg)" "$RMSG"
}

# --dry-run fails where the kernel then refuses, with the same line, and
# promises what the kernel then does
@test "nobody's --dry-run fails as its removal then does; its own objects would go" {
	local mine mkey
	mine=$(as_nobody ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
	mkey=$(kernel_key shm "$mine")
	head -c 1 /dev/zero >/dev/shm/roots
	chmod 666 /dev/shm/roots
	as_nobody sh -c 'head -c 1 /dev/zero >/dev/shm/nobodys'
	"$IPCX" create posix-mq /rootq --mode 666
	"$IPCX" create posix-sem /roots --mode 666
	mkdir -m 1777 "$BATS_TEST_TMPDIR/sticky"
	mkfifo -m 666 "$BATS_TEST_TMPDIR/sticky/fifo"
	local before dry
	before=$(kernel_state)
	for args in "shm $RSHM" "shm --key $(kernel_key shm "$RSHM2")" "sem $RSEM" "msg --all" \
		"posix-shm /roots" "posix-mq /rootq" "posix-sem /roots" \
		"fifo $BATS_TEST_TMPDIR/sticky/fifo" "posix-shm --all"; do
		# shellcheck disable=SC2086 # the words of args
		run -1 --separate-stderr as_nobody "$IPCX" rm $args --dry-run
		dry=$(uncounted "$output|$stderr")
		assert_equal "$(kernel_state)" "$before"
		[ -e /dev/shm/roots ]
		[ -e /dev/shm/nobodys ] # (the last run removes it)
		# shellcheck disable=SC2086
		run -1 --separate-stderr as_nobody "$IPCX" rm $args
		assert_equal "${dry//would remove/removed}" "$(uncounted "$output|$stderr")"
		# root's System V objects stay (nobody's own ones are not among them)
		assert_equal "$(kernel_state)" "$before"
	done
	[ -e /dev/shm/roots ]
	[ ! -e /dev/shm/nobodys ]
	[ -e /dev/mqueue/rootq ]
	[ -e /dev/shm/sem.roots ]
	[ -p "$BATS_TEST_TMPDIR/sticky/fifo" ]
	run -0 --separate-stderr as_nobody "$IPCX" rm shm "$mine" --dry-run
	assert_output "would remove shm $mine (key $mkey)"
	run -0 --separate-stderr as_nobody "$IPCX" rm shm "$mine"
	assert_output "removed shm $mine (key $mkey)"
	assert_equal "$(proc_field shm "$mine" key)" ""
}

@test "nobody creates objects it owns" {
	run -0 --separate-stderr as_nobody "$IPCX" create shm --size 4096
	assert_equal "$stderr" ""
	assert_equal "$(proc_field shm "$output" uid)" "$NOBODY_UID"
	assert_equal "$(proc_field shm "$output" cuid)" "$NOBODY_UID"
	run -0 as_nobody "$IPCX" list shm --owner nobody -r -n -o ID,OWNER
	local id expected=
	for id in $(kernel_ids shm); do
		if [ "$(proc_field shm "$id" uid)" = "$NOBODY_UID" ]; then
			expected+="$id nobody"$'\n'
		fi
	done
	assert_output "${expected%$'\n'}"
}

@test "nobody's rm of its own object that root's process uses: removed as named, saying how many processes it could not inspect" {
	[ -x "$IPCX_TEST_POSIX" ] || skip "needs $IPCX_TEST_POSIX (make check builds it)"
	as_nobody sh -c 'head -c 4096 /dev/zero >/dev/shm/shared'
	start_helper ready "$IPCX_TEST_POSIX" hold-posix-shm /shared 4096 map
	# the kernel: root's helper maps it
	grep -q " /dev/shm/shared$" "/proc/$HELPER_PID/maps" || fail "the helper does not map it"
	# root sees the user, and leaves the object to it
	run -1 --separate-stderr "$IPCX" rm posix-shm /shared --dry-run
	assert_output ""
	assert_equal "$(stderr_but_init)" "ipcx: posix-shm /shared is in use by $(comm_list "$HELPER_PID"): not removed (--force removes it anyway)"
	# nobody cannot read the helper's maps: removes it, and says so
	run -0 --separate-stderr as_nobody "$IPCX" rm posix-shm /shared
	assert_output "removed posix-shm /shared"
	stderr_but_unseen posix-shm >/dev/null
	[ ! -e /dev/shm/shared ]
}
