#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The completions, run: what bash and fish offer for objects, against what
# the kernel has (/dev/shm, /proc/sysvipc). That every option is known to
# every completion is checked in docs.bats.

load common

setup() {
	common_setup
}

@test "bash: POSIX names offered as they are, quoted, and never run" {
	require_bash_completion
	"$IPCX" create posix-shm '/$(touch${IFS}ran)' --size 1
	"$IPCX" create posix-shm '/a b' --size 1
	"$IPCX" create posix-shm /plain --size 1
	cd "$BATS_TEST_TMPDIR"
	run -0 bash_complete rm posix-shm ''
	[ ! -e ran ] || fail "completing ran the command a name holds"
	# every object /dev/shm has, as the shell must have it typed
	local file typed
	for file in /dev/shm/*; do
		printf -v typed '%q' "/${file#/dev/shm/}"
		assert_line "$typed"
	done
	assert_line '/a\ b'
	run -0 bash_complete show posix-shm /a
	assert_output '/a\ b'
	# those given already are not offered again
	run -0 bash_complete rm posix-shm /plain ''
	refute_line /plain
	assert_line '/a\ b'
	[ ! -e ran ]
}

@test "fish: ids as /proc/sysvipc has them, names with spaces, no error before the command" {
	require_fish
	local i
	for i in $(seq 11); do
		mk_shm 4096 >/dev/null
	done
	"$IPCX" create posix-shm '/a b' --size 1
	run -0 --separate-stderr fish_complete 'ipcx '
	assert_stderr_empty
	assert_line list
	assert_line rm
	# right-aligned in ipcx's table, offered without the padding
	# (after a kind, rm also takes more kinds, for --all or --orphaned)
	run -0 --separate-stderr fish_complete 'ipcx rm shm '
	assert_stderr_empty
	assert_equal "$(grep -v '^[a-z]' <<<"$output")" "$(kernel_ids shm | sort)"
	run -0 --separate-stderr fish_complete 'ipcx rm shm 0 '
	assert_output "$(kernel_ids shm | grep -vx 0 | sort)"
	run -0 --separate-stderr fish_complete 'ipcx show posix-shm '
	assert_output '/a b'
}

# shmid_ds has shm_nattch, semid_ds sem_nsems: a column of the other kind
# would be empty in every row of what the command line lists
@test "bash and fish: -o offers the columns of the kinds typed, every column without one" {
	require_bash_completion
	run -0 bash_complete list shm -o ''
	assert_line NATTCH
	refute_line NSEMS
	run -0 bash_complete list sem msg -o +n
	assert_line +nsems
	refute_line +nattch
	run -0 bash_complete list -o ''
	assert_line NATTCH
	assert_line NSEMS
	require_fish
	run -0 --separate-stderr fish_complete 'ipcx list sem -o '
	assert_line NSEMS
	refute_line NATTCH
	run -0 --separate-stderr fish_complete 'ipcx list -o '
	assert_line NSEMS
	assert_line NATTCH
}
