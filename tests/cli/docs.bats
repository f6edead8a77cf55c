#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The man pages render cleanly, and every long option the program's --help
# lists is documented in the command's man page and known to the bash, zsh
# and fish completions.

load common

COMMANDS=(list show rm create limits)
MAN_PAGES=(ipcx.1 ipcx-list.1 ipcx-show.1 ipcx-rm.1 ipcx-create.1 ipcx-limits.1 libipcx.3)
COMPLETIONS=(completions/ipcx.bash completions/_ipcx completions/ipcx.fish)

setup() {
	# reads no IPC objects, but runs ipcx like every other test: in the namespace
	require_private_ns
	[ -x "$IPCX" ] || fail "no ipcx binary at '$IPCX' (build it, or set IPCX)"
}

# long_options [COMMAND]: the long options `ipcx [COMMAND] --help` lists on
# its option lines, without the dashes, one per line
long_options() {
	"$IPCX" "$@" --help |
		grep -E '^ +(-[[:alnum:]], +)?--[a-z]' |
		grep -oE -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u
}

@test "every man page renders without warnings" {
	local page built=0 missing=()
	for page in "${MAN_PAGES[@]}"; do
		if [ -f "$BUILDDIR/man/$page" ]; then
			built=$((built + 1))
		else
			missing+=("$page")
		fi
	done
	[ "$built" -gt 0 ] || skip "the man pages are not built in $BUILDDIR/man (run make)"
	command -v man >/dev/null || skip "man(1) is not installed"
	[ "${#missing[@]}" = 0 ] || fail "not built: ${missing[*]}"
	for page in "${MAN_PAGES[@]}"; do
		echo "case: $page"
		run -0 --separate-stderr env MANWIDTH=80 MANPAGER=cat PAGER=cat \
			man --warnings -l "$BUILDDIR/man/$page"
		assert_equal "$stderr" ""
		[ -n "$output" ] || fail "$page renders to nothing"
	done
}

@test "every man page has a source in man/" {
	local page
	for page in "${MAN_PAGES[@]}"; do
		[ -f "$SRCDIR/man/$page.scd" ] || fail "no $SRCDIR/man/$page.scd"
	done
}

@test "the program's long options are in ipcx(1)" {
	local opt opts
	opts=$(long_options)
	[ -n "$opts" ] || fail "ipcx --help lists no long option"
	for opt in $opts; do
		grep -qE -- "--$opt([^a-z0-9-]|\$)" "$SRCDIR/man/ipcx.1.scd" ||
			fail "--$opt is not in man/ipcx.1.scd"
	done
}

@test "every command's long options are in its man page" {
	local cmd opt opts page
	for cmd in "${COMMANDS[@]}"; do
		page=$SRCDIR/man/ipcx-$cmd.1.scd
		[ -f "$page" ] || fail "no $page"
		opts=$(long_options "$cmd")
		[ -n "$opts" ] || fail "ipcx $cmd --help lists no long option"
		for opt in $opts; do
			grep -qE -- "--$opt([^a-z0-9-]|\$)" "$page" ||
				fail "--$opt of 'ipcx $cmd' is not in man/ipcx-$cmd.1.scd"
		done
	done
}

@test "every command is in ipcx(1)" {
	local cmd
	for cmd in "${COMMANDS[@]}"; do
		grep -q "ipcx-$cmd" "$SRCDIR/man/ipcx.1.scd" ||
			fail "ipcx(1) does not refer to ipcx-$cmd(1)"
	done
}

# in_completion FILE OPTION: the completion file offers --OPTION (fish also
# as `-l OPTION` or `--long-option OPTION`)
in_completion() {
	grep -qE -- "--$2([^a-z0-9-]|\$)" "$1" && return 0
	case $1 in
	*.fish) grep -qE -- "(-l|--long-option) +['\"]?$2(['\" ]|\$)" "$1" ;;
	*) return 1 ;;
	esac
}

@test "every long option is in the bash, zsh and fish completions" {
	local file cmd opt opts
	opts=$(long_options)
	[ -n "$opts" ] || fail "ipcx --help lists no long option"
	for file in "${COMPLETIONS[@]}"; do
		[ -f "$SRCDIR/$file" ] || fail "no $file"
		for opt in $opts; do
			in_completion "$SRCDIR/$file" "$opt" || fail "--$opt of 'ipcx' is not in $file"
		done
		for cmd in "${COMMANDS[@]}"; do
			opts=$(long_options "$cmd")
			[ -n "$opts" ] || fail "ipcx $cmd --help lists no long option"
			for opt in $opts; do
				in_completion "$SRCDIR/$file" "$opt" ||
					fail "--$opt of 'ipcx $cmd' is not in $file"
			done
		done
	done
}

@test "every command is in the bash, zsh and fish completions" {
	local file cmd
	for file in "${COMPLETIONS[@]}"; do
		[ -f "$SRCDIR/$file" ] || fail "no $file"
		for cmd in "${COMMANDS[@]}" help; do
			grep -qw -- "$cmd" "$SRCDIR/$file" || fail "command $cmd is not in $file"
		done
	done
}

@test "the completion scripts parse" {
	[ -f "$SRCDIR/completions/ipcx.bash" ] || fail "no completions/ipcx.bash"
	run -0 bash -n "$SRCDIR/completions/ipcx.bash"
	if command -v zsh >/dev/null; then
		run -0 zsh -n "$SRCDIR/completions/_ipcx"
	fi
	if command -v fish >/dev/null; then
		run -0 fish --no-execute "$SRCDIR/completions/ipcx.fish"
	fi
}

@test "libipcx.pc: pkg-config answers with no other .pc to be found (the library is shared only)" {
	command -v pkg-config >/dev/null || skip "pkg-config is not installed"
	[ -f "$BUILDDIR/lib/libipcx.pc" ] || skip "lib/libipcx.pc is not built in $BUILDDIR (run make)"
	local prefix
	prefix=$(sed -n 's/^prefix=//p' "$BUILDDIR/lib/libipcx.pc")
	PKG_CONFIG_LIBDIR=$BUILDDIR/lib run -0 pkg-config --exists --print-errors libipcx
	PKG_CONFIG_LIBDIR=$BUILDDIR/lib run -0 pkg-config --cflags libipcx
	# (pkg-config ends its answer with a space)
	assert_equal "${output% }" "-I$prefix/include"
	PKG_CONFIG_LIBDIR=$BUILDDIR/lib run -0 pkg-config --libs libipcx
	[[ "${output% }" =~ ^-L/[^\ ]+\ -lipcx$ ]] || fail "pkg-config --libs: '$output'"
}
