# fish completion for ipcx(1)
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Column names, kinds, ids, names, keys and the paths of mappings and
# sockets come from the ipcx being completed. FIFOs are completed as file
# paths, or with --target as the FIFOs its processes have open.

# The words typed from the command on: those after the global options
# and --target's value
function __ipcx_from_command
    set -l tokens (commandline -opc)[2..-1]
    while set -q tokens[1]
        switch $tokens[1]
            case -t --target
                set -e tokens[1]
            case '-*'
            case '*'
                break
        end
        set -e tokens[1]
    end
    # (printf with no argument would still print one empty line)
    set -q tokens[1]; and printf '%s\n' $tokens
end

# The pid given to --target (-t PID, -tPID, --target PID, --target=PID)
# before the command; false without
function __ipcx_target
    set -l tokens (commandline -opc)[2..-1]
    while set -q tokens[1]
        switch $tokens[1]
            case -t --target
                set -q tokens[2]; and echo $tokens[2]; and return 0
                return 1
            case '--target=*'
                string replace -- --target= '' $tokens[1]
                return 0
            case '-t*'  # -tPID (-t alone is matched above)
                string sub -s 3 -- $tokens[1]
                return 0
            case '-*'
            case '*'
                return 1
        end
        set -e tokens[1]
    end
    return 1
end

# The ipcx being completed, with the --target it was given: asked for
# objects and columns, it answers for the target's namespaces
function __ipcx_prog
    echo (commandline -opc)[1]
    set -l target (__ipcx_target); and printf '%s\n' --target $target
end

# Process ids, for --attached-by: with --target, those of its PID
# namespace, which its /proc has
function __ipcx_pids
    set -l target (__ipcx_target); or begin
        __fish_complete_pids
        return
    end
    for dir in /proc/$target/root/proc/*
        set -l pid (path basename -- $dir)
        string match -qr -- '^[0-9]+$' $pid; and echo $pid
    end
end

# True before the command
function __ipcx_no_command
    set -l words (__ipcx_from_command)
    not set -q words[1]
end

# The words typed after the command that are not options or option values
function __ipcx_args
    set -l skip 0
    for tok in (__ipcx_from_command)[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $tok
            case -o --output --time-format --key --id --owner --creator --older-than \
                --name --attached-by --path --size --nsems --value --max-msgs --msg-size \
                --mode
                set skip 1
            case '-*'
            case '*'
                echo $tok
        end
    end
end

# The command being completed (list, show, ...)
function __ipcx_command
    set -l words (__ipcx_from_command)
    set -q words[1]; and echo $words[1]
end

# True if the command is one of the arguments and it has N words so far
function __ipcx_nargs
    set -l n $argv[1]
    contains -- (__ipcx_command) $argv[2..-1]; or return 1
    test (count (__ipcx_args)) -eq $n
end

function __ipcx_has_opt
    contains -- $argv[1] (commandline -opc)
end

# The kind and group words among the arguments
function __ipcx_typed_kinds
    set -l known (__ipcx_kind_words) sysv posix all
    for a in (__ipcx_args)
        contains -- $a $known; and echo $a
    end
end

# Ids (System V kinds), names (POSIX kinds), inodes (pipes) or paths
# (mappings and sockets, but abstract socket names) of the objects of the kind that starts the
# arguments, less those given
function __ipcx_objects
    set -l args (__ipcx_args)
    set -l col
    switch "$args[1]"
        case shm sem msg
            set col ID
        case posix-shm posix-sem posix-mq
            set col NAME
        case pipe
            set col INODE
        case mmap unix fifo
            set col PATH
        case '*'
            return
    end
    set -l prog (__ipcx_prog)
    # the table's cells, padded: ids and inodes to the right (names and
    # paths start with "/": no space before them is theirs)
    for obj in ($prog list $args[1] --noheadings -o $col 2>/dev/null | string trim | sort -u)
        string match -q -- '@*' $obj; and continue
        contains -- $obj $args[2..-1]; or echo $obj
    end
end

# True if no id, name or path follows the kind words of the arguments
function __ipcx_only_kinds
    set -l known (__ipcx_kind_words) sysv posix all
    for a in (__ipcx_args)
        contains -- $a $known; or return 1
    end
    return 0
end

# True where "show KIND" or "rm KIND [OBJECT...]" wants an object of a kind
# in $argv: an id, a name or a FIFO path
function __ipcx_wants_object
    __ipcx_has_opt --key; and return 1
    set -l args (__ipcx_args)
    contains -- "$args[1]" $argv; or return 1
    set -l cmd (__ipcx_command)
    switch "$cmd"
        case show
            test (count $args) -eq 1
        case rm
            __ipcx_has_opt --all; and return 1
            __ipcx_has_opt --orphaned; and return 1
            test (count $args) -eq 1; or not __ipcx_only_kinds
        case '*'
            return 1
    end
end

# True where "rm" may take more kind words (before any id, name or path)
function __ipcx_rm_wants_kind
    set -l cmd (__ipcx_command)
    test "$cmd" = rm; or return 1
    __ipcx_only_kinds
end

# True where "create KIND" wants the name or path of the new object
function __ipcx_create_wants_name
    set -l cmd (__ipcx_command)
    test "$cmd" = create; or return 1
    set -l args (__ipcx_args)
    test (count $args) -eq 1; and contains -- $args[1] $argv
end

# True if "create" is creating one of the kinds in $argv, or no kind yet
function __ipcx_creating
    set -l cmd (__ipcx_command)
    test "$cmd" = create; or return 1
    set -l args (__ipcx_args)
    set -q args[1]; or return 0
    contains -- $args[1] $argv
end

# The kind words this ipcx knows: the union of the KINDS field (the last) of
# --list-columns; the System V kinds if that cannot be had
function __ipcx_kind_words
    set -l prog (__ipcx_prog)
    set -l words ($prog list --list-columns --noheadings 2>/dev/null |
        string replace -r '.*\s' '' | string split , | sort -u)
    set -q words[1]; or set words shm sem msg
    printf '%s\n' $words
end

# The kinds, less those in $argv: rm and create leave out pipe, mmap and
# unix, which cannot be removed or created
function __ipcx_kinds
    for k in (__ipcx_kind_words)
        contains -- $k $argv; and continue
        switch $k
            case shm
                printf '%s\t%s\n' $k 'System V shared memory segments'
            case sem
                printf '%s\t%s\n' $k 'System V semaphore sets'
            case msg
                printf '%s\t%s\n' $k 'System V message queues'
            case posix-shm
                printf '%s\t%s\n' $k 'POSIX shared memory objects'
            case posix-sem
                printf '%s\t%s\n' $k 'POSIX named semaphores'
            case posix-mq
                printf '%s\t%s\n' $k 'POSIX message queues'
            case fifo
                printf '%s\t%s\n' $k 'Named pipes'
            case pipe
                printf '%s\t%s\n' $k 'Anonymous pipes'
            case mmap
                printf '%s\t%s\n' $k 'Shared file mappings'
            case unix
                printf '%s\t%s\n' $k 'UNIX domain sockets'
            case '*'
                printf '%s\t%s\n' $k Kind
        end
    end
end

function __ipcx_kinds_and_groups
    set -l kinds (__ipcx_kinds $argv)
    printf '%s\n' $kinds
    printf '%s\t%s\n' sysv 'Every System V kind'
    string match -q 'posix-*' -- $kinds; and printf '%s\t%s\n' posix 'Every POSIX kind'
    printf '%s\t%s\n' all 'Every kind ipcx supports'
end

function __ipcx_durations
    printf '%s\t%s\n' 1h 'One hour' 12h 'Twelve hours' 1d 'One day' 7d 'Seven days' \
        30d 'Thirty days' 1w 'One week'
end

function __ipcx_time_formats
    printf '%s\t%s\n' short 'HH:MM today, Nov22 this year, 2025-Nov22 older' \
        full 'Sun Nov 22 03:22:10 2026' iso '2026-11-22T03:22:10+00:00'
end

# Keys in use, of the kinds typed (or of every kind), never the private key 0
function __ipcx_keys
    set -l prog (__ipcx_prog)
    $prog list (__ipcx_typed_kinds) --noheadings --raw -o KEY 2>/dev/null |
        string match -v 0x00000000 | sort -u
end

# Ids for list --id: of the kinds typed, or of every kind
function __ipcx_list_ids
    set -l prog (__ipcx_prog)
    $prog list (__ipcx_typed_kinds) --noheadings --raw -o ID 2>/dev/null | sort -nu
end

# Column names for -o/--output: a comma-separated list, optionally after "+",
# in the case the user started typing in; those of the kinds typed, or all
function __ipcx_columns
    set -l tok (commandline -ct | string replace -r -- '^(--output=|-o)' '')
    set -l prefix (string match -r -- '^.*,|^\+' $tok)
    set -l lower (string match -qr '[a-z]' -- $tok; and echo 1)
    set -l prog (__ipcx_prog)
    $prog list (__ipcx_typed_kinds) --list-columns --noheadings 2>/dev/null | while read -l name desc
        test -n "$name"; or continue
        test -n "$lower"; and set name (string lower -- $name)
        printf '%s%s\t%s\n' "$prefix" $name (string replace -ar '\s+' ' ' -- (string trim -- $desc))
    end
end

complete -c ipcx -f

# ipcx [-t|--target PID] [-h|--help] [-V|--version] COMMAND
complete -c ipcx -n __ipcx_no_command -s t -l target -x -a '(__fish_complete_pids)' \
    -d 'Run in the namespaces of this process (a container)'
complete -c ipcx -n __ipcx_no_command -s h -l help -d 'Display help'
complete -c ipcx -n __ipcx_no_command -s V -l version -d 'Display the version'
complete -c ipcx -n __ipcx_no_command -a list -d 'List objects'
complete -c ipcx -n __ipcx_no_command -a show -d 'Show every field of one object'
complete -c ipcx -n __ipcx_no_command -a rm -d 'Remove objects'
complete -c ipcx -n __ipcx_no_command -a create -d 'Create an object'
complete -c ipcx -n __ipcx_no_command -a limits -d 'Show kernel limits and their use'
complete -c ipcx -n __ipcx_no_command -a help -d 'Show the help of ipcx or of a command'
complete -c ipcx -n '__ipcx_nargs 0 help' -a 'list show rm create limits'

# Every command takes -h|--help and -V|--version
complete -c ipcx -n "__fish_seen_subcommand_from list show rm create limits" \
    -s h -l help -d 'Display help'
complete -c ipcx -n "__fish_seen_subcommand_from list show rm create limits" \
    -s V -l version -d 'Display the version'

# ipcx list [-o|--output LIST] [--output-all] [-H|--list-columns] [-J|--json]
#     [-r|--raw] [-n|--noheadings] [-b|--bytes] [-P|--numeric-perms]
#     [--time-format short|full|iso] [--key KEY]... [--id ID]... [--owner USER]
#     [--creator USER] [--older-than DURATION] [--name GLOB]...
#     [--attached-by PID]... [--orphaned] [--path DIR]... [KIND...]
# The filters list and rm share (cmd/ipcx-cmd.h: SELECTION_FILTER_OPTIONS)
function __ipcx_filter_options -a cond
    complete -c ipcx -n $cond -l owner -x -a '(__fish_complete_users)' \
        -d 'Only objects owned by this user'
    complete -c ipcx -n $cond -l creator -x -a '(__fish_complete_users)' \
        -d 'Only objects this user created'
    complete -c ipcx -n $cond -l older-than -x -a '(__ipcx_durations)' \
        -d 'Only objects changed longer ago'
    complete -c ipcx -n $cond -l name -x -d 'Only objects whose name or path matches'
    complete -c ipcx -n $cond -l attached-by -x -a '(__ipcx_pids)' \
        -d 'Only objects this process uses'
end

set -l c "__fish_seen_subcommand_from list"
complete -c ipcx -n $c -a '(__ipcx_kinds_and_groups)'
complete -c ipcx -n $c -s o -l output -x -a '(__ipcx_columns)' \
    -d 'Columns to print; +LIST adds to the default'
complete -c ipcx -n $c -l output-all -d 'Print every column'
complete -c ipcx -n $c -s H -l list-columns -d 'List the columns (of the kinds given) and exit'
complete -c ipcx -n $c -s J -l json -d 'JSON output'
complete -c ipcx -n $c -s r -l raw -d 'Raw output'
complete -c ipcx -n $c -s n -l noheadings -d 'Do not print headings'
complete -c ipcx -n $c -s b -l bytes -d 'Print sizes in bytes'
complete -c ipcx -n $c -s P -l numeric-perms -d 'Print permissions as octal numbers'
complete -c ipcx -n $c -l time-format -x -a '(__ipcx_time_formats)' -d 'How to print times'
complete -c ipcx -n $c -l key -x -a '(__ipcx_keys)' -d 'Only objects with this key'
complete -c ipcx -n $c -l id -x -a '(__ipcx_list_ids)' -d 'Only objects with this id'
__ipcx_filter_options $c
complete -c ipcx -n $c -l orphaned -d 'Only objects nobody uses; adds a REASON column'
complete -c ipcx -n $c -l path -x -a '(__fish_complete_directories)' \
    -d 'fifo: also look for FIFOs under this directory'

# ipcx show [-J|--json] [-b|--bytes] [-P|--numeric-perms]
#     [--time-format FORMAT] KIND (ID | --key KEY | NAME | PATH)
set -l c "__fish_seen_subcommand_from show"
complete -c ipcx -n '__ipcx_nargs 0 show' -a '(__ipcx_kinds)'
complete -c ipcx -n '__ipcx_wants_object shm sem msg' -a '(__ipcx_objects)' -d Id
complete -c ipcx -n '__ipcx_wants_object posix-shm posix-sem posix-mq' \
    -a '(__ipcx_objects)' -d Name
complete -c ipcx -n '__ipcx_wants_object fifo; and not __ipcx_target >/dev/null' -F \
    -d 'FIFO path'
complete -c ipcx -n '__ipcx_wants_object fifo; and __ipcx_target >/dev/null' \
    -a '(__ipcx_objects)' -d 'FIFO path'
complete -c ipcx -n '__ipcx_wants_object mmap' -a '(__ipcx_objects)' -d 'Mapped file'
complete -c ipcx -n '__ipcx_wants_object unix' -a '(__ipcx_objects)' -d 'Socket path'
complete -c ipcx -n '__ipcx_wants_object pipe' -a '(__ipcx_objects)' -d 'Pipe inode'
complete -c ipcx -n $c -l key -x -a '(__ipcx_keys)' \
    -d 'Select a System V object by its key'
complete -c ipcx -n $c -s J -l json -d 'JSON output'
complete -c ipcx -n $c -s b -l bytes -d 'Print sizes in bytes'
complete -c ipcx -n $c -s P -l numeric-perms -d 'Print permissions as octal numbers'
complete -c ipcx -n $c -l time-format -x -a '(__ipcx_time_formats)' -d 'How to print times'

# ipcx rm [-f|--force] [--dry-run] [-q|--quiet] [--owner USER] [--creator USER]
#     [--older-than DURATION] [--name GLOB]... [--attached-by PID]...
#     KIND ID... | [KIND...] --key KEY... | KIND... --all | KIND... --orphaned
#     | posix-shm|posix-sem|posix-mq NAME... | fifo PATH...
set -l c "__fish_seen_subcommand_from rm"
complete -c ipcx -n __ipcx_rm_wants_kind -a '(__ipcx_kinds_and_groups pipe mmap unix)'
complete -c ipcx -n '__ipcx_wants_object shm sem msg' -a '(__ipcx_objects)' -d Id
complete -c ipcx -n '__ipcx_wants_object posix-shm posix-sem posix-mq' \
    -a '(__ipcx_objects)' -d Name
complete -c ipcx -n '__ipcx_wants_object fifo; and not __ipcx_target >/dev/null' -F \
    -d 'FIFO path'
complete -c ipcx -n '__ipcx_wants_object fifo; and __ipcx_target >/dev/null' \
    -a '(__ipcx_objects)' -d 'FIFO path'
complete -c ipcx -n $c -l key -x -a '(__ipcx_keys)' -d 'Remove the System V objects with this key'
complete -c ipcx -n $c -l id -x -a '(__ipcx_list_ids)' -d 'Remove the object of the kind with this id'
complete -c ipcx -n $c -l all -d 'Remove every object of the kinds given'
complete -c ipcx -n $c -l orphaned -d 'Remove the objects of the kinds given that nobody uses'
complete -c ipcx -n $c -l path -x -a '(__fish_complete_directories)' \
    -d 'With --all or --orphaned: the FIFOs under this directory'
__ipcx_filter_options $c
complete -c ipcx -n $c -s f -l force -d 'Remove objects in use too'
complete -c ipcx -n $c -l dry-run -d 'Print what would be removed, remove nothing'
complete -c ipcx -n $c -s q -l quiet -d 'Do not print a line per object'

# ipcx create shm --size SIZE | sem --nsems N | msg  [--key KEY]
#     | posix-shm NAME --size SIZE | posix-sem NAME [--value N]
#     | posix-mq NAME [--max-msgs N] [--msg-size SIZE] | fifo PATH
#     [--mode MODE] [-J|--json]
set -l c "__fish_seen_subcommand_from create"
complete -c ipcx -n '__ipcx_nargs 0 create' -a '(__ipcx_kinds pipe mmap unix)'
complete -c ipcx -n '__ipcx_create_wants_name fifo; and not __ipcx_target >/dev/null' -F \
    -d 'Path of the new FIFO'
complete -c ipcx -n '__ipcx_creating shm posix-shm' -l size -x \
    -d 'shm, posix-shm: size (4096, 8K, 1M, 2GiB)'
complete -c ipcx -n '__ipcx_creating sem' -l nsems -x -d 'sem: number of semaphores'
complete -c ipcx -n '__ipcx_creating shm sem msg' -l key -x \
    -d 'System V key; without it the object is private'
complete -c ipcx -n '__ipcx_creating posix-sem' -l value -x \
    -d 'posix-sem: initial value (default 0)'
complete -c ipcx -n '__ipcx_creating posix-mq' -l max-msgs -x \
    -d "posix-mq: most messages queued (default: system's)"
complete -c ipcx -n '__ipcx_creating posix-mq' -l msg-size -x \
    -d "posix-mq: largest message (default: system's)"
complete -c ipcx -n $c -l mode -x -a '0600 0640 0644 0660 0666' \
    -d 'Octal permissions, exactly (default 0600)'
complete -c ipcx -n $c -s J -l json -d 'JSON output'

# ipcx limits [-J|--json] [-r|--raw] [-n|--noheadings] [-b|--bytes]
set -l c "__fish_seen_subcommand_from limits"
complete -c ipcx -n $c -s J -l json -d 'JSON output'
complete -c ipcx -n $c -s r -l raw -d 'Raw output'
complete -c ipcx -n $c -s n -l noheadings -d 'Do not print headings'
complete -c ipcx -n $c -s b -l bytes -d 'Print sizes in bytes'
