// SPDX-License-Identifier: GPL-2.0-or-later
/* Columns chosen by the user, and printing objects through libsmartcols. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
		/* JSON would have the key twice; no column twice: cols[] holds them all */
		if (!appending && has_column(out, (unsigned int)col))
			return usage_error("column '%.*s' given twice in '%s'", (int)len, p, arg);
		if (!has_column(out, (unsigned int)col))
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

/*
 * For the commands that change objects: a reader that goes away (rm ... |
 * head) must not stop them half way through, as SIGPIPE would; writes fail
 * with EPIPE instead, and output_close() says the output was lost. The
 * commands that only read end with their reader, as other such tools do.
 */
void output_outlive_reader(void)
{
	signal(SIGPIPE, SIG_IGN);
}

void print_version(void)
{
	printf("ipcx %s\n", PACKAGE_VERSION);
}

/* --help or --version of a command: printed, and the exit status says if it could not be */
void exit_with_info(int opt, void (*help)(void))
{
	if (opt == 'V')
		print_version();
	else
		help();
	exit(output_close(EXIT_DONE));
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

/* The length of the UTF-8 character s starts with (RFC 3629), or 0 if it starts none */
static size_t utf8_char_len(const unsigned char *s)
{
	static const struct {
		unsigned char lead_min, lead_max, next_min, next_max;
		size_t len;
	} forms[] = {
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 }, { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 }, { 0xed, 0xed, 0x80, 0x9f, 3 },	/* no surrogates */
		{ 0xee, 0xef, 0x80, 0xbf, 3 }, { 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 }, { 0xf4, 0xf4, 0x80, 0x8f, 4 },	/* to U+10FFFF */
	};

	if (s[0] < 0x80)
		return 1;
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		if (s[0] < forms[f].lead_min || s[0] > forms[f].lead_max)
			continue;
		if (s[1] < forms[f].next_min || s[1] > forms[f].next_max)
			return 0;
		for (size_t i = 2; i < forms[f].len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
		}
		return forms[f].len;
	}
	return 0;
}

/*
 * A backslash that starts "\x" in a string: written \x5c, as tables write
 * it, so that a name holding the text "\xff" and one holding the byte 0xff
 * never read the same (a script that removes by the JSON name would remove
 * the other). Not in raw JSON, whose backslashes are JSON's own escapes.
 */
static bool starts_hex_escape(const unsigned char *s, bool raw_json)
{
	return !raw_json && s[0] == '\\' && s[1] == 'x';
}

/*
 * A copy of text with each byte that is not UTF-8 as the text \xHH; in a
 * cell of raw JSON (a number column holding an array), where such bytes can
 * only be inside a string, as \\xHH, which JSON reads as \xHH. NULL: no memory
 */
static char *utf8_escaped(const char *text, bool raw_json)
{
	char *buf = malloc(strlen(text) * 5 + 1), *out = buf;
	const unsigned char *s = (const unsigned char *)text;

	if (!buf)
		return NULL;
	while (*s) {
		size_t len = starts_hex_escape(s, raw_json) ? 0 : utf8_char_len(s);

		if (len) {
			memcpy(out, s, len);
			out += len;
			s += len;
		} else {
			out = hex_bytes(out, (const char *)s++, 1, raw_json);
		}
	}
	*out = '\0';
	return buf;
}

/* Text to go out as it is: UTF-8 throughout, with no "\x" to tell from an escape */
static bool json_safe(const char *text, bool raw_json)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len;

	while (*s && !starts_hex_escape(s, raw_json) && (len = utf8_char_len(s)) > 0)
		s += len;
	return *s == '\0';
}

/*
 * JSON is UTF-8, but a name is any bytes its maker chose (and libsmartcols
 * copies them as they are): bytes that are not UTF-8 go out as "\xHH", as
 * tables write them, so that every JSON reader takes the document; and so
 * does a backslash that starts "\x" (\x5c), so that no two names read alike.
 */
static int json_cells_to_utf8(struct libscols_table *tb)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;
	int r = 0;

	if (!itr)
		return -ENOMEM;
	while (r == 0 && scols_table_next_line(tb, itr, &ln) == 0) {
		for (size_t i = 0; r == 0 && i < scols_line_get_ncells(ln); i++) {
			struct libscols_cell *cell = scols_line_get_cell(ln, i);
			struct libscols_column *cl = scols_table_get_column(tb, i);
			const char *data = scols_cell_get_data(cell);
			bool raw_json = cl && scols_column_get_json_type(cl) == SCOLS_JSON_NUMBER;
			char *copy;

			if (!data || json_safe(data, raw_json))
				continue;
			copy = utf8_escaped(data, raw_json);
			if (!copy || scols_cell_refer_data(cell, copy) < 0) {
				free(copy);
				r = -ENOMEM;
			}
		}
	}
	scols_free_iter(itr);
	return r;
}

int output_print(struct libscols_table *tb)
{
	int r = scols_table_is_json(tb) ? json_cells_to_utf8(tb) : 0;

	if (r == 0)
		r = scols_print_table(tb);
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

int output_texts(const struct output *out, const char *const *texts)
{
	struct libscols_table *tb = output_table(out, "objects");
	struct libscols_line *ln = NULL;

	if (!tb || add_object_columns(tb, out) < 0 || !(ln = scols_table_new_line(tb, NULL)))
		goto nomem;
	for (size_t i = 0; i < out->ncols; i++) {
		if (texts[i] && scols_line_set_data(ln, i, texts[i]) < 0)
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

int output_column_list(const struct output *out, unsigned int kinds)
{
	struct libscols_table *tb = output_table(out, "columns");
	char names[256];

	if (!tb || !scols_table_new_column(tb, "NAME", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0) ||
	    !scols_table_new_column(tb, "KINDS", 0, 0))
		goto nomem;
	for (unsigned int c = 0; c < IPCX_COL_COUNT; c++) {
		struct libscols_line *ln;

		if (!wanted_for_any(c, kinds, false))
			continue;
		ln = scols_table_new_line(tb, NULL);
		kinds_of_column(c, names, sizeof(names));
		if (!ln || scols_line_set_data(ln, 0, ipcx_col_name(c)) < 0 ||
		    scols_line_set_data(ln, 1, ipcx_col_description(c)) < 0 ||
		    scols_line_set_data(ln, 2, names) < 0)
			goto nomem;
	}
	return output_print(tb);
nomem:
	return output_nomem(tb);
}
