# bash completion for ipcx(1)                              -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installed as "ipcx" in bash-completion's completions directory, where it
# is loaded the first time ipcx is completed. Column names, kinds, ids,
# names, keys and the paths of mappings and sockets come from the ipcx being
# completed, so they are always those it knows. FIFOs are completed as file
# paths, or with --target as the FIFOs its processes have open.

# COMPREPLY=($(compgen ...)) is the bash-completion idiom, used here only
# for words of ipcx's own (commands, options, kinds, columns, keys, ids):
# they hold no spaces. The names and paths of objects are anyone's to
# choose and go through _ipcx_reply_words instead.
# shellcheck disable=SC2207

# Adds to COMPREPLY each line of stdin that starts with $cur and is none of
# the arguments, as it is and quoted for the command line. Never through
# compgen -W, which expands its words: a name such as '/$(cmd)' would run
# cmd. ipcx --raw writes spaces, backslashes and unprintable bytes as \xHH:
# they are decoded first.
_ipcx_reply_words()
{
	local word given skip
	while IFS= read -r word; do
		printf -v word '%b' "$word"
		[[ $word == "$cur"* ]] || continue
		skip=''
		for given; do
			[[ $word == "$given" ]] && skip=1
		done
		[[ $skip ]] && continue
		printf -v word '%q' "$word"
		COMPREPLY+=("$word")
	done
}

# Column names for -o/--output: the first field of each line of
# --list-columns, of the kinds given after $2 (all without). Lower case if
# the user started typing in lower case.
_ipcx_columns()
{
	local prog=$1 lower=$2
	shift 2
	"$prog" list "$@" --list-columns --noheadings 2>/dev/null |
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

# One column ($3) of the objects of one kind ($2): ids, "/name"s, inodes
_ipcx_column()
{
	"$1" list "$2" --noheadings --raw -o "$3" 2>/dev/null
}

# Paths of the shared mappings or UNIX sockets ($2) there are now, less
# abstract socket names (@name), which show cannot take
_ipcx_paths()
{
	"$1" list "$2" --noheadings --raw -o PATH 2>/dev/null |
		command grep -v -e '^@' | sort -u
}

# What names the objects of one kind ($2): ids of a System V kind, names of a
# POSIX kind, inodes of pipes, paths of mappings and sockets (a socket's
# inode is typed, not offered); nothing for fifo, whose paths
# _ipcx_fifo_paths completes
_ipcx_objects()
{
	case $2 in
	shm | sem | msg) _ipcx_column "$1" "$2" ID ;;
	posix-*) _ipcx_column "$1" "$2" NAME ;;
	pipe) _ipcx_column "$1" "$2" INODE ;;
	mmap | unix) _ipcx_paths "$1" "$2" ;;
	esac
}

# Process ids, for --attached-by: with --target, those of its PID
# namespace, which its /proc has
_ipcx_pids()
{
	if [[ -z $target ]] && declare -F _pids >/dev/null; then
		_pids
	else
		COMPREPLY=($(compgen -W "$(command ls "${target:+/proc/$target/root}/proc" \
			2>/dev/null | command grep -x '[0-9]*')" -- "$cur"))
	fi
}

# Paths of FIFOs: files; with --target, the FIFOs its processes have open,
# since the files offered would be ours, not those of its mount namespace
_ipcx_fifo_paths()
{
	if [[ $target ]]; then
		_ipcx_reply_words "$@" < <(_ipcx_column "$prog" fifo PATH)
	else
		_filedir
	fi
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

# The ipcx being completed, in the namespaces of --target's process: what
# $prog stands for when the command line has --target
_ipcx_in_target()
{
	"$target_prog" --target "$target" "$@"
}

_ipcx()
{
	local cur prev words cword split
	_init_completion -s || return

	local prog=${words[0]} target='' target_prog=${words[0]}
	local commands='list show rm create limits help'
	local kinds groups='sysv all'
	kinds=$(_ipcx_kind_words "$prog")
	kinds=${kinds//$'\n'/ }
	[[ " $kinds " == *" posix-"* ]] && groups='sysv posix all'
	local time_formats='short full iso'
	local durations='1h 12h 1d 7d 30d 1w'
	# Pipes, mappings and sockets cannot be removed or created
	local rmkinds='' k
	for k in $kinds; do
		[[ $k == @(pipe|mmap|unix) ]] || rmkinds+=" $k"
	done

	# Find the command: the first word that is not a global option nor the
	# value of one
	local i cmd='' cmd_at=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-t | --target) target=${words[++i]:-} ;;
		--target=*) target=${words[i]#*=} ;;
		-t?*) target=${words[i]#-t} ;;
		-*) ;;
		*)
			cmd=${words[i]}
			cmd_at=$i
			break
			;;
		esac
	done

	# Objects, columns and kinds are those the target's namespaces have
	[[ $target ]] && prog=_ipcx_in_target
	if [[ -z $cmd ]]; then
		if [[ $prev == @(-t|--target) ]]; then
			_pids
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-t --target -h --help -V --version' -- "$cur"))
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
			--time-format --key --id --owner --creator --older-than
			--name --attached-by --orphaned --path -h --help -V --version'
		argopts='-o|--output|--time-format|--key|--id|--owner|--creator|--older-than|--name|--attached-by|--path'
		;;
	show)
		opts='--key -J --json -b --bytes -P --numeric-perms
			--time-format -h --help -V --version'
		argopts='--key|--time-format'
		;;
	rm)
		opts='--key --id --all --orphaned --path --owner --creator --older-than
			--name --attached-by -f --force --dry-run -q --quiet -h --help -V --version'
		argopts='--key|--id|--path|--owner|--creator|--older-than|--name|--attached-by'
		;;
	create)
		opts='--size --nsems --key --value --max-msgs --msg-size --mode
			-J --json -h --help -V --version'
		argopts='--size|--nsems|--key|--value|--max-msgs|--msg-size|--mode'
		;;
	limits)
		opts='-J --json -r --raw -n --noheadings -b --bytes -h --help -V --version'
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
		--all | --orphaned) has_all=1 ;;
		esac
		if [[ $argopts && ${words[i]} == @($argopts) ]]; then
			((i++))
		elif [[ ${words[i]} != -* ]]; then
			args+=("${words[i]}")
		fi
	done
	# The kind the arguments start with; objkind if its objects are named
	# by ids (System V), names (POSIX) or paths (fifo), or for show also by
	# paths (mmap, unix) or inodes (pipe)
	local kind='' objkind=''
	[[ ${#args[@]} -gt 0 && " $kinds " == *" ${args[0]} "* ]] && kind=${args[0]}
	[[ $kind == @(shm|sem|msg|posix-shm|posix-sem|posix-mq|fifo) ]] && objkind=$kind
	[[ $cmd == show && $kind == @(pipe|mmap|unix) ]] && objkind=$kind
	# The kind and group words among them
	local -a sel=()
	for i in "${args[@]}"; do
		[[ " $kinds $groups " == *" $i "* ]] && sel+=("$i")
	done

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
			-W "$(_ipcx_columns "$prog" "$lower" "${sel[@]}")" -- "$last"))
		compopt -o nospace
		return
		;;
	--time-format)
		COMPREPLY=($(compgen -W "$time_formats" -- "$cur"))
		return
		;;
	--key)
		[[ $cmd == create ]] && return
		COMPREPLY=($(compgen -W "$(_ipcx_keys "$prog" "${sel[@]}")" -- "$cur"))
		return
		;;
	--id)
		COMPREPLY=($(compgen -W "$("$prog" list "${sel[@]}" --noheadings \
			--raw -o ID 2>/dev/null | sort -nu)" -- "$cur"))
		return
		;;
	--owner | --creator)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	--older-than)
		COMPREPLY=($(compgen -W "$durations" -- "$cur"))
		return
		;;
	--attached-by)
		_ipcx_pids
		return
		;;
	--name)
		# A shell pattern: nothing to offer
		return
		;;
	--path)
		# A directory to search for FIFOs
		_filedir -d
		return
		;;
	--mode)
		COMPREPLY=($(compgen -W '0600 0640 0644 0660 0666' -- "$cur"))
		return
		;;
	--size | --nsems | --value | --max-msgs | --msg-size)
		return
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		if [[ $cmd == create && $kind ]]; then
			# Only the options of the kind being created
			case $kind in
			shm) opts='--size --key' ;;
			sem) opts='--nsems --key' ;;
			msg) opts='--key' ;;
			posix-shm) opts='--size' ;;
			posix-sem) opts='--value' ;;
			posix-mq) opts='--max-msgs --msg-size' ;;
			*) opts='' ;;
			esac
			opts+=' --mode -J --json -h --help -V --version'
		elif [[ $cmd == @(show|rm) ]] &&
			[[ ${args[0]-} == @(posix-shm|posix-sem|posix-mq|fifo|mmap|unix|posix|all) ]]; then
			# --key and --id select System V objects only
			opts=${opts/--key /}
			opts=${opts/--id /}
		fi
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	# True if every argument after the kind is another kind or group word,
	# that is no id, name or path has been given yet
	local only_kinds=1
	for i in "${args[@]:1}"; do
		[[ " $kinds $groups " == *" $i "* ]] || only_kinds=''
	done

	case $cmd in
	list)
		COMPREPLY=($(compgen -W "$kinds $groups" -- "$cur"))
		;;
	show)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$kinds" -- "$cur"))
		elif [[ ${#args[@]} -eq 1 && $objkind == fifo ]]; then
			_ipcx_fifo_paths
		elif [[ ${#args[@]} -eq 1 && $objkind && -z $has_key ]]; then
			_ipcx_reply_words < <(_ipcx_objects "$prog" "$objkind")
		fi
		;;
	rm)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$rmkinds $groups" -- "$cur"))
		elif [[ $objkind == fifo && -z $has_all ]] &&
			[[ ${#args[@]} -gt 1 && -z $only_kinds ]]; then
			# "rm fifo PATH <TAB>": more paths
			_ipcx_fifo_paths "${args[@]:1}"
		elif [[ $objkind == fifo && -z $has_all ]]; then
			# "rm fifo <TAB>": a path, or more kinds for --all/--orphaned
			_ipcx_fifo_paths
			COMPREPLY+=($(compgen -W "$rmkinds $groups" -- "$cur"))
		elif [[ $objkind && -z $has_key$has_all && ${#args[@]} -eq 1 ]]; then
			# "rm shm <TAB>", "rm posix-shm <TAB>": its ids or names, or
			# more kinds for --key/--all/--orphaned
			COMPREPLY=($(compgen -W "$rmkinds $groups" -- "$cur"))
			_ipcx_reply_words < <(_ipcx_objects "$prog" "$objkind")
		elif [[ $objkind && -z $has_key$has_all && -z $only_kinds ]]; then
			# More ids or names of the same kind, less those given
			_ipcx_reply_words "${args[@]:1}" < <(_ipcx_objects "$prog" "$objkind")
		elif [[ $only_kinds ]]; then
			COMPREPLY=($(compgen -W "$rmkinds $groups" -- "$cur"))
		fi
		;;
	create)
		if [[ ${#args[@]} -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$rmkinds" -- "$cur"))
		elif [[ ${#args[@]} -eq 1 && $kind == fifo ]]; then
			# The path of the new FIFO (not one of ours when in a target's namespaces)
			[[ $target ]] || _filedir
		fi
		;;
	esac
} &&
	complete -F _ipcx ipcx

# ex: filetype=sh
