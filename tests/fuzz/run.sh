#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SECONDS] - build the libFuzzer targets with clang (ASan + UBSan)
# and run each for SECONDS (default 60), as many at once as there are
# cores, starting from the seeds in corpus/NAME. Anything found is left in $BUILDDIR/fuzz/crash-* and makes
# the script fail; add it to the unit tests as a regression case.
#
# Environment: SRCDIR (source tree), BUILDDIR (for config.h and the
# binaries), CLANG (default clang).
set -euo pipefail

seconds=${1:-60}
srcdir=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${BUILDDIR:-$srcdir}
clang=${CLANG:-clang}
out=$builddir/fuzz
targets=(sysvipc maps procfs input)

if ! command -v "$clang" >/dev/null; then
	echo "run.sh: $clang not found (apt-get install clang)" >&2
	exit 1
fi
mkdir -p "$out"
# The library's sources, as Makefile.am lists them
mapfile -t sources < <(sed -n '/^LIBIPCX_SOURCES/,/^$/p' "$srcdir/Makefile.am" |
	grep -o 'lib/[a-z0-9-]*\.c' | sed "s|^|$srcdir/|")
# shellcheck disable=SC2207 # pkg-config prints words
cflags=(-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-include "$builddir/config.h" -I"$srcdir/lib" $(pkg-config --cflags libproc2 libmnl))
# shellcheck disable=SC2207
libs=($(pkg-config --libs libproc2 libmnl) -lpthread)
jobs=$(nproc 2>/dev/null || echo 1)

# Background jobs, one a core. throttle N: wait until fewer than N run;
# fails if one that ended failed.
running=0
throttle() {
	local rc=0
	while [ "$running" -ge "$1" ]; do
		wait -n || rc=1
		running=$((running - 1))
	done
	return $rc
}

# The library once, one object per source
mkdir -p "$out/lib"
for src in "${sources[@]}"; do
	throttle "$jobs" || exit 1
	"$clang" "${cflags[@]}" -c -o "$out/lib/$(basename "$src" .c).o" "$src" &
	running=$((running + 1))
done
throttle 1 || exit 1
objects=("$out"/lib/*.o)

# fuzz TARGET: build it and run it for the given time; 1 if it found a problem
fuzz() {
	local t=$1 work=$out/corpus-$1
	"$clang" "${cflags[@]}" -o "$out/fuzz-$t" "$srcdir/tests/fuzz/fuzz-$t.c" "${objects[@]}" \
		"${libs[@]}" || return 1
	mkdir -p "$work"
	cp -n "$srcdir/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null || true
	echo "fuzz-$t: ${seconds}s"
	if ! (cd "$out" && "./fuzz-$t" -max_total_time="$seconds" -print_final_stats=1 \
		"$work" >"$out/fuzz-$t.log" 2>&1); then
		echo "fuzz-$t: FOUND A PROBLEM, see $out/fuzz-$t.log and $out/crash-*" >&2
		tail -30 "$out/fuzz-$t.log" >&2
		return 1
	fi
	grep -E '^stat::number_of_executed_units' "$out/fuzz-$t.log" | sed "s/^/fuzz-$t: /" || true
}

# One target a core: each still gets SECONDS of a whole core
status=0
for t in "${targets[@]}"; do
	throttle "$jobs" || status=1
	fuzz "$t" &
	running=$((running + 1))
done
throttle 1 || status=1
exit $status
