#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sysv-list.sh [N...]: time `ipcx list` side by side with its peers and the
# floor (cat of /proc/sysvipc) on N objects of each System V kind, made with
# ipcmk in a private IPC namespace (never the host's). Prints hyperfine's
# table and the ratios ipcx/peer. Default N: 1000.
set -euo pipefail

IPCX=${IPCX:-$(cd "$(dirname "$0")/../.." && pwd)/ipcx}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

if [ "${IPCX_BENCH_INSIDE:-}" != 1 ]; then
	opts=(--ipc --mount --fork)
	[ "$(id -u)" = 0 ] || opts=(-r "${opts[@]}")
	IPCX_BENCH_INSIDE=1 IPCX=$IPCX exec unshare "${opts[@]}" -- bash "$0" "$@"
fi

[ "$(readlink /proc/self/ns/ipc)" != "$(readlink /proc/1/ns/ipc 2>/dev/null)" ] ||
	{ echo "not in a private IPC namespace" >&2; exit 1; }
mount -t tmpfs bench-shm /dev/shm

made=0
for n in "${@:-1000}"; do
	echo "== $n objects of each System V kind ($(uname -r), $(nproc) cores, $(date -u +%F))"
	# raise this namespace's own limits where N needs it
	echo $((n + 16)) >/proc/sys/kernel/shmmni
	echo "32000 $((n * 4 + 64)) 500 $((n + 16))" >/proc/sys/kernel/sem
	echo $((n + 16)) >/proc/sys/kernel/msgmni
	while [ "$made" -lt "$n" ]; do
		ipcmk -M 4096 >/dev/null && ipcmk -S 2 >/dev/null && ipcmk -Q >/dev/null
		made=$((made + 1))
	done
	md=$(mktemp)
	hyperfine -N -w 3 -m 20 --export-markdown "$md" \
		-n 'cat /proc/sysvipc/*' 'cat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg' \
		-n 'ipcx list sysv' "$IPCX list sysv" \
		-n 'ipcx list sysv --raw' "$IPCX list sysv --raw" \
		-n 'ipcx list sysv --json' "$IPCX list sysv --json" \
		-n 'ipcs -a' 'ipcs -a' \
		-n 'ipcx list shm' "$IPCX list shm" \
		-n 'lsipc -m' 'lsipc -m' \
		-n 'ipcx list shm --json' "$IPCX list shm --json" \
		-n 'lsipc -m --json' 'lsipc -m --json' >/dev/null 2>&1
	cat "$md"
	awk -F'|' '/^\| `/ { gsub(/^ *`|` *$/, "", $2); split($3, t, "±"); ms[$2] = t[1] + 0; order[++n] = $2 }
		END {
			printf "\nratios (mean ipcx list sysv / other):\n"
			for (i = 1; i <= n; i++) if (order[i] != "ipcx list sysv")
				printf "  %-24s %.2f\n", order[i], ms["ipcx list sysv"] / ms[order[i]]
		}' "$md"
	rm -f "$md"
done
