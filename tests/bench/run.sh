#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [-n "1000 8000 32000"] [-p "50 500"] [-r RUNS] [--rounds K] [--quick] [--baseline IPCX] [--kinds LIST]
#
# Times ipcx side by side with its peers (ipcs, lsipc, lsfd, lsof, ss) and
# with a floor (cat or ls of what the kernel exports), and prints markdown
# tables of medians, ratios and peak RSS, then whether the targets are met.
#
# For every N (objects of each kind) and P (helper processes) it enters a
# private IPC + mount namespace with its own /dev/shm, /dev/mqueue and FIFO
# directory, where ipcx-bench-gen makes the objects and keeps the helpers:
# nothing is made on the host, and everything dies with the namespace.
#
# hyperfine runs every command of a group before the next one, so each
# group is timed in K rounds (one hyperfine call each): the commands take
# turns and a slow moment of the machine does not land on one of them.
#
# --baseline times another build of ipcx (an older commit, say) in the same
# rounds as this one: its rows end in "(baseline)", and the report gives
# each ipcx row's ratio to it. Two runs of a busy machine differ by more
# than a change does; commands timed side by side do not.
#
# --kinds makes objects of the kinds listed only (comma-separated, as
# ipcx-bench-gen -k takes them), say shm,sem,msg,posix-shm: the set of
# issue 4's target for the process columns.
#
# Env: IPCX (default ./ipcx), BUILDDIR (default .: where
# tests/bench/ipcx-bench-gen is, or is built), CC, BENCH_OUT (keep the raw
# hyperfine JSON there). Missing peers are skipped with a note.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
	sed -n '4p' "$0" | sed 's/^# /usage: /' >&2
	exit 2
}

die() {
	echo "run.sh: $*" >&2
	# inside, the report is all that is left of it
	[ -z "${out:-}" ] || printf '%s\n' "$*" >>"$out/notes"
	exit 1
}

note() {
	printf '%s\n' "$*" >>"$out/notes"
	echo "run.sh: $*" >&2
}

# Inside the namespaces the settings come from the environment instead
parse_args() {
	sizes="1000 8000" procs="50 500" runs=15 rounds=3 warmup=2 baseline= kinds=
	while [ $# -gt 0 ]; do
		case $1 in
		-n) sizes=${2:?}; shift ;;
		-p) procs=${2:?}; shift ;;
		-r) runs=${2:?}; shift ;;
		--rounds) rounds=${2:?}; shift ;;
		--quick) sizes=1000 procs=50 runs=4 rounds=2 warmup=1 ;;
		--baseline) baseline=${2:?}; shift ;;
		--kinds) kinds=${2:?}; shift ;;
		-h | --help) usage ;;
		*) usage ;;
		esac
		shift
	done
	# hyperfine wants at least 2 runs per call
	per_round=$(((runs + rounds - 1) / rounds))
	[ "$per_round" -ge 2 ] || per_round=2
}

# ---- outside: tools, generator, one namespace per N and P ---------------------

# Builds the generator when make did not (run.sh run by hand)
build_gen() {
	gen=$BUILDDIR/tests/bench/ipcx-bench-gen
	[ -x "$gen" ] && [ "$gen" -nt "$here/ipcx-bench-gen.c" ] && return
	mkdir -p "$(dirname "$gen")"
	"${CC:-cc}" -O2 -std=gnu11 -Wall -Wextra -o "$gen" \
		"$here/ipcx-bench-gen.c" -lrt -pthread || die "cannot build $gen"
}

machine() {
	local cpu os
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	# shellcheck source=/dev/null
	os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
	echo "$(date -u '+%F %H:%M UTC'), $(nproc) CPUs (${cpu:-unknown}), Linux $(uname -r), ${os:-unknown OS}"
	echo "ipcx: $("$IPCX" --version 2>&1 | head -1); hyperfine $(hyperfine --version | cut -d' ' -f2)"
	[ -z "$baseline" ] || echo "baseline: $baseline ($("$baseline" --version 2>&1 | head -1))"
	echo "runs: $((per_round * rounds)) per command in $rounds rounds, $warmup warmup per round"
	echo "objects: N of each of ${kinds:-every kind (shm,sem,msg,posix-shm,posix-sem,posix-mq,fifo)}"
}

outside() {
	local n p start fifos
	command -v hyperfine >/dev/null || { echo "run.sh: hyperfine not found: no benchmark (apt-get install hyperfine)"; exit 0; }
	command -v python3 >/dev/null || die "needs python3 for the report"
	[ -x "$IPCX" ] || die "no ipcx at $IPCX (set IPCX=)"
	IPCX=$(cd "$(dirname "$IPCX")" && pwd)/$(basename "$IPCX")
	if [ -n "$baseline" ]; then
		[ -x "$baseline" ] || die "no ipcx at $baseline (--baseline)"
		baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
	fi
	build_gen
	out=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ipcx-bench-out.XXXXXX")}
	mkdir -p "$out"
	# a kept BENCH_OUT of an earlier run must not mix in
	rm -f "$out"/*.json "$out"/rows.tsv "$out"/notes "$out"/hyperfine.log
	machine >"$out/machine"
	# what the generator compares its namespace with, to refuse the host's
	export IPCX_BENCH_HOST_IPC IPCX_BENCH_HOST_SHM
	IPCX_BENCH_HOST_IPC=$(readlink /proc/self/ns/ipc)
	IPCX_BENCH_HOST_SHM=$(stat -c %d /dev/shm)
	opts=(--ipc --mount --fork)
	[ "$(id -u)" = 0 ] || opts=(-r "${opts[@]}")
	start=$SECONDS
	for n in $sizes; do
		for p in $procs; do
			# made here so that it can be removed once the namespace is gone
			fifos=$(mktemp -d "${TMPDIR:-/tmp}/ipcx-bench-fifo.XXXXXX")
			IPCX=$IPCX baseline=$baseline gen=$gen out=$out runs=$per_round kinds=$kinds \
				rounds=$rounds warmup=$warmup \
				unshare "${opts[@]}" -- bash "$0" --inside "$n" "$p" "$fifos" ||
				note "N=$n P=$p: stopped early (exit $?), see the messages above"
			rmdir "$fifos"
		done
	done
	echo "total: $((SECONDS - start)) s" >>"$out/machine"
	python3 "$here/report.py" "$out"
	[ -n "${BENCH_OUT:-}" ] || rm -rf "$out"
}

# ---- inside the private namespace -----------------------------------------------

# Rows of the current group: name, role (floor, ipcx or peer), the peer an
# ipcx row is compared with, and the command, joined by $sep (not a tab:
# read would merge the tabs around an empty field)
rows=()
sep=$'\x1f'

row() {
	rows+=("$1$sep$2$sep$3$sep$4")
}

# An ipcx row: NAME PEER ARGS (of ipcx), and the same for the baseline
ipcx_row() {
	row "$1" ipcx "$2" "$(printf %q "$IPCX") $3"
	[ -z "$baseline" ] || row "$1 (baseline)" baseline '' "$(printf %q "$baseline") $3"
}

mount_private() {
	local fifos=$1
	[ "$(readlink /proc/self/ns/ipc)" != "$IPCX_BENCH_HOST_IPC" ] ||
		die "not in a private IPC namespace"
	# a fresh machine may have no /dev/mqueue yet
	mkdir -p /dev/mqueue
	mount -t tmpfs -o mode=1777,nosuid,nodev ipcx-bench-shm /dev/shm
	mount -t mqueue -o nosuid,nodev,noexec ipcx-bench-mqueue /dev/mqueue
	mount -t tmpfs -o mode=700 ipcx-bench-fifo "$fifos"
}

# Runs a command line once as hyperfine would (split into words, or through
# sh for the shell group), under GNU time when there is one for peak RSS.
# Sets probe_rc, probe_err and probe_rss (KiB, or empty).
probe() {
	local shell=$1 cmd=$2 tm=() words
	probe_rss=
	[ -x /usr/bin/time ] && tm=(/usr/bin/time -f %M -o "$out/time.tmp")
	if [ "$shell" = sh ]; then
		words=(sh -c "$cmd")
	else
		eval "words=($cmd)"
	fi
	probe_rc=0
	"${tm[@]}" "${words[@]}" >/dev/null 2>"$out/err.tmp" || probe_rc=$?
	probe_err=$(sed '/^Command exited/d' "$out/err.tmp" | tail -1)
	[ ${#tm[@]} -eq 0 ] || probe_rss=$(tail -1 "$out/time.tmp")
}

# Probes every row: a missing tool or a failure skips the row with a note.
# Keeps the others in `timed` and notes their peak RSS.
probe_rows() {
	local group=$1 shell=$2 prepare=${3:-} r name role peer cmd tool
	timed=()
	for r in "${rows[@]}"; do
		IFS=$sep read -r name role peer cmd <<<"$r"
		tool=${cmd%% *}
		if ! command -v "$tool" >/dev/null; then
			note "N=$n P=$p: skipped '$name': $tool not installed"
			continue
		fi
		if [ -n "$prepare" ] && ! eval "$prepare" >/dev/null 2>"$out/err.tmp"; then
			note "N=$n P=$p: skipped '$name': its prepare failed: $(tail -1 "$out/err.tmp")"
			continue
		fi
		probe "$shell" "$cmd"
		if [ "$probe_rc" != 0 ]; then
			note "N=$n P=$p: skipped '$name': exit $probe_rc${probe_err:+: $probe_err}"
			continue
		fi
		timed+=("$r")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$p" "$group" "$name" "$role" "$peer" \
			"$probe_rss" >>"$out/rows.tsv"
	done
}

# One hyperfine call per round over the rows that passed the probe
time_rows() {
	local group=$1 shell=$2 prepare=${3:-} k r name role peer cmd args
	[ ${#timed[@]} -gt 0 ] || return 0
	for ((k = 1; k <= rounds; k++)); do
		echo "run.sh: N=$n P=$p $group: round $k/$rounds" >&2
		args=(--style none -w "$warmup" -r "$runs"
			--export-json "$out/$n-$p-$group-$k.json")
		if [ "$shell" = sh ]; then
			args+=(--shell=sh)
		else
			args+=(-N)
		fi
		[ -z "$prepare" ] || args+=(--prepare "$prepare")
		for r in "${timed[@]}"; do
			IFS=$sep read -r name role peer cmd <<<"$r"
			args+=(-n "$name" "$cmd")
		done
		hyperfine "${args[@]}" >>"$out/hyperfine.log" 2>&1 ||
			{ note "N=$n P=$p: hyperfine failed on $group, see $out/hyperfine.log"; return 0; }
	done
}

bench_group() {
	local group=$1 shell=$2 prepare=${3:-}
	probe_rows "$group" "$shell" "$prepare"
	time_rows "$group" "$shell" "$prepare"
	rows=()
}

bench_listing() {
	local kind opt
	row 'cat /proc/sysvipc/*' floor '' 'cat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg'
	ipcx_row 'ipcx list sysv' 'ipcs -a' 'list sysv'
	ipcx_row 'ipcx list sysv --json' 'ipcs -a' 'list sysv --json'
	row 'ipcs -a' peer '' 'ipcs -a'
	bench_group sysv none
	for kind in shm:m sem:s msg:q; do
		opt=${kind#*:} kind=${kind%:*}
		row "cat /proc/sysvipc/$kind" floor '' "cat /proc/sysvipc/$kind"
		ipcx_row "ipcx list $kind" "lsipc -$opt" "list $kind"
		row "lsipc -$opt" peer '' "lsipc -$opt"
		ipcx_row "ipcx list $kind --json" "lsipc -$opt --json" "list $kind --json"
		row "lsipc -$opt --json" peer '' "lsipc -$opt --json"
		bench_group "$kind" none
	done
	row 'ls -l /dev/shm /dev/mqueue' floor '' 'ls -l /dev/shm /dev/mqueue'
	ipcx_row 'ipcx list posix' '' 'list posix'
	bench_group posix none
}

# Through sh for all, as the floor needs its glob: hyperfine subtracts the
# shell's own start-up. Unreadable /proc entries (other users' processes)
# are no failure of the floor.
bench_procs() {
	row 'cat /proc/*/maps' floor '' 'cat /proc/[0-9]*/maps 2>/dev/null || :'
	ipcx_row 'ipcx list -o +PIDS' lsfd 'list -o +PIDS'
	# the same listing without processes: the difference is what finding
	# the processes costs (the report's "resolution" row)
	ipcx_row 'ipcx list' '' list
	row lsfd peer '' lsfd
	row 'lsof -n' peer '' 'lsof -n'
	row 'ss -xa' peer '' 'ss -xa'
	bench_group procs sh
}

# In an IPC namespace of its own, where --prepare makes N unattached
# segments before every run: the helpers' segments are not in the way, and
# each run removes exactly N.
bench_rm() {
	local force= prep
	prep="$(printf %q "$gen") -n $n --only shm"
	# ipcx rm may come to refuse segments in use without --force
	if ! unshare --ipc -- bash -c "$prep && $(printf %q "$IPCX") rm --all shm >/dev/null 2>&1 &&
		[ \$(wc -l </proc/sysvipc/shm) = 1 ]"; then
		note "N=$n P=$p: 'ipcx rm --all shm' failed, timing it with --force"
		force='--force '
	fi
	ipcx_row 'ipcx rm --all shm' 'ipcrm --all=shm' "${force}rm --all shm"
	row 'ipcrm --all=shm' peer '' 'ipcrm --all=shm'
	unshare --ipc -- bash "$0" --inside-rm "$n" "$p" "$prep" "${rows[@]}"
	rows=()
}

inside_rm() {
	n=$1 p=$2
	local prep=$3
	shift 3
	rows=("$@")
	bench_group rm none "$prep"
}

start_gen() {
	local fifos=$1 line=
	coproc GEN { exec "$gen" -n "$n" -p "$p" -d "$fifos" ${kinds:+-k "$kinds"} 2>"$out/gen.err"; }
	read -r -t 900 line <&"${GEN[0]}" || true
	[ "$line" = ready ] ||
		die "N=$n P=$p: the generator did not get ready: $(tail -1 "$out/gen.err")"
}

# EOF on its stdin: the generator kills its helpers and exits
stop_gen() {
	local fd=${GEN[1]}
	exec {fd}>&-
	wait "$GEN_PID" || true
}

inside() {
	n=$1 p=$2
	mount_private "$3"
	start_gen "$3"
	echo "run.sh: N=$n P=$p: objects made, helpers ready" >&2
	bench_listing
	bench_procs
	bench_rm
	stop_gen
}

case ${1:-} in
--inside) shift; inside "$@" ;;
--inside-rm) shift; inside_rm "$@" ;;
*)
	IPCX=${IPCX:-./ipcx}
	BUILDDIR=${BUILDDIR:-.}
	parse_args "$@"
	outside
	;;
esac
