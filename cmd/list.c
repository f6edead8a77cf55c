// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx list: a table of objects of the kinds asked for. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcx-cmd.h"

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_TIME_FORMAT,
	OPT_KEY,
	OPT_ID,
	OPT_PATH,
};

static const struct option list_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "numeric-perms", no_argument, NULL, 'P' },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "id", required_argument, NULL, OPT_ID },
	{ "path", required_argument, NULL, OPT_PATH },
	SELECTION_FILTER_OPTIONS,
	INFO_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static void list_help(void)
{
	printf("Usage:\n ipcx list [options] [<kind>...]\n\n"
	       "List IPC objects of the kinds given; without a kind, System V and POSIX.\n\n"
	       "Options:\n"
	       " -o, --output <list>     columns to print; +<list> adds to the default\n"
	       "     --output-all        print every column\n"
	       " -H, --list-columns      list the columns (of the kinds given) and exit\n"
	       " -J, --json              JSON output\n"
	       " -r, --raw               raw output\n"
	       " -n, --noheadings        do not print headings\n"
	       " -b, --bytes             print sizes in bytes\n"
	       " -P, --numeric-perms     print permissions as octal numbers\n"
	       "     --time-format <fmt> short, full or iso\n"
	       "     --key <key>         only objects with this key (repeatable)\n"
	       "     --id <id>           only objects with this id (repeatable)\n"
	       SELECTION_FILTER_HELP
	       "     --path <dir>        fifo: also look for FIFOs under this directory\n"
	       "                         (repeatable; no other mount is entered)\n"
	       " -h, --help              display this help\n"
	       " -V, --version           display the version\n\n"
	       "Kinds: shm sem msg posix-shm posix-sem posix-mq fifo pipe mmap unix;\n"
	       "groups: sysv posix all. Without a kind: sysv and posix.\n"
	       "See ipcx-list(1) and 'ipcx list --list-columns'.\n");
}

struct list_args {
	struct output out;
	struct selection sel;
	unsigned int kinds;
	const char *columns;	/* -o, applied once the kinds are known */
	bool all_columns, list_columns;
	bool kinds_given;	/* kind operands: -H lists their columns only */
};

static int list_option(struct list_args *a, int c, char *argv[])
{
	switch (c) {
	case 'o':
		a->columns = optarg;
		return EXIT_DONE;
	case OPT_OUTPUT_ALL:
		a->all_columns = true;
		return EXIT_DONE;
	case 'H':
		a->list_columns = true;
		return EXIT_DONE;
	case 'J':
		a->out.json = true;
		return EXIT_DONE;
	case 'r':
		a->out.raw = true;
		return EXIT_DONE;
	case 'n':
		a->out.noheadings = true;
		return EXIT_DONE;
	case 'b':
		a->out.fmt_flags |= IPCX_FMT_BYTES;
		return EXIT_DONE;
	case 'P':
		a->out.fmt_flags |= IPCX_FMT_NUMERIC_PERMS;
		return EXIT_DONE;
	case OPT_TIME_FORMAT:
		return parse_time_format_arg(optarg, &a->out.fmt_flags);
	case OPT_KEY:
		return selection_add_key(&a->sel, optarg);
	case OPT_ID:
		return selection_add_id(&a->sel, optarg);
	case OPT_PATH:
		return selection_add_dir(&a->sel, optarg);
	case 'h':
	case 'V':
		exit_with_info(c, list_help);
	default:
		if (is_filter_option(c))
			return selection_filter_option(&a->sel, c, optarg);
		return option_error(argv, c, list_options);
	}
}

static int list_parse(struct list_args *a, int argc, char *argv[])
{
	int c, rc;

	while ((c = getopt_long(argc, argv, ":o:HJrnbPhV", list_options, NULL)) != -1) {
		rc = list_option(a, c, argv);
		if (rc)
			return rc;
	}
	for (int i = optind; i < argc; i++) {
		rc = parse_kind_arg(argv[i], &a->kinds, false);
		if (rc)
			return rc;
	}
	a->kinds_given = a->kinds != 0;
	if (!a->kinds)
		a->kinds = ipcx_kinds_default();
	if (a->columns && a->all_columns)
		return usage_error("--output and --output-all cannot be used together");
	if (a->sel.ndirs && !(a->kinds & IPCX_KIND_BIT(IPCX_KIND_FIFO)))
		return usage_error("--path is for the fifo kind: add 'fifo' or 'all'");
	rc = selection_check_name_kinds(&a->sel, a->kinds);
	if (rc)
		return rc;
	if ((a->sel.nkeys || a->sel.nids) && !(a->kinds & sysv_kinds()))
		return usage_error("--%s selects System V objects only: add 'sysv' or one of its kinds",
				   a->sel.nkeys ? "key" : "id");
	rc = output_format_chosen(&a->out);
	if (rc)
		return rc;
	if (a->columns)
		rc = output_parse_columns(&a->out, a->columns, a->kinds);
	else if (a->all_columns)
		output_all_columns(&a->out, a->kinds);
	else
		output_default_columns(&a->out, a->kinds);
	/* the answer to "why is this an orphan?", among the default columns ("+X" adds to them) */
	if (rc == EXIT_DONE && a->sel.orphaned && (!a->columns || a->columns[0] == '+'))
		output_add_column(&a->out, IPCX_COL_REASON);
	return rc;
}

static int list_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	struct list_args a = { 0 };
	struct ipcx_list *list = NULL;
	struct ipcx_obj **rows = NULL;
	size_t n = 0;
	int rc = list_parse(&a, argc, argv);

	if (rc == EXIT_DONE && !a.list_columns)
		rc = selection_add_fifo_paths(&a.sel, ctx);
	if (rc == EXIT_DONE && a.list_columns)
		rc = output_column_list(&a.out, a.kinds_given ? a.kinds : ipcx_kinds_all());
	else if (rc == EXIT_DONE) {
		unsigned int cols[IPCX_COL_COUNT];
		size_t ncols = a.out.ncols;
		int scan_rc;

		memcpy(cols, a.out.cols, ncols * sizeof(*cols));
		ncols = selection_scan_columns(&a.sel, cols, ncols);
		scan_rc = scan_kinds(ctx, a.kinds, cols, ncols, &list);

		if (list) {
			rows = calloc(ipcx_list_count(list) + 1, sizeof(*rows));
			for (size_t i = 0; rows && i < ipcx_list_count(list); i++) {
				if (selection_filter(&a.sel, ipcx_list_get(list, i)))
					rows[n++] = ipcx_list_get(list, i);
			}
			rc = rows ? output_objects(&a.out, rows, n) : EXIT_FAILED;
			report_unread(list, rows, n);
		}
		if (scan_rc)
			rc = scan_rc;
	}
	free(rows);
	ipcx_list_unref(list);
	selection_free(&a.sel);
	return rc;
}

const struct subcommand cmd_list = {
	.name = "list",
	.run = list_run,
	.help = list_help,
	.summary = "list objects",
};
