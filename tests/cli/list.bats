#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx list: objects made with util-linux's ipcmk are listed exactly as the
# kernel (/proc/sysvipc) and ipcs show them.

load common

setup() {
	common_setup
}

teardown() {
	detach_all
}

# A few objects of every kind, with different sizes and modes
make_objects() {
	SHM1=$(mk_shm 8192 0600)
	SHM2=$(mk_shm 1M 0644)
	SHM3=$(mk_shm 100 0640)
	SEM1=$(mk_sem 3 0640)
	SEM2=$(mk_sem 1 0666)
	MSG1=$(mk_msg 0666)
	MSG2=$(mk_msg 0600)
	assert_equal "$(kernel_count shm)" 3
	assert_equal "$(kernel_count sem)" 2
	assert_equal "$(kernel_count msg)" 2
}

# raw_header ARGS...: HEADER is the heading of `ipcx list -r ARGS` (columns
# separated by one space), which must succeed with nothing on stderr. Not
# called in $(...), where bats would not see its assertions fail.
raw_header() {
	run -0 --separate-stderr "$IPCX" list -r "$@"
	assert_stderr_empty
	HEADER=${lines[0]}
}

# The default columns for the System V kinds (cli.md as amended by cli-posix.md)
SYSV_COLUMNS="TYPE KEY ID OWNER PERMS SIZE NATTCH NSEMS MESSAGES STATUS CTIME"
# without a kind: System V and POSIX; all: also fifo, pipe, mmap and unix
# (cli-procs: pipe adds INODE and COMMAND, mmap COMMAND and MAPPED, unix
# INODE, COMMAND, SOCKTYPE, STATE and PEER)
DEFAULT_COLUMNS="TYPE KEY ID NAME OWNER PERMS SIZE NATTCH NSEMS VALUE MESSAGES STATUS CTIME"
ALL_COLUMNS="TYPE KEY ID NAME PATH OWNER PERMS SIZE NATTCH NSEMS VALUE MESSAGES READERS WRITERS STATUS CTIME INODE COMMAND MAPPED SOCKTYPE STATE PEER"

# --- an empty namespace ------------------------------------------------------------

@test "an empty namespace lists nothing" {
	run -0 --separate-stderr "$IPCX" list -n
	assert_output ""
	assert_equal "$stderr" ""
	run -0 "$IPCX" list -n sysv
	assert_output ""
	run -0 "$IPCX" list -J
	run -0 jq -e '.objects | length == 0' <<<"$output"
	run -0 "$IPCX" list
	# nothing but a header, if anything
	[ "${#lines[@]}" -le 1 ]
	refute_output --partial "0x"
}

# --- exact values, against /proc/sysvipc -------------------------------------------

@test "shm segments made with ipcmk: keys, ids, owner ids, perms, sizes, nattch, pids" {
	make_objects
	run -0 --separate-stderr ipcx_rows shm
	assert_equal "$stderr" ""
	assert_output "$(kernel_rows shm)"
	assert_equal "${#lines[@]}" 3
	# the sizes asked of ipcmk
	assert_line --regexp "^shm 0x[0-9a-f]{8} $SHM1 0 0 0 0 600 8192 0 [0-9]+ 0\$"
	assert_line --regexp "^shm 0x[0-9a-f]{8} $SHM2 0 0 0 0 644 1048576 0 [0-9]+ 0\$"
	assert_line --regexp "^shm 0x[0-9a-f]{8} $SHM3 0 0 0 0 640 100 0 [0-9]+ 0\$"
}

@test "semaphore sets made with ipcmk: keys, ids, owner ids, perms, nsems" {
	make_objects
	run -0 --separate-stderr ipcx_rows sem
	assert_equal "$stderr" ""
	assert_output "$(kernel_rows sem)"
	assert_line "sem $(kernel_key sem "$SEM1") $SEM1 0 0 0 0 640 3"
	assert_line "sem $(kernel_key sem "$SEM2") $SEM2 0 0 0 0 666 1"
}

@test "message queues made with ipcmk: keys, ids, owner ids, perms, bytes, messages, pids" {
	make_objects
	run -0 --separate-stderr ipcx_rows msg
	assert_equal "$stderr" ""
	assert_output "$(kernel_rows msg)"
	assert_line "msg $(kernel_key msg "$MSG1") $MSG1 0 0 0 0 666 0 0 0 0"
	assert_line "msg $(kernel_key msg "$MSG2") $MSG2 0 0 0 0 600 0 0 0 0"
}

@test "every kind at once, in kind order shm, sem, msg" {
	make_objects
	local expected
	expected=$(kernel_rows shm | cut -d' ' -f1-8; kernel_rows sem | cut -d' ' -f1-8; kernel_rows msg | cut -d' ' -f1-8)
	run -0 "$IPCX" list -r -n -b -P -o TYPE,KEY,ID,UID,GID,CUID,CGID,PERMS
	assert_output "$expected"
	local word
	for word in sysv all "shm sem msg" "msg shm sem"; do
		# shellcheck disable=SC2086
		# (stderr apart: 'all' includes the kinds found in processes, which
		# may report processes it could not inspect)
		run -0 --separate-stderr "$IPCX" list $word -r -n -b -P -o TYPE,KEY,ID,UID,GID,CUID,CGID,PERMS
		# FIFOs, pipes, mappings and sockets are not IPC-namespace objects:
		# 'all' also shows those of any process on the host. Compare the
		# System V rows, still first and in kind order.
		assert_equal "$(grep -E '^(shm|sem|msg) ' <<<"$output")" "$expected"
		assert_equal "$(head -n 7 <<<"$output")" "$expected"
	done
}

@test "ids ascending within a kind, whatever the kernel's slot order" {
	local a b c
	a=$(mk_shm 4096)
	b=$(mk_shm 4096)
	ipcrm -m "$a"
	# reuses a's slot with a higher sequence number: first in /proc, highest id
	c=$(mk_shm 4096)
	[ "$c" -gt "$b" ]
	run -0 "$IPCX" list shm -r -n -o ID
	assert_output "$(printf '%s\n' "$b" "$c")"
	assert_output "$(kernel_ids shm)"
}

@test "OWNER, PERMS, SIZE, NATTCH agree with ipcs" {
	make_objects
	run -0 "$IPCX" list shm -r -n -b -P -o KEY,ID,OWNER,PERMS,SIZE,NATTCH
	assert_output "$(ipcs_rows shm | awk '{ print $1, $2, $3, $4, $5, $6 }')"
	run -0 "$IPCX" list sem -r -n -P -o KEY,ID,OWNER,PERMS,NSEMS
	assert_output "$(ipcs_rows sem | awk '{ print $1, $2, $3, $4, $5 }')"
	run -0 "$IPCX" list msg -r -n -b -P -o KEY,ID,OWNER,PERMS,SIZE,MESSAGES
	assert_output "$(ipcs_rows msg | awk '{ print $1, $2, $3, $4, $5, $6 }')"
}

@test "GROUP, CUSER, CGROUP are the names of the ids in /proc" {
	make_objects
	local kind id
	for kind in shm sem msg; do
		for id in $(kernel_ids "$kind"); do
			run -0 "$IPCX" list "$kind" --id "$id" -r -n -o OWNER,GROUP,CUSER,CGROUP
			assert_output "$(user_name "$(proc_field "$kind" "$id" uid)") $(group_name "$(proc_field "$kind" "$id" gid)") $(user_name "$(proc_field "$kind" "$id" cuid)") $(group_name "$(proc_field "$kind" "$id" cgid)")"
		done
	done
}

@test "counts per kind agree with ipcs and /proc" {
	make_objects
	local kind
	for kind in shm sem msg; do
		run -0 "$IPCX" list "$kind" -n
		assert_equal "${#lines[@]}" "$(ipcs_count "$kind")"
		assert_equal "${#lines[@]}" "$(kernel_count "$kind")"
	done
	run -0 "$IPCX" list -n
	assert_equal "${#lines[@]}" $(( $(ipcs_count shm) + $(ipcs_count sem) + $(ipcs_count msg) ))
	run -0 "$IPCX" list sysv -n
	assert_equal "${#lines[@]}" 7
	run -0 "$IPCX" list shm msg -n
	assert_equal "${#lines[@]}" 5
}

@test "objects another user made are listed with their owner" {
	require_nobody
	make_objects
	as_nobody ipcmk -M 4096 -p 0600 >/dev/null
	as_nobody ipcmk -Q -p 0600 >/dev/null
	run -0 "$IPCX" list -n
	assert_equal "${#lines[@]}" 9
	run -0 "$IPCX" list shm -r -n -b -P -o KEY,ID,OWNER,PERMS,SIZE,NATTCH
	assert_output "$(ipcs_rows shm | awk '{ print $1, $2, $3, $4, $5, $6 }')"
	assert_line --regexp " nobody 600 4096 0\$"
	run -0 ipcx_rows msg
	assert_output "$(kernel_rows msg)"
}

# --- columns -----------------------------------------------------------------------

@test "default columns: the spec's, minus those no listed kind has" {
	make_objects
	raw_header
	assert_equal "$HEADER" "$DEFAULT_COLUMNS"
	raw_header sysv
	assert_equal "$HEADER" "$SYSV_COLUMNS"
	raw_header shm sem msg
	assert_equal "$HEADER" "$SYSV_COLUMNS"
	raw_header all
	assert_equal "$HEADER" "$ALL_COLUMNS"
	raw_header shm
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME"
	raw_header sem
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS NSEMS CTIME"
	raw_header msg
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS SIZE MESSAGES CTIME"
	raw_header shm msg
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS SIZE NATTCH MESSAGES STATUS CTIME"
	raw_header sem msg
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS SIZE NSEMS MESSAGES CTIME"
}

@test "-o picks columns in the given order, names case-insensitive" {
	make_objects
	run -0 "$IPCX" list -r -o id,Key,TYPE shm
	assert_line --index 0 "ID KEY TYPE"
	local id
	for id in $(kernel_ids shm); do
		assert_line "$id $(kernel_key shm "$id") shm"
	done
	run -0 "$IPCX" list -r -n --output=NSEMS sem
	assert_output "$(printf '%s\n' 3 1)"
}

@test "-o +LIST appends to the default columns" {
	make_objects
	raw_header -o +CPID,uid shm
	assert_equal "$HEADER" "TYPE KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID UID"
	run -0 "$IPCX" list shm -r -n -o +CPID --id "$SHM1"
	assert_output --regexp " $(proc_field shm "$SHM1" cpid)\$"
}

@test "--output-all prints every column" {
	make_objects
	local header col
	raw_header --output-all
	header=" $HEADER "
	for col in TYPE KEY ID OWNER GROUP UID GID CUSER CGROUP CUID CGID PERMS SIZE NATTCH \
		STATUS NSEMS MESSAGES QBYTES CPID LPID LSPID LRPID ATIME DTIME STIME RTIME OTIME \
		CTIME RSS SWAP; do
		[[ "$header" == *" $col "* ]] || fail "no column $col in '$header'"
	done
	run -0 --separate-stderr "$IPCX" list --output-all -n
	assert_stderr_empty
	assert_equal "${#lines[@]}" 7
}

@test "-H lists the columns with a description and their kinds" {
	run -0 --separate-stderr "$IPCX" list -H
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^NAME +DESCRIPTION +KINDS$'
	local col
	for col in TYPE KEY ID OWNER GROUP UID GID CUSER CGROUP CUID CGID PERMS SIZE NATTCH \
		STATUS NSEMS MESSAGES QBYTES CPID LPID LSPID LRPID ATIME DTIME STIME RTIME OTIME \
		CTIME RSS SWAP; do
		assert_line --regexp "^$col +[^ ].* [a-z,-]+\$"
	done
	assert_line --regexp '^NSEMS .* sem$'
	assert_line --regexp '^QBYTES .* msg$'
	assert_line --regexp '^NATTCH .* shm$'
}

# What each kind has, as the kernel keeps it: shmid_ds has shm_nattch and no
# sem_nsems, semid_ds sem_nsems, msqid_ds msg_qnum; only the ipc_perm fields
# (and ours of every kind) are shared
@test "-H with kinds lists their columns only: those --output-all prints for them" {
	run -0 --separate-stderr "$IPCX" list -H -n shm
	assert_line --regexp '^NATTCH '
	assert_line --regexp '^CUID '
	refute_line --regexp '^(NSEMS|MESSAGES|QBYTES|READERS|INODE) '
	local shm_columns=$output
	run -0 --separate-stderr "$IPCX" list -H -n sem msg
	assert_line --regexp '^NSEMS '
	assert_line --regexp '^MESSAGES '
	refute_line --regexp '^(NATTCH|RSS|READERS) '
	run -0 "$IPCX" list -H -n fifo
	assert_line --regexp '^READERS '
	refute_line --regexp '^(KEY|ID|CUID|NATTCH) '
	# each of shm's columns, and nothing else, is a heading of list shm --output-all
	make_objects
	run -0 "$IPCX" list shm --output-all
	assert_equal "$(printf '%s\n' ${lines[0]})" "$(cut -d' ' -f1 <<<"$shm_columns")"
	# without a kind, all of them: every kind's columns together
	run -0 "$IPCX" list -H -n
	local all=$output
	run -0 "$IPCX" list -H -n shm sem msg posix-shm posix-sem posix-mq fifo pipe mmap unix
	assert_equal "$output" "$all"
}

# --- output formats ----------------------------------------------------------------

@test "-n drops the header, -r separates columns by one space" {
	make_objects
	run -0 "$IPCX" list shm
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --regexp '^TYPE +KEY +ID '
	run -0 "$IPCX" list shm -n
	assert_equal "${#lines[@]}" 3
	refute_line --partial "TYPE"
	run -0 "$IPCX" list shm -r -n -b -P -o TYPE,KEY,ID,PERMS,SIZE
	local id
	for id in $(kernel_ids shm); do
		assert_line "shm $(kernel_key shm "$id") $id $(kernel_perms shm "$id") $(proc_field shm "$id" size)"
	done
}

@test "sizes human-readable by default, in bytes with -b" {
	make_objects
	run -0 "$IPCX" list shm -r -n -o ID,SIZE
	assert_line "$SHM1 8K"
	assert_line "$SHM2 1M"
	run -0 "$IPCX" list shm -r -n -b -o ID,SIZE
	assert_line "$SHM1 8192"
	assert_line "$SHM2 1048576"
	assert_line "$SHM3 100"
}

@test "PERMS as rwx by default, octal with -P" {
	make_objects
	local kind id
	for kind in shm sem msg; do
		for id in $(kernel_ids "$kind"); do
			run -0 "$IPCX" list "$kind" --id "$id" -r -n -o PERMS
			assert_output "$(perms_string "$(kernel_perms "$kind" "$id")")"
			run -0 "$IPCX" list "$kind" --id "$id" -r -n -P -o PERMS
			assert_output "$(kernel_perms "$kind" "$id")"
		done
	done
}

@test "-J: valid JSON, key a 0x%08x string, numbers as numbers, n/a columns null" {
	make_objects
	run -0 --separate-stderr "$IPCX" list -J
	assert_equal "$stderr" ""
	local json=$output
	jq -e . >/dev/null <<<"$json" || fail "not JSON: $json"
	run -0 jq -r '.objects[0] | keys_unsorted | join(" ")' <<<"$json"
	assert_output "$(tr 'A-Z' 'a-z' <<<"$DEFAULT_COLUMNS")"
	run -0 jq -e 'all(.objects[]; .name == null and .value == null)' <<<"$json"
	run -0 "$IPCX" list sysv -J
	run -0 jq -r '.objects[0] | keys_unsorted | join(" ")' <<<"$output"
	assert_output "$(tr 'A-Z' 'a-z' <<<"$SYSV_COLUMNS")"
	run -0 jq -e '.objects | length == 7' <<<"$json"
	run -0 jq -e 'all(.objects[];
		(.key | type == "string" and test("^0x[0-9a-f]{8}$")) and
		(.id | type == "number") and (.perms | type == "string") and
		(.owner | type == "string") and (.ctime | type == "string"))' <<<"$json"
	run -0 jq -e 'all(.objects[] | select(.type == "shm");
		(.size | type == "number") and (.nattch | type == "number") and
		.nsems == null and .messages == null)' <<<"$json"
	run -0 jq -e 'all(.objects[] | select(.type == "sem");
		(.nsems | type == "number") and .size == null and .nattch == null and
		.messages == null and .status == null)' <<<"$json"
	run -0 jq -e 'all(.objects[] | select(.type == "msg");
		(.size | type == "number") and (.messages | type == "number") and
		.nsems == null and .nattch == null and .status == null)' <<<"$json"
}

@test "-J values equal /proc/sysvipc, sizes in bytes" {
	make_objects
	local kind
	for kind in shm sem msg; do
		local cols=KERNEL_COLUMNS_$kind
		run -0 "$IPCX" list "$kind" -J -o "${!cols}"
		run -0 jq -r '.objects[] | [.[]] | map(tostring) | join(" ")' <<<"$output"
		# PERMS is a string of rwx in JSON
		local expected
		expected=$(kernel_rows "$kind" | while read -r -a f; do
			f[7]=$(perms_string "${f[7]}")
			echo "${f[*]}"
		done)
		assert_output "$expected"
	done
}

@test "-J --output-all: columns that do not apply are null, times never set null" {
	make_objects
	# (the process columns of --output-all may report PID 1 on stderr)
	run -0 --separate-stderr "$IPCX" list -J --output-all
	assert_stderr_empty
	local json=$output
	run -0 jq -e 'all(.objects[] | select(.type == "shm");
		.nsems == null and .qbytes == null and .lspid == null and .otime == null and
		.stime == null and .atime == null and .dtime == null and
		(.rss | type == "number") and (.swap | type == "number") and
		(.cpid | type == "number") and (.lpid | type == "number"))' <<<"$json"
	run -0 jq -e 'all(.objects[] | select(.type == "sem");
		.size == null and .nattch == null and .cpid == null and .rss == null and
		.qbytes == null and .otime == null and (.uid | type == "number"))' <<<"$json"
	run -0 jq -e 'all(.objects[] | select(.type == "msg");
		.nsems == null and .nattch == null and .rss == null and
		.stime == null and .rtime == null and
		(.qbytes | type == "number") and (.lspid | type == "number"))' <<<"$json"
}

@test "-J --key filter with no match gives an empty array" {
	make_objects
	run -0 "$IPCX" list -J --key "$(unused_key)"
	run -0 jq -e '.objects == []' <<<"$output"
}

# --- times ---------------------------------------------------------------------------

@test "--time-format iso: CTIME is /proc's ctime in ISO 8601" {
	make_objects
	local kind id
	for kind in shm sem msg; do
		for id in $(kernel_ids "$kind"); do
			run -0 "$IPCX" list "$kind" --id "$id" -n -r -o CTIME --time-format iso
			assert_output "$(iso_time "$(proc_field "$kind" "$id" ctime)")"
			run -0 "$IPCX" list "$kind" --id "$id" -J -o CTIME
			assert_output --partial "\"ctime\": \"$(iso_time "$(proc_field "$kind" "$id" ctime)")\""
		done
	done
}

@test "--time-format full: CTIME as ipcs -i prints it" {
	make_objects
	local kind id opt expected
	for kind in shm sem msg; do
		case $kind in shm) opt=-m ;; sem) opt=-s ;; msg) opt=-q ;; esac
		for id in $(kernel_ids "$kind"); do
			if [ "$kind" = sem ]; then
				expected=$(ipcs_detail sem "$id" ctime)
			else
				expected=$(ipcs_detail "$kind" "$id" change_time)
			fi
			[ -n "$expected" ] || fail "no change time in ipcs $opt -i $id"
			run -0 "$IPCX" list "$kind" --id "$id" -n -o CTIME --time-format full
			assert_equal "$(sed 's/ *$//' <<<"$output")" "$expected"
		done
	done
}

@test "--time-format short (the default): HH:MM for an object changed today" {
	make_objects
	local ct today_before today_after
	today_before=$(date -u +%F)
	run -0 "$IPCX" list shm --id "$SHM1" -n -r -o CTIME
	local short=$output
	run -0 "$IPCX" list shm --id "$SHM1" -n -r -o CTIME --time-format short
	local explicit=$output
	today_after=$(date -u +%F)
	ct=$(proc_field shm "$SHM1" ctime)
	if [ "$today_before" != "$today_after" ] || [ "$(date -u -d "@$ct" +%F)" != "$today_before" ]; then
		skip "the day changed while testing"
	fi
	assert_equal "$short" "$(date -u -d "@$ct" +%H:%M)"
	assert_equal "$explicit" "$short"
}

@test "times never set are empty in tables and null in JSON" {
	make_objects
	run -0 "$IPCX" list shm --id "$SHM1" -n -r -o ID,ATIME,DTIME
	assert_output "$SHM1  "
	run -0 "$IPCX" list sem --id "$SEM1" -n -r -o ID,OTIME
	assert_output "$SEM1 "
	run -0 "$IPCX" list msg --id "$MSG1" -n -r -o ID,STIME,RTIME
	assert_output "$MSG1  "
	run -0 "$IPCX" list -J -o ATIME,DTIME,OTIME,STIME,RTIME
	run -0 jq -e 'all(.objects[]; .atime == null and .dtime == null and
		.otime == null and .stime == null and .rtime == null)' <<<"$output"
}

# --- filters -------------------------------------------------------------------------

@test "--key: only the object with that key; repeated --key is OR" {
	make_objects
	local k1 k2
	k1=$(kernel_key shm "$SHM2")
	k2=$(kernel_key sem "$SEM1")
	run -0 "$IPCX" list --key "$k1" -r -n -o TYPE,ID,KEY
	assert_output "shm $SHM2 $k1"
	# the same key in decimal
	run -0 "$IPCX" list --key "$(( k1 ))" -r -n -o TYPE,ID,KEY
	assert_output "shm $SHM2 $k1"
	run -0 "$IPCX" list --key "$k1" --key "$k2" -r -n -o TYPE,ID,KEY
	assert_output "$(printf '%s\n' "shm $SHM2 $k1" "sem $SEM1 $k2")"
	# with a kind that does not hold the key: nothing
	run -0 "$IPCX" list msg --key "$k1" -n
	assert_output ""
	run -0 "$IPCX" list --key "$(unused_key)" -n
	assert_output ""
}

@test "--id: the objects of every kind with that id; repeated --id is OR" {
	make_objects
	local expected kind
	expected=$(for kind in shm sem msg; do
		if [ -n "$(proc_field "$kind" "$SHM1" key)" ]; then
			echo "$kind $SHM1 $(kernel_key "$kind" "$SHM1")"
		fi
	done)
	run -0 "$IPCX" list --id "$SHM1" -r -n -o TYPE,ID,KEY
	assert_output "$expected"
	run -0 "$IPCX" list shm --id "$SHM1" --id "$SHM3" -r -n -o ID
	assert_output "$(printf '%s\n' "$SHM1" "$SHM3")"
	run -0 "$IPCX" list shm --id "$(unused_id shm)" -n
	assert_output ""
}

# as rm removes them, and as ipcrm -M KEY -m ID does: the objects named by
# either; the other filters still must all pass
@test "--key and --id together: the objects either names, as rm takes them" {
	make_objects
	local k1 expected kind
	k1=$(kernel_key shm "$SHM1")
	run -0 "$IPCX" list shm --key "$k1" --id "$SHM1" -r -n -o TYPE,ID
	assert_output "shm $SHM1"
	expected=$(for kind in shm sem msg; do
		proc_field "$kind" "$SHM2" key | grep -q . && echo "$kind $SHM2"
		[ "$kind" != shm ] || echo "$kind $SHM1"
	done | sort -u)
	run -0 "$IPCX" list --key "$k1" --id "$SHM2" -r -n -o TYPE,ID
	assert_equal "$(sort -u <<<"$output")" "$expected"
	run -0 "$IPCX" rm --key "$k1" shm "$SHM2" --dry-run
	assert_equal "${#lines[@]}" 2
	# a filter still applies to both
	run -0 "$IPCX" list shm --key "$k1" --id "$SHM2" --owner "$(id -u)" -r -n -o ID
	assert_equal "$(sort -n <<<"$output")" "$(printf '%s\n' "$SHM1" "$SHM2" | sort -n)"
	run -0 "$IPCX" list shm --key "$k1" --id "$SHM2" --owner "$NOBODY_UID" -n
	assert_output ""
}

@test "--owner by name and by uid" {
	require_nobody
	make_objects
	local nid
	nid=$(as_nobody ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
	assert_equal "$(proc_field shm "$nid" uid)" "$NOBODY_UID"
	run -0 "$IPCX" list --owner nobody -r -n -o TYPE,ID,UID
	assert_output "shm $nid $NOBODY_UID"
	run -0 "$IPCX" list --owner "$NOBODY_UID" -r -n -o TYPE,ID,UID
	assert_output "shm $nid $NOBODY_UID"
	run -0 "$IPCX" list --owner root -n
	assert_equal "${#lines[@]}" 7
	run -0 "$IPCX" list shm --owner 0 -n
	assert_equal "${#lines[@]}" 3
}

@test "a kind word lists only that kind" {
	make_objects
	local kind
	for kind in shm sem msg; do
		run -0 "$IPCX" list "$kind" -r -n -o TYPE,ID
		assert_output "$(kernel_ids "$kind" | sed "s/^/$kind /")"
	done
}

# --- kind-specific columns -------------------------------------------------------------

@test "RSS and SWAP equal /proc's" {
	make_objects
	run -0 "$IPCX" list shm -r -n -b -o ID,RSS,SWAP
	local id
	for id in $(kernel_ids shm); do
		assert_line "$id $(proc_field shm "$id" rss) $(proc_field shm "$id" swap)"
	done
}

@test "RSS after pages of a segment were written" {
	make_objects
	touch_shm "$SHM2" 65536
	local rss
	rss=$(proc_field shm "$SHM2" rss)
	[ "$rss" -ge 65536 ] || fail "the kernel counts $rss resident bytes after writing 64K"
	run -0 "$IPCX" list shm --id "$SHM2" -r -n -b -o RSS,SWAP
	assert_output "$rss $(proc_field shm "$SHM2" swap)"
	run -0 "$IPCX" list shm --id "$SHM2" -J -o RSS
	run -0 jq -e ".objects[0].rss == $rss" <<<"$output"
}

@test "msg QBYTES equals ipcs -q -i, and follows kernel.msgmnb for new queues" {
	make_objects
	run -0 "$IPCX" list msg --id "$MSG1" -r -n -b -o QBYTES
	assert_output "$(ipcs_detail msg "$MSG1" qbytes)"
	assert_output "$(cat /proc/sys/kernel/msgmnb)"
	local saved q
	saved=$(cat /proc/sys/kernel/msgmnb)
	echo 32768 >/proc/sys/kernel/msgmnb
	q=$(mk_msg)
	echo "$saved" >/proc/sys/kernel/msgmnb
	run -0 "$IPCX" list msg --id "$q" -r -n -b -o QBYTES
	assert_output "$(ipcs_detail msg "$q" qbytes)"
	assert_output 32768
}

@test "msg MESSAGES, SIZE, LSPID and STIME after sending messages" {
	make_objects
	run -0 "$IPCX" list msg --id "$MSG1" -r -n -b -o MESSAGES,SIZE
	assert_output "0 0"
	send_msg "$MSG1" 100
	send_msg "$MSG1" 250
	send_msg "$MSG1" 50
	assert_equal "$(proc_field msg "$MSG1" qnum)" 3
	assert_equal "$(proc_field msg "$MSG1" cbytes)" 400
	run -0 ipcx_rows msg
	assert_output "$(kernel_rows msg)"
	run -0 "$IPCX" list msg --id "$MSG1" -r -n -b -o MESSAGES,SIZE,LSPID
	assert_output "3 400 $(proc_field msg "$MSG1" lspid)"
	run -0 "$IPCX" list msg --id "$MSG1" -n -r -o STIME --time-format iso
	assert_output "$(iso_time "$(proc_field msg "$MSG1" stime)")"
	run -0 "$IPCX" list msg -r -n -b -o ID,MESSAGES,SIZE
	assert_line "$MSG2 0 0"
	# ipcs agrees too
	run -0 "$IPCX" list msg -r -n -b -o KEY,ID,SIZE,MESSAGES
	assert_output "$(ipcs_rows msg | awk '{ print $1, $2, $5, $6 }')"
}

@test "an attached segment: NATTCH, LPID, ATIME as in /proc" {
	make_objects
	attach_shm "$SHM1"
	assert_equal "$(proc_field shm "$SHM1" nattch)" 1
	run -0 ipcx_rows shm
	assert_output "$(kernel_rows shm)"
	run -0 "$IPCX" list shm --id "$SHM1" -r -n -o NATTCH,LPID
	assert_output "1 $ATTACH_PID"
	run -0 "$IPCX" list shm --id "$SHM1" -r -n -o ATIME --time-format iso
	assert_output "$(iso_time "$(proc_field shm "$SHM1" atime)")"
	attach_shm "$SHM1"
	run -0 "$IPCX" list shm --id "$SHM1" -r -n -o NATTCH
	assert_output "$(proc_field shm "$SHM1" nattch)"
	assert_output 2
}

@test "STATUS dest: a segment removed while attached, as ipcs shows it" {
	make_objects
	attach_shm "$SHM2"
	ipcrm -m "$SHM2"
	# the kernel keeps it with SHM_DEST and key IPC_PRIVATE
	(( 8#$(proc_field shm "$SHM2" perms) & 8#1000 )) || fail "SHM_DEST not set in /proc"
	ipcs_rows shm | grep -E "^0x00000000 +$SHM2 .* dest" || fail "ipcs does not show dest"
	run -0 "$IPCX" list shm --id "$SHM2" -r -n -o KEY,STATUS
	assert_output "0x00000000 dest"
	run -0 "$IPCX" list shm --id "$SHM1" -r -n -o STATUS
	assert_output ""
	run -0 "$IPCX" list shm --id "$SHM2" -J -o STATUS,PERMS
	run -0 jq -e '.objects[0].status == "dest" and .objects[0].perms == "rw-r--r--"' <<<"$output"
}

@test "STATUS locked: a segment locked with SHM_LOCK, as ipcs shows it" {
	make_objects
	lock_shm "$SHM1"
	(( 8#$(proc_field shm "$SHM1" perms) & 8#2000 )) || fail "SHM_LOCKED not set in /proc"
	ipcs_rows shm | grep -E "^0x[0-9a-f]+ +$SHM1 .* locked" || fail "ipcs does not show locked"
	run -0 "$IPCX" list shm --id "$SHM1" -r -n -P -o STATUS,PERMS
	assert_output "locked 600"
}

# --- memory ------------------------------------------------------------------------

# The kernel's record of ipcx's system calls (strace): the heap is grown once
# by a reserve and that reserve advised for transparent huge pages (see Cost
# in ipcx-list(1)); a user who tunes glibc's malloc keeps glibc's behaviour.
@test "the heap is reserved and advised for huge pages, unless GLIBC_TUNABLES tunes malloc" {
	command -v strace >/dev/null || skip "strace is not installed"
	[ -z "${IPCX_VALGRIND_LOGS:-}" ] || skip "valgrind's malloc does not use glibc's heap"
	! ldd "$IPCX" | grep -q libasan || skip "the sanitizer's malloc does not use glibc's heap"
	make_objects
	run -0 --separate-stderr strace -f -e trace=madvise "$IPCX" list shm -n -r -o ID
	assert_output "$SHM1"$'\n'"$SHM2"$'\n'"$SHM3"
	local advice
	advice=$(grep -E 'madvise\(0x[0-9a-f]+, [0-9]+, MADV_HUGEPAGE\)' <<<"$stderr") ||
		fail "no MADV_HUGEPAGE in: $stderr"
	# most of the 256 MiB reserve: all but its first 2 MiB (and up to a 2 MiB boundary)
	local bytes=${advice#*, }
	bytes=${bytes%%,*}
	(( bytes >= 250 << 20 )) || fail "advised only $bytes bytes: $advice"
	run -0 --separate-stderr env GLIBC_TUNABLES=glibc.malloc.tcache_count=7 \
		strace -f -e trace=madvise "$IPCX" list shm -n -r -o ID
	assert_output "$SHM1"$'\n'"$SHM2"$'\n'"$SHM3"
	refute [ -n "$(grep MADV_HUGEPAGE <<<"$stderr")" ]
}

# The dynamic loader's own record (LD_DEBUG=libs): libproc2, with the seven
# libraries it needs, is loaded only when processes are read, which a
# listing of unattached segments does not need even for NPROCS.
@test "libproc2 is loaded only when processes are read" {
	SHM1=$(mk_shm 4096)
	run -0 --separate-stderr env LD_DEBUG=libs "$IPCX" list shm -n -r -o ID,NPROCS
	assert_output "$SHM1 0"
	refute [ -n "$(grep 'libproc2' <<<"$stderr")" ]
	attach_shm "$SHM1"
	run -0 --separate-stderr env LD_DEBUG=libs "$IPCX" list shm -n -r -o ID,NPROCS,PIDS
	assert_output "$SHM1 1 $ATTACH_PID"
	grep -q 'calling init: .*/libproc2\.so' <<<"$stderr" || fail "libproc2 not loaded: $stderr"
	# without it: what needs no process still works, the rest fails and says so
	local lib
	lib=$(ldconfig -p | awk '$1 == "libproc2.so.0" { print $NF; exit }')
	[ -n "$lib" ] || skip "libproc2.so.0 is not in the loader's cache"
	without_lib() {
		unshare --mount sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$lib" "$@"
	}
	run -0 --separate-stderr without_lib "$IPCX" list shm -n -r -o ID
	assert_output "$SHM1"
	run -1 --separate-stderr without_lib "$IPCX" list shm -n -r -o ID,CPID_ALIVE
	assert_output ""
	# glibc's text for ELIBACC
	assert_equal "$stderr" "ipcx: cannot list objects: Can not access a needed shared library"
}
