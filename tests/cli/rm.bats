#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx rm: objects made with ipcmk are gone from /proc/sysvipc afterwards,
# and nothing else is.

load common

setup() {
	common_setup
}

teardown() {
	detach_all
	# a test that failed with its rm still stopped under strace
	[ -z "${STRACE_PID:-}" ] || kill_tree "$STRACE_PID"
}

make_objects() {
	SHM1=$(mk_shm 4096)
	SHM2=$(mk_shm 8192)
	SHM3=$(mk_shm 100)
	SEM1=$(mk_sem 1)
	SEM2=$(mk_sem 2)
	MSG1=$(mk_msg)
	MSG2=$(mk_msg)
}

# make_with_key KIND KEY: MADE is the id of a new object with that key.
# ipcmk cannot choose keys, so ipcx create makes it; the kernel must then
# show it with that key. (Not called in $(...), where bats would not see
# the assertion fail.)
make_with_key() {
	local kind=$1 key=$2
	case $kind in
	shm) MADE=$("$IPCX" create shm --size 4096 --key "$key") ;;
	sem) MADE=$("$IPCX" create sem --nsems 1 --key "$key") ;;
	msg) MADE=$("$IPCX" create msg --key "$key") ;;
	esac
	assert_equal "$(kernel_key "$kind" "$MADE")" "$key"
}

# The kernel's state without the objects of the given "KIND ID"s
state_without() {
	local kind
	for kind in "${SYSV_KINDS[@]}"; do
		echo "== $kind"
		awk -v kind="$kind" -v drop=" $* " '
			NR == 1 || index(drop, " " kind " " $2 " ") == 0' "/proc/sysvipc/$kind"
	done
}

# --- by id -------------------------------------------------------------------------

@test "rm KIND ID removes that object only and says so" {
	make_objects
	local key expected
	key=$(kernel_key shm "$SHM2")
	expected=$(state_without shm "$SHM2")
	run -0 --separate-stderr "$IPCX" rm shm "$SHM2"
	assert_equal "$stderr" ""
	assert_output "removed shm $SHM2 (key $key)"
	assert_equal "$(kernel_state)" "$expected"
	assert_equal "$(proc_field shm "$SHM2" key)" ""
}

@test "rm KIND ID... removes several, for each kind" {
	make_objects
	local kind_ids=(shm "$SHM1" shm "$SHM3" sem "$SEM1" sem "$SEM2" msg "$MSG2")
	local expected k1 k3
	expected=$(state_without "${kind_ids[@]}")
	k1=$(kernel_key shm "$SHM1")
	k3=$(kernel_key shm "$SHM3")
	run -0 "$IPCX" rm shm "$SHM1" "$SHM3"
	assert_output "$(printf '%s\n' "removed shm $SHM1 (key $k1)" "removed shm $SHM3 (key $k3)")"
	# --id ID, as list takes it, is the id after the kind
	run -0 --separate-stderr "$IPCX" rm sem --id "$SEM1" "$SEM2"
	assert_equal "${#lines[@]}" 2
	run -0 "$IPCX" rm --id "$MSG2" msg
	assert_equal "$(kernel_state)" "$expected"
	assert_equal "$(ipcs_count shm)" 1
	assert_equal "$(ipcs_count sem)" 0
	assert_equal "$(ipcs_count msg)" 1
}

# ipcs -i and ipcrm read 010 as ten, as ids are printed: zero-padded text
# must not name id 8
@test "ids in decimal and hex name the same object; a leading 0 is decimal, as ipcs -i reads it" {
	local a b c n=0
	a=$(mk_sem 1)
	# an id of 8 or more, whose digits do not read the same in octal
	until [ "${b:-0}" -ge 8 ]; do
		b=$(mk_sem 1)
		[ $((n += 1)) -lt 12 ] || fail "no semaphore id of 8 or more"
	done
	c=$(kernel_ids sem | grep -vx -e "$a" -e "$b")
	run -0 ipcs -s -i "00$b"
	assert_output --partial "semid=$b"
	run -0 "$IPCX" rm sem "$(printf '0x%x' "$a")"
	assert_output --partial "removed sem $a "
	run -0 "$IPCX" rm sem "00$b"
	assert_output --partial "removed sem $b "
	assert_equal "$(kernel_ids sem)" "$c"
}

@test "a missing id: exit 1 naming it, the other ids are still removed" {
	make_objects
	local missing expected k1 k3
	missing=$(unused_id shm 99999)
	expected=$(state_without shm "$SHM1" shm "$SHM3")
	k1=$(kernel_key shm "$SHM1")
	k3=$(kernel_key shm "$SHM3")
	run -1 --separate-stderr "$IPCX" rm shm "$SHM1" "$missing" "$SHM3"
	assert_equal "$stderr" "ipcx: shm $missing: no such object"
	assert_output "$(printf '%s\n' "removed shm $SHM1 (key $k1)" "removed shm $SHM3 (key $k3)")"
	assert_equal "$(kernel_state)" "$expected"
}

@test "an id that only another kind has is not found" {
	make_objects
	local id=$SHM3
	[ -z "$(proc_field msg "$id" key)" ] || skip "msg $id exists too"
	local before
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" rm msg "$id"
	assert_equal "$stderr" "ipcx: msg $id: no such object"
	assert_equal "$(kernel_state)" "$before"
}

# --- by key ------------------------------------------------------------------------

@test "rm KIND --key KEY removes the object of that kind with the key" {
	make_objects
	local key expected
	key=$(kernel_key sem "$SEM2")
	expected=$(state_without sem "$SEM2")
	run -0 --separate-stderr "$IPCX" rm sem --key "$key"
	assert_equal "$(stderr_but_init)" ""
	assert_output "removed sem $SEM2 (key $key)"
	assert_equal "$(kernel_state)" "$expected"
}

@test "rm --key KEY without a kind removes every System V kind holding the key" {
	make_objects
	local key=0x0badcafe s q expected
	make_with_key shm "$key"
	s=$MADE
	make_with_key msg "$key"
	q=$MADE
	expected=$(state_without shm "$s" msg "$q")
	run -0 --separate-stderr "$IPCX" rm --key "$key"
	assert_line "removed shm $s (key $key)"
	assert_line "removed msg $q (key $key)"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(kernel_state)" "$expected"
}

@test "rm KIND --key KEY leaves the other kinds with that key" {
	local key=0x0badcafe s q m expected
	make_with_key shm "$key"
	s=$MADE
	make_with_key sem "$key"
	m=$MADE
	make_with_key msg "$key"
	q=$MADE
	expected=$(state_without msg "$q")
	run -0 --separate-stderr "$IPCX" rm msg --key "$(( key ))"
	assert_output "removed msg $q (key $key)"
	assert_equal "$(kernel_state)" "$expected"
	run -0 --separate-stderr "$IPCX" rm shm sem --key "$key"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(kernel_count shm)" 0
	assert_equal "$(kernel_count sem)" 0
}

@test "rm --key repeated removes each key" {
	make_objects
	local k1 k2 expected
	k1=$(kernel_key shm "$SHM1")
	k2=$(kernel_key msg "$MSG1")
	expected=$(state_without shm "$SHM1" msg "$MSG1")
	run -0 "$IPCX" rm --key "$k1" --key "$k2"
	assert_line "removed shm $SHM1 (key $k1)"
	assert_line "removed msg $MSG1 (key $k2)"
	assert_equal "$(kernel_state)" "$expected"
}

@test "a key no object holds: exit 1 naming it, other keys still removed" {
	make_objects
	local missing k1 expected
	missing=$(unused_key 4660)
	k1=$(kernel_key sem "$SEM1")
	expected=$(state_without sem "$SEM1")
	run -1 --separate-stderr "$IPCX" rm --key "$missing" --key "$k1"
	assert_equal "$(stderr_but_init)" "ipcx: no object with key $missing"
	assert_output "removed sem $SEM1 (key $k1)"
	assert_equal "$(kernel_state)" "$expected"
	# a key held by another kind only
	local before
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" rm msg --key "$(kernel_key shm "$SHM1")"
	assert_one_error "$(kernel_key shm "$SHM1")"
	assert_equal "$(kernel_state)" "$before"
}

# --- an object changed between the listing and its removal -------------------------

# An id comes back when its slot's sequence wraps, or through shm_next_id
@test "rm leaves an id given to another segment since the listing" {
	make_with_key shm 0x00000042
	local old=$MADE
	rm_paused shm --key 0x42 --force
	# meanwhile: the segment goes, and its id goes to a segment of another key
	ipcrm -m "$old"
	echo "$old" >/proc/sys/kernel/shm_next_id
	make_with_key shm 0x00000099
	assert_equal "$MADE" "$old"
	rm_resume
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm $old (key 0x00000042): replaced since it was listed, left as it is"
	assert_equal "$output" ""
	assert_equal "$(kernel_key shm "$old")" 0x00000099
}

# Private segments of one user have one key and creator: their creator's pid tells them apart
@test "rm leaves an id given to another private segment of the same user since the listing" {
	local old cpid
	old=$("$IPCX" create shm --size 4096)
	assert_equal "$(kernel_key shm "$old")" 0x00000000
	cpid=$(proc_field shm "$old" cpid)
	rm_paused shm "$old" --force
	ipcrm -m "$old"
	echo "$old" >/proc/sys/kernel/shm_next_id
	assert_equal "$("$IPCX" create shm --size 4096)" "$old"
	# the kernel: the same key, owner and id, another creator's pid
	assert_equal "$(kernel_key shm "$old")" 0x00000000
	[ "$(proc_field shm "$old" cpid)" != "$cpid" ]
	rm_resume
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm $old (key 0x00000000): replaced since it was listed, left as it is"
	# the kernel: the new segment is there
	assert_equal "$(proc_field shm "$old" key)" 0
}

@test "rm of a segment removed since the listing says so, exit 1" {
	local id key
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	rm_paused shm "$id"
	ipcrm -m "$id"
	rm_resume
	assert_equal "$status" 1
	assert_equal "$stderr" "ipcx: shm $id (key $key): removed meanwhile by someone else"
	assert_equal "$(proc_field shm "$id" key)" ""
}

# --- --all ---------------------------------------------------------------------------

@test "rm KIND --all removes every object of that kind only" {
	make_objects
	local expected
	expected=$(state_without shm "$SHM1" shm "$SHM2" shm "$SHM3")
	run -0 "$IPCX" rm shm --all
	assert_equal "${#lines[@]}" 3
	assert_line --partial "removed shm $SHM1 "
	assert_line --partial "removed shm $SHM2 "
	assert_line --partial "removed shm $SHM3 "
	assert_equal "$(kernel_state)" "$expected"
	assert_equal "$(ipcs_count sem)" 2
	run -0 --separate-stderr "$IPCX" rm sem msg --all
	assert_equal "${#lines[@]}" 4
	assert_equal "$(kernel_count sem)" 0
	assert_equal "$(kernel_count msg)" 0
}

# The kernel's record of the files ipcx opens (strace): a segment with NATTCH 0
# has no process to look for, so removing such segments reads no /proc/PID
# (on a host with thousands of processes that read was most of the time); an
# attached one has its users read, and is refused.
@test "removing unattached segments reads no process; an attached one is looked up" {
	command -v strace >/dev/null || skip "strace is not installed"
	# valgrind reads /proc itself, and under strace its run goes wrong
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "strace cannot follow ipcx under valgrind"
	make_objects
	local proc_read='"/proc/[0-9]+(/[a-z]+)?"'
	run -0 --separate-stderr traced -f -e trace=open,openat "$IPCX" rm shm --all
	assert_equal "${#lines[@]}" 3
	assert_equal "$(kernel_count shm)" 0
	refute [ -n "$(grep -E "$proc_read" <<<"$stderr")" ]
	local id key
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	attach_shm "$id"
	run -1 --separate-stderr traced -f -e trace=open,openat "$IPCX" rm shm --all
	grep -qE "$proc_read" <<<"$stderr" || fail "no /proc/PID read for an attached segment"
	grep -qF "ipcx: shm $id (key $key) is in use by $(comm_list "$ATTACH_PID")" <<<"$stderr" ||
		fail "not refused: $stderr"
	assert_equal "$(kernel_count shm)" 1
}

@test "rm sysv --all and rm all --all empty the namespace" {
	make_objects
	run -0 --separate-stderr "$IPCX" rm sysv --all
	assert_equal "${#lines[@]}" 7
	assert_equal "$(kernel_count shm)$(kernel_count sem)$(kernel_count msg)" 000
	assert_equal "$(ipcs_count shm)$(ipcs_count sem)$(ipcs_count msg)" 000
	make_objects
	# (FIFOs are left out without --path; if not, the host's are out of reach)
	run -0 in_own_pids "$IPCX" rm all --all
	assert_equal "${#lines[@]}" 7
	assert_equal "$(kernel_count shm)$(kernel_count sem)$(kernel_count msg)" 000
}

@test "rm KIND --all with nothing to remove: exit 0, no output" {
	run -0 --separate-stderr "$IPCX" rm sysv --all
	assert_output ""
	assert_equal "$stderr" ""
}

# --- --dry-run and --quiet -------------------------------------------------------------

@test "--dry-run says what would be removed and removes nothing" {
	make_objects
	local before key
	before=$(kernel_state)
	key=$(kernel_key shm "$SHM1")
	run -0 "$IPCX" rm shm "$SHM1" --dry-run
	assert_output "would remove shm $SHM1 (key $key)"
	run -0 --separate-stderr "$IPCX" rm sysv --all --dry-run
	assert_equal "${#lines[@]}" 7
	local line
	for line in "${lines[@]}"; do
		[[ "$line" =~ ^would\ remove\ (shm|sem|msg)\ [0-9]+\ \(key\ 0x[0-9a-f]{8}\)$ ]] ||
			fail "unexpected line '$line'"
	done
	assert_line "would remove msg $MSG2 (key $(kernel_key msg "$MSG2"))"
	run -0 --separate-stderr "$IPCX" rm --key "$key" --dry-run
	assert_output "would remove shm $SHM1 (key $key)"
	assert_equal "$(kernel_state)" "$before"
}

@test "--dry-run of a missing id: exit 1, still removes nothing" {
	make_objects
	local before missing
	before=$(kernel_state)
	missing=$(unused_id sem)
	run -1 --separate-stderr "$IPCX" rm sem "$SEM1" "$missing" --dry-run
	assert_equal "$(stderr_but_init)" "ipcx: sem $missing: no such object"
	assert_output "would remove sem $SEM1 (key $(kernel_key sem "$SEM1"))"
	assert_equal "$(kernel_state)" "$before"
}

# A rootless container's root: root in a user namespace that nobody made,
# which does not own the IPC namespace nor map root's files. Its
# capabilities count in neither: the kernel refuses, and so must the dry run.
@test "--dry-run in a user namespace that owns neither the IPC namespace nor the files: refused as the removal is" {
	require_nobody
	as_nobody unshare --user --map-root-user true 2>/dev/null || skip "nobody cannot make a user namespace here"
	local id
	id=$(mk_shm 1024 0644)
	"$IPCX" create posix-shm /rootobj --size 1 --mode 0644
	"$IPCX" create posix-mq /rootq --mode 0644
	local before
	before=$(kernel_state)
	local kind name
	for kind in shm posix-shm posix-mq; do
		case $kind in
		shm) name=$id ;;
		posix-shm) name=/rootobj ;;
		posix-mq) name=/rootq ;;
		esac
		# the kernel's answer
		run -1 --separate-stderr as_nobody unshare --user --map-root-user "$IPCX" rm "$kind" "$name"
		local refusal
		refusal=$(uncounted "$stderr")
		run -1 --separate-stderr as_nobody unshare --user --map-root-user "$IPCX" rm "$kind" "$name" --dry-run
		assert_equal "$(uncounted "$stderr")" "$refusal"
		assert_output ""
	done
	assert_equal "$(kernel_state)" "$before"
	[ -e /dev/shm/rootobj ] && [ -e /dev/mqueue/rootq ]
	# in an IPC namespace of its own, its root may remove what it made
	run -0 --separate-stderr as_nobody unshare --user --map-root-user --ipc sh -c '
		id=$(ipcmk -M 1024 | grep -o "[0-9]*$") && "$1" rm shm "$id" --dry-run' sh "$IPCX"
	assert_output --regexp '^would remove shm [0-9]+ '
}

@test "-q removes without printing" {
	make_objects
	local expected
	expected=$(state_without shm "$SHM1" msg "$MSG1" msg "$MSG2")
	run -0 --separate-stderr "$IPCX" rm -q shm "$SHM1"
	assert_output ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr "$IPCX" rm msg --all --quiet
	assert_output ""
	assert_equal "$(kernel_state)" "$expected"
}

@test "-q still reports errors" {
	make_objects
	local missing
	missing=$(unused_id shm)
	run -1 --separate-stderr "$IPCX" rm -q shm "$missing" "$SHM2"
	assert_output ""
	assert_equal "$stderr" "ipcx: shm $missing: no such object"
	assert_equal "$(proc_field shm "$SHM2" key)" ""
}

# --- attached segments -------------------------------------------------------------------

@test "an attached segment is refused without --force, and left as it is" {
	local id key before
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	attach_shm "$id"
	before=$(kernel_state)
	run -1 --separate-stderr "$IPCX" rm shm "$id"
	assert_output ""
	assert_equal "$(stderr_but_init)" \
		"ipcx: shm $id (key $key) is in use by $(comm_list "$ATTACH_PID"): not removed (--force removes it anyway)"
	# --dry-run says the same
	run -1 --separate-stderr "$IPCX" rm shm --key "$key" --dry-run
	assert_output ""
	assert_equal "$(stderr_but_init)" \
		"ipcx: shm $id (key $key) is in use by $(comm_list "$ATTACH_PID"): not removed (--force removes it anyway)"
	assert_equal "$(kernel_state)" "$before"
	assert_equal "$(ipcs_count shm)" 1
}

@test "an attached segment is refused, the other objects are still removed" {
	local id free key
	id=$(mk_shm 4096)
	free=$(mk_shm 4096)
	key=$(kernel_key shm "$free")
	attach_shm "$id"
	run -1 --separate-stderr "$IPCX" rm shm --all
	assert_output "removed shm $free (key $key)"
	assert_equal "$(stderr_but_init)" \
		"ipcx: shm $id (key $(kernel_key shm "$id")) is in use by $(comm_list "$ATTACH_PID"): not removed (--force removes it anyway)"
	assert_equal "$(kernel_ids shm)" "$id"
}

@test "--force marks an attached segment for removal; the kernel destroys it at its last detach" {
	local id key opts
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	attach_shm "$id"
	# a dry run says what the removal will do
	run -0 --separate-stderr "$IPCX" rm shm "$id" --force --dry-run
	assert_output "would mark shm $id (key $key) for removal: the kernel destroys it when the last of its 1 attached process detaches"
	assert_equal "$(kernel_key shm "$id")" "$key"
	run -0 --separate-stderr "$IPCX" rm shm "$id" --force
	assert_equal "$stderr" ""
	assert_output "marked shm $id (key $key) for removal: the kernel destroys it when the last of its 1 attached process detaches"
	# the kernel keeps it, with SHM_DEST set and the key cleared
	assert_equal "$(proc_field shm "$id" nattch)" 1
	(( 8#$(proc_field shm "$id" perms) & 8#1000 )) || fail "SHM_DEST not set"
	assert_equal "$(proc_field shm "$id" key)" 0
	ipcs -m | awk -v id="$id" '$2 == id' | grep -q dest || fail "ipcs shows no dest status"
	# marked already: nothing left to do, with or without --force, nor in --all
	for opts in "$id" "$id --force" "--all"; do
		# shellcheck disable=SC2086 # the options apart
		run -0 --separate-stderr "$IPCX" rm shm $opts
		assert_equal "$(stderr_but_init)" ""
		assert_output "shm $id (key 0x00000000) is already marked for removal: the kernel destroys it when its last attached process detaches"
	done
	assert_equal "$(proc_field shm "$id" nattch)" 1
	detach_all
	assert_equal "$(proc_field shm "$id" key)" ""
	assert_equal "$(kernel_count shm)" 0
}

@test "a segment attached by two processes: -f gives the count, no -f names both" {
	local id key users
	id=$(mk_shm 4096)
	key=$(kernel_key shm "$id")
	attach_shm "$id"
	attach_shm "$id"
	users=$(comm_list "${HELPER_PIDS[@]}")
	run -1 --separate-stderr "$IPCX" rm shm --key "$key"
	assert_equal "$(stderr_but_init)" \
		"ipcx: shm $id (key $key) is in use by $users: not removed (--force removes it anyway)"
	assert_equal "$(kernel_key shm "$id")" "$key"
	run -0 "$IPCX" rm shm --key "$key" -f
	assert_output "marked shm $id (key $key) for removal: the kernel destroys it when the last of its 2 attached processes detaches"
	assert_equal "$(proc_field shm "$id" nattch)" 2
	detach_all
	assert_equal "$(kernel_count shm)" 0
}

@test "rm into a closed pipe: every object removed all the same, exit 1, said on stderr" {
	local i name
	# more lines than ipcx's output buffer holds (64 KiB): written on the way
	for ((i = 0; i < 400; i++)); do
		printf -v name 'p%03d%0200d' "$i" 0
		: >"/dev/shm/$name"
	done
	# the reader has gone before rm writes
	run -0 --separate-stderr bash -c \
		'{ sleep 0.5; exec "$1" rm posix-shm --all; } | true; echo "${PIPESTATUS[0]}"' sh "$IPCX"
	assert_output 1
	assert_equal "$(stderr_but_init)" "ipcx: cannot write output: Broken pipe"
	assert_equal "$(ls -A /dev/shm)" ""
}
