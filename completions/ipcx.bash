# bash completion for ipcx(1)                              -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installed as "ipcx" in bash-completion's completions directory, where it
# is loaded the first time ipcx is completed. Column names, ids and keys
# come from the ipcx being completed, so they are always those it knows.

# COMPREPLY=($(compgen ...)) is the bash-completion idiom: words never
# hold spaces here.
# shellcheck disable=SC2207

# Column names for -o/--output: the first field of each line of
# --list-columns. Lower case if the user started typing in lower case.
_ipcx_columns()
{
	local prog=$1 lower=$2
	"$prog" list --list-columns --noheadings 2>/dev/null |
		while read -r name _; do
			if [[ $lower ]]; then
				printf '%s\n' "${name,,}"
			else
				printf '%s\n' "$name"
			fi
		done
}

# The kind words this ipcx knows: the union of the KINDS field (the last) of
# --list-columns; the System V kinds if that cannot be had
_ipcx_kind_words()
{
	local words
	words=$("$1" list --list-columns --noheadings 2>/dev/null |
		awk '{ n = split($NF, k, ","); for (i = 1; i <= n; i++) print k[i] }' |
		sort -u)
	printf '%s\n' "${words:-shm sem msg}"
}

# Ids of the objects of one kind
_ipcx_ids()
{
	"$1" list "$2" --noheadings --raw -o ID 2>/dev/null
}

# Keys in use (of the kinds given, or of every kind), without the private
# key 0, which cannot select an object
_ipcx_keys()
{
	local prog=$1
	shift
	"$prog" list "$@" --noheadings --raw -o KEY 2>/dev/null |
		command grep -v -x '0x00000000' | sort -u
}

_ipcx()
{
	local cur prev words cword split
	_init_completion -s || return

	local prog=${words[0]}
	local commands='list show rm create limits help'
	local kinds groups='sysv all'
	kinds=$(_ipcx_kind_words "$prog")
	kinds=${kinds//$'\n'/ }
	[[ " $kinds " == *" posix-"* ]] && groups='sysv posix all'
	local time_formats='short full iso'

	# Find the command: the first word that is not a global option
	local i cmd='' cmd_at=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			cmd=${words[i]}
			cmd_at=$i
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-h --help -V --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	# Options of each command, and those of them that take a value
	local opts='' argopts=''
	case $cmd in
	list)
		opts='-o --output --output-all -H --list-columns -J --json
			-r --raw -n --noheadings -b --bytes -P --numeric-perms
			--time-format --key --id --owner -h --help'
		argopts='-o|--output|--time-format|--key|--id|--owner'
		;;
	show)
		opts='--key -J --json -b --bytes -P --numeric-perms
			--time-format -h --help'
		argopts='--key|--time-format'
		;;
	rm)
		opts='--key --all --dry-run -q --quiet -h --help'
		argopts='--key'
		;;
	create)
		opts='--size --nsems --key --mode -J --json -h --help'
		argopts='--size|--nsems|--key|--mode'
		;;
	limits)
		opts='-J --json -r --raw -n --noheadings -b --bytes -h --help'
		;;
	help)
		[[ $cword -eq $((cmd_at + 1)) ]] &&
			COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
		return
		;;
	*)
		return
		;;
	esac

	# The words after the command that are not options or their values
	local -a args=()
	local has_key='' has_all=''
	for ((i = cmd_at + 1; i < cword; i++)); do
		case ${words[i]} in
		--key | --key=*) has_key=1 ;;
		--all) has_all=1 ;;
		esac
		if [[ $argopts && ${words[i]} == @($argopts) ]]; then
			((i++))
		elif [[ ${words[i]} != -* ]]; then
			args+=("${words[i]}")
		fi
	done
	# The kind the arguments start with; ids complete for the System V kinds
	local kind='' idkind=''
	[[ ${#args[@]} -gt 0 && " $kinds " == *" ${args[0]} "* ]] && kind=${args[0]}
	[[ $kind == @(shm|sem|msg) ]] && idkind=$kind

	# The value of an option
	case $prev in
	-o | --output)
		# A comma-separated list, optionally starting with "+"
		local prefix='' last=$cur lower=''
		if [[ $cur == *,* ]]; then
			prefix=${cur%,*},
			last=${cur##*,}
		elif [[ $cur == +* ]]; then
			prefix=+
			last=${cur#+}
		fi
		# Names are case-insensitive: answer in the case the user started in
		[[ $cur == *[[:lower:]]* ]] && lower=1
		COMPREPLY=($(compgen -P "$prefix" \
			-W "$(_ipcx_columns "$prog" "$lower")" -- "$last"))
		compopt -o nospace
		return
		;;
	--time-format)
		COMPREPLY=($(compgen -W "$time_formats" -- "$cur"))
		return
		;;
	--key)
		[[ $cmd == create ]] && return
		local -a sel=()
		for i in "${args[@]}"; do
			[[ " $kinds $groups " == *" $i "* ]] && sel+=("$i")
		done
		COMPREPLY=($(compgen -W "$(_ipcx_keys "$prog" "${sel[@]}")" -- "$cur"))
		return
		;;
	--id)
		local -a sel=()
		for i in "${args[@]}"; do
			[[ " $kinds $groups " == *" $i "* ]] && sel+=("$i")
		done
		COMPREPLY=($(compgen -W "$("$prog" list "${sel[@]}" --noheadings \
			--raw -o ID 2>/dev/null | sort -nu)" -- "$cur"))
		return
		;;
	--owner)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	--mode)
		COMPREPLY=($(compgen -W '0600 0640 0644 0660 0666' -- "$cur"))
		return
		;;
	--size | --nsems)
		return
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		if [[ $cmd == create ]]; then
			# Only the options of the kind being created
			case $kind in
			shm) opts=${opts/--nsems /} ;;
			sem) opts=${opts/--size /} ;;
			msg) opts=${opts/--size --nsems /} ;;
			esac
		fi
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	case $cmd in
	list)
		COMPREPLY=($(compgen -W "$kinds $groups" -- "$cur"))
		;;
	show)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$kinds" -- "$cur"))
		elif [[ ${#args[@]} -eq 1 && $idkind && -z $has_key ]]; then
			COMPREPLY=($(compgen -W "$(_ipcx_ids "$prog" "$idkind")" -- "$cur"))
		fi
		;;
	rm)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$kinds $groups" -- "$cur"))
		elif [[ ${#args[@]} -eq 1 && $idkind && -z $has_key$has_all ]]; then
			# "rm shm <TAB>": its ids, or more kinds for --key/--all
			COMPREPLY=($(compgen -W "$(_ipcx_ids "$prog" "$idkind") $kinds $groups" \
				-- "$cur"))
		elif [[ $idkind && -z $has_key$has_all ]] &&
			[[ ${args[1]} == [0-9]* ]]; then
			# More ids of the same kind, less those already given
			local id ids=''
			for id in $(_ipcx_ids "$prog" "$idkind"); do
				[[ " ${args[*]} " == *" $id "* ]] || ids+=" $id"
			done
			COMPREPLY=($(compgen -W "$ids" -- "$cur"))
		elif [[ ${args[*]} != *[0-9]* ]]; then
			COMPREPLY=($(compgen -W "$kinds $groups" -- "$cur"))
		fi
		;;
	create)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$kinds" -- "$cur"))
		fi
		;;
	esac
} &&
	complete -F _ipcx ipcx

# ex: filetype=sh
