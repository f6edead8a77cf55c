// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx show: every field of one object, and a semaphore set's semaphores. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "ipcx-cmd.h"

enum { OPT_TIME_FORMAT = 0x100, OPT_KEY };

static const char *const member_columns[] = { "SEMNUM", "VALUE", "PID", "NCNT", "ZCNT" };
#define NMEMBER_COLUMNS (sizeof(member_columns) / sizeof(member_columns[0]))

static void show_help(void)
{
	printf("Usage:\n ipcx show [options] <kind> <id|name|path>\n ipcx show [options] <kind> --key <key>\n\n"
	       "Show every field of one object; for a semaphore set also each semaphore.\n\n"
	       "Options:\n"
	       "     --key <key>         select the object by its key\n"
	       " -J, --json              JSON output\n"
	       " -b, --bytes             print sizes in bytes\n"
	       " -P, --numeric-perms     print permissions as octal numbers\n"
	       "     --time-format <fmt> short, full or iso\n"
	       " -h, --help              display this help\n\n"
	       "An id names shm, sem and msg objects, a name posix-shm, posix-sem and\n"
	       "posix-mq ones, a path a fifo. See ipcx-show(1).\n");
}

struct show_args {
	struct output out;
	struct selection sel;
	unsigned int kind;
};

static int show_parse(struct show_args *a, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "json", no_argument, NULL, 'J' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "numeric-perms", no_argument, NULL, 'P' },
		{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = EXIT_DONE;

	while (rc == EXIT_DONE && (c = getopt_long(argc, argv, ":JbPh", options, NULL)) != -1) {
		if (c == 'J')
			a->out.json = true;
		else if (c == 'b')
			a->out.fmt_flags |= IPCX_FMT_BYTES;
		else if (c == 'P')
			a->out.fmt_flags |= IPCX_FMT_NUMERIC_PERMS;
		else if (c == OPT_TIME_FORMAT)
			rc = parse_time_format_arg(optarg, &a->out.fmt_flags);
		else if (c == OPT_KEY)
			rc = selection_add_key(&a->sel, optarg);
		else if (c == 'h') {
			show_help();
			exit(EXIT_DONE);
		} else
			rc = option_error(argv, c);
	}
	if (rc == EXIT_DONE)
		rc = parse_one_kind_operand(argc, argv, "show", &a->kind);
	if (rc)
		return rc;
	if (optind < argc && (rc = selection_add_object(&a->sel, a->kind, argv[optind++])))
		return rc;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (a->sel.nkeys && !ipcx_col_applies(IPCX_COL_KEY, a->kind))
		return usage_error("--key selects System V objects only");
	if (a->sel.nids + a->sel.nkeys + a->sel.nnames != 1)
		return usage_error("name one object: an id, a name, a path or one --key");
	output_json_flags(&a->out);
	output_all_columns(&a->out, IPCX_KIND_BIT(a->kind));
	return EXIT_DONE;
}

/* "key:" and its value, one line per column: a two-column table */
static int show_fields(const struct output *out, const struct ipcx_obj *obj)
{
	struct output plain = *out;
	struct libscols_table *tb;
	char label[64], value[CELL_MAX];

	plain.noheadings = true;
	tb = output_table(&plain, "fields");
	if (!tb || !scols_table_new_column(tb, "FIELD", 0, 0) ||
	    !scols_table_new_column(tb, "VALUE", 0, 0))
		goto nomem;
	for (size_t i = 0; i < out->ncols; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		size_t len = 0;

		for (const char *s = ipcx_col_name(out->cols[i]); *s && len < sizeof(label) - 2; s++)
			label[len++] = (char)tolower((unsigned char)*s);
		strcpy(label + len, ":");
		if (ipcx_obj_format(obj, out->cols[i], out->fmt_flags, value, sizeof(value)) < 0)
			value[0] = '\0';
		if (!ln || scols_line_set_data(ln, 0, label) < 0 ||
		    scols_line_set_data(ln, 1, value) < 0)
			goto nomem;
	}
	return output_print(tb);
nomem:
	return output_nomem(tb);
}

static int add_member_columns(struct libscols_table *tb, bool json)
{
	for (size_t i = 0; i < NMEMBER_COLUMNS; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, member_columns[i], 0,
								   SCOLS_FL_RIGHT);
		if (!cl)
			return -ENOMEM;
		if (json)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return 0;
}

static int fill_member_line(struct libscols_line *ln, size_t first,
			    const struct ipcx_sem_member *m)
{
	const long long values[NMEMBER_COLUMNS] = { m->num, m->value, m->pid, m->ncnt, m->zcnt };
	char buf[32];

	for (size_t i = 0; i < NMEMBER_COLUMNS; i++) {
		snprintf(buf, sizeof(buf), "%lld", values[i]);
		if (scols_line_set_data(ln, first + i, buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The semaphores. In JSON they hang under the object as "children" of a
 * libsmartcols tree (parent == the object's line); as text, a table of their own.
 */
static int add_members(struct libscols_table *tb, struct libscols_line *parent,
		       size_t first, struct ipcx_obj *obj)
{
	const struct ipcx_sem_member *members;
	size_t n;
	int r = ipcx_obj_sem_members(obj, &members, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, parent);

		if (!ln || fill_member_line(ln, first, &members[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int members_unreadable(struct ipcx_obj *obj, int r)
{
	char what[96];

	describe_obj(obj, what, sizeof(what));
	print_error("%s: cannot read its semaphores: %s", what, strerror(-r));
	return EXIT_FAILED;
}

static int show_members_text(const struct output *out, struct ipcx_obj *obj)
{
	struct libscols_table *tb = output_table(out, "semaphores");
	int r;

	if (!tb || add_member_columns(tb, false) < 0) {
		scols_unref_table(tb);
		return members_unreadable(obj, -ENOMEM);
	}
	r = add_members(tb, NULL, 0, obj);
	if (r < 0) {
		scols_unref_table(tb);
		return members_unreadable(obj, r);
	}
	putchar('\n');
	return output_print(tb);
}

static int show_json(const struct output *out, struct ipcx_obj *obj)
{
	bool sem = ipcx_obj_kind(obj) == IPCX_KIND_SEM;
	struct libscols_table *tb;
	struct libscols_line *ln;
	int rc, r = 0;

	if (!sem)
		return output_objects(out, &obj, 1);
	tb = output_table(out, "objects");
	for (size_t i = 0; tb && i < out->ncols; i++) {
		unsigned int col = out->cols[i];
		struct libscols_column *cl = scols_table_new_column(tb, ipcx_col_name(col), 0,
					i == 0 ? SCOLS_FL_TREE : 0);
		if (cl && ipcx_col_is_number(col))
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	if (!tb || add_member_columns(tb, true) < 0 || !(ln = scols_table_new_line(tb, NULL))) {
		scols_unref_table(tb);
		return members_unreadable(obj, -ENOMEM);
	}
	for (size_t i = 0; i < out->ncols; i++) {
		char buf[CELL_MAX];

		if (ipcx_obj_format(obj, out->cols[i], out->fmt_flags, buf, sizeof(buf)) >= 0)
			scols_line_set_data(ln, i, buf);
	}
	r = add_members(tb, ln, out->ncols, obj);
	rc = output_print(tb);
	return r < 0 ? members_unreadable(obj, r) : rc;
}

static int show_object(const struct show_args *a, struct ipcx_obj *obj)
{
	int rc;

	if (a->out.json)
		return show_json(&a->out, obj);
	rc = show_fields(&a->out, obj);
	if (rc == EXIT_DONE && a->kind == IPCX_KIND_SEM)
		rc = show_members_text(&a->out, obj);
	return rc;
}

static int show_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	struct show_args a = { 0 };
	struct ipcx_list *list = NULL;
	struct ipcx_obj *found = NULL;
	int rc = show_parse(&a, argc, argv);

	if (rc == EXIT_DONE)
		rc = selection_add_fifo_paths(&a.sel, ctx);
	if (rc == EXIT_DONE)
		rc = scan_kinds(ctx, IPCX_KIND_BIT(a.kind), a.out.cols, a.out.ncols, &list);
	for (size_t i = 0; rc == EXIT_DONE && !found && i < ipcx_list_count(list); i++) {
		if (selection_filter(&a.sel, ipcx_list_get(list, i)))
			found = ipcx_list_get(list, i);
	}
	if (rc == EXIT_DONE)
		rc = found ? show_object(&a, found) : selection_report_unmatched(&a.sel, IPCX_KIND_BIT(a.kind));
	if (found && ipcx_obj_is_partial(found))
		print_error("some fields could not be read (permission denied?): they are empty");
	ipcx_list_unref(list);
	selection_free(&a.sel);
	return rc;
}

const struct subcommand cmd_show = {
	.name = "show",
	.run = show_run,
	.help = show_help,
	.summary = "show every field of one object",
};
