#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bad input, as one table: every option value or operand that can be
# malformed, and every conflict between options, in every command that takes
# it. Each row must give exit 2, nothing on stdout, one line on stderr that
# names the bad value (or the conflict), and no change to any object: the
# kernel's System V objects (/proc/sysvipc), and the files of /dev/shm,
# /dev/mqueue and the test's FIFO directory (inode, mode, size, times, and
# a queue's attributes) are the same before and after.
#
# Case by case tests of the same errors, and of the commands' help, are in
# usage.bats; this file is the sweep.

load common

setup() {
	common_setup
	require_built "$IPCX_TEST_POSIX"
	DIR=$BATS_TEST_TMPDIR/fifos
	mkdir -p "$DIR"
	# objects of every kind that a wrongly accepted command could change
	SHM_ID=$(mk_shm 4096)
	mk_sem 2 >/dev/null
	mk_msg >/dev/null
	head -c 4096 /dev/zero >/dev/shm/keep
	"$IPCX" create posix-sem keep-sem >/dev/null
	"$IPCX" create posix-mq keep-mq >/dev/null
	mkfifo "$DIR/keep"
	[ -n "$SHM_ID" ] && [ -e /dev/shm/sem.keep-sem ] && [ -e /dev/mqueue/keep-mq ] ||
		fail "could not make the objects to keep"
}

# Everything a command could change, as text. (Reading a queue's file sets
# its ctime: the queue is read with mq_getattr, which does not.)
state() {
	kernel_state
	find /dev/shm "$DIR" /dev/mqueue \( -path '/dev/mqueue*' -printf '%p %y %i %m %s %T@\n' \) \
		-o -printf '%p %y %i %m %s %T@ %C@\n' | sort
	"$IPCX_TEST_POSIX" mq-attr /keep-mq
}

# The table: EXPECTED|ARG|ARG...  ('|' separates; an empty field is an empty
# argument). EXPECTED is what the error line must contain: the bad value in
# quotes, or the words naming the conflict. In the arguments @ID@ is an
# existing shm id, @DIR@ the FIFO directory, @LONG@ a 256-byte name (one too
# many for any POSIX kind), @LONGSEM@ a 252-byte one (one too many for a
# semaphore, whose file is sem.NAME), @LONGPATH@ a path of PATH_MAX bytes
# and @LONGPART@ one with a 256-byte component.
TABLE="
'0xZZ'|list|--key|0xZZ
'0x100000000'|rm|--key|0x100000000
'-1'|show|shm|--key|-1
'4294967296'|create|shm|--size|4K|--key|4294967296
'12 '|rm|sem|--key|12 
IPC_PRIVATE|rm|--key|0
IPC_PRIVATE|list|--key|0x0
'-1'|show|shm|-1
'2147483648'|rm|shm|2147483648
'1.0'|list|--id|1.0
'0x'|rm|sem|0x
'12abc'|rm|msg|@ID@|12abc
''|rm|shm|
'1X'|create|shm|--size|1X
'0'|create|shm|--size|0
'16EiB'|create|posix-shm|big|--size|16EiB
'8E'|create|posix-shm|big|--size|8E
'8E'|create|shm|--size|8E
'18446744073709551616'|create|shm|--size|18446744073709551616
'1.5M'|create|posix-mq|q|--msg-size|1.5M
'99999999999999'|create|posix-mq|q|--msg-size|99999999999999
'3G' is out of range (at most 2147483647 bytes)|create|posix-mq|q|--msg-size|3G
'K'|create|posix-shm|k|--size|K
'4096 '|create|posix-shm|k|--size|4096 
'1 B'|create|posix-shm|k|--size|1 B
'1 KiB'|create|shm|--size|1 KiB
'8'|create|shm|--size|4K|--mode|8
'rw-------'|create|posix-shm|m|--size|4K|--mode|rw-------
'4755'|create|fifo|@DIR@/new|--mode|4755
'0x1ff'|create|posix-mq|m|--mode|0x1ff
'1000'|create|posix-sem|m|--mode|1000
''|create|msg|--mode|
'0'|create|sem|--nsems|0
'0x10'|create|sem|--nsems|0x10
'2147483648'|create|sem|--nsems|2147483648
'abc'|create|posix-mq|q|--max-msgs|abc
'4294967297'|create|posix-mq|q|--max-msgs|4294967297
'-1'|create|posix-sem|s|--value|-1
'99999999999'|create|posix-sem|s|--value|99999999999
'a/b'|create|posix-shm|a/b|--size|4K
'/x/y'|create|posix-mq|/x/y
''|create|posix-shm||--size|4K
'@LONG@'|create|posix-shm|@LONG@|--size|4K
'@LONGSEM@'|create|posix-sem|@LONGSEM@
'..'|rm|posix-shm|..
'../etc/passwd'|rm|posix-sem|../etc/passwd
'sem.keep-sem'|rm|posix-shm|sem.keep-sem
'.'|show|posix-mq|.
'@LONG@'|show|posix-mq|@LONG@
'@LONGSEM@'|rm|posix-sem|@LONGSEM@
empty path|create|fifo|
empty path|rm|fifo|
'@LONGPATH@'|create|fifo|@LONGPATH@
'@LONGPART@'|rm|fifo|@LONGPART@
'@LONGPATH@'|show|fifo|@LONGPATH@
'@DIR@/none'|list|fifo|--path|@DIR@/none
''|rm|fifo|--all|--path|
'@DIR@/keep'|rm|fifo|--all|--path|@DIR@/keep
'FOO'|list|-o|FOO
'NOPE'|list|-o|+NOPE
'ID' given twice|list|-o|id,ID
''|list|-o|KEY,,ID
''|list|-o|
'bogus'|list|bogus
'shmm'|rm|shmm|1
'bogus'|create|bogus
'bogus'|show|bogus|1
'ipcx-no-such-user'|list|--owner|ipcx-no-such-user
'4294967295'|list|--owner|4294967295
'0x3e8'|rm|shm|--all|--creator|0x3e8
'ipcx-no-such-user'|rm|shm|--all|--creator|ipcx-no-such-user
'5x'|list|--older-than|5x
'-5m'|rm|shm|--all|--older-than|-5m
'99999999999999999999d'|list|--older-than|99999999999999999999d
''|rm|sem|--all|--older-than|
'abc'|list|--attached-by|abc
'0'|rm|shm|--all|--attached-by|0
'99999999999'|list|--attached-by|99999999999
'bogus'|list|--time-format|bogus
'iso8601'|show|shm|@ID@|--time-format|iso8601
'--bogus'|list|--bogus
'--force'|list|--force
'--a' is ambiguous: --all, --attached-by|rm|shm|--a|--dry-run
'--o' is ambiguous: --output, --output-all, --owner|list|--o|id
'-x'|rm|-x|shm|--all
'extra'|limits|extra
'abc'|-t|abc|list
'0'|--target|0|rm|shm|@ID@
'2'|show|shm|@ID@|2
--json and --raw|list|--json|--raw
--output and --output-all|list|-o|TYPE|--output-all
--output and --output-all|list|sysv|--output-all|-o|+PIDS
--json and --raw|limits|-J|-r
cannot be combined|rm|shm|@ID@|--all
cannot be combined|rm|shm|--key|0x10|--orphaned
--key selects System V|rm|posix-shm|--key|0x10
--key selects System V|list|posix|--key|0x10
--id selects System V|list|fifo|--id|1
--name matches names|list|shm|--name|x
--name matches names|rm|sysv|--all|--name|x
'0' needs exactly one System V kind|rm|posix-shm|--id|0
'0' needs exactly one System V kind|rm|--id|0
'x'|rm|shm|--id|x
cannot be combined|rm|shm|--id|@ID@|--all
--nsems is not for shm|create|shm|--size|4K|--nsems|2
--size is not for fifo|create|fifo|@DIR@/new|--size|4K
--value is not for posix-shm|create|posix-shm|v|--size|4K|--value|1
--all needs a kind|rm|--all
--orphaned needs a kind|rm|--orphaned
nothing to remove|rm|shm
name one object|show|shm|--key|0x10|@ID@
name one object|show|shm
--path is for the fifo kind|list|shm|--path|@DIR@
--path goes with|rm|shm|--all|--path|@DIR@
need --path|rm|fifo|--all
needs --size|create|posix-shm|x
needs --nsems|create|sem
pipe objects cannot be removed|rm|pipe|1
pipe objects cannot be removed|rm|shm|pipe|--all
unix objects cannot be removed|rm|sysv|unix|--orphaned
need --path|rm|shm|fifo|--all
unix objects cannot be created|create|unix|@DIR@/s
"

# expand VAR ARG: set VAR to ARG with the placeholders of the table filled
# in (without a subshell: it runs for every field of every row)
expand() {
	local arg=$2
	arg=${arg//@ID@/$SHM_ID}
	arg=${arg//@DIR@/$DIR}
	arg=${arg//@LONGSEM@/$LONGSEM}
	arg=${arg//@LONG@/$LONG}
	arg=${arg//@LONGPART@/$DIR/$LONGPART}
	arg=${arg//@LONGPATH@/$LONGPATH}
	printf -v "$1" '%s' "$arg"
}

@test "every malformed value and conflict: exit 2, one line naming it, nothing changed" {
	local row fields expected args field before after rows=0
	local LONGSEM LONG LONGPART LONGPATH
	printf -v LONGSEM 's%.0s' {1..252}
	printf -v LONG 'n%.0s' {1..256}
	printf -v LONGPART 'c%.0s' {1..256}
	# PATH_MAX bytes with the slashes, components of 64
	printf -v LONGPATH '/%063d' {1..64}
	before=$(state)
	while IFS= read -r row; do
		[ -n "$row" ] || continue
		# the '|' added keeps an empty last field as a field
		IFS='|' read -r -a fields <<<"$row|"
		expand expected "${fields[0]}"
		args=()
		for field in "${fields[@]:1}"; do
			expand field "$field"
			args+=("$field")
		done
		echo "row: $row"
		run -2 --separate-stderr in_own_pids "$IPCX" "${args[@]}"
		assert_one_error "$expected"
		after=$(state)
		[ "$before" = "$after" ] || fail "'$row' changed objects: $(diff <(echo "$before") <(echo "$after"))"
		rows=$((rows + 1))
	done <<<"$TABLE"
	echo "# $rows rows" >&3
}
