#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ipcx show: every field of one object, compared with `ipcs -m|-s|-q -i ID`
# and /proc/sysvipc.

load common

setup() {
	common_setup
}

teardown() {
	detach_all
}

# (cli-procs: show prints the process columns too)
FIELDS_shm="type key id owner group uid gid cuser cgroup cuid cgid perms size nattch status cpid lpid atime dtime ctime rss swap pids command nprocs cpid_alive reason"
FIELDS_sem="type key id owner group uid gid cuser cgroup cuid cgid perms nsems otime ctime pids command nprocs reason"
FIELDS_msg="type key id owner group uid gid cuser cgroup cuid cgid perms size messages qbytes lspid lrpid stime rtime ctime pids command nprocs reason"

# The `field: value` block of the last `run ipcx show` (up to the first
# blank line), as "field=value" lines with the padding removed
show_fields() {
	local line
	while IFS= read -r line; do
		[ -n "$line" ] || break
		if [[ "$line" =~ ^([a-z%_]+):\ *(.*)$ ]]; then
			printf '%s=%s\n' "${BASH_REMATCH[1]}" "$(sed 's/ *$//' <<<"${BASH_REMATCH[2]}")"
		else
			echo "?$line"
		fi
	done <<<"$output"
}

# show_value FIELD: its value in the last `run ipcx show`
show_value() {
	show_fields | sed -n "s/^$1=//p"
}

# show_pid FIELD: the pid of a pid field, without its "(running)"-like suffix
show_pid() {
	show_value "$1" | sed 's/ (.*)$//'
}

# exited_pid_state PID: what show must say of a process that has exited: gone,
# or "gone, pid reused" if /proc has another process with its pid by now
exited_pid_state() {
	if [ -e "/proc/$1" ]; then
		echo "gone, pid reused"
	else
		echo gone
	fi
}

# The names of the fields, in order, space separated
show_names() {
	show_fields | cut -d= -f1 | paste -sd' '
}

# --- shm ---------------------------------------------------------------------------

@test "show shm ID: one line per shm column, values as ipcs -m -i and /proc" {
	local id
	id=$(mk_shm 8192 0640)
	run -0 --separate-stderr "$IPCX" show shm "$id" -b -P --time-format full
	assert_stderr_empty
	assert_equal "$(show_names)" "$FIELDS_shm"
	refute_line --regexp '^\?'
	assert_equal "$(show_value type)" shm
	assert_equal "$(show_value key)" "$(kernel_key shm "$id")"
	assert_equal "$(show_value id)" "$id"
	local f cpid
	for f in uid gid cuid cgid nattch; do
		assert_equal "$(show_value "$f")" "$(ipcs_detail shm "$id" "$f")"
	done
	for f in lpid cpid; do
		assert_equal "$(show_pid "$f")" "$(ipcs_detail shm "$id" "$f")"
	done
	# ipcmk made it and has exited; nobody attached yet: lpid 0, no state
	cpid=$(proc_field shm "$id" cpid)
	assert_equal "$(show_value cpid)" "$cpid ($(exited_pid_state "$cpid"))"
	assert_equal "$(show_value lpid)" 0
	assert_equal "$(show_value size)" "$(ipcs_detail shm "$id" bytes)"
	assert_equal "$(show_value size)" 8192
	assert_equal "0$(show_value perms)" "$(ipcs_detail shm "$id" access_perms)"
	assert_equal "$(show_value ctime)" "$(ipcs_detail shm "$id" change_time)"
	assert_equal "$(show_value atime)" ""
	assert_equal "$(show_value dtime)" ""
	assert_equal "$(show_value status)" ""
	assert_equal "$(show_value owner)" "$(user_name "$(proc_field shm "$id" uid)")"
	assert_equal "$(show_value group)" "$(group_name "$(proc_field shm "$id" gid)")"
	assert_equal "$(show_value cuser)" "$(user_name "$(proc_field shm "$id" cuid)")"
	assert_equal "$(show_value cgroup)" "$(group_name "$(proc_field shm "$id" cgid)")"
	assert_equal "$(show_value rss)" "$(proc_field shm "$id" rss)"
	assert_equal "$(show_value swap)" "$(proc_field shm "$id" swap)"
}

@test "show: the values are aligned in one column" {
	local id
	id=$(mk_shm 4096)
	run -0 --separate-stderr "$IPCX" show shm "$id"
	local line starts
	starts=$(while IFS= read -r line; do
		[ -n "$line" ] || break
		# the column of the first character after "field:" and its padding,
		# ignoring lines whose value is empty
		if [[ "$line" =~ ^([a-z%_]+:\ +)[^\ ] ]]; then
			echo "${#BASH_REMATCH[1]}"
		fi
	done <<<"$output")
	# a segment has a dozen fields with values: key, id, owner, size, ...
	(( $(wc -l <<<"$starts") >= 10 )) || fail "too few fields with values: $output"
	assert_equal "$(sort -u <<<"$starts" | wc -l)" 1
}

@test "show shm: default formats (human size, rwx perms, iso with --time-format iso)" {
	local id
	id=$(mk_shm 1M 0600)
	run -0 --separate-stderr "$IPCX" show shm "$id" --time-format iso
	assert_equal "$(show_value size)" 1M
	assert_equal "$(show_value perms)" rw-------
	assert_equal "$(show_value ctime)" "$(iso_time "$(proc_field shm "$id" ctime)")"
}

@test "show shm of an attached segment: nattch, lpid, atime" {
	local id
	id=$(mk_shm 4096)
	attach_shm "$id"
	run -0 --separate-stderr "$IPCX" show shm "$id" --time-format full
	assert_equal "$(show_value nattch)" 1
	assert_equal "$(show_value lpid)" "$ATTACH_PID (running)"
	assert_equal "$(show_pid lpid)" "$(ipcs_detail shm "$id" lpid)"
	assert_equal "$(show_value atime)" "$(ipcs_detail shm "$id" att_time)"
}

@test "show shm --key KEY is the segment with that key" {
	local a b key
	a=$(mk_shm 4096)
	b=$(mk_shm 8192)
	key=$(kernel_key shm "$b")
	run -0 --separate-stderr "$IPCX" show shm --key "$key" -b
	assert_equal "$(show_value id)" "$b"
	assert_equal "$(show_value key)" "$key"
	assert_equal "$(show_value size)" 8192
	# the same key in decimal and in octal
	run -0 --separate-stderr "$IPCX" show shm --key "$(( key ))"
	assert_equal "$(show_value id)" "$b"
	run -0 --separate-stderr "$IPCX" show shm --key "$(printf '0%o' "$(( key ))")"
	assert_equal "$(show_value id)" "$b"
}

# --- sem ---------------------------------------------------------------------------

# The member table of `ipcs -s -i ID` in ipcx's column order:
# SEMNUM VALUE PID NCNT ZCNT (ipcs prints semnum value ncount zcount pid)
ipcs_sem_members() {
	ipcs -s -i "$1" | awk '/^semnum/ { t = 1; next } t && NF == 5 { print $1, $2, $5, $3, $4 }'
}

# The member table of the last `run ipcx show sem`, spaces squeezed, up to
# the blank line before the process table; with an argument, only the
# columns ipcs has (SEMNUM VALUE PID NCNT ZCNT, without PID_ALIVE)
ipcx_sem_members() {
	local line seen=
	for line in "${lines[@]}"; do
		if [ -z "$seen" ]; then
			[[ "$line" =~ ^\ *SEMNUM ]] && seen=1
			continue
		fi
		[[ "$line" =~ ^\ *PID\ +USER ]] && break
		if [ -n "${1:-}" ]; then
			tr -s ' ' <<<"$line" | sed 's/^ //; s/ $//' | cut -d' ' -f1-5
		else
			tr -s ' ' <<<"$line" | sed 's/^ //; s/ $//'
		fi
	done
}

@test "show sem ID: fields as ipcs -s -i, then a table with one row per semaphore" {
	local id
	id=$(mk_sem 4 0640)
	run -0 --separate-stderr "$IPCX" show sem "$id" -P --time-format full
	assert_stderr_empty
	assert_equal "$(show_names)" "$FIELDS_sem"
	assert_equal "$(show_value key)" "$(kernel_key sem "$id")"
	assert_equal "$(show_value nsems)" "$(ipcs_detail sem "$id" nsems)"
	assert_equal "$(show_value nsems)" 4
	assert_equal "0$(show_value perms)" "$(ipcs_detail sem "$id" access_perms)"
	local f
	for f in uid gid cuid cgid; do
		assert_equal "$(show_value "$f")" "$(ipcs_detail sem "$id" "$f")"
	done
	assert_equal "$(show_value ctime)" "$(ipcs_detail sem "$id" ctime)"
	assert_equal "$(show_value otime)" ""
	# a blank line, then the table
	assert_line --regexp '^ *SEMNUM +VALUE +PID +NCNT +ZCNT +PID_ALIVE *$'
	run -0 --separate-stderr "$IPCX" show sem "$id"
	[[ "$output" == *$'\n\n'*SEMNUM* ]] || fail "no blank line before the table"
	assert_equal "$(ipcx_sem_members | wc -l)" 4
	assert_equal "$(ipcx_sem_members 5)" "$(ipcs_sem_members "$id")"
	# no semaphore was operated on: pid 0 and no PID_ALIVE
	assert_equal "$(ipcx_sem_members)" "$(printf '%s\n' '0 0 0 0 0' '1 0 0 0 0' '2 0 0 0 0' '3 0 0 0 0')"
}

@test "show sem: VALUE and PID of semaphores set with semctl, as ipcs shows them" {
	local id
	id=$(mk_sem 3)
	set_semval "$id" 1 7
	set_semval "$id" 2 32767
	run -0 --separate-stderr "$IPCX" show sem "$id"
	assert_equal "$(ipcx_sem_members 5)" "$(ipcs_sem_members "$id")"
	assert_equal "$(ipcx_sem_members | awk '{ print $2 }' | paste -sd' ')" "0 7 32767"
	# PID_ALIVE: the processes that set them (python) have exited
	local num value pid ncnt zcnt alive expected
	while read -r num value pid ncnt zcnt alive; do
		if [ "$pid" = 0 ]; then
			expected=
		elif [ -e "/proc/$pid" ]; then
			expected=reused
		else
			expected=no
		fi
		assert_equal "$alive" "$expected"
	done < <(ipcx_sem_members)
	assert_equal "$(ipcx_sem_members | awk '$3 != 0' | wc -l)" 2
}

@test "show sem --key KEY" {
	local a b key
	a=$(mk_sem 1)
	b=$(mk_sem 2)
	key=$(kernel_key sem "$a")
	run -0 --separate-stderr "$IPCX" show sem --key "$key"
	assert_equal "$(show_value id)" "$a"
	assert_equal "$(show_value nsems)" 1
}

# --- msg ---------------------------------------------------------------------------

@test "show msg ID: fields as ipcs -q -i" {
	local id
	id=$(mk_msg 0620)
	run -0 --separate-stderr "$IPCX" show msg "$id" -b -P --time-format full
	assert_stderr_empty
	assert_equal "$(show_names)" "$FIELDS_msg"
	assert_equal "$(show_value key)" "$(kernel_key msg "$id")"
	assert_equal "0$(show_value perms)" "$(ipcs_detail msg "$id" mode)"
	local f
	for f in uid gid cuid cgid qbytes lspid lrpid; do
		assert_equal "$(show_value "$f")" "$(ipcs_detail msg "$id" "$f")"
	done
	assert_equal "$(show_value size)" "$(ipcs_detail msg "$id" cbytes)"
	assert_equal "$(show_value messages)" "$(ipcs_detail msg "$id" qnum)"
	assert_equal "$(show_value qbytes)" "$(cat /proc/sys/kernel/msgmnb)"
	assert_equal "$(show_value ctime)" "$(ipcs_detail msg "$id" change_time)"
	assert_equal "$(show_value stime)" ""
	assert_equal "$(show_value rtime)" ""
	# no member table
	refute_line --partial SEMNUM
}

@test "show msg after sending: messages, size, lspid, stime as ipcs -q -i" {
	local id
	id=$(mk_msg)
	send_msg "$id" 10
	send_msg "$id" 20
	run -0 --separate-stderr "$IPCX" show msg "$id" -b --time-format full
	assert_equal "$(show_value messages)" 2
	assert_equal "$(show_value messages)" "$(ipcs_detail msg "$id" qnum)"
	assert_equal "$(show_value size)" 30
	assert_equal "$(show_value size)" "$(ipcs_detail msg "$id" cbytes)"
	assert_equal "$(show_pid lspid)" "$(ipcs_detail msg "$id" lspid)"
	# the sender has exited
	local lspid
	lspid=$(proc_field msg "$id" lspid)
	assert_equal "$(show_value lspid)" "$lspid ($(exited_pid_state "$lspid"))"
	assert_equal "$(show_value stime)" "$(ipcs_detail msg "$id" send_time)"
}

# --- JSON --------------------------------------------------------------------------

@test "show -J: one object with every shm column; no children" {
	local id
	id=$(mk_shm 8192 0600)
	run -0 --separate-stderr "$IPCX" show shm "$id" -J
	assert_stderr_empty
	local json=$output
	run -0 jq -r '.objects[0] | keys_unsorted | join(" ")' <<<"$json"
	# and the processes using it, an array even when there are none
	assert_output "$FIELDS_shm processes"
	run -0 jq -e '.objects[0].processes == [] and .objects[0].pids == [] and .objects[0].nprocs == 0' <<<"$json"
	run -0 jq -e --arg key "$(kernel_key shm "$id")" --argjson id "$id" \
		--argjson cpid "$(proc_field shm "$id" cpid)" \
		'(.objects | length == 1) and .objects[0].key == $key and .objects[0].id == $id and
		.objects[0].size == 8192 and .objects[0].perms == "rw-------" and
		.objects[0].cpid == $cpid and .objects[0].atime == null and
		(.objects[0] | has("children") | not)' <<<"$json"
}

@test "show sem -J: children are the semaphores" {
	local id
	id=$(mk_sem 3)
	run -0 --separate-stderr "$IPCX" show sem "$id" -J
	assert_stderr_empty
	local json=$output
	run -0 jq -e --argjson id "$id" '.objects | length == 1 and .[0].id == $id and .[0].nsems == 3' <<<"$json"
	run -0 jq -e '.objects[0].children | length == 3' <<<"$json"
	run -0 jq -r '.objects[0].children[] | [.semnum, .value, .pid, .ncnt, .zcnt] | map(tostring) | join(" ")' <<<"$json"
	assert_output "$(ipcs_sem_members "$id")"
	run -0 jq -e 'all(.objects[0].children[]; (.semnum | type == "number") and
		.type == null and .key == null and .id == null)' <<<"$json"
}

@test "show sem -J: children's values after semctl(SETVAL)" {
	local id
	id=$(mk_sem 2)
	set_semval "$id" 1 5
	run -0 --separate-stderr "$IPCX" show sem "$id" -J
	run -0 jq -r '.objects[0].children[] | [.semnum, .value, .pid, .ncnt, .zcnt] | map(tostring) | join(" ")' <<<"$output"
	assert_output "$(ipcs_sem_members "$id")"
	assert_line --regexp '^1 5 [1-9][0-9]* 0 0$'
}

@test "show msg -J: qbytes a number; no children" {
	local id
	id=$(mk_msg)
	run -0 --separate-stderr "$IPCX" show msg "$id" -J
	run -0 jq -e --argjson qb "$(ipcs_detail msg "$id" qbytes)" \
		'.objects[0].qbytes == $qb and .objects[0].messages == 0 and
		.objects[0].size == 0 and (.objects[0] | has("children") | not)' <<<"$output"
}

# --- not found ---------------------------------------------------------------------

@test "show of a missing id: exit 1 'ipcx: KIND ID: no such object'" {
	local kind id
	for kind in shm sem msg; do
		id=$(unused_id "$kind" 42)
		run -1 --separate-stderr "$IPCX" show "$kind" "$id"
		assert_output ""
		assert_equal "$stderr" "ipcx: $kind $id: no such object"
	done
}

@test "show of an id that only another kind has: exit 1" {
	local id
	id=$(mk_shm 4096)
	[ -z "$(proc_field sem "$id" key)" ]
	run -1 --separate-stderr "$IPCX" show sem "$id"
	assert_equal "$stderr" "ipcx: sem $id: no such object"
}

@test "show of a missing key: exit 1 'ipcx: KIND with key 0x%08x: no such object'" {
	local key
	mk_shm 4096 >/dev/null
	key=$(unused_key 4660)
	run -1 --separate-stderr "$IPCX" show sem --key "$key"
	assert_output ""
	assert_equal "$stderr" "ipcx: sem with key $key: no such object"
	# written in decimal, still printed as 0x%08x
	run -1 --separate-stderr "$IPCX" show shm --key "$(( key ))"
	assert_equal "$stderr" "ipcx: shm with key $key: no such object"
}
