#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Churn: while a helper creates and removes objects of every kind as fast as
# it can (hundreds of thousands a second here), list, show and rm --dry-run
# run again and again. They must never crash, never print a row with fields
# from two objects, and exit 0 (show: 1 for an object that went meanwhile,
# with one clear line).
#
# The helper (tests/helpers/ipcx-test-churn.c) makes object number i so that
# each attribute says which object it is: key, name, mode, size, number of
# semaphores, value, queue limits. A row whose attributes disagree mixes two
# objects. The helper also checks that nothing but itself removes its
# objects: it fails when a removal of its own finds the object gone.

load common

IPCX_TEST_CHURN=${IPCX_TEST_CHURN:-$BATS_TEST_DIRNAME/../helpers/ipcx-test-churn}

# How many times each command runs under churn
ROUNDS=25

setup() {
	common_setup
	require_built "$IPCX_TEST_CHURN"
	FIFODIR=$BATS_TEST_TMPDIR/churn
	mkdir -p "$FIFODIR"
}

teardown() {
	if [ -n "${RECYCLERS:-}" ]; then
		kill $RECYCLERS 2>/dev/null || true
	fi
	if [ -n "${CHURN_PID:-}" ]; then
		kill "$CHURN_PID" 2>/dev/null || true
		wait "$CHURN_PID" 2>/dev/null || true
	fi
}

# start_churn [STEPS]: start the helper, as fast as it goes or STEPS steps
# a second; return once it has objects of every kind
start_churn() {
	CHURN_OUT=$BATS_TEST_TMPDIR/churn.out
	: >"$CHURN_OUT"
	"$IPCX_TEST_CHURN" "$FIFODIR" "$@" >"$CHURN_OUT" 2>&1 3>&- &
	CHURN_PID=$!
	until grep -qx ready "$CHURN_OUT"; do
		running "$CHURN_PID" || fail "churn helper failed: $(cat "$CHURN_OUT")"
		sleep 0.02
	done
}

# The helper must still run: it stops at its first failure
churn_alive() {
	running "$CHURN_PID" || fail "the churn helper stopped: $(cat "$CHURN_OUT")"
}

# stop_churn [MIN]: stop the helper. It must have churned at least MIN
# objects (default 10000), and found every object of its own where it left
# it (nothing removed by the commands under test).
stop_churn() {
	local rc=0 churned min=${1:-10000}
	# the premise of the test, not a speed check: the commands ran while
	# objects came and went. So wait for the helper to get that far,
	# however long it takes
	until [ "$(sed -n 's/^progress //p' "$CHURN_OUT" | tail -n 1)" -ge "$min" ] 2>/dev/null; do
		churn_alive
		sleep 0.05
	done
	kill -TERM "$CHURN_PID"
	wait "$CHURN_PID" || rc=$?
	CHURN_PID=
	[ "$rc" = 0 ] || fail "churn helper exited $rc: $(cat "$CHURN_OUT")"
	churned=$(sed -n 's/^churned //p' "$CHURN_OUT")
	[ "${churned:-0}" -ge "$min" ] || fail "the helper churned only ${churned:-0} objects"
	echo "# churned $churned objects" >&3
}

# The columns the check reads, for list and show
COLUMNS=TYPE,KEY,ID,NAME,PATH,PERMS,SIZE,NSEMS,VALUE,MAXMSG,MSGSIZE

# jq: from {"objects": [...]}, each row that is not one whole object of the
# helper's, as JSON (see tests/helpers/ipcx-test-churn.c for the encoding),
# each row whose NPROCS does not count its PIDS, or a line saying that no
# object was listed: nothing when all is well.
# FIFOs outside FIFODIR are not the helper's; sem_open() makes each semaphore
# as a temporary file /dev/shm/sem.XXXXXX (six letters or digits), then links
# it to its name: those are seen too, but carry no number.
WRONG_ROWS='
def hex: ascii_downcase | explode
	| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
def oct: explode | reduce .[] as $c (0; . * 8 + $c - 48);
def serial:
	if .key != null then (.key | ltrimstr("0x") | hex) - 2080374784
	else (.name // .path) | capture("/churn-[a-z]+-(?<i>[0-9]+)$").i
		| tonumber % 1048576 end;
def step($s): 1 + $s % 61;
def wrong($s):
	$s < 0 or $s >= 1048576
	or (.perms | oct) != 384 + $s % 64
	or (.type == "shm" and .size != 4096 * step($s))
	or (.type == "sem" and .nsems != step($s))
	or (.type == "posix-shm" and .size != 0 and .size != 4096 * step($s))
	or (.type == "posix-sem" and .value != $s % 61)
	or (.type == "posix-mq" and (.maxmsg != 1 + $s % 10 or .msgsize != 16 * step($s)));
if (.objects | length) == 0 then "no object listed"
else .objects[]
	| (select(.type != "fifo" or (.path | startswith($dir + "/")))
		| select(.type != "posix-sem" or (.name | test("^/[A-Za-z0-9]{6}$") | not))
		| select((try serial catch -1) as $s | wrong($s))
		| "mixes objects: \(tojson)"),
	(select(.nprocs and .nprocs != (.pids | length)) | "NPROCS is not the number of PIDS: \(tojson)")
end'

# check_rows: the JSON of the last `run` holds at least one object, none of
# its rows mixes two objects, and NPROCS counts PIDS where they are listed
check_rows() {
	local wrong
	wrong=$(jq -r --arg dir "$FIFODIR" "$WRONG_ROWS" <<<"$output") ||
		fail "not JSON: $output"
	[ -z "$wrong" ] || fail "$wrong"
}

# list_under_churn EXTRA: ROUNDS of list --json with COLUMNS and EXTRA
# under churn, each checked by check_rows
list_under_churn() {
	local round
	start_churn
	for ((round = 0; round < ROUNDS; round++)); do
		churn_alive
		run -0 --separate-stderr "$IPCX" list sysv posix fifo --path "$FIFODIR" \
			-J -b -P -o "$COLUMNS$1"
		assert_stderr_empty
		check_rows
	done
	stop_churn
}

@test "list --json under churn: exit 0, every row one whole object" {
	list_under_churn ""
}

@test "list as a table under churn: exit 0, every row one whole object" {
	local round wrong
	start_churn
	for ((round = 0; round < ROUNDS; round++)); do
		churn_alive
		run -0 --separate-stderr "$IPCX" list shm sem -r -n -b -P -o TYPE,KEY,PERMS,SIZE,NSEMS
		assert_equal "$stderr" ""
		[ "${#lines[@]}" -gt 0 ] || fail "nothing listed"
		# raw output: TYPE KEY PERMS SIZE|NSEMS
		wrong=$(awk '
		function hex(s,  n, i) {
			for (i = 3; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		{
			s = hex($2) - 2080374784; step = 1 + s % 61
			perms = sprintf("%o", 384 + s % 64)
			# an empty cell is no field: SIZE for sem, NSEMS for shm
			if (NF != 4 || $3 != perms || ($1 == "shm" && $4 != 4096 * step) ||
			    ($1 == "sem" && $4 != step)) print
		}' <<<"$output")
		[ -z "$wrong" ] || fail "rows mixing objects: $wrong"
	done
	stop_churn
}

@test "list with process columns under churn: exit 0, NPROCS counts PIDS" {
	list_under_churn ,PIDS,NPROCS
}

# A name or id of the kind the helper has now (it may be gone a moment later)
current_object() {
	case $1 in
	shm | sem | msg) awk 'NR > 1 { id = $2 } END { print id }' "/proc/sysvipc/$1" ;;
	posix-shm) find /dev/shm -maxdepth 1 -name 'churn-shm-*' -printf '/%f\n' -quit ;;
	posix-sem) find /dev/shm -maxdepth 1 -name 'sem.churn-sem-*' -printf '%f\n' -quit |
		sed 's|^sem\.|/|' ;;
	posix-mq) find /dev/mqueue -maxdepth 1 -name 'churn-mq-*' -printf '/%f\n' -quit ;;
	fifo) find "$FIFODIR" -maxdepth 1 -name 'churn-fifo-*' -print -quit ;;
	esac
}

@test "show under churn: the whole object, or exit 1 saying it is gone" {
	local round kind object shown=0 gone=0
	# 100 steps a second: the newest object of a kind lives 320 ms, time
	# enough for show to find many of them even built with sanitizers on a
	# slow machine (at 500, 64 ms, one such run found none of 175)
	start_churn 100
	for ((round = 0; round < ROUNDS; round++)); do
		churn_alive
		for kind in shm sem msg posix-shm posix-sem posix-mq fifo; do
			object=$(current_object "$kind")
			[ -n "$object" ] || fail "the helper has no $kind"
			run --separate-stderr "$IPCX" show "$kind" "$object" -J -b -P
			case $status in
			0)
				assert_stderr_empty
				check_rows
				shown=$((shown + 1))
				;;
			1)
				drop_init_line
				assert_one_error "$kind $object: no such"
				gone=$((gone + 1))
				;;
			*) fail "show $kind $object: exit $status: $stderr" ;;
			esac
		done
	done
	stop_churn 1000
	echo "# shown $shown, gone meanwhile $gone" >&3
	[ "$shown" -gt 0 ] || fail "no object could be shown"
}

@test "rm --dry-run under churn: exit 0 or 1 by what it found, nothing removed" {
	local round id wrong fifo_rounds=0
	start_churn
	for ((round = 0; round < ROUNDS; round++)); do
		churn_alive
		run --separate-stderr "$IPCX" rm --dry-run shm sem msg posix-shm posix-sem posix-mq --all
		# the helper maps a semaphore between its sem_open() and sem_close():
		# caught then, it is in use (exit 1), and nothing else may be said
		[ "$status" = 0 ] || [ "$status" = 1 ] || fail "rm --dry-run: exit $status: $stderr"
		wrong=$(stderr_but_init | grep -vE "^ipcx: posix-sem /[^ ]+ is in use by ipcx-test-churn\[$CHURN_PID\]: not removed \(--force removes it anyway\)\$") || true
		[ -z "$wrong" ] || fail "unexpected errors: $wrong"
		[ "$status" = 0 ] || [ -n "$(stderr_but_init)" ] || fail "exit 1 without a word"
		# at any moment the helper has 32 objects of each System V kind (a
		# POSIX file may be gone between readdir and stat: not always one)
		[ "${#lines[@]}" -ge 32 ] || fail "too few objects: $output"
		wrong=$(grep -vE '^would remove ((shm|sem|msg) [0-9]+ \(key 0x7c[0-9a-f]{6}\)|posix-(shm|sem|mq) /churn-(shm|sem|mq)-[0-9]+|posix-sem /[A-Za-z0-9]{6})$' <<<"$output") || true
		[ -z "$wrong" ] || fail "unexpected lines: $wrong"
		run --separate-stderr "$IPCX" rm --dry-run fifo --all --path "$FIFODIR"
		[ "$status" = 0 ] || fail "rm --dry-run fifo: exit $status: $stderr"
		# a FIFO lives a few ms: all 32 may be gone between readdir and
		# lstat when the machine is busy, so some rounds see none
		wrong=$(grep -vE "^would remove fifo $FIFODIR/churn-fifo-[0-9]+\$" <<<"$output") || true
		[ -z "$wrong" ] || fail "unexpected lines: $wrong"
		[ -z "$output" ] || fifo_rounds=$((fifo_rounds + 1))
		id=$(current_object shm)
		run --separate-stderr "$IPCX" rm --dry-run shm "$id"
		case $status in
		0) assert_output --regexp "^would remove shm $id \\(key 0x7c[0-9a-f]{6}\\)\$" ;;
		1)
			drop_init_line
			assert_one_error "shm $id: no such object"
			;;
		*) fail "rm --dry-run shm $id: exit $status: $stderr" ;;
		esac
	done
	# the helper fails when one of its objects is gone before it removes it
	stop_churn
	echo "# FIFOs seen in $fifo_rounds of $ROUNDS rounds" >&3
	[ "$fifo_rounds" -gt 0 ] || fail "rm --dry-run fifo never saw a FIFO"
}

# recycle_inodes: two processes that, again and again, hold a new file
# open beside FIFODIR and delete it; the filesystem hands the inode numbers
# they free to the helper's new FIFOs
recycle_inodes() {
	local w
	for w in 1 2; do
		"$IPCX_TEST_CHURN" --recycle "$BATS_TEST_TMPDIR/recycled-$w" 3>&- &
		RECYCLERS+=" $!"
	done
}

@test "rm --dry-run fifo under churn: a FIFO on a freed inode number is not in use" {
	local round
	# the processes are read before the FIFOs: a descriptor seen on an inode
	# number a new FIFO has taken since must not make that FIFO "in use".
	# (Before that was fixed, 6 runs of this test failed in rounds 2 to 109,
	# half of them by round 18.)
	RECYCLERS=
	recycle_inodes
	start_churn
	local seen=0 wrong
	for ((round = 0; round < 4 * ROUNDS; round++)); do
		run --separate-stderr "$IPCX" rm --dry-run fifo --all --path "$FIFODIR"
		[ "$status" = 0 ] || fail "round $round: exit $status: $stderr"
		wrong=$(grep -vE "^would remove fifo $FIFODIR/churn-fifo-[0-9]+\$" <<<"$output") || true
		[ -z "$wrong" ] || fail "round $round: unexpected lines: $wrong"
		[ -z "$output" ] || seen=$((seen + 1))
	done
	echo "# FIFOs seen in $seen of $((4 * ROUNDS)) rounds" >&3
	[ "$seen" -gt 0 ] || fail "no round saw a FIFO"
	churn_alive
	kill $RECYCLERS
	RECYCLERS=
	stop_churn
}
