// SPDX-License-Identifier: GPL-2.0-or-later
/* Columns chosen by the user, and printing objects through libsmartcols. */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "ipcx-cmd.h"

static bool has_column(const struct output *out, unsigned int col)
{
	for (size_t i = 0; i < out->ncols; i++) {
		if (out->cols[i] == col)
			return true;
	}
	return false;
}

/* The column has a value for one of the kinds (and, if asked, is one of its defaults) */
static bool wanted_for_any(unsigned int col, unsigned int kinds, bool defaults_only)
{
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if ((kinds & IPCX_KIND_BIT(k)) && ipcx_col_applies(col, k) &&
		    (!defaults_only || ipcx_col_is_default_for(col, k)))
			return true;
	}
	return false;
}

static void output_columns_where(struct output *out, unsigned int kinds, bool defaults_only)
{
	out->ncols = 0;
	for (unsigned int c = 0; c < IPCX_COL_COUNT; c++) {
		if (wanted_for_any(c, kinds, defaults_only))
			out->cols[out->ncols++] = c;
	}
}

void output_add_column(struct output *out, unsigned int col)
{
	if (!has_column(out, col) && out->ncols < IPCX_COL_COUNT)
		out->cols[out->ncols++] = col;
}

int output_format_chosen(struct output *out)
{
	if (out->json && out->raw)
		return usage_error("--json and --raw cannot be combined");
	if (out->json)
		out->fmt_flags = (out->fmt_flags & ~(unsigned int)IPCX_FMT_TIME_MASK) |
				 IPCX_FMT_BYTES | IPCX_FMT_TIME_ISO | IPCX_FMT_LIST_JSON;
	return EXIT_DONE;
}

void output_default_columns(struct output *out, unsigned int kinds)
{
	output_columns_where(out, kinds, true);
}

void output_all_columns(struct output *out, unsigned int kinds)
{
	output_columns_where(out, kinds, false);
}

int output_parse_columns(struct output *out, const char *arg, unsigned int kinds)
{
	const char *p = arg;
	bool appending = *p == '+';

	if (appending) {
		output_default_columns(out, kinds);
		p++;
	} else {
		out->ncols = 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int col = ipcx_col_from_name(p, len);

		if (col < 0)
			return usage_error("unknown column '%.*s'", (int)len, p);
		if (out->ncols == IPCX_COL_COUNT)
			return usage_error("too many columns in '%s'", arg);
		if (!(appending && has_column(out, (unsigned int)col)))
			out->cols[out->ncols++] = (unsigned int)col;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return EXIT_DONE;
}

/*
 * A table goes out in one go once it is complete: to a pipe or a file, in
 * writes of OUTPUT_BUFFER rather than of one page each (glibc's default: a
 * write(2) for every 4 KiB of a listing of megabytes). A terminal keeps its
 * line buffering. Before anything is written to stdout.
 */
void output_stream_setup(void)
{
	/* glibc takes the size only with a buffer: with NULL it picks its own */
	static char buffer[OUTPUT_BUFFER];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buffer, _IOFBF, sizeof(buffer));
	/*
	 * Only the main thread writes to stdout, once libipcx's threads have
	 * ended; but after a process has started a thread, glibc locks the
	 * stream for every call, and libsmartcols makes one per cell and per
	 * space of padding.
	 */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
}

int output_close(int rc)
{
	int error = fflush(stdout) != 0 ? errno : ferror(stdout) ? EIO : 0;

	/* a failed command has said why; a table whose write failed, too */
	if (!error || rc != EXIT_DONE)
		return rc;
	print_error("cannot write output: %s", strerror(error));
	return EXIT_FAILED;
}

struct libscols_table *output_table(const struct output *out, const char *name)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, out->json);
	scols_table_enable_raw(tb, out->raw);
	scols_table_enable_noheadings(tb, out->noheadings);
	return tb;
}

int output_print(struct libscols_table *tb)
{
	int r = scols_print_table(tb);

	scols_unref_table(tb);
	if (r < 0 || fflush(stdout) != 0) {
		print_error("cannot write output: %s", strerror(r < 0 ? -r : errno));
		return EXIT_FAILED;
	}
	return EXIT_DONE;
}

int output_nomem(struct libscols_table *tb)
{
	scols_unref_table(tb);
	print_error("out of memory");
	return EXIT_FAILED;
}

/*
 * libsmartcols 2.38 quotes the items of number arrays and prints an empty
 * array as [null]: lists come formatted as JSON arrays (IPCX_FMT_LIST_JSON)
 * and go out as they are, which is what it does with numbers.
 */
static int json_type(unsigned int col)
{
	return ipcx_col_is_number(col) || ipcx_col_is_list(col) ? SCOLS_JSON_NUMBER
								 : SCOLS_JSON_STRING;
}

static int add_object_columns(struct libscols_table *tb, const struct output *out)
{
	for (size_t i = 0; i < out->ncols; i++) {
		unsigned int col = out->cols[i];
		bool number = ipcx_col_is_number(col);
		struct libscols_column *cl = scols_table_new_column(tb, ipcx_col_name(col), 1,
								   number ? SCOLS_FL_RIGHT : 0);
		if (!cl)
			return -ENOMEM;
		if (out->json)
			scols_column_set_json_type(cl, json_type(col));
	}
	return 0;
}

/*
 * One cell's text, in a buffer that grows for the long ones (the COMMAND of
 * a file every process maps). NULL with *r set: no value, or no memory.
 */
char *format_cell(const struct ipcx_obj *obj, unsigned int col, unsigned int flags, int *r)
{
	size_t size = CELL_MAX;
	char *buf = NULL;

	for (;;) {
		char *bigger = realloc(buf, size);

		if (!bigger) {
			*r = -ENOMEM;
			break;
		}
		buf = bigger;
		*r = ipcx_obj_format(obj, col, flags, buf, size);
		if (*r != -ENOSPC)
			break;
		size *= 4;
	}
	if (*r >= 0) {
		/* the table keeps every cell: only what the text needs, not the buffer */
		char *fit = realloc(buf, (size_t)*r + 1);

		return fit ? fit : buf;
	}
	free(buf);
	return NULL;
}

/*
 * One cell: formatted on the stack and copied once by the line (a heap
 * buffer cut to fit would cost two more allocations a cell: a tenth of a
 * large listing's time); only a text longer than that goes through
 * format_cell. A column with no value stays empty (null in JSON).
 */
static int fill_cell(struct libscols_line *ln, size_t i, const struct ipcx_obj *obj,
		     unsigned int col, unsigned int flags)
{
	char buf[CELL_MAX];
	char *text;
	int r = ipcx_obj_format(obj, col, flags, buf, sizeof(buf));

	if (r >= 0)
		return scols_line_set_data(ln, i, buf) < 0 ? -ENOMEM : 0;
	if (r != -ENOSPC)
		return r == -ENODATA ? 0 : r;
	text = format_cell(obj, col, flags, &r);
	if (!text)
		return r;
	/* the line takes the text over */
	if (scols_line_refer_data(ln, i, text) < 0) {
		free(text);
		return -ENOMEM;
	}
	return 0;
}

static int fill_object_line(struct libscols_line *ln, const struct output *out,
			    const struct ipcx_obj *obj)
{
	for (size_t i = 0; i < out->ncols; i++) {
		int r = fill_cell(ln, i, obj, out->cols[i], out->fmt_flags);

		if (r < 0)
			return r;
	}
	return 0;
}

int output_objects(const struct output *out, struct ipcx_obj *const *objs, size_t n)
{
	struct libscols_table *tb = output_table(out, "objects");

	if (!tb || add_object_columns(tb, out) < 0)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln || fill_object_line(ln, out, objs[i]) < 0)
			goto nomem;
	}
	return output_print(tb);
nomem:
	return output_nomem(tb);
}

static void kinds_of_column(unsigned int col, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int k = 0; k < IPCX_KIND_COUNT && used < size; k++) {
		if (ipcx_col_applies(col, k))
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 used ? "," : "", ipcx_kind_name(k));
	}
}

int output_column_list(const struct output *out)
{
	struct libscols_table *tb = output_table(out, "columns");
	char kinds[256];

	if (!tb || !scols_table_new_column(tb, "NAME", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0) ||
	    !scols_table_new_column(tb, "KINDS", 0, 0))
		goto nomem;
	for (unsigned int c = 0; c < IPCX_COL_COUNT; c++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		kinds_of_column(c, kinds, sizeof(kinds));
		if (!ln || scols_line_set_data(ln, 0, ipcx_col_name(c)) < 0 ||
		    scols_line_set_data(ln, 1, ipcx_col_description(c)) < 0 ||
		    scols_line_set_data(ln, 2, kinds) < 0)
			goto nomem;
	}
	return output_print(tb);
nomem:
	return output_nomem(tb);
}
