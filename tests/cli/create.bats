#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx create: the new object appears in /proc/sysvipc and in ipcs with the
# size, number of semaphores, mode and key asked for.

load common

setup() {
	common_setup
	SAVED_SHMMAX=$(cat /proc/sys/kernel/shmmax)
}

teardown() {
	in_private_ns || return 0
	# only ever written inside the private namespace
	if [ -n "${SAVED_SHMMAX:-}" ]; then
		echo "$SAVED_SHMMAX" >/proc/sys/kernel/shmmax
	fi
}

# create_ok KIND ARG...: `ipcx create KIND ARG...` prints one new id of KIND,
# which is then the only object of that kind the kernel gained. Sets NEW_ID.
create_ok() {
	local kind=$1 before
	before=$(kernel_ids "$kind")
	run -0 --separate-stderr "$IPCX" create "$@"
	assert_equal "$stderr" ""
	[[ "$output" =~ ^[0-9]+$ ]] || fail "ipcx create $* printed '$output', not an id"
	NEW_ID=$output
	assert_equal "$(comm -13 <(echo "$before") <(kernel_ids "$kind") | paste -sd' ')" "$NEW_ID"
}

# --- shm -------------------------------------------------------------------------

@test "create shm --size: a private segment of that size, mode 0600" {
	create_ok shm --size 8192
	assert_equal "$(proc_field shm "$NEW_ID" size)" 8192
	assert_equal "$(proc_field shm "$NEW_ID" key)" 0
	assert_equal "$(kernel_perms shm "$NEW_ID")" 600
	assert_equal "$(proc_field shm "$NEW_ID" uid)" "$(id -u)"
	# ipcs: key, id, owner, perms, bytes, nattch
	run -0 ipcs_rows shm
	assert_line --regexp "^0x00000000 +$NEW_ID +$(user_name "$(id -u)") +600 +8192 +0 *\$"
}

# The object is made before its id is printed: a lost id is an error to see
@test "create and rm --dry-run with stdout on /dev/full: exit 1, said on stderr" {
	run -1 --separate-stderr sh -c '"$@" >/dev/full' sh "$IPCX" create shm --size 4096
	assert_equal "$(kernel_count shm)" 1
	assert_equal "$(ipcs_count shm)" 1
	local id
	id=$(kernel_ids shm)
	# the id of a private segment is all that names it: said on stderr then
	assert_equal "$stderr" "ipcx: cannot write output: No space left on device: shm $id was created"
	run -1 --separate-stderr sh -c '"$@" >/dev/full' sh "$IPCX" create shm --size 4096 -J
	assert_equal "${stderr_lines[1]}" "ipcx: its JSON could not be written: shm $(kernel_ids shm | tail -1) was created"
	assert_equal "$(kernel_count shm)" 2
	ipcrm -m "$(kernel_ids shm | tail -1)"
	run -1 --separate-stderr sh -c '"$@" >/dev/full' sh "$IPCX" rm shm "$id" --dry-run
	assert_equal "$stderr" "ipcx: cannot write output: No space left on device"
	assert_equal "$(kernel_count shm)" 1
}

@test "create shm: size suffixes are powers of 1024, KB and the like of 1000" {
	local size expected
	while read -r size expected; do
		create_ok shm --size "$size"
		echo "case: --size $size"
		assert_equal "$(proc_field shm "$NEW_ID" size)" "$expected"
		assert_equal "$(ipcs_detail shm "$NEW_ID" bytes)" "$expected"
	done <<-EOF
		4096 4096
		1 1
		8K 8192
		1M 1048576
		4KiB 4096
		2MiB 2097152
		3KB 3000
		1MB 1000000
	EOF
}

@test "create shm --key --mode: the key and mode as the kernel shows them" {
	create_ok shm --size 4K --key 0x1234abcd --mode 640
	assert_equal "$(kernel_key shm "$NEW_ID")" 0x1234abcd
	assert_equal "$(kernel_perms shm "$NEW_ID")" 640
	run -0 ipcs_rows shm
	assert_line --regexp "^0x1234abcd +$NEW_ID +[^ ]+ +640 +4096 "
	assert_equal "$(ipcs_detail shm "$NEW_ID" access_perms)" 0640
}

@test "create: a key in decimal, hex or octal is the same key" {
	local key
	for key in 4660 0x1234 011064; do
		create_ok msg --key "$key"
		assert_equal "$(kernel_key msg "$NEW_ID")" 0x00001234
		ipcrm -q "$NEW_ID"
	done
	create_ok sem --nsems 1 --key 0xffffffff
	assert_equal "$(kernel_key sem "$NEW_ID")" 0xffffffff
}

@test "create: modes with and without a leading 0" {
	local mode
	for mode in 600 0600 0 0777 444 0704; do
		echo "case: --mode $mode"
		create_ok shm --size 4096 --mode "$mode"
		assert_equal "$(proc_field shm "$NEW_ID" perms)" "$(printf '%o' $(( 8#$mode )))"
	done
}

@test "create shm larger than kernel.shmmax: exit 1, nothing created" {
	echo 65536 >/proc/sys/kernel/shmmax
	local before
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" create shm --size 1M
	assert_one_error "cannot create shm: Invalid argument (above the kernel's shmmax, 65536: see 'ipcx limits')"
	assert_equal "$(kernel_state)" "$before"
	# at the limit it works
	create_ok shm --size 64K
	assert_equal "$(proc_field shm "$NEW_ID" size)" 65536
}

# --- sem ---------------------------------------------------------------------------

@test "create sem --nsems: a set of that many semaphores" {
	create_ok sem --nsems 5
	assert_equal "$(proc_field sem "$NEW_ID" nsems)" 5
	assert_equal "$(proc_field sem "$NEW_ID" key)" 0
	assert_equal "$(kernel_perms sem "$NEW_ID")" 600
	assert_equal "$(ipcs_detail sem "$NEW_ID" nsems)" 5
	create_ok sem --nsems 1 --key 0x00c0ffee --mode 0660
	run -0 ipcs_rows sem
	assert_line --regexp "^0x00c0ffee +$NEW_ID +[^ ]+ +660 +1 *\$"
	# counts are decimal, as ipcmk takes them: 010 is ten, not eight
	create_ok sem --nsems 010
	assert_equal "$(proc_field sem "$NEW_ID" nsems)" 10
}

@test "create sem with more semaphores than kernel.sem allows: exit 1, nothing created" {
	local semmsl before
	semmsl=$(awk '{ print $1 }' /proc/sys/kernel/sem)
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" create sem --nsems $(( semmsl + 1 ))
	assert_one_error "cannot create sem: Invalid argument (above the kernel's semmsl, $semmsl: see 'ipcx limits')"
	assert_equal "$(kernel_state)" "$before"
	create_ok sem --nsems "$semmsl"
	assert_equal "$(proc_field sem "$NEW_ID" nsems)" "$semmsl"
}

# --- msg ---------------------------------------------------------------------------

@test "create msg: an empty queue with the default maximum size" {
	create_ok msg
	assert_equal "$(proc_field msg "$NEW_ID" key)" 0
	assert_equal "$(proc_field msg "$NEW_ID" qnum)" 0
	assert_equal "$(kernel_perms msg "$NEW_ID")" 600
	assert_equal "$(ipcs_detail msg "$NEW_ID" qbytes)" "$(cat /proc/sys/kernel/msgmnb)"
	create_ok msg --key 77 --mode 0620
	assert_equal "$(kernel_key msg "$NEW_ID")" 0x0000004d
	run -0 ipcs_rows msg
	assert_line --regexp "^0x0000004d +$NEW_ID +[^ ]+ +620 +0 +0 *\$"
}

# --- keys ---------------------------------------------------------------------------

@test "an existing key: exit 1 'already exists', the object untouched" {
	local id key before
	id=$(mk_shm 8192 0644)
	key=$(kernel_key shm "$id")
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" create shm --size 4096 --key "$key" --mode 600
	assert_output ""
	assert_equal "$stderr" "ipcx: shm with key $key: already exists"
	assert_equal "$(kernel_state)" "$before"
	# written in decimal, the message still gives 0x%08x
	run -1 --separate-stderr "$IPCX" create shm --size 4096 --key "$(( key ))"
	assert_equal "$stderr" "ipcx: shm with key $key: already exists"
	assert_equal "$(kernel_state)" "$before"
}

@test "an existing key of every kind" {
	local kind id key before
	for kind in sem msg; do
		case $kind in
		sem) id=$(mk_sem 2) ;;
		msg) id=$(mk_msg) ;;
		esac
		key=$(kernel_key "$kind" "$id")
		before=$(kernel_state)
		case $kind in
		sem) run -1 --separate-stderr "$IPCX" create sem --nsems 2 --key "$key" ;;
		msg) run -1 --separate-stderr "$IPCX" create msg --key "$key" ;;
		esac
		assert_equal "$stderr" "ipcx: $kind with key $key: already exists"
		assert_equal "$(kernel_state)" "$before"
	done
}

@test "the same key in another kind is no conflict" {
	local id key
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	create_ok msg --key "$key"
	assert_equal "$(kernel_key msg "$NEW_ID")" "$key"
}

@test "--key 0 on create means private, twice over" {
	create_ok shm --size 4096 --key 0
	local first=$NEW_ID
	create_ok shm --size 4096 --key 0x0
	[ "$NEW_ID" != "$first" ]
	assert_equal "$(proc_field shm "$first" key)" 0
	assert_equal "$(proc_field shm "$NEW_ID" key)" 0
}

# --- JSON ---------------------------------------------------------------------------

@test "create -J: {\"objects\":[{type, key, id}]} of the new object" {
	local kind args before json
	for kind in shm sem msg; do
		case $kind in
		shm) args=(--size 4096 --key 0x00abcdef) ;;
		sem) args=(--nsems 2) ;;
		msg) args=(--key 0x00abcdef) ;;
		esac
		before=$(kernel_ids "$kind")
		run -0 --separate-stderr "$IPCX" create "$kind" "${args[@]}" -J
		assert_equal "$stderr" ""
		json=$output
		NEW_ID=$(comm -13 <(echo "$before") <(kernel_ids "$kind"))
		[ -n "$NEW_ID" ] || fail "no new $kind in /proc"
		run -0 jq -c '.' <<<"$json"
		assert_output "{\"objects\":[{\"type\":\"$kind\",\"key\":\"$(kernel_key "$kind" "$NEW_ID")\",\"id\":$NEW_ID}]}"
	done
}

@test "create posix-mq -J by a user with no mqueue file system to list it: the queue made, its JSON, exit 0" {
	require_nobody
	local nobody=(setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups --)
	# the user cannot list queues there (ipcx cannot mount one for it), but made one
	run -1 --separate-stderr without_mqueue "${nobody[@]}" "$IPCX" list posix-mq
	run -0 --separate-stderr without_mqueue "${nobody[@]}" "$IPCX" create posix-mq /made -J
	assert_stderr_empty
	run -0 jq -c '.' <<<"$output"
	assert_output '{"objects":[{"type":"posix-mq","name":"/made"}]}'
	# mq_open() finds it: the kernel has it
	run -0 "$IPCX_TEST_POSIX" mq-attr /made
}

@test "create posix-mq past RLIMIT_MSGQUEUE: exit 1, the rlimit named, no queue" {
	command -v prlimit >/dev/null || skip "prlimit is not installed"
	# 10 messages of 8 KiB take more than 1000 bytes of the creator's budget
	run -1 --separate-stderr prlimit --msgqueue=1000 "$IPCX" create posix-mq /big --max-msgs 10 --msg-size 8K
	assert_one_error "cannot create posix-mq /big" "RLIMIT_MSGQUEUE"
	assert_equal "$(ls -A /dev/mqueue)" ""
}

@test "create posix-mq above fs.mqueue limits: the limit named; a name's control bytes escaped" {
	local max size
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	size=$(cat /proc/sys/fs/mqueue/msgsize_max)
	# unprivileged: root with CAP_SYS_RESOURCE is held to the kernel's ceilings only
	require_nobody
	run -1 --separate-stderr as_nobody "$IPCX" create posix-mq $'/q\x01' --max-msgs $((max + 1))
	assert_one_error "cannot create posix-mq /q\x01: Invalid argument (above the kernel's mq_msg_max, $max: see 'ipcx limits')"
	run -1 --separate-stderr as_nobody "$IPCX" create posix-mq /q --msg-size $((size + 1))
	assert_one_error "cannot create posix-mq /q: Invalid argument (above the kernel's mq_msgsize_max, $size: see 'ipcx limits')"
	assert_equal "$(ls -A /dev/mqueue)" ""
}
