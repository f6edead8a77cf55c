#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# FIFOs: found open in /proc/PID/fd and under --path, with readers and
# writers counted against what helper processes opened.

load common

IPCX_TEST_POSIX=${IPCX_TEST_POSIX:-$BATS_TEST_DIRNAME/../helpers/ipcx-test-posix}

setup() {
	common_setup
	require_built "$IPCX_TEST_POSIX"
	DIR=$BATS_TEST_TMPDIR/fifos
	mkdir -p "$DIR"
}

teardown() {
	stop_helpers
	# a test that failed with its rm still stopped under strace
	[ -z "${STRACE_PID:-}" ] || kill_tree "$STRACE_PID"
	[ -z "${BIND_MNT:-}" ] || umount "$BIND_MNT"
}

# hold PATH r|w: a process keeps the FIFO open until teardown
hold() {
	start_helper ready "$IPCX_TEST_POSIX" hold-fifo "$1" "$2"
}

@test "FIFOs under --path, with mode and owner as stat shows them" {
	mkfifo -m 0640 "$DIR/a"
	mkdir "$DIR/sub"
	mkfifo "$DIR/sub/b"
	touch "$DIR/regular"
	ln -s "$DIR/a" "$DIR/link"
	# --path adds the FIFOs under DIR to those any process on the host
	# holds open (other test runs, say): --name keeps DIR's
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" --name "$DIR/*" -r -n -P \
		-o PATH,UID,PERMS,INODE,READERS,WRITERS
	assert_line --index 0 "$DIR/a $(stat -c '%u %a %i' "$DIR/a") 0 0"
	assert_line --index 1 "$DIR/sub/b $(stat -c '%u %a %i' "$DIR/sub/b") 0 0"
	assert_equal "${#lines[@]}" 2
	local expected=$output
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" -r -n -P -o PATH,UID,PERMS,INODE,READERS,WRITERS
	assert_equal "$(grep "^$DIR/" <<<"$output")" "$expected"
}

@test "FIFOs open in processes are found without --path, readers and writers counted" {
	mkfifo "$DIR/p"
	hold "$DIR/p" r
	hold "$DIR/p" r
	hold "$DIR/p" w
	run -0 "$IPCX" list fifo -r -n -o PATH,READERS,WRITERS
	# (hold's own stdout FIFOs, already deleted, are listed too: "PATH (deleted)")
	assert_line "$DIR/p 2 1"
	assert_equal "$(grep -c "^$DIR/" <<<"$output")" 1
	run -0 --separate-stderr "$IPCX" show fifo "$DIR/p" -J
	run -0 jq -r '.objects[0] | "\(.readers) \(.writers)"' <<<"$output"
	assert_output "2 1"
}

@test "create and rm fifo; relative paths; --dry-run" {
	cd "$DIR"
	run -0 "$IPCX" create fifo made --mode 0604
	[ -p "$DIR/made" ]
	assert_equal "$(stat -c %a "$DIR/made")" 604
	run -1 --separate-stderr "$IPCX" create fifo made
	assert_one_error "already exists"
	run -0 --separate-stderr "$IPCX" rm fifo made --dry-run
	assert_output "would remove fifo $DIR/made"
	[ -p "$DIR/made" ]
	run -0 --separate-stderr "$IPCX" rm fifo ./made
	assert_output "removed fifo $DIR/made"
	[ ! -e "$DIR/made" ]
}

@test "rm fifo refuses anything but a FIFO and follows no symlink" {
	echo keep >"$DIR/file"
	mkfifo "$DIR/real"
	ln -s "$DIR/real" "$DIR/link"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/file"
	assert_one_error "$DIR/file" "not a FIFO"
	assert_equal "$stderr" "ipcx: fifo $DIR/file: not a FIFO, left as it is"
	# show changes nothing, and does not say it leaves anything
	run -1 --separate-stderr "$IPCX" show fifo "$DIR/file"
	assert_equal "$stderr" "ipcx: fifo $DIR/file: not a FIFO"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/link"
	assert_one_error "$DIR/link" "not a FIFO"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR"
	assert_one_error "$DIR" "not a FIFO"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/none"
	assert_one_error "no such FIFO"
	[ -f "$DIR/file" ]
	[ -L "$DIR/link" ]
	[ -p "$DIR/real" ]
	[ -d "$DIR" ]
	assert_equal "$(cat "$DIR/file")" keep
}

@test "rm --all takes FIFOs only under --path, never host-wide" {
	mkfifo "$DIR/in1"
	mkdir "$DIR/sub"
	mkfifo "$DIR/sub/in2"
	other=$BATS_TEST_TMPDIR/other
	mkdir "$other"
	mkfifo "$other/out"
	hold "$other/out" r
	# the real removals run where the host's processes are out of sight
	run -2 --separate-stderr in_own_pids "$IPCX" rm fifo --all
	assert_one_error "--path"
	run -2 --separate-stderr "$IPCX" rm fifo "$DIR/in1" --path "$DIR"
	assert_one_error "--path"
	[ -p "$DIR/in1" ]
	[ -p "$other/out" ]
	# a group leaves FIFOs out without --path
	run -0 --separate-stderr "$IPCX" rm all --all --dry-run
	refute_output --partial fifo
	# out, held open by a process we see, is not under --path
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --dry-run
	assert_line "would remove fifo $DIR/in1"
	assert_line "would remove fifo $DIR/sub/in2"
	assert_equal "${#lines[@]}" 2
	run -0 in_own_pids "$IPCX" rm fifo --all --path "$DIR"
	assert_line "removed fifo $DIR/in1"
	assert_line "removed fifo $DIR/sub/in2"
	assert_equal "${#lines[@]}" 2
	[ ! -e "$DIR/in1" ]
	[ ! -e "$DIR/sub/in2" ]
	[ -p "$other/out" ]
}

# An unlinked FIFO still held open is listed ("PATH (deleted)", as /proc
# shows it) but has no path left to remove
@test "rm --all --path leaves out a FIFO unlinked while still open" {
	mkfifo "$DIR/gone" "$DIR/here"
	hold "$DIR/gone" r
	rm "$DIR/gone"
	run -0 --separate-stderr "$IPCX" list fifo -r -n -o PATH
	assert_line "$DIR/gone\\x20(deleted)"
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --force --dry-run
	assert_output "would remove fifo $DIR/here"
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --force
	assert_output "removed fifo $DIR/here"
	refute [ -n "$(grep -F "$DIR/gone" <<<"$stderr")" ]
	[ ! -e "$DIR/here" ]
}

@test "--path must be a directory, and goes with the fifo kind" {
	run -2 --separate-stderr "$IPCX" list fifo --path "$DIR/none"
	assert_one_error "$DIR/none"
	touch "$DIR/file"
	run -2 --separate-stderr "$IPCX" list fifo --path "$DIR/file"
	assert_one_error "not a directory"
	run -2 --separate-stderr "$IPCX" list sysv --path "$DIR"
	assert_one_error "--path is for the fifo kind"
}

@test "readers and writers leave out ipcx's own descriptors" {
	mkfifo "$DIR/mine"
	# the descriptor is open in the ipcx process only
	run -0 --separate-stderr sh -c 'exec "$@" 7<>"$0"' "$DIR/mine" "$IPCX" list fifo --path "$DIR" --name "$DIR/*" \
		-r -n -o PATH,READERS,WRITERS
	assert_output "$DIR/mine 0 0"
}

# FTS_XDEV for the FIFOs found in /proc too: a mount under DIR is another
# file system, which the search does not enter
@test "rm --all --path stays on DIR's file system, for FIFOs held open too" {
	mkdir "$DIR/mnt"
	mount -t tmpfs ipcx-test-inner "$DIR/mnt" || skip "cannot mount a tmpfs in the namespace"
	mkfifo "$DIR/local" "$DIR/mnt/held" "$DIR/mnt/closed"
	hold "$DIR/mnt/held" r
	[ "$(stat -c %d "$DIR/mnt/held")" != "$(stat -c %d "$DIR/local")" ]
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --force --dry-run
	assert_output "would remove fifo $DIR/local"
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --force
	assert_output "removed fifo $DIR/local"
	[ -p "$DIR/mnt/held" ]
	[ -p "$DIR/mnt/closed" ]
	stop_helpers
	umount "$DIR/mnt"
}

# A bind mount is another mount though of the same file system (find -xdev
# would enter it): the walk does not, nor lists its FIFOs a second time
@test "list and rm --path do not enter a bind mount under DIR, of the same file system, nor take FIFOs held open there" {
	mkdir "$DIR/tree" "$DIR/tree/bind" "$DIR/elsewhere"
	mkfifo "$DIR/tree/local" "$DIR/elsewhere/other"
	mount --bind "$DIR/elsewhere" "$DIR/tree/bind" || skip "cannot bind-mount in the namespace"
	BIND_MNT=$DIR/tree/bind
	mountpoint -q "$DIR/tree/bind"
	assert_equal "$(stat -c %d "$DIR/tree/bind/other")" "$(stat -c %d "$DIR/tree/local")"
	# FIFOs open in processes are listed too: other tests' helpers' among them
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR/tree" --name "$DIR/*" -r -n -o PATH
	assert_output "$DIR/tree/local"
	# nor one held open through it, whose path /proc gives under DIR
	mkfifo "$DIR/elsewhere/held"
	hold "$DIR/tree/bind/held" r
	readlink "/proc/$HELPER_PID/fd/"* | grep -qx "$DIR/tree/bind/held"
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR/tree" --force --dry-run
	assert_output "would remove fifo $DIR/tree/local"
	stop_helpers
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR/tree"
	assert_output "removed fifo $DIR/tree/local"
	[ -p "$DIR/elsewhere/other" ]
	[ ! -e "$DIR/tree/local" ]
	umount "$DIR/tree/bind"
	BIND_MNT=
}

# /proc writes an unlinked FIFO's path with " (deleted)": typed by hand, it
# names no file, and the dry run says so as the removal does
@test "rm fifo 'PATH (deleted)' names no FIFO, in a dry run too" {
	mkfifo "$DIR/x"
	hold "$DIR/x" r
	rm "$DIR/x"
	run -0 --separate-stderr "$IPCX" list fifo -r -n -o PATH
	assert_line "$DIR/x\\x20(deleted)"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/x (deleted)" --force --dry-run
	assert_one_error "no such FIFO"
	[ -z "$output" ]
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/x (deleted)" --force
	assert_one_error "no such FIFO"
	# a FIFO really called so is that FIFO, not the held one
	mkfifo "$DIR/x (deleted)"
	run -0 --separate-stderr "$IPCX" rm fifo "$DIR/x (deleted)"
	assert_output "removed fifo $DIR/x (deleted)"
	[ ! -e "$DIR/x (deleted)" ]
}

# A FIFO with two names is two directory entries: each is removed by its
# name, and --all removes both; two spellings of one path are one
@test "rm fifo: hard links are each a name to remove; sub/../f is f" {
	mkdir "$DIR/sub"
	mkfifo "$DIR/f1"
	ln "$DIR/f1" "$DIR/f1hard"
	ln "$DIR/f1" "$DIR/sub/f2"
	assert_equal "$(stat -c %h "$DIR/f1")" 3
	run -0 --separate-stderr "$IPCX" rm fifo "$DIR/f1" "$DIR/sub/../f1" "$DIR/f1hard"
	assert_line --index 0 "removed fifo $DIR/f1"
	assert_line --index 1 "removed fifo $DIR/f1hard"
	assert_equal "${#lines[@]}" 2
	[ ! -e "$DIR/f1" ]
	[ ! -e "$DIR/f1hard" ]
	assert_equal "$(stat -c %h "$DIR/sub/f2")" 1
	ln "$DIR/sub/f2" "$DIR/f3"
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR"
	assert_line "removed fifo $DIR/f3"
	assert_line "removed fifo $DIR/sub/f2"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(find "$DIR" -type p | wc -l)" 0
}

# --path LINK and --path LINK/ search the directory the link leads to
@test "--path DIR given as a symbolic link: the directory it leads to, either way" {
	mkdir "$DIR/real"
	mkfifo "$DIR/real/t"
	ln -s real "$DIR/link"
	for dir in "$DIR/link" "$DIR/link/"; do
		run -0 --separate-stderr "$IPCX" rm fifo --all --path "$dir" --dry-run
		assert_output "would remove fifo $DIR/real/t"
	done
	[ -p "$DIR/real/t" ]
	[ -L "$DIR/link" ]
}

# --name: a path matches whole, from its first "/" (only a POSIX name may
# leave out its slash), and * matches "/" as in find -path
@test "--name matches a FIFO's whole path; * crosses directories" {
	mkdir "$DIR/sub"
	mkfifo "$DIR/p" "$DIR/sub/deep"
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" --name "${DIR#/}/*" -r -n -o PATH
	assert_output ""
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" --name "$DIR/*" -r -n -o PATH
	assert_line --index 0 "$DIR/p"
	assert_line --index 1 "$DIR/sub/deep"
	assert_equal "${#lines[@]}" 2
	run -0 --separate-stderr "$IPCX" rm fifo --all --path "$DIR" --name "${DIR#/}/*" --dry-run
	assert_output ""
	[ -p "$DIR/p" ]
}

@test "a process blocked opening a FIFO holds it: a user, counted as the kernel counts it, and rm refuses" {
	local writer reader
	mkfifo "$DIR/wait-w" "$DIR/wait-r"
	# the shell's redirection opens it before sleep runs: blocked, no reader
	sleep 1000 >"$DIR/wait-w" &
	writer=$!
	stop_also "$writer"
	# and a path relative to the process's directory
	(cd "$DIR" && exec cat wait-r >/dev/null) &
	reader=$!
	stop_also "$reader"
	wait_blocked_open "$writer"
	wait_blocked_open "$reader"
	show_fifo_user "$DIR/wait-w"
	assert_output "0 1 $writer opening it to write: waits for a reader"
	show_fifo_user "$DIR/wait-r"
	assert_output "1 0 $reader opening it to read: waits for a writer"
	# found without --path too, as the FIFOs processes hold open are
	run -0 --separate-stderr "$IPCX" list fifo -r -n -o PATH,PIDS
	assert_line "$DIR/wait-w $writer"
	assert_line "$DIR/wait-r $reader"
	run -1 --separate-stderr "$IPCX" rm fifo "$DIR/wait-w"
	# (the shell that is to run sleep, by its name in /proc)
	assert_equal "$(stderr_but_init)" \
		"ipcx: fifo $DIR/wait-w is in use by $(<"/proc/$writer/comm")[$writer]: not removed (--force removes it anyway)"
	run -0 --separate-stderr "$IPCX" list fifo --orphaned --path "$DIR" -n
	assert_output ""
	[ -p "$DIR/wait-w" ] && [ -p "$DIR/wait-r" ]
}

@test "a FIFO opener's path is resolved as its thread resolves it: in its chroot, from its own directory" {
	require_python
	# valgrind 3.19 knows no openat2(2), which a lookup in another root needs
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "valgrind cannot run openat2(2)"
	local chrooted threaded
	# in a chroot, an absolute symbolic link leads to the chroot's own FIFO
	mkdir -p "$DIR/cr/t"
	mkfifo "$DIR/cr/t/real"
	ln -s /t/real "$DIR/cr/t/link"
	python3 -c 'import os, sys; os.chroot(sys.argv[1]); os.chdir("/"); open("/t/link", "w")' \
		"$DIR/cr" &
	chrooted=$!
	stop_also "$chrooted"
	# a thread with a working directory of its own (unshare(CLONE_FS)) opens "f"
	mkdir "$DIR/own" "$DIR/main"
	mkfifo "$DIR/own/f" "$DIR/main/f"
	(cd "$DIR/main" && exec python3 -c '
import ctypes, os, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
def opener():
    libc.unshare(0x200)
    os.chdir(sys.argv[1])
    open("f", "w")
t = threading.Thread(target=opener)
t.start()
t.join()' "$DIR/own") &
	threaded=$!
	stop_also "$threaded"
	wait_blocked_open "$chrooted"
	local tid
	for ((tid = 0; tid < 200; tid++)); do
		grep -lq wait_for_partner /proc/"$threaded"/task/*/wchan 2>/dev/null && break
		sleep 0.05
	done
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" -r -n -o PATH,WRITERS,PIDS
	assert_line "$DIR/cr/t/real 1 $chrooted"
	assert_line "$DIR/own/f 1 $threaded"
	assert_line "$DIR/main/f 0 "
	run -0 --separate-stderr "$IPCX" list fifo --path "$DIR" --orphaned -r -n -o PATH
	assert_output "$DIR/main/f"
}

# The kernel's record of the files ipcx opens (strace)
@test "a thread blocked in open() of no FIFO (a lease being broken) is not looked up: a hung mount would hang ipcx" {
	require_python
	command -v strace >/dev/null || skip "strace is not installed"
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "strace cannot follow ipcx under valgrind"
	local holder opener i
	: >"$DIR/leased"
	# the holder takes a read lease; the opener's open() for writing then
	# waits in the kernel until the lease is broken (lease-break-time, 45 s)
	python3 -c '
import fcntl, os, signal, subprocess, sys, time
signal.signal(signal.SIGIO, signal.SIG_IGN)
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, 1024, fcntl.F_RDLCK)
opener = subprocess.Popen([sys.executable, "-c", "import sys; open(sys.argv[1], \"w\")", sys.argv[1]])
print(opener.pid, flush=True)
time.sleep(1000)' "$DIR/leased" >"$DIR/opener.pid" &
	holder=$!
	stop_also "$holder"
	for ((i = 0; i < 200; i++)); do
		read -r opener <"$DIR/opener.pid" && [ -n "$opener" ] && break
		sleep 0.05
	done
	stop_also "$opener"
	for ((i = 0; i < 200; i++)); do
		[[ $(<"/proc/$opener/wchan") == __break_lease ]] && break
		sleep 0.05
	done
	# the kernel: blocked in openat, not waiting for a FIFO's other end
	assert_equal "$(<"/proc/$opener/wchan")" __break_lease
	run -0 --separate-stderr traced -f -e trace=openat "$IPCX" list fifo -n
	grep -q '"wchan"' <<<"$stderr" || fail "the opener's wchan was not read: $stderr"
	refute [ -n "$(grep -F leased <<<"$stderr")" ]
}

# --- a directory swapped for a link while rm looks (the security audit's race) -------

# victim_and_decoy: $DIR/etc/passwd, a file to keep, and a FIFO of the same
# name in $DIR/att/d, a directory someone else could swap for a link to $DIR/etc
victim_and_decoy() {
	mkdir -p "$DIR/etc" "$DIR/att/d"
	echo keep >"$DIR/etc/passwd"
	mkfifo "$DIR/att/d/passwd"
}

@test "rm fifo: a directory swapped for a link after it was opened: the FIFO listed goes, not the link's file" {
	victim_and_decoy
	# stopped at its unlinkat(), the FIFO's directory held and checked
	rm_paused_at "-e trace=unlinkat" "inject=unlinkat:signal=SIGSTOP:when=1" fifo "$DIR/att/d/passwd" --force
	mv "$DIR/att/d" "$DIR/att/d2"
	ln -s "$DIR/etc" "$DIR/att/d"
	rm_resume
	assert_equal "$status" 0
	assert_equal "$output" "removed fifo $DIR/att/d/passwd"
	# the kernel's word: the file stays, the FIFO (now in d2) is gone
	assert_equal "$(cat "$DIR/etc/passwd")" keep
	[ ! -e "$DIR/att/d2/passwd" ]
}

@test "rm fifo --orphaned --path: a directory swapped for a link before the removal: nothing removed" {
	victim_and_decoy
	# stopped at its first look at / (-P): the removal's, after the listing
	rm_paused_at "-e trace=openat -P /" "inject=openat:signal=SIGSTOP:when=1" \
		fifo --orphaned --force --path "$DIR/att"
	mv "$DIR/att/d" "$DIR/att/d2"
	ln -s "$DIR/etc" "$DIR/att/d"
	rm_resume
	assert_equal "$status" 1
	assert_equal "$(grep -v 'could not be inspected' <<<"$stderr")" \
		"ipcx: fifo $DIR/att/d/passwd: replaced since it was listed, left as it is"
	assert_equal "$(cat "$DIR/etc/passwd")" keep
	[ -p "$DIR/att/d2/passwd" ]
}


@test "rm and show of a FIFO the caller may not reach say why (as rm(1) does), not that there is none" {
	local open_dir
	open_dir=$(mktemp -d)
	chmod 755 "$open_dir"
	mkdir -m 700 "$open_dir/private"
	mkfifo "$open_dir/private/f"
	# the kernel's answer to nobody, and what rm(1) says
	run ! as_nobody rm -f "$open_dir/private/f"
	assert_output --partial "Permission denied"
	run -1 --separate-stderr as_nobody "$IPCX" rm fifo "$open_dir/private/f"
	assert_one_error "fifo $open_dir/private/f: Permission denied"
	[ -p "$open_dir/private/f" ]
	run -1 --separate-stderr as_nobody "$IPCX" show fifo "$open_dir/private/f"
	assert_one_error "fifo $open_dir/private/f: Permission denied"
	rm -r "$open_dir"
}

@test "rm fifo PATH, where PATH is a kind's name: the FIFO, as create made it" {
	cd "$DIR"
	local word
	for word in shm all posix; do
		run -0 "$IPCX" create fifo "$word"
		[ -p "$DIR/$word" ]
		run -0 --separate-stderr "$IPCX" rm fifo "$word"
		assert_output "removed fifo $DIR/$word"
		[ ! -e "$DIR/$word" ] || fail "$word is still there"
	done
}
