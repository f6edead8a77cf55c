#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Help, version and usage errors: exit 2, one line on stderr naming the bad
# value, and (checked against /proc/sysvipc) nothing changed.

load common

COMMANDS=(list show rm create limits)

setup() {
	common_setup
	# Objects a wrongly accepted command could change
	SHM_ID=$(mk_shm 4096)
	SEM_ID=$(mk_sem 2)
	MSG_ID=$(mk_msg)
	SHM_KEY=$(kernel_key shm "$SHM_ID")
	[ -n "$SHM_KEY" ] || fail "ipcmk made no shm segment"
}

# run_usage_error ARG...: `ipcx ARG...` exits 2 with one line on stderr and
# nothing on stdout, and the kernel's objects are the same before and after
run_usage_error() {
	local before after words
	printf -v words "'%s' " "$@"
	echo "case: ipcx $words"
	before=$(kernel_state)
	run -2 --separate-stderr in_own_pids "$IPCX" "$@"
	after=$(kernel_state)
	assert_one_error
	[ "$before" = "$after" ] || fail "ipcx $* changed the kernel's objects"
}

# expect_usage_error VALUE ARG...: a usage error whose line names 'VALUE'
expect_usage_error() {
	local value=$1
	shift
	run_usage_error "$@"
	assert_one_error "'$value'"
}

# expect_usage_error_msg MESSAGE ARG...: a usage error with exactly MESSAGE
expect_usage_error_msg() {
	local msg=$1
	shift
	run_usage_error "$@"
	[ "${stderr_lines[0]}" = "$msg" ] ||
		fail "expected '$msg' on stderr, got '${stderr_lines[0]}'"
}

# --- help and version ----------------------------------------------------------

@test "ipcx --help and -h print the usage with every command on stdout" {
	local opt cmd
	for opt in --help -h; do
		run -0 --separate-stderr "$IPCX" "$opt"
		assert_equal "$stderr" ""
		assert_line --index 0 --partial "Usage:"
		for cmd in "${COMMANDS[@]}" help; do
			assert_line --regexp "^ +$cmd( |$)"
		done
	done
}

@test "ipcx --version and -V print 'ipcx 0.1.0'" {
	local opt
	for opt in --version -V; do
		run -0 --separate-stderr "$IPCX" "$opt"
		assert_output "ipcx 0.1.0"
		assert_equal "$stderr" ""
	done
}

@test "every command's --version and -V print 'ipcx 0.1.0'; with them rm and create change nothing" {
	local cmd opt before
	before=$(cat /proc/sysvipc/shm)
	for cmd in "${COMMANDS[@]}"; do
		for opt in --version -V; do
			echo "case: ipcx $cmd $opt"
			run -0 --separate-stderr "$IPCX" "$cmd" "$opt"
			assert_output "ipcx 0.1.0"
			assert_equal "$stderr" ""
		done
	done
	run -0 --separate-stderr "$IPCX" help -V
	assert_output "ipcx 0.1.0"
	run -0 --separate-stderr "$IPCX" rm shm "$SHM_ID" -V
	assert_output "ipcx 0.1.0"
	run -0 --separate-stderr "$IPCX" create shm --size 4K --version
	assert_output "ipcx 0.1.0"
	assert_equal "$(kernel_key shm "$SHM_ID")" "$SHM_KEY"
	assert_equal "$(cat /proc/sysvipc/shm)" "$before"
}

@test "every command's --help and -h: usage on stdout, exit 0" {
	local cmd opt
	for cmd in "${COMMANDS[@]}"; do
		for opt in --help -h; do
			echo "case: ipcx $cmd $opt"
			run -0 --separate-stderr "$IPCX" "$cmd" "$opt"
			assert_equal "$stderr" ""
			assert_line --index 0 --partial "Usage:"
			assert_line --partial "ipcx $cmd"
			assert_line --partial -- "--help"
		done
	done
}

@test "'ipcx help COMMAND' is 'ipcx COMMAND --help'; 'ipcx help' is 'ipcx --help'" {
	local cmd expected
	for cmd in "${COMMANDS[@]}"; do
		expected=$("$IPCX" "$cmd" --help)
		run -0 --separate-stderr "$IPCX" help "$cmd"
		assert_equal "$stderr" ""
		assert_output "$expected"
		# the command's own usage, with every option of its man page
		assert_line --index 1 --regexp "^ ipcx $cmd "
		local opt
		for opt in $(grep -oE -- '^\*(-[a-zA-Z]\*, \*)?--[a-z-]+' "$SRCDIR/man/ipcx-$cmd.1.scd" |
			grep -oE -- '--[a-z-]+'); do
			assert_output --partial -- "$opt"
		done
	done
	expected=$("$IPCX" --help)
	run -0 --separate-stderr "$IPCX" help
	assert_output "$expected"
	assert_line --index 0 "Usage:"
	assert_line --index 1 " ipcx [options] <command> [<args>]"
	# help is listed as a command: it has a help too
	for cmd in help --help -h; do
		run -0 --separate-stderr "$IPCX" help "$cmd"
		assert_output "$expected"
	done
}

# /dev/full: every write fails with ENOSPC, as on a full disk
@test "output that cannot be written: exit 1 and one line on stderr" {
	local args
	for args in --version --help "help list" "limits" "list --help" "show --help" \
		"rm --help" "create --help" "limits --help"; do
		# shellcheck disable=SC2086 # the words of args
		run -1 --separate-stderr sh -c '"$@" >/dev/full' sh "$IPCX" $args
		assert_equal "$stderr" "ipcx: cannot write output: No space left on device"
	done
}

@test "'ipcx help' of an unknown command: exit 2 naming it" {
	expect_usage_error bogus help bogus
}

@test "'ipcx help' with more than a command: exit 2 naming the extra argument" {
	expect_usage_error_msg "ipcx: unexpected argument 'show'" help list show
	expect_usage_error_msg "ipcx: unexpected argument 'list'" help help list
}

# --- no command, unknown command, option, kind, column -------------------------

@test "ipcx without a command: exit 2, one line on stderr" {
	run -2 --separate-stderr "$IPCX"
	assert_one_error
}

@test "unknown command: exit 2 naming it" {
	expect_usage_error bogus bogus
	expect_usage_error lsit lsit
}

@test "unknown long option, for the program and every command" {
	local cmd
	expect_usage_error_msg "ipcx: unrecognized option '--bogus'" --bogus
	for cmd in "${COMMANDS[@]}"; do
		expect_usage_error_msg "ipcx: unrecognized option '--bogus'" "$cmd" --bogus
	done
	expect_usage_error_msg "ipcx: unrecognized option '--bogus'" list shm --bogus
	expect_usage_error_msg "ipcx: unrecognized option '--bogus'" rm shm "$SHM_ID" --bogus
	expect_usage_error_msg "ipcx: unrecognized option '--bogus'" create shm --size 4K --bogus
}

@test "unknown short option, for the program and every command" {
	local cmd
	# run_usage_error also checks that the kernel's objects did not change
	run_usage_error -Z
	assert_one_error "Z"
	for cmd in "${COMMANDS[@]}"; do
		run_usage_error "$cmd" -Z
		assert_one_error "Z"
	done
	# nothing was made or removed by a command with a bad option
	run_usage_error create shm --size 4K -Z
	assert_one_error "Z"
	run_usage_error rm shm "$SHM_ID" -Z
	assert_one_error "Z"
	assert_equal "$(kernel_key shm "$SHM_ID")" "$SHM_KEY"
}

@test "unknown kind: exit 2 'ipcx: unknown kind ...' in every command" {
	expect_usage_error_msg "ipcx: unknown kind 'foo'" list foo
	expect_usage_error_msg "ipcx: unknown kind 'foo'" list shm foo
	expect_usage_error_msg "ipcx: unknown kind 'foo'" show foo 0
	expect_usage_error_msg "ipcx: unknown kind 'foo'" rm foo 0
	expect_usage_error_msg "ipcx: unknown kind 'foo'" rm foo --all
	expect_usage_error foo rm shm foo --all
	expect_usage_error_msg "ipcx: unknown kind 'foo'" create foo
	# kind words are lower case
	expect_usage_error SHM list SHM
}

@test "pipe, mmap and unix list, but rm refuses them: exit 2, nothing changed" {
	local kind
	for kind in pipe mmap unix; do
		# processes on the host hold them: whatever is listed is of the kind
		# (stderr apart: host processes come and go while ipcx reads them)
		run -0 --separate-stderr "$IPCX" list "$kind" -r -n -o TYPE
		[ -z "$output" ] || assert_equal "$(sort -u <<<"$output")" "$kind"
		expect_usage_error_msg \
			"ipcx: $kind objects cannot be removed: they go when the last process holding them closes them" \
			rm "$kind" --all
		expect_usage_error_msg \
			"ipcx: $kind objects cannot be removed: they go when the last process holding them closes them" \
			rm "$kind" 1
	done
	for kind in posix-foo sysv-shm; do
		expect_usage_error_msg "ipcx: unknown kind '$kind'" list "$kind"
	done
}

@test "create pipe, mmap or unix: a usage error, nothing made" {
	local kind
	for kind in pipe mmap unix; do
		expect_usage_error_msg "ipcx: $kind objects cannot be created with ipcx" create "$kind"
		expect_usage_error_msg "ipcx: $kind objects cannot be created with ipcx" \
			create "$kind" "$BATS_TEST_TMPDIR/x"
	done
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
}

@test "show mmap or unix of a missing path names the kind asked for" {
	local kind
	for kind in mmap unix; do
		run -1 --separate-stderr "$IPCX" show "$kind" "$BATS_TEST_TMPDIR/missing"
		assert_one_error "$kind $BATS_TEST_TMPDIR/missing"
	done
}

@test "unknown column: exit 2 'ipcx: unknown column ...'" {
	expect_usage_error_msg "ipcx: unknown column 'FOO'" list -o FOO
	expect_usage_error_msg "ipcx: unknown column 'FOO'" list -o TYPE,FOO
	expect_usage_error_msg "ipcx: unknown column 'FOO'" list -o +FOO
	expect_usage_error_msg "ipcx: unknown column 'FOO'" list --output=KEY,FOO,ID
	expect_usage_error foo list -o type,foo
}

@test "empty column list is a usage error" {
	run -2 --separate-stderr "$IPCX" list -o ""
	assert_one_error
}

# --- malformed values ------------------------------------------------------------

BAD_KEYS=("" "0xZZ" "-5" "-0x10" "12abc" "abc" "0x" "0x1g" "08" "0189" "1 "
	"0x100000000" "4294967296" "040000000000" "99999999999999999999999")

@test "malformed or out-of-range key: exit 2 naming it, in every command" {
	local bad_key
	for bad_key in "${BAD_KEYS[@]}"; do
		expect_usage_error "$bad_key" list --key "$bad_key"
		expect_usage_error "$bad_key" show shm --key "$bad_key"
		expect_usage_error "$bad_key" rm shm --key "$bad_key"
		expect_usage_error "$bad_key" rm --key "$bad_key"
		expect_usage_error "$bad_key" create shm --size 4K --key "$bad_key"
		expect_usage_error "$bad_key" create msg --key "$bad_key"
	done
}

# 09 is no bad id: a leading 0 is decimal in ids (nine), as ipcs reads it
BAD_IDS=("" "-1" "12abc" "abc" "0x" "0xg" "1 " "1.0" "08x"
	"2147483648" "0x80000000" "020000000000" "4294967296" "99999999999999999999")

@test "malformed or out-of-range id: exit 2 naming it, in every command" {
	local bad_id
	for bad_id in "${BAD_IDS[@]}"; do
		expect_usage_error "$bad_id" show shm "$bad_id"
		expect_usage_error "$bad_id" rm shm "$bad_id"
		expect_usage_error "$bad_id" list --id "$bad_id"
	done
}

@test "a malformed id among good ones removes nothing" {
	local bad_id
	for bad_id in "${BAD_IDS[@]}"; do
		expect_usage_error "$bad_id" rm shm "$SHM_ID" "$bad_id"
		expect_usage_error "$bad_id" rm sem "$SEM_ID" "$bad_id" --dry-run
	done
	assert_equal "$(kernel_count shm)" 1
	assert_equal "$(kernel_count sem)" 1
}

@test "a malformed key among good ones removes nothing" {
	expect_usage_error 0xZZ rm shm --key "$SHM_KEY" --key 0xZZ
	expect_usage_error 0xZZ rm --key "$SHM_KEY" --key 0xZZ
	assert_equal "$(kernel_key shm "$SHM_ID")" "$SHM_KEY"
}

BAD_SIZES=("" "0" "0K" "00" "-1" "-4096" "1X" "1KX" "1Kx" "K" "KiB" "1.5M" "4096 " "1 K"
	"16E" "16EiB" "20EB" "18446744073709551616" "99999999999999999999")

@test "malformed, zero or overflowing size: exit 2 naming it, nothing created" {
	local bad_size
	for bad_size in "${BAD_SIZES[@]}"; do
		expect_usage_error "$bad_size" create shm --size "$bad_size"
	done
	assert_equal "$(kernel_count shm)" 1
}

BAD_MODES=("" "8" "9" "0o600" "0x1ff" "-600" "rw" "rw-------" "600x" "1000" "01000" "1777" "7777" "4755")

@test "malformed or out-of-range mode: exit 2 naming it, nothing created" {
	local bad_mode
	for bad_mode in "${BAD_MODES[@]}"; do
		expect_usage_error "$bad_mode" create shm --size 4K --mode "$bad_mode"
		expect_usage_error "$bad_mode" create sem --nsems 1 --mode "$bad_mode"
		expect_usage_error "$bad_mode" create msg --mode "$bad_mode"
	done
	assert_equal "$(kernel_count shm)" 1
	assert_equal "$(kernel_count sem)" 1
	assert_equal "$(kernel_count msg)" 1
}

@test "malformed number of semaphores: exit 2 naming it, nothing created" {
	local bad_n
	for bad_n in "" "0" "-1" "abc" "1x" "2147483648" "99999999999999999999"; do
		expect_usage_error "$bad_n" create sem --nsems "$bad_n"
	done
	assert_equal "$(kernel_count sem)" 1
}

@test "unknown user for --owner, unknown --time-format: exit 2 naming the value" {
	expect_usage_error ipcx-no-such-user list --owner ipcx-no-such-user
	expect_usage_error bogus list --time-format bogus
	expect_usage_error bogus show shm "$SHM_ID" --time-format bogus
}

@test "key 0 (IPC_PRIVATE) cannot select an object: exit 2" {
	local zero
	for zero in 0 0x0 00 0x00000000; do
		echo "case: key '$zero'"
		run -2 --separate-stderr "$IPCX" list --key "$zero"
		assert_one_error "IPC_PRIVATE"
		run -2 --separate-stderr "$IPCX" show shm --key "$zero"
		assert_one_error "IPC_PRIVATE"
		run -2 --separate-stderr "$IPCX" rm --key "$zero"
		assert_one_error "IPC_PRIVATE"
		run -2 --separate-stderr "$IPCX" rm shm --key "$zero"
		assert_one_error "IPC_PRIVATE"
		run -2 --separate-stderr "$IPCX" rm shm --key "$SHM_KEY" --key "$zero"
		assert_one_error "IPC_PRIVATE"
	done
	assert_equal "$(kernel_key shm "$SHM_ID")" "$SHM_KEY"
}

# --- rm and show selectors ---------------------------------------------------------

@test "rm without a selector: exit 2 'nothing to remove'" {
	local args
	for args in "" "shm" "shm sem msg" "sysv" "--dry-run" "-q shm"; do
		echo "case: ipcx rm $args"
		local before
		before=$(kernel_state)
		# shellcheck disable=SC2086 # word lists on purpose
		run -2 --separate-stderr "$IPCX" rm $args
		assert_one_error "ipcx: nothing to remove: give ids" "--key" "--all"
		assert_equal "$(kernel_state)" "$before"
	done
}

@test "rm --all without a kind: exit 2, nothing removed" {
	local before
	before=$(kernel_state)
	run -2 --separate-stderr "$IPCX" rm --all
	assert_one_error "--all"
	run -2 --separate-stderr "$IPCX" rm --all --dry-run
	assert_one_error "--all"
	run -2 --separate-stderr "$IPCX" rm -q --all
	assert_one_error "--all"
	assert_equal "$(kernel_state)" "$before"
}

@test "conflicting selectors: --all with ids or --key, show with id and --key" {
	local before
	before=$(kernel_state)
	run -2 --separate-stderr "$IPCX" rm shm "$SHM_ID" --all
	assert_one_error "--all"
	run -2 --separate-stderr "$IPCX" rm shm --all --key "$SHM_KEY"
	assert_one_error "--all"
	run -2 --separate-stderr "$IPCX" rm --key "$SHM_KEY" --all
	assert_one_error "--all"
	run -2 --separate-stderr "$IPCX" show shm "$SHM_ID" --key "$SHM_KEY"
	assert_one_error
	run -2 --separate-stderr "$IPCX" show shm --key "$SHM_KEY" --key "$SHM_KEY"
	assert_one_error
	assert_equal "$(kernel_state)" "$before"
}

@test "ids with more than one kind or with a group: exit 2, nothing removed" {
	local before
	before=$(kernel_state)
	# shm and sem both have an object with this id in a fresh namespace
	run -2 --separate-stderr "$IPCX" rm shm sem "$SHM_ID"
	assert_one_error
	run -2 --separate-stderr "$IPCX" rm sysv "$SHM_ID"
	assert_one_error
	run -2 --separate-stderr "$IPCX" rm all "$SHM_ID"
	assert_one_error
	run -2 --separate-stderr "$IPCX" rm "$SHM_ID"
	assert_one_error
	run -2 --separate-stderr "$IPCX" show shm sem "$SHM_ID"
	assert_one_error
	run -2 --separate-stderr "$IPCX" show sysv "$SHM_ID"
	assert_one_error "sysv"
	assert_equal "$(kernel_state)" "$before"
}

@test "show without an object, or with two: exit 2" {
	run -2 --separate-stderr "$IPCX" show
	assert_one_error
	run -2 --separate-stderr "$IPCX" show shm
	assert_one_error
	run -2 --separate-stderr "$IPCX" show shm "$SHM_ID" "$SHM_ID"
	assert_one_error
}

# --- create ---------------------------------------------------------------------

@test "create: a missing kind, --size or --nsems, or an option for another kind: exit 2" {
	local before
	before=$(kernel_state)
	run -2 --separate-stderr "$IPCX" create
	assert_one_error
	run -2 --separate-stderr "$IPCX" create shm
	assert_one_error "--size"
	run -2 --separate-stderr "$IPCX" create shm --key 0x1234
	assert_one_error "--size"
	run -2 --separate-stderr "$IPCX" create sem
	assert_one_error "--nsems"
	run -2 --separate-stderr "$IPCX" create msg --size 4K
	assert_one_error "--size"
	run -2 --separate-stderr "$IPCX" create sem --nsems 2 --size 4K
	assert_one_error "--size"
	run -2 --separate-stderr "$IPCX" create shm --size 4K --nsems 2
	assert_one_error "--nsems"
	run -2 --separate-stderr "$IPCX" create msg --nsems 2
	assert_one_error "--nsems"
	assert_equal "$(kernel_state)" "$before"
}

@test "create takes exactly one kind, not a group" {
	local before
	before=$(kernel_state)
	run -2 --separate-stderr "$IPCX" create sysv
	assert_one_error
	run -2 --separate-stderr "$IPCX" create shm msg --size 4K
	assert_one_error
	assert_equal "$(kernel_state)" "$before"
}

# A usage error repeats what was typed: its control bytes and bytes that are
# no character come out as \xHH, so the error stays one line
@test "usage errors escape what was typed: one line whatever the argument" {
	run -2 --separate-stderr "$IPCX" list $'a\nb'
	assert_one_error "unknown kind 'a\\x0ab'"
	run -2 --separate-stderr "$IPCX" list -o $'x\xffy'
	assert_one_error "unknown column 'x\\xffy'"
	run -2 --separate-stderr "$IPCX" list --owner $'a\e[2Jb'
	assert_one_error "unknown user 'a\\x1b[2Jb'"
	run -2 --separate-stderr "$IPCX" show shm $'1\n'
	assert_one_error "'1\\x0a'"
}
