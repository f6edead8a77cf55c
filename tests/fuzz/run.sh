#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SECONDS] - build the libFuzzer targets with clang (ASan + UBSan)
# and run each for SECONDS (default 60), starting from the seeds in
# corpus/NAME. Anything found is left in $BUILDDIR/fuzz/crash-* and makes
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
flags=(-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-include "$builddir/config.h" -I"$srcdir/lib" $(pkg-config --cflags --libs libproc2 libmnl)
	-lpthread)

status=0
for t in "${targets[@]}"; do
	"$clang" "${flags[@]}" -o "$out/fuzz-$t" "$srcdir/tests/fuzz/fuzz-$t.c" "${sources[@]}"
	work=$out/corpus-$t
	mkdir -p "$work"
	cp -n "$srcdir/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null || true
	echo "fuzz-$t: ${seconds}s"
	if ! (cd "$out" && "./fuzz-$t" -max_total_time="$seconds" -print_final_stats=1 \
		"$work" >"$out/fuzz-$t.log" 2>&1); then
		echo "fuzz-$t: FOUND A PROBLEM, see $out/fuzz-$t.log and $out/crash-*" >&2
		tail -30 "$out/fuzz-$t.log" >&2
		status=1
	else
		grep -E '^stat::number_of_executed_units' "$out/fuzz-$t.log" | sed "s/^/fuzz-$t: /" || true
	fi
done
exit $status
