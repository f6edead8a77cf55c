// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx limits: the kernel's IPC limits and how close the host is to them. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "ipcx-cmd.h"

enum { COL_RESOURCE, COL_DESCRIPTION, COL_LIMIT, COL_USED, COL_USE };

static void limits_help(void)
{
	printf("Usage:\n ipcx limits [options]\n\n"
	       "Show the kernel's IPC limits and their use.\n\n"
	       "Options:\n"
	       " -J, --json        JSON output\n"
	       " -r, --raw         raw output\n"
	       " -n, --noheadings  do not print headings\n"
	       " -b, --bytes       print sizes in bytes\n"
	       " -h, --help        display this help\n"
	       " -V, --version     display the version\n\n"
	       "See ipcx-limits(1).\n");
}

static int limits_parse(struct output *out, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		INFO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":JrnbhV", options, NULL)) != -1) {
		if (c == 'J')
			out->json = true;
		else if (c == 'r')
			out->raw = true;
		else if (c == 'n')
			out->noheadings = true;
		else if (c == 'b')
			out->fmt_flags |= IPCX_FMT_BYTES;
		else if (IS_INFO_OPTION(c)) {
			exit_with_info(c, limits_help);
		} else
			return option_error(argv, c, options);
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return output_format_chosen(out);
}

/* A limit or its use: bytes are human-readable unless --bytes or JSON */
static void format_amount(const struct output *out, const struct ipcx_limit *l,
			  uint64_t value, char *buf, size_t size)
{
	if ((l->flags & IPCX_LIMIT_BYTES) && !(out->fmt_flags & IPCX_FMT_BYTES))
		ipcx_format_size(value, buf, size);
	else
		snprintf(buf, size, "%" PRIu64, value);
}

static int fill_limit_line(struct libscols_line *ln, const struct output *out,
			   const struct ipcx_limit *l)
{
	char limit[32], used[32] = "", use[32] = "";

	if ((l->flags & IPCX_LIMIT_UNLIMITED) && !out->json)
		snprintf(limit, sizeof(limit), "unlimited");
	else
		format_amount(out, l, l->limit, limit, sizeof(limit));
	if (l->flags & IPCX_LIMIT_HAS_USED) {
		format_amount(out, l, l->used, used, sizeof(used));
		if (l->limit && !(l->flags & IPCX_LIMIT_UNLIMITED))
			snprintf(use, sizeof(use), out->json ? "%.2f" : "%.2f%%",
				 100.0 * (double)l->used / (double)l->limit);
	}
	if (scols_line_set_data(ln, COL_RESOURCE, l->name) < 0 ||
	    scols_line_set_data(ln, COL_DESCRIPTION, l->description) < 0 ||
	    scols_line_set_data(ln, COL_LIMIT, limit) < 0 ||
	    (*used && scols_line_set_data(ln, COL_USED, used) < 0) ||
	    (*use && scols_line_set_data(ln, COL_USE, use) < 0))
		return -1;
	return 0;
}

static int add_limit_columns(struct libscols_table *tb, bool json)
{
	static const struct {
		const char *name;
		int flags;
		bool number;
	} cols[] = {
		[COL_RESOURCE] = { "RESOURCE", 0, false },
		[COL_DESCRIPTION] = { "DESCRIPTION", 0, false },
		[COL_LIMIT] = { "LIMIT", SCOLS_FL_RIGHT, true },
		[COL_USED] = { "USED", SCOLS_FL_RIGHT, true },
		[COL_USE] = { "USE%", SCOLS_FL_RIGHT, true },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		struct libscols_column *cl = scols_table_new_column(tb, cols[i].name, 0,
								   cols[i].flags);
		if (!cl)
			return -1;
		if (json && cols[i].number)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return 0;
}

static int limits_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	struct output out = { 0 };
	struct ipcx_limits *limits = NULL;
	struct libscols_table *tb = NULL;
	int r, rc = limits_parse(&out, argc, argv);

	if (rc)
		return rc;
	r = ipcx_limits_new(ctx, &limits);
	if (r < 0) {
		print_error("cannot read the limits: %s", strerror(-r));
		return EXIT_FAILED;
	}
	tb = output_table(&out, "limits");
	rc = !tb || add_limit_columns(tb, out.json) < 0;
	for (size_t i = 0; !rc && i < ipcx_limits_count(limits); i++) {
		const struct ipcx_limit *l = ipcx_limits_get(limits, i);
		struct libscols_line *ln;

		if (l && (!(ln = scols_table_new_line(tb, NULL)) || fill_limit_line(ln, &out, l) < 0))
			rc = 1;
	}
	ipcx_limits_unref(limits);
	return rc ? output_nomem(tb) : output_print(tb);
}

const struct subcommand cmd_limits = {
	.name = "limits",
	.run = limits_run,
	.help = limits_help,
	.summary = "show kernel limits and their use",
};
