#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx limits: LIMIT is what /proc/sys/kernel holds (read live: in a private
# IPC namespace root may change it), USED what /proc/sysvipc counts.

load common

SYSCTLS=(shmmax shmall shmmni msgmax msgmnb msgmni sem)
RESOURCES="shmmax shmall shmmni semmsl semmns semopm semmni semvmx msgmax msgmnb msgmni"
# the POSIX rows that follow (cli-posix.md; posix.bats checks their values)
POSIX_RESOURCES="mq_queues_max mq_msg_max mq_msgsize_max mq_msg_default mq_msgsize_default devshm_size rlimit_msgqueue"

setup() {
	common_setup
	local name
	for name in "${SYSCTLS[@]}"; do
		eval "SAVED_$name=\$(cat /proc/sys/kernel/$name)"
	done
	SAVED_DONE=1
}

teardown() {
	in_private_ns || return 0
	[ -n "${SAVED_DONE:-}" ] || return 0
	# only ever written inside the private namespace
	local name var
	for name in "${SYSCTLS[@]}"; do
		var=SAVED_$name
		echo "${!var}" >"/proc/sys/kernel/$name"
	done
}

# limit_of RESOURCE: its LIMIT in `ipcx limits -r -n -b` (raw: the
# description has no spaces)
limit_of() {
	"$IPCX" limits -r -n -b | awk -v r="$1" '$1 == r { print $3 }'
}

used_of() {
	"$IPCX" limits -r -n -b | awk -v r="$1" '$1 == r { print $4 }'
}

# The kernel's value of a resource: a sysctl, or a field of kernel.sem
kernel_limit() {
	case $1 in
	semmsl) awk '{ print $1 }' /proc/sys/kernel/sem ;;
	semmns) awk '{ print $2 }' /proc/sys/kernel/sem ;;
	semopm) awk '{ print $3 }' /proc/sys/kernel/sem ;;
	semmni) awk '{ print $4 }' /proc/sys/kernel/sem ;;
	# no sysctl: util-linux prints the kernel's SEMVMX
	semvmx) ipcs -l | sed -n 's/^semaphore max value = //p' ;;
	*) cat "/proc/sys/kernel/$1" ;;
	esac
}

# Bring the huge defaults of shmmax and shmall down to printable numbers
small_shm_limits() {
	echo 268435456 >/proc/sys/kernel/shmmax
	echo 65536 >/proc/sys/kernel/shmall
}

@test "one row per resource, in the spec's order" {
	run -0 --separate-stderr "$IPCX" limits -r
	assert_equal "$stderr" ""
	assert_line --index 0 "RESOURCE DESCRIPTION LIMIT USED USE%"
	run -0 "$IPCX" limits -r -n
	assert_equal "$(awk '{ print $1 }' <<<"$output" | paste -sd' ')" "$RESOURCES $POSIX_RESOURCES"
}

@test "LIMIT equals /proc/sys/kernel/{shm*,msg*} and the fields of kernel.sem" {
	small_shm_limits
	local r
	for r in $RESOURCES; do
		echo "case: $r"
		assert_equal "$(limit_of "$r")" "$(kernel_limit "$r")"
	done
}

@test "LIMIT agrees with ipcs -l" {
	small_shm_limits
	run -0 ipcs -l
	assert_line "max queues system wide = $(limit_of msgmni)"
	assert_line "max size of message (bytes) = $(limit_of msgmax)"
	assert_line "default max size of queue (bytes) = $(limit_of msgmnb)"
	assert_line "max number of segments = $(limit_of shmmni)"
	assert_line "max semaphores per array = $(limit_of semmsl)"
	assert_line "max semaphores system wide = $(limit_of semmns)"
	assert_line "max ops per semop call = $(limit_of semopm)"
	assert_line "max number of arrays = $(limit_of semmni)"
	assert_line "semaphore max value = $(limit_of semvmx)"
}

@test "limits are read live: changed sysctls show at once" {
	echo 100 >/proc/sys/kernel/shmmni
	echo 1234 >/proc/sys/kernel/msgmni
	echo 4000 >/proc/sys/kernel/msgmax
	echo 20000 >/proc/sys/kernel/msgmnb
	printf '%s\t%s\t%s\t%s\n' 250 32000 32 128 >/proc/sys/kernel/sem
	echo 1048576 >/proc/sys/kernel/shmmax
	echo 5000 >/proc/sys/kernel/shmall
	assert_equal "$(limit_of shmmni)" 100
	assert_equal "$(limit_of msgmni)" 1234
	assert_equal "$(limit_of msgmax)" 4000
	assert_equal "$(limit_of msgmnb)" 20000
	assert_equal "$(limit_of semmsl)" 250
	assert_equal "$(limit_of semmns)" 32000
	assert_equal "$(limit_of semopm)" 32
	assert_equal "$(limit_of semmni)" 128
	assert_equal "$(limit_of shmmax)" 1048576
	assert_equal "$(limit_of shmall)" 5000
}

# The kernel takes negative kernel.sem fields and compares them as ints: such
# a limit lets no set be made (ipcmk -S fails), which ipcx shows as 0
@test "negative kernel.sem fields count as 0; the other sem rows stay" {
	printf '%s\t%s\t%s\t%s\n' -1 -1 -1 1 >/proc/sys/kernel/sem
	run ipcmk -S 1
	assert_failure
	assert_equal "$(limit_of semmsl)" 0
	assert_equal "$(limit_of semmns)" 0
	assert_equal "$(limit_of semopm)" 0
	assert_equal "$(limit_of semmni)" 1
	assert_equal "$(limit_of semvmx)" "$(ipcs -l | sed -n 's/^semaphore max value = //p')"
}

@test "USED counts what /proc/sysvipc holds" {
	mk_shm 4096 >/dev/null
	mk_shm 10000 >/dev/null
	mk_shm 1M >/dev/null
	mk_sem 3 >/dev/null
	mk_sem 5 >/dev/null
	mk_msg >/dev/null
	local page pages nsems
	page=$(getconf PAGESIZE)
	pages=$(awk -v p="$page" 'NR > 1 { n += int(($4 + p - 1) / p) } END { print n + 0 }' /proc/sysvipc/shm)
	nsems=$(awk 'NR > 1 { n += $4 } END { print n + 0 }' /proc/sysvipc/sem)
	assert_equal "$(used_of shmmni)" "$(kernel_count shm)"
	assert_equal "$(used_of shmmni)" 3
	assert_equal "$(used_of semmni)" "$(kernel_count sem)"
	assert_equal "$(used_of msgmni)" "$(kernel_count msg)"
	assert_equal "$(used_of semmns)" "$nsems"
	assert_equal "$(used_of semmns)" 8
	assert_equal "$(used_of shmall)" "$pages"
	# ipcs -u counts the same
	run -0 ipcs -u
	assert_line "segments allocated $(used_of shmmni)"
	assert_line "pages allocated $(used_of shmall)"
	assert_line "used arrays = $(used_of semmni)"
	assert_line "allocated semaphores = $(used_of semmns)"
	assert_line "allocated queues = $(used_of msgmni)"
}

# The kernel's record of the files ipcx opens (strace)
@test "limits counts POSIX queues by name: no process is read, no libproc2 loaded" {
	command -v strace >/dev/null || skip "strace is not installed"
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "strace cannot follow ipcx under valgrind"
	"$IPCX" create posix-mq /q1
	"$IPCX" create posix-mq /q2
	run -0 --separate-stderr traced -f -e trace=open,openat "$IPCX" limits -J
	refute [ -n "$(grep -E '"/proc/[0-9]+|libproc2' <<<"$stderr")" ]
	run -0 --separate-stderr "$IPCX" limits -J
	run -0 jq -r '.limits[] | select(.resource == "mq_queues_max") | .used' <<<"$output"
	assert_output "$(ls /dev/mqueue | wc -l)"
	assert_output 2
}

@test "USED is empty for resources that are not counted" {
	mk_shm 4096 >/dev/null
	local r
	for r in shmmax semmsl semopm semvmx msgmax msgmnb; do
		assert_equal "$(used_of "$r")" ""
	done
}

@test "USE% is USED / LIMIT, after a live change of the limit" {
	echo 100 >/proc/sys/kernel/shmmni
	mk_shm 4096 >/dev/null
	mk_shm 4096 >/dev/null
	mk_shm 4096 >/dev/null
	run -0 "$IPCX" limits -J
	run -0 jq -e '.limits[] | select(.resource == "shmmni") |
		.limit == 100 and .used == 3 and .["use%"] == 3' <<<"$output"
	run -0 "$IPCX" limits -r -n
	assert_line --regexp '^shmmni [^ ]+ 100 3 3(\.0+)?%$'
}

@test "huge limits print 'unlimited' in tables, the number in JSON" {
	echo 18446744073692774399 >/proc/sys/kernel/shmmax
	run -0 "$IPCX" limits -r -n
	assert_line --regexp '^shmmax [^ ]+ unlimited '
	run -0 "$IPCX" limits -r -n -b
	assert_line --regexp '^shmmax [^ ]+ unlimited '
	run -0 "$IPCX" limits -J
	# jq reads numbers as doubles: compare the digits in the text
	run -0 bash -c 'tr -d " \n" | grep -o "\"resource\":\"shmmax\",[^}]*"' <<<"$output"
	assert_output --partial "\"limit\":$(cat /proc/sys/kernel/shmmax),"
}

@test "byte limits human-readable, in bytes with -b" {
	echo 8192 >/proc/sys/kernel/msgmax
	echo 16384 >/proc/sys/kernel/msgmnb
	echo 1048576 >/proc/sys/kernel/shmmax
	run -0 "$IPCX" limits -r -n
	assert_line --regexp '^msgmax [^ ]+ 8K '
	assert_line --regexp '^msgmnb [^ ]+ 16K '
	assert_line --regexp '^shmmax [^ ]+ 1M '
	run -0 "$IPCX" limits -r -n -b
	assert_line --regexp '^msgmax [^ ]+ 8192 '
	assert_line --regexp '^msgmnb [^ ]+ 16384 '
	assert_line --regexp '^shmmax [^ ]+ 1048576 '
}

@test "limits -J: {\"limits\":[...]} with numbers, null where nothing is counted" {
	small_shm_limits
	mk_sem 2 >/dev/null
	run -0 --separate-stderr "$IPCX" limits -J
	assert_equal "$stderr" ""
	local json=$output
	run -0 jq -r '[.limits[].resource] | join(" ")' <<<"$json"
	assert_output "$RESOURCES $POSIX_RESOURCES"
	run -0 jq -e 'all(.limits[]; keys_unsorted == ["resource", "description", "limit", "used", "use%"])' <<<"$json"
	run -0 jq -e 'all(.limits[]; (.limit | type == "number") and (.description | type == "string") and
		(.description | length > 0))' <<<"$json"
	run -0 jq -e 'all(.limits[] | select(.resource | IN("shmmax", "semmsl", "semopm", "semvmx", "msgmax", "msgmnb"));
		.used == null and .["use%"] == null)' <<<"$json"
	run -0 jq -e 'all(.limits[] | select(.resource | IN("shmall", "shmmni", "semmns", "semmni", "msgmni"));
		(.used | type == "number") and (.["use%"] | type == "number"))' <<<"$json"
	local r
	for r in shmmni semmsl semmns semopm semmni msgmax msgmnb msgmni shmmax shmall; do
		run -0 jq -e --arg r "$r" --argjson v "$(kernel_limit "$r")" \
			'.limits[] | select(.resource == $r) | .limit == $v' <<<"$json"
	done
	run -0 jq -e --argjson n "$(kernel_count sem)" '.limits[] | select(.resource == "semmni") | .used == $n' <<<"$json"
}

@test "limits -n drops the header" {
	run -0 "$IPCX" limits -n
	refute_line --partial RESOURCE
	assert_equal "${#lines[@]}" "$(wc -w <<<"$RESOURCES $POSIX_RESOURCES")"
}
