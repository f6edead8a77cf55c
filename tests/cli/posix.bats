#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# POSIX shared memory, named semaphores and message queues: ipcx against the
# kernel's view (stat of /dev/shm, the files of the mqueue filesystem) and
# against mq_getattr()/sem_getvalue() through tests/helpers/ipcx-test-posix.

load common

IPCX_TEST_POSIX=${IPCX_TEST_POSIX:-$BATS_TEST_DIRNAME/../helpers/ipcx-test-posix}

setup() {
	common_setup
	require_built "$IPCX_TEST_POSIX"
}

teardown() {
	stop_helpers
	# a test that failed with its rm still stopped under strace
	[ -z "${STRACE_PID:-}" ] || kill_tree "$STRACE_PID"
	# the namespace's sysctls a test changed: the file's next tests share them
	local f
	for f in ${MQ_SYSCTLS_SAVED:-}; do
		echo "${f#*=}" >"/proc/sys/fs/mqueue/${f%%=*}"
	done
}

# A POSIX object made by the C library, not by ipcx
make_shm_file() { # NAME SIZE MODE
	head -c "$2" /dev/zero >"/dev/shm/$1"
	chmod "$3" "/dev/shm/$1"
}

# Everything in /dev/shm and /dev/mqueue, with its metadata
posix_state() {
	ls -la --time-style=+%s /dev/shm /dev/mqueue
	for f in /dev/mqueue/*; do [ -e "$f" ] && cat "$f"; done
	true
}

@test "posix-shm: name, size, owner and perms as stat shows them" {
	make_shm_file data 12288 640
	make_shm_file other 1 600
	run -0 --separate-stderr "$IPCX" list posix-shm -r -n -b -P -o NAME,SIZE,UID,GID,PERMS,INODE
	assert_equal "$stderr" ""
	assert_line --index 0 "/data $(stat -c '%s %u %g %a %i' /dev/shm/data)"
	assert_line --index 1 "/other $(stat -c '%s %u %g %a %i' /dev/shm/other)"
	assert_equal "${#lines[@]}" 2
}

@test "/dev/shm directories, symlinks, sockets and semaphores are not shared memory" {
	make_shm_file real 10 600
	mkdir /dev/shm/adir
	ln -s /etc/passwd /dev/shm/link
	mkfifo /dev/shm/afifo
	start_helper ready "$IPCX_TEST_POSIX" unix-listen /dev/shm/asock 1 0
	[ -S /dev/shm/asock ]
	"$IPCX" create posix-sem /s
	run -0 "$IPCX" list posix-shm -r -n -o NAME
	assert_output "/real"
}

# shm_open("/.hidden") makes /dev/shm/.hidden: a name like any other
@test "names starting with a dot are listed, shown and removed" {
	make_shm_file .h 4096 600
	"$IPCX" create posix-mq /.q
	"$IPCX" create posix-sem /.s
	[ -e /dev/mqueue/.q ]
	[ -e /dev/shm/sem..s ]
	run -0 --separate-stderr "$IPCX" list posix -r -n -b -o TYPE,NAME,INODE
	assert_line "posix-shm /.h $(stat -c %i /dev/shm/.h)"
	assert_line "posix-sem /.s $(stat -c %i /dev/shm/sem..s)"
	assert_line "posix-mq /.q $(stat -c %i /dev/mqueue/.q)"
	assert_equal "${#lines[@]}" 3
	run -0 --separate-stderr "$IPCX" show posix-shm /.h
	assert_line --partial "$(stat -c %i /dev/shm/.h)"
	run -0 --separate-stderr "$IPCX" rm posix-shm /.h
	assert_output "removed posix-shm /.h"
	run -0 --separate-stderr "$IPCX" rm posix-mq /.q
	run -0 --separate-stderr "$IPCX" rm posix-sem /.s
	[ ! -e /dev/shm/.h ]
	[ ! -e /dev/mqueue/.q ]
	[ ! -e /dev/shm/sem..s ]
}

# uid_t is 32 bits unsigned: uids past 2^31 are users too (user namespaces map them)
@test "--owner takes every uid stat can show" {
	make_shm_file big 1 600
	make_shm_file small 1 600
	chown 3000000000 /dev/shm/big 2>/dev/null || skip "cannot chown to uid 3000000000 here"
	run -0 --separate-stderr "$IPCX" list posix-shm --owner 3000000000 -r -n -o NAME,UID
	assert_output "/big $(stat -c %u /dev/shm/big)"
	run -0 --separate-stderr "$IPCX" rm posix-shm --all --owner 3000000000
	assert_output "removed posix-shm /big"
	[ ! -e /dev/shm/big ]
	[ -e /dev/shm/small ]
}

@test "posix-sem: the value as sem_getvalue() reads it, names in every form" {
	run -0 "$IPCX" create posix-sem /a --value 5
	run -0 "$IPCX" create posix-sem b
	[ -f /dev/shm/sem.a ]
	[ -f /dev/shm/sem.b ]
	run -0 "$IPCX_TEST_POSIX" sem-value /a
	assert_output 5
	run -0 "$IPCX" list posix-sem -r -n -o NAME,VALUE
	assert_line --index 0 "/a 5"
	assert_line --index 1 "/b 0"
	for form in /a a sem.a; do
		run -0 --separate-stderr "$IPCX" show posix-sem "$form" -J
		run -0 jq -r '.objects[0] | "\(.name) \(.value)"' <<<"$output"
		assert_output "/a 5"
	done
	# looking changed nothing
	run -0 "$IPCX_TEST_POSIX" sem-value /a
	assert_output 5
}

# glibc's sem_open("/sem.x") makes /dev/shm/sem.sem.x; sem.x is the file of /x
@test "posix-sem: /sem.x is the semaphore of that name, not /x, whose file is sem.x" {
	run -0 "$IPCX" create posix-sem /x --value 1
	run -0 "$IPCX" create posix-sem /sem.x --value 2
	[ -f /dev/shm/sem.x ]
	[ -f /dev/shm/sem.sem.x ]
	run -0 "$IPCX_TEST_POSIX" sem-value /sem.x
	assert_output 2
	run -0 --separate-stderr "$IPCX" show posix-sem /sem.x -J
	run -0 jq -r '.objects[0] | "\(.name) \(.value)"' <<<"$output"
	assert_output "/sem.x 2"
	run -0 --separate-stderr "$IPCX" rm posix-sem /sem.x --dry-run
	assert_output "would remove posix-sem /sem.x"
	run -0 --separate-stderr "$IPCX" rm posix-sem /sem.x
	assert_output "removed posix-sem /sem.x"
	[ ! -e /dev/shm/sem.sem.x ]
	[ -f /dev/shm/sem.x ]
	# without the slash, sem.x is the file of /x
	run -0 --separate-stderr "$IPCX" rm posix-sem sem.x
	assert_output "removed posix-sem /x"
	[ ! -e /dev/shm/sem.x ]
}

# The kernel's record of the files ipcx opens (strace): a FIFO would let a
# writer waiting in open() through, a symlink lead elsewhere
@test "posix-sem: a FIFO or symlink named like a semaphore is neither listed nor opened" {
	command -v strace >/dev/null || skip "strace is not installed"
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "strace cannot follow ipcx under valgrind"
	"$IPCX" create posix-sem /real --value 2
	mkfifo /dev/shm/sem.fifo
	ln -s sem.real /dev/shm/sem.link
	run -0 --separate-stderr traced -f -e trace=open,openat "$IPCX" list posix-sem -r -n -o NAME,VALUE
	assert_output "/real 2"
	grep -qE 'sem\.real"' <<<"$stderr" || fail "sem.real was not opened: $stderr"
	refute [ -n "$(grep -E 'sem\.(fifo|link)"' <<<"$stderr")" ]
}

@test "posix-mq: attributes as mq_getattr() gives them; listing leaves the messages" {
	run -0 "$IPCX" create posix-mq /q --max-msgs 4 --msg-size 64
	"$IPCX_TEST_POSIX" mq-send /q hello
	"$IPCX_TEST_POSIX" mq-send /q world!
	run -0 "$IPCX_TEST_POSIX" mq-attr /q
	assert_output "2 4 64"
	qsize=$(sed -n 's/^QSIZE:\([0-9]*\).*/\1/p' /dev/mqueue/q)
	run -0 --separate-stderr "$IPCX" list posix-mq -r -n -b -o NAME,MESSAGES,MAXMSG,MSGSIZE,SIZE
	assert_output "/q 2 4 64 $qsize"
	# NOTIFY_PID:0 in the queue's file: nobody is registered, and ipcx says 0 as
	# the kernel does (null is for what does not apply or could not be read)
	grep -q "NOTIFY_PID:0 " /dev/mqueue/q
	run -0 "$IPCX" list posix-mq -J -o NAME,NOTIFY_PID
	run -0 jq -r '.objects[0].notify_pid' <<<"$output"
	assert_output 0
	run -0 --separate-stderr "$IPCX" list posix-mq -r -n -o NAME,NOTIFY_PID,NPROCS
	assert_output "/q 0 0"
	run -0 --separate-stderr "$IPCX" show posix-mq q
	run -0 "$IPCX" list
	# the messages are all still there
	run -0 "$IPCX_TEST_POSIX" mq-attr /q
	assert_output "2 4 64"
	grep -q "^QSIZE:$qsize " /dev/mqueue/q
}

@test "posix-mq: default attributes come from /proc/sys/fs/mqueue" {
	run -0 "$IPCX" create posix-mq /d --mode 0640
	run -0 "$IPCX" list posix-mq -r -n -b -P -o NAME,MAXMSG,MSGSIZE,PERMS
	assert_output "/d $(cat /proc/sys/fs/mqueue/msg_default) $(cat /proc/sys/fs/mqueue/msgsize_default) 640"
	assert_equal "$(stat -c %a /dev/mqueue/d)" 640
}

# A default above its maximum is capped by the kernel: a queue made with no
# attribute shows it (mq_getattr), and one made with only the other
# attribute, which ipcx fills in, must get the same; limits says so too
@test "posix-mq: defaults above the maxima count as the maxima, as the kernel counts them" {
	local max maxsize
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	maxsize=$(cat /proc/sys/fs/mqueue/msgsize_max)
	MQ_SYSCTLS_SAVED="msg_default=$(cat /proc/sys/fs/mqueue/msg_default)"
	MQ_SYSCTLS_SAVED+=" msgsize_default=$(cat /proc/sys/fs/mqueue/msgsize_default)"
	echo $((max + 10)) >/proc/sys/fs/mqueue/msg_default 2>/dev/null ||
		skip "cannot write this namespace's fs.mqueue.msg_default"
	echo $((maxsize * 2)) >/proc/sys/fs/mqueue/msgsize_default
	"$IPCX" create posix-mq /none
	run -0 "$IPCX_TEST_POSIX" mq-attr /none
	assert_output "0 $max $maxsize"
	run -0 --separate-stderr "$IPCX" create posix-mq /count --max-msgs 5
	run -0 "$IPCX_TEST_POSIX" mq-attr /count
	assert_output "0 5 $maxsize"
	run -0 --separate-stderr "$IPCX" create posix-mq /size --msg-size 100
	run -0 "$IPCX_TEST_POSIX" mq-attr /size
	assert_output "0 $max 100"
	run -0 "$IPCX" limits -J
	run -0 jq -r '.limits[] | select(.resource | startswith("mq_msg")) | "\(.resource) \(.limit)"' <<<"$output"
	assert_line "mq_msg_default $max"
	assert_line "mq_msgsize_default $maxsize"
}

# Past RLIMIT_FSIZE, ftruncate() would raise SIGXFSZ and kill ipcx before it
# unlinked the empty object it had made
@test "create posix-shm past RLIMIT_FSIZE: exit 1, nothing left in /dev/shm" {
	run -1 --separate-stderr prlimit --fsize=1000 "$IPCX" create posix-shm /big --size 1M
	assert_equal "$stderr" "ipcx: cannot create posix-shm /big: File too large"
	[ ! -e /dev/shm/big ]
	run -0 --separate-stderr prlimit --fsize=2000000 "$IPCX" create posix-shm /big --size 1M
	assert_equal "$(stat -c %s /dev/shm/big)" 1048576
}

@test "create: mode applied exactly, sizes as asked, existing names untouched" {
	umask 077
	run -0 "$IPCX" create posix-shm /m --size 8K --mode 0664
	assert_equal "$(stat -c '%s %a' /dev/shm/m)" "8192 664"
	run -0 "$IPCX" create posix-sem /x --value 1
	before=$(posix_state)
	run -1 --separate-stderr "$IPCX" create posix-shm m --size 1M
	assert_one_error "posix-shm /m" "already exists"
	run -1 --separate-stderr "$IPCX" create posix-sem sem.x
	assert_one_error "already exists"
	assert_equal "$(posix_state)" "$before"
}

@test "bad names are usage errors and change nothing" {
	make_shm_file keep 10 600
	before=$(posix_state)
	long=$(printf 'x%.0s' $(seq 256))
	for name in "" / "a/b" "../etc/passwd" ".." "/.." "." "$long" "//a"; do
		run -2 --separate-stderr "$IPCX" rm posix-shm "$name"
		assert_one_error "invalid posix-shm name"
		run -2 --separate-stderr "$IPCX" create posix-shm "$name" --size 1
		assert_one_error "invalid posix-shm name"
		run -2 --separate-stderr "$IPCX" show posix-mq "$name"
		assert_one_error "invalid posix-mq name"
	done
	# sem.NAME in /dev/shm is a semaphore's file, never shared memory
	run -2 --separate-stderr "$IPCX" create posix-shm sem.x --size 1
	assert_one_error "invalid posix-shm name 'sem.x'"
	# a kind word after names is a mistake, caught before anything goes
	run -2 --separate-stderr "$IPCX" rm posix-shm keep posix-sem x
	assert_one_error "kind 'posix-sem'"
	# a semaphore's name is four bytes shorter: its file is sem.NAME
	run -2 --separate-stderr "$IPCX" create posix-sem "$(printf 'y%.0s' $(seq 252))"
	assert_one_error "invalid posix-sem name"
	run -2 --separate-stderr "$IPCX" create posix-shm /n --size 1 --key 0x10
	assert_one_error "--key"
	run -2 --separate-stderr "$IPCX" create posix-mq /n --value 1
	assert_one_error "--value"
	run -2 --separate-stderr "$IPCX" create posix-shm /n
	assert_one_error "--size"
	run -2 --separate-stderr "$IPCX" rm posix-shm --key 0x10
	assert_one_error "--key"
	assert_equal "$(posix_state)" "$before"
}

@test "rm: through shm_unlink/sem_unlink/mq_unlink, only what was named" {
	make_shm_file a 10 600
	make_shm_file b 10 600
	"$IPCX" create posix-sem /a
	"$IPCX" create posix-mq /a
	run -0 --separate-stderr "$IPCX" rm posix-shm /a
	assert_output "removed posix-shm /a"
	[ ! -e /dev/shm/a ]
	[ -e /dev/shm/b ]
	[ -e /dev/shm/sem.a ]
	[ -e /dev/mqueue/a ]
	run -0 --separate-stderr "$IPCX" rm posix-sem sem.a
	assert_output "removed posix-sem /a"
	[ ! -e /dev/shm/sem.a ]
	[ -e /dev/mqueue/a ]
	run -1 --separate-stderr "$IPCX" rm posix-mq /a /nothere
	assert_output "removed posix-mq /a"
	assert_equal "$(stderr_but_init)" "ipcx: posix-mq /nothere: no such object"
	[ ! -e /dev/mqueue/a ]
	[ -e /dev/shm/b ]
}

@test "rm: a name that is a kind or a group word names that object, as create made it; with --all it is a kind" {
	make_shm_file all 10 600
	make_shm_file posix-sem 10 600
	make_shm_file keep 10 600
	"$IPCX" create posix-mq /msg
	"$IPCX" create posix-sem /keep
	run -0 --separate-stderr "$IPCX" rm posix-shm all
	assert_output "removed posix-shm /all"
	run -0 --separate-stderr "$IPCX" rm posix-mq msg
	assert_output "removed posix-mq /msg"
	run -0 --separate-stderr "$IPCX" rm posix-shm posix-sem
	assert_output "removed posix-shm /posix-sem"
	[ ! -e /dev/shm/all ] && [ ! -e /dev/mqueue/msg ] && [ ! -e /dev/shm/posix-sem ]
	[ -e /dev/shm/keep ] && [ -e /dev/shm/sem.keep ]
	# with --all, the words are kinds: both go
	run -0 --separate-stderr "$IPCX" rm posix-shm posix-sem --all
	[ ! -e /dev/shm/keep ] && [ ! -e /dev/shm/sem.keep ]
}

# Anyone can name an object: rm must not send a name's escape sequences or
# newlines to the terminal (written as tables write them: \xHH), nor cut it
@test "rm prints whole names, control characters and invalid bytes escaped" {
	local long
	long=$(printf 'a%.0s' {1..200})
	make_shm_file "$long" 1 600
	make_shm_file $'e\e[2Jv\nl' 1 600
	make_shm_file $'\xff' 1 600
	run -0 --separate-stderr "$IPCX" rm posix-shm "/$long" --dry-run
	assert_output "would remove posix-shm /$long"
	run -0 --separate-stderr env LC_ALL=C.UTF-8 "$IPCX" rm posix-shm --all
	assert_equal "${#lines[@]}" 3
	assert_line "removed posix-shm /$long"
	assert_line 'removed posix-shm /e\x1b[2Jv\x0al'
	assert_line 'removed posix-shm /\xff'
	assert_equal "$(ls -A /dev/shm)" ""
	run -1 --separate-stderr "$IPCX" rm posix-shm $'/n\e[0m'
	assert_output ""
	assert_equal "$stderr" 'ipcx: posix-shm /n\x1b[0m: no such object'
}

# JSON must be UTF-8 (RFC 8259); python's json module refuses anything else
@test "JSON stays UTF-8 when names are not: their other bytes as \\xHH" {
	require_python
	make_shm_file $'\xff' 1 600
	make_shm_file $'a\xc3' 1 600
	make_shm_file $'\xed\xa0\x80' 1 600
	make_shm_file 'é' 1 600
	local names
	names=$("$IPCX" list posix-shm -J | python3 -c '
import json, sys
for o in json.loads(sys.stdin.buffer.read().decode("utf-8"))["objects"]:
    print(o["name"])') || fail "not UTF-8 JSON"
	assert_equal "$names" "$(printf '%s\n' '/a\xc3' '/é' '/\xed\xa0\x80' '/\xff')"
	# a name spelled with a backslash is not the one with the byte 0xff
	make_shm_file '\xff' 1 600
	run -0 --separate-stderr "$IPCX" list posix-shm -J
	run -0 jq -r '.objects[].name' <<<"$output"
	assert_line '/\x5cxff'
	assert_equal "$(grep -cxF '/\xff' <<<"$output")" 1
	run -0 --separate-stderr "$IPCX" list posix-shm -r -n -o NAME
	assert_line '/\x5cxff'
	# and a name as JSON gives it names that object to rm, no other
	run -0 --separate-stderr "$IPCX" rm posix-shm '/\x5cxff'
	assert_output 'removed posix-shm /\x5cxff'
	[ ! -e '/dev/shm/\xff' ] && [ -e $'/dev/shm/\xff' ]
	run -2 --separate-stderr "$IPCX" rm posix-shm '/a\x00'
	assert_one_error "NUL byte"
	run -0 --separate-stderr "$IPCX" show posix-shm $'/\xff' -J
	python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' <<<"$output"
	# a command line that is not UTF-8, in show's array of processes
	local id
	id=$(mk_shm 4096)
	start_helper "attached %PID" bash -c 'exec -a "$0" "$@"' $'\xffattach' "$IPCX_TEST_ATTACH" "$id"
	run -0 --separate-stderr "$IPCX" show shm "$id" -J
	run -0 python3 -c '
import json, sys
for p in json.loads(sys.stdin.buffer.read().decode("utf-8"))["objects"][0]["processes"]:
    print(p["command"].split()[0])' <<<"$output"
	# (libproc2 gives a command line's unprintable bytes as "?")
	assert_output '?attach'
}

@test "rm never follows a symlink nor leaves /dev/shm" {
	target=$BATS_TEST_TMPDIR/target
	echo precious >"$target"
	ln -s "$target" /dev/shm/evil
	ln -s "$target" /dev/shm/sem.evil
	mkdir /dev/shm/dir
	run -1 --separate-stderr "$IPCX" rm posix-shm evil
	assert_one_error "posix-shm /evil" "no such object"
	run -1 --separate-stderr "$IPCX" rm posix-sem evil
	assert_one_error "posix-sem /evil" "no such object"
	run -1 --separate-stderr "$IPCX" rm posix-shm /dir
	assert_one_error "posix-shm /dir" "no such object"
	[ -L /dev/shm/evil ]
	[ -L /dev/shm/sem.evil ]
	[ -d /dev/shm/dir ]
	assert_equal "$(cat "$target")" precious
	run -0 --separate-stderr "$IPCX" rm posix --all
	[ -L /dev/shm/evil ]
	[ -L /dev/shm/sem.evil ]
	[ -d /dev/shm/dir ]
	assert_equal "$(cat "$target")" precious
}

# rm_paused_after_dir DIR ARGS...: ipcx rm ARGS stopped once its listing has
# read DIR to the end (its last getdents64 there, counted in a dry run)
rm_paused_after_dir() {
	local dir=$1 n
	shift
	require_strace_of_ipcx
	traced -f -qq -e trace=getdents64 -P "$dir" -o "$BATS_TEST_TMPDIR/count" \
		"$IPCX" rm "$@" --dry-run >/dev/null
	n=$(grep -c getdents64 "$BATS_TEST_TMPDIR/count")
	rm_paused_at "-e trace=getdents64 -P $dir" "inject=getdents64:signal=SIGSTOP:when=$n" "$@"
}

@test "rm of a POSIX object made anew under its name since the listing, and in use: left as it is" {
	local kind dir file size held
	for kind in posix-shm posix-sem posix-mq; do
		dir=/dev/shm file=x size=
		[ "$kind" != posix-shm ] || size="--size 4096"
		[ "$kind" != posix-sem ] || file=sem.x
		[ "$kind" != posix-mq ] || dir=/dev/mqueue
		# shellcheck disable=SC2086 # the words of size
		run -0 "$IPCX" create "$kind" /x $size
		local listed
		listed=$(stat -c %i "$dir/$file")
		rm_paused_after_dir "$dir" "$kind" /x
		# meanwhile its owner makes it anew, and holds the new one open
		rm "$dir/$file"
		# shellcheck disable=SC2086
		run -0 "$IPCX" create "$kind" /x $size
		exec {held}<"$dir/$file"
		[ "$(stat -c %i "$dir/$file")" != "$listed" ]
		rm_resume
		assert_equal "$status" 1
		assert_equal "$(stderr_but_init)" "ipcx: $kind /x: replaced since it was listed, left as it is"
		[ -e "$dir/$file" ]
		exec {held}<&-
		rm "$dir/$file"
	done
}

@test "rm --all and --dry-run" {
	make_shm_file a 10 600
	"$IPCX" create posix-sem /s
	"$IPCX" create posix-mq /q
	mk_shm 4096 >/dev/null
	before=$(posix_state)
	run -0 --separate-stderr "$IPCX" rm posix --all --dry-run
	assert_line "would remove posix-shm /a"
	assert_line "would remove posix-sem /s"
	assert_line "would remove posix-mq /q"
	assert_equal "$(posix_state)" "$before"
	run -0 --separate-stderr "$IPCX" rm posix-shm --all
	assert_output "removed posix-shm /a"
	run -0 --separate-stderr "$IPCX" rm posix --all -q
	assert_output ""
	run -0 "$IPCX" list posix -n
	assert_output ""
	assert_equal "$(find /dev/shm /dev/mqueue -mindepth 1 -type f | wc -l)" 0
	assert_equal "$(kernel_count shm)" 1 # System V untouched
}

@test "-o +LIST does not repeat a default column" {
	"$IPCX" create posix-sem /v --value 1
	run -0 "$IPCX" list posix-sem -r -o +VALUE,INODE
	assert_line --index 0 "TYPE NAME OWNER PERMS VALUE CTIME INODE"
}

@test "a plain list shows System V and POSIX, not FIFOs" {
	mk_shm 4096 >/dev/null
	make_shm_file p 1 600
	"$IPCX" create posix-mq /q
	mkfifo "$BATS_TEST_TMPDIR/f"
	run -0 "$IPCX" list -r -n -o TYPE
	assert_output "$(printf 'shm\nposix-shm\nposix-mq')"
	run -0 "$IPCX" list all -r -n -o TYPE --path "$BATS_TEST_TMPDIR"
	assert_line fifo
}

@test "unprivileged: objects it cannot open are listed, and counted on stderr" {
	require_nobody
	"$IPCX" create posix-sem /secret --value 2 --mode 0600
	"$IPCX" create posix-mq /private --mode 0600
	make_shm_file open 4096 644
	run -0 --separate-stderr as_nobody "$IPCX" list posix -r -n -b -o NAME,UID,SIZE,VALUE,MESSAGES
	assert_line "/open 0 4096  "
	assert_line "/secret 0   "
	assert_line "/private 0   "
	assert_equal "$stderr" "ipcx: 2 objects could not be read fully (permission denied?): their unread fields are empty"
	run -1 --separate-stderr as_nobody "$IPCX" rm posix-sem /secret
	[ -e /dev/shm/sem.secret ]
}

@test "unprivileged: only the objects listed count as not read fully" {
	require_nobody
	"$IPCX" create posix-sem /secret --value 2 --mode 0600
	make_shm_file open 4096 644
	# the kernel's word: nobody may not read the semaphore, may read the other
	run -1 as_nobody test -r /dev/shm/sem.secret
	run -0 as_nobody test -r /dev/shm/open
	run -0 --separate-stderr as_nobody "$IPCX" list posix --name open -r -n -o NAME
	assert_output "/open"
	assert_equal "$stderr" ""
	run -0 --separate-stderr as_nobody "$IPCX" list posix --name secret -r -n -o NAME
	assert_output "/secret"
	assert_equal "$stderr" "ipcx: 1 object could not be read fully (permission denied?): their unread fields are empty"
}

# After unshare --ipc without a new mqueue mount, /dev/mqueue still shows the
# parent namespace's queues; mq_open(), which works in the new namespace,
# is the ground truth of what is there
@test "posix-mq: a /dev/mqueue of another IPC namespace is not read as ours" {
	"$IPCX" create posix-mq /outer
	run -0 --separate-stderr unshare --ipc sh -c '
		"$1" create posix-mq /inner || exit 9
		! "$2" mq-attr /outer 2>/dev/null || exit 8
		"$2" mq-attr /inner >/dev/null || exit 7
		"$1" list posix-mq -r -n -o NAME' sh "$IPCX" "$IPCX_TEST_POSIX"
	assert_output "/inner"
	run -0 --separate-stderr "$IPCX" list posix-mq -r -n -o NAME
	assert_output "/outer"
}

@test "posix-mq: an empty /dev/mqueue of another IPC namespace hides no queue of ours, nor their count" {
	# the outer namespace's mount is empty, as systemd leaves it on a host
	run -0 --separate-stderr unshare --ipc sh -c '
		"$1" create posix-mq /inner || exit 9
		"$2" mq-attr /inner >/dev/null || exit 7
		[ -z "$(ls -A /dev/mqueue)" ] || exit 6
		"$1" list posix-mq -r -n -o NAME || exit 5
		"$1" limits -J' sh "$IPCX" "$IPCX_TEST_POSIX"
	assert_equal "${lines[0]}" "/inner"
	run -0 jq -r '.limits[] | select(.resource == "mq_queues_max") | .used' <<<"$(printf '%s\n' "${lines[@]:1}")"
	assert_output 1
}

@test "no mqueue filesystem mounted: root lists through a private mount, others are told" {
	"$IPCX" create posix-mq /q1
	run -0 --separate-stderr without_mqueue "$IPCX" list posix-mq -r -n -o NAME
	assert_output "/q1"
	# with SIGCHLD ignored (inherited through exec), as a caller may have it
	run -0 --separate-stderr without_mqueue perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV' \
		"$IPCX" list posix-mq -r -n -o NAME
	assert_output "/q1"
	# nothing was mounted where ipcx ran
	run -0 without_mqueue sh -c '"$1" list posix-mq >/dev/null && ! mountpoint -q /dev/mqueue' \
		sh "$IPCX"
	if setpriv --reuid=65534 --regid=65534 --clear-groups -- true 2>/dev/null; then
		run -1 --separate-stderr without_mqueue setpriv --reuid="$NOBODY_UID" \
			--regid="$NOBODY_GID" --clear-groups -- "$IPCX" list posix-mq
		assert_one_error "no mqueue filesystem is mounted at /dev/mqueue" "mount -t mqueue"
	fi
}

@test "no /dev/shm (a container's bare /dev): the error names /dev/shm, the other kinds are listed" {
	local key
	key=$(kernel_key shm "$(mk_shm 4096)")
	# /dev hidden by an empty tmpfs in a mount namespace of the test's own
	run -1 --separate-stderr unshare --mount sh -c 'mount -t tmpfs x /dev && exec "$@"' sh \
		"$IPCX" list shm posix -r -n -o TYPE,KEY
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "ipcx: cannot list posix-shm: /dev/shm: No such file or directory"
	assert_equal "${stderr_lines[1]}" "ipcx: cannot list posix-sem: /dev/shm: No such file or directory"
	assert_output "shm $key"
}

@test "limits: POSIX rows from /proc/sys/fs/mqueue, /dev/shm and the rlimit" {
	"$IPCX" create posix-mq /q1
	"$IPCX" create posix-mq /q2
	run -0 "$IPCX" limits -J
	json=$output
	for f in queues_max msg_max msgsize_max msg_default msgsize_default; do
		run -0 jq -r ".limits[] | select(.resource == \"mq_$f\") | .limit" <<<"$json"
		assert_output "$(cat /proc/sys/fs/mqueue/$f)"
	done
	run -0 jq -r '.limits[] | select(.resource == "mq_queues_max") | .used' <<<"$json"
	assert_output 2
	run -0 jq -r '.limits[] | select(.resource == "devshm_size") | .limit' <<<"$json"
	assert_output "$(( $(stat -f -c '%b * %S' /dev/shm) ))"
	run -0 jq -r '.limits[] | select(.resource == "rlimit_msgqueue") | .limit' <<<"$json"
	assert_output "$(ulimit -q | sed 's/unlimited/18446744073709551615/')"
	# a tmpfs with size=0 has no limit (statvfs: no block at all); mounted
	# over the test's own, and taken off again, so /dev/shm is never the host's
	mount -t tmpfs -o size=0 tmpfs /dev/shm
	run -0 "$IPCX" limits -r -n
	local blocks
	blocks=$(stat -f -c %b /dev/shm)
	umount /dev/shm
	assert_equal "$blocks" 0
	assert_line --regexp '^devshm_size .* unlimited +$'
}

@test "posix-mq --older-than goes by MTIME: reading the queue's file sets only its ctime" {
	run -0 "$IPCX" create posix-mq old
	run -0 "$IPCX" create posix-mq new
	touch -m -d '3 days ago' /dev/mqueue/old
	# what a listing does to the queue's times, with cat as the reader
	cat /dev/mqueue/old /dev/mqueue/new >/dev/null
	[ $(( $(date +%s) - $(stat -c %Z /dev/mqueue/old) )) -lt 60 ] ||
		fail "reading the file did not set its ctime here: $(stat -c %Z /dev/mqueue/old)"
	[ $(( $(date +%s) - $(stat -c %Y /dev/mqueue/old) )) -gt 172800 ] ||
		fail "the mtime moved: $(stat -c %Y /dev/mqueue/old)"
	run -0 --separate-stderr "$IPCX" list posix-mq --older-than 2d -r -n -o NAME
	assert_output /old
	run -0 --separate-stderr "$IPCX" rm posix-mq --all --older-than 2d --dry-run
	assert_output "would remove posix-mq /old"
	[ -e /dev/mqueue/old ]
	[ -e /dev/mqueue/new ]
}
