// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx show: every field of one object, and a semaphore set's semaphores. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "ipcx-cmd.h"

enum { OPT_TIME_FORMAT = 0x100, OPT_KEY };

static const char *const member_columns[] = { "SEMNUM", "VALUE", "PID", "NCNT", "ZCNT",
					       "PID_ALIVE" };
/* The last is text, the others numbers */
#define MEMBER_TEXT_COLUMN 5
static const char *const process_columns[] = { "PID", "USER", "HOW", "COMMAND" };
#define NPROCESS_COLUMNS (sizeof(process_columns) / sizeof(process_columns[0]))
#define NMEMBER_COLUMNS (sizeof(member_columns) / sizeof(member_columns[0]))

static void show_help(void)
{
	printf("Usage:\n ipcx show [options] <kind> <id|name|path|inode>\n ipcx show [options] <kind> --key <key>\n\n"
	       "Show every field of one object, the processes using it and whether the\n"
	       "processes in its pid fields still run; for a semaphore set also each\n"
	       "semaphore.\n\n"
	       "Options:\n"
	       "     --key <key>         select the object by its key\n"
	       " -J, --json              JSON output\n"
	       " -b, --bytes             print sizes in bytes\n"
	       " -P, --numeric-perms     print permissions as octal numbers\n"
	       "     --time-format <fmt> short, full or iso\n"
	       " -h, --help              display this help\n"
	       " -V, --version           display the version\n\n"
	       "An id names shm, sem and msg objects, a name posix-shm, posix-sem and\n"
	       "posix-mq ones, a path a fifo, mmap or unix one, an inode a pipe, a\n"
	       "unix socket or a mapping. See ipcx-show(1).\n");
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
		INFO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = EXIT_DONE;

	while (rc == EXIT_DONE && (c = getopt_long(argc, argv, ":JbPhV", options, NULL)) != -1) {
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
		else if (IS_INFO_OPTION(c)) {
			exit_with_info(c, show_help);
		} else
			rc = option_error(argv, c, options);
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
	output_format_chosen(&a->out);	/* show has no --raw */
	output_all_columns(&a->out, IPCX_KIND_BIT(a->kind));
	return EXIT_DONE;
}

static const char *pid_state_name(int state)
{
	switch (state) {
	case IPCX_PID_ALIVE:
		return "yes";
	case IPCX_PID_GONE:
		return "no";
	case IPCX_PID_REUSED:
		return "reused";
	default:
		return "";
	}
}

/*
 * "1234 (gone)": a pid field says whether its process still runs. Takes
 * value (NULL: none) and returns it, or the noted copy that replaces it.
 */
static char *note_pid_state(const struct ipcx_obj *obj, unsigned int col, char *value)
{
	static const char *const notes[] = {
		[IPCX_PID_ALIVE] = "running",
		[IPCX_PID_GONE] = "gone",
		[IPCX_PID_REUSED] = "gone, pid reused",
	};
	int state = ipcx_obj_pid_state(obj, col);
	char *noted;

	if (!value || !*value || state < 0 || (size_t)state >= sizeof(notes) / sizeof(notes[0]) ||
	    asprintf(&noted, "%s (%s)", value, notes[state]) < 0)
		return value;
	free(value);
	return noted;
}

/* "key:" and its value, one line per column: a two-column table */
static int show_fields(const struct output *out, const struct ipcx_obj *obj)
{
	struct output plain = *out;
	struct libscols_table *tb;
	char label[64];

	plain.noheadings = true;
	tb = output_table(&plain, "fields");
	if (!tb || !scols_table_new_column(tb, "FIELD", 0, 0) ||
	    !scols_table_new_column(tb, "VALUE", 0, 0))
		goto nomem;
	for (size_t i = 0; i < out->ncols; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		size_t len = 0;
		char *value;
		int r;

		for (const char *s = ipcx_col_name(out->cols[i]); *s && len < sizeof(label) - 2; s++)
			label[len++] = (char)tolower((unsigned char)*s);
		strcpy(label + len, ":");
		/* as long as it is: every process of a file all of them map */
		value = format_cell(obj, out->cols[i], out->fmt_flags, &r);
		value = note_pid_state(obj, out->cols[i], value);
		if (!ln || r == -ENOMEM || scols_line_set_data(ln, 0, label) < 0 ||
		    scols_line_set_data(ln, 1, value ? value : "") < 0) {
			free(value);
			goto nomem;
		}
		free(value);
	}
	return output_print(tb);
nomem:
	return output_nomem(tb);
}

static int add_member_columns(struct libscols_table *tb, bool json)
{
	for (size_t i = 0; i < NMEMBER_COLUMNS; i++) {
		bool number = i != MEMBER_TEXT_COLUMN;
		struct libscols_column *cl = scols_table_new_column(tb, member_columns[i], 0,
								   number ? SCOLS_FL_RIGHT : 0);
		if (!cl)
			return -ENOMEM;
		if (json && number)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return 0;
}

static int fill_member_line(struct libscols_line *ln, size_t first,
			    const struct ipcx_sem_member *m)
{
	const long long values[MEMBER_TEXT_COLUMN] = { m->num, m->value, m->pid, m->ncnt, m->zcnt };
	char buf[32];

	for (size_t i = 0; i < MEMBER_TEXT_COLUMN; i++) {
		snprintf(buf, sizeof(buf), "%lld", values[i]);
		if (scols_line_set_data(ln, first + i, buf) < 0)
			return -ENOMEM;
	}
	if (m->pid_state >= 0 &&
	    scols_line_set_data(ln, first + MEMBER_TEXT_COLUMN, pid_state_name(m->pid_state)) < 0)
		return -ENOMEM;
	return 0;
}

/* " r", " w", " rw" or "" */
static const char *access_text(unsigned int how)
{
	return (how & IPCX_USE_READ) && (how & IPCX_USE_WRITE) ? " rw" :
	       how & IPCX_USE_READ ? " r" : how & IPCX_USE_WRITE ? " w" : "";
}

/* How many descriptors show names for one process; more are "..." */
#define SHOWN_FDS 8

/* "fd 3 r, fd 4 w": each descriptor with its own access; the end of what was written */
static size_t describe_fds(const struct ipcx_obj *obj, const struct ipcx_user *u, char *buf,
			   size_t size, size_t used)
{
	struct ipcx_fd fds[SHOWN_FDS];
	int n = ipcx_obj_user_fds(obj, u->pid, fds, SHOWN_FDS);

	if (n <= 0 && u->fd >= 0) {
		/* not known per descriptor: the lowest, with every access */
		n = 1;
		fds[0] = (struct ipcx_fd){ .fd = u->fd, .how = u->how };
	}
	for (int i = 0; i < n && i < SHOWN_FDS && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%sfd %d%s", used ? ", " : "",
					 fds[i].fd, access_text(fds[i].how));
	if (n > SHOWN_FDS && used < size)
		used += (size_t)snprintf(buf + used, size - used, ", ...");
	return used;
}

/* "mapped 8K, fd 3 r, fd 4 w": every way the process holds the object */
static void describe_use(const struct ipcx_obj *obj, const struct ipcx_user *u, char *buf,
			 size_t size)
{
	static const struct {
		unsigned int bit;
		const char *text;
	} ways[] = {
		{ IPCX_USE_SEM_WAIT, "waits on the set" },
		{ IPCX_USE_NOTIFY, "notified of messages" },
		{ IPCX_USE_LAST_OP, "did the last operation" },
	};
	size_t used = 0;
	char mapped[32];

	buf[0] = '\0';
	if (u->how & IPCX_USE_MAPPED) {
		ipcx_format_size(u->mapped, mapped, sizeof(mapped));
		used += (size_t)snprintf(buf, size, "mapped %s", mapped);
	}
	if (used < size)
		used = describe_fds(obj, u, buf, size, used);
	if ((u->how & IPCX_USE_MSG_WAIT) && used < size)
		used += (size_t)snprintf(buf + used, size - used, "%swaits on the queue to %s",
					 used ? ", " : "", u->how & IPCX_USE_MSG_SEND ?
					 "send (it is full)" : "receive");
	if ((u->how & IPCX_USE_OPENING) && used < size)
		used += (size_t)snprintf(buf + used, size - used, "%sopening it to %s", used ? ", " : "",
					 !(u->how & IPCX_USE_WRITE) ? "read: waits for a writer" :
					 !(u->how & IPCX_USE_READ) ? "write: waits for a reader" :
								     "read and write");
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]) && used < size; i++) {
		if (u->how & ways[i].bit)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
						 ways[i].text);
	}
}

/*
 * The name of a process's user, or its uid (in buf) when it has none; NULL
 * if unknown. A few processes per object: no cache needed.
 */
static const char *process_user(const struct ipcx_user *u, char *buf, size_t size)
{
	struct passwd *pw;

	if (!u->has_uid)
		return NULL;
	pw = getpwuid(u->uid);
	if (pw)
		return pw->pw_name;
	snprintf(buf, size, "%u", (unsigned int)u->uid);
	return buf;
}

static int fill_process_line(struct libscols_line *ln, size_t first, const struct ipcx_obj *obj,
			     const struct ipcx_user *u)
{
	char pid[16], uid[16], how[160];
	const char *user = process_user(u, uid, sizeof(uid));

	snprintf(pid, sizeof(pid), "%d", (int)u->pid);
	describe_use(obj, u, how, sizeof(how));
	if (scols_line_set_data(ln, first, pid) < 0 ||
	    (user && scols_line_set_data(ln, first + 1, user) < 0) ||
	    scols_line_set_data(ln, first + 2, how) < 0 ||
	    scols_line_set_data(ln, first + 3, u->cmdline ? u->cmdline : u->command) < 0)
		return -ENOMEM;
	return 0;
}

static int add_process_columns(struct libscols_table *tb, bool json)
{
	for (size_t i = 0; i < NPROCESS_COLUMNS; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, process_columns[i], 0,
								   i == 0 ? SCOLS_FL_RIGHT : 0);
		if (!cl)
			return -ENOMEM;
		if (json && i == 0)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return 0;
}

/* As text: a table under the fields, if anyone uses the object */
static int show_processes_text(const struct output *out, const struct ipcx_obj *obj)
{
	const struct ipcx_user *users;
	struct libscols_table *tb;
	size_t n;

	if (ipcx_obj_users(obj, &users, &n) < 0 || n == 0)
		return EXIT_DONE;
	tb = output_table(out, "processes");
	if (!tb || add_process_columns(tb, false) < 0)
		return output_nomem(tb);
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln || fill_process_line(ln, 0, obj, &users[i]) < 0)
			return output_nomem(tb);
	}
	putchar('\n');
	return output_print(tb);
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

static void report_unread_fields(void)
{
	print_error("some fields could not be read (permission denied?): they are empty");
}

/*
 * Semaphores the caller may not read are fields it may not read, said as
 * those are (once: a partial object has said it) with exit status 0
 */
static int members_unreadable(struct ipcx_obj *obj, int r)
{
	char *what;

	if (r == -EACCES || r == -EPERM) {
		if (!ipcx_obj_is_partial(obj))
			report_unread_fields();
		return EXIT_DONE;
	}
	what = describe_obj(obj);

	print_error("%s: cannot read its semaphores: %s", what ? what : "a semaphore set",
		    strerror(-r));
	free(what);
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

/* One process as a JSON object: {"pid":1,"user":"root","how":"...","command":"..."} */
static void json_process(FILE *f, const struct ipcx_obj *obj, const struct ipcx_user *u)
{
	/* the JSON keys, in the order of values[] */
	const char *fields[] = {
		"how",
		"command",
		"user",
	};
	char how[160], uid[16];
	const char *values[3] = { how, u->cmdline ? u->cmdline : u->command,
				  process_user(u, uid, sizeof(uid)) };

	describe_use(obj, u, how, sizeof(how));
	fprintf(f, "{\"pid\":%d", (int)u->pid);
	for (size_t i = 0; i < 3; i++) {
		/* the longest escape of a byte is \u00XX; and the quotes */
		size_t size = values[i] ? strlen(values[i]) * 6 + 3 : 0;
		char *text = size ? malloc(size) : NULL;

		if (text && ipcx_format_json_string(values[i], text, size) > 0)
			fprintf(f, ",\"%s\":%s", fields[i], text);
		free(text);
	}
	fputc('}', f);
}

/*
 * The processes as one JSON array in the object, printed as it is: lists in
 * libsmartcols 2.38 JSON hold only plain values, and "children" are the
 * semaphores. NULL if users are unknown or out of memory.
 */
static char *json_processes(const struct ipcx_obj *obj)
{
	const struct ipcx_user *users;
	char *text = NULL;
	size_t len, n;
	FILE *f;

	if (ipcx_obj_users(obj, &users, &n) < 0 || !(f = open_memstream(&text, &len)))
		return NULL;
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_process(f, obj, &users[i]);
	}
	fputc(']', f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int add_json_columns(struct libscols_table *tb, const struct output *out, bool sem)
{
	struct libscols_column *cl;

	for (size_t i = 0; i < out->ncols; i++) {
		unsigned int col = out->cols[i];

		cl = scols_table_new_column(tb, ipcx_col_name(col), 0, i == 0 ? SCOLS_FL_TREE : 0);
		if (!cl)
			return -ENOMEM;
		scols_column_set_json_type(cl, ipcx_col_is_number(col) || ipcx_col_is_list(col) ?
					   SCOLS_JSON_NUMBER : SCOLS_JSON_STRING);
	}
	cl = scols_table_new_column(tb, "PROCESSES", 0, 0);
	if (!cl)
		return -ENOMEM;
	scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);	/* printed as it is */
	return sem ? add_member_columns(tb, true) : 0;
}

static int show_json(const struct output *out, struct ipcx_obj *obj)
{
	bool sem = ipcx_obj_kind(obj) == IPCX_KIND_SEM;
	struct libscols_table *tb = output_table(out, "objects");
	struct libscols_line *ln;
	char *processes;
	int rc, r = 0;

	if (!tb || add_json_columns(tb, out, sem) < 0 || !(ln = scols_table_new_line(tb, NULL)))
		return output_nomem(tb);
	for (size_t i = 0; i < out->ncols; i++) {
		char *text = format_cell(obj, out->cols[i], out->fmt_flags, &r);

		if (text && scols_line_refer_data(ln, i, text) < 0)
			free(text);
	}
	processes = json_processes(obj);
	if (processes && scols_line_refer_data(ln, out->ncols, processes) < 0)
		free(processes);
	r = sem ? add_members(tb, ln, out->ncols + 1, obj) : 0;
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
	if (rc == EXIT_DONE)
		rc = show_processes_text(&a->out, obj);
	return rc;
}

/*
 * A semaphore set removed since the scan: its semaphores, read when first
 * asked for, are gone with it
 */
static bool sem_set_gone(struct ipcx_obj *obj)
{
	const struct ipcx_sem_member *members;
	size_t n;

	return ipcx_obj_kind(obj) == IPCX_KIND_SEM &&
	       ipcx_obj_sem_members(obj, &members, &n) == -EIDRM;
}

/* What tells objects of one path apart: sockets of two namespaces may share an abstract name */
static const char *inode_columns(const char *kind)
{
	return strcmp(kind, "unix") == 0 ? "INODE,NETNS" : "INODE";
}

/*
 * Several sockets or mappings can have one path (a listener and the
 * connections it accepted; each shared anonymous mapping), and mapped files
 * of different file systems one inode number: the first is shown, and the
 * caller told how to name the others
 */

static void report_others(const struct ipcx_obj *shown, size_t others, bool by_inode)
{
	uint64_t ino = 0;
	const char *kind = ipcx_kind_name(ipcx_obj_kind(shown));
	const char *raw = ipcx_obj_get_string(shown, IPCX_COL_PATH);
	char *path = raw ? escape_text(raw) : NULL;

	ipcx_obj_get_u64(shown, IPCX_COL_INODE, &ino);
	if (by_inode)
		print_error("%zu other %s object%s of another file system %s inode %" PRIu64
			    " too: shown is %s, show %s by %s path", others, kind,
			    others == 1 ? "" : "s", others == 1 ? "has" : "have", ino,
			    path ? path : "?", others == 1 ? "the other" : "the others",
			    others == 1 ? "its" : "their");
	else if (others == 1)
		print_error("1 other %s object has this path too: shown is inode %" PRIu64
			    ", show the other by its inode ('ipcx list %s -o +%s' gives it)",
			    kind, ino, kind, inode_columns(kind));
	else
		print_error("%zu other %s objects have this path too: shown is inode %" PRIu64
			    ", show the others by their inode ('ipcx list %s -o +%s' gives them)",
			    others, kind, ino, kind, inode_columns(kind));
	free(path);
}

/* The first object selected, and a word if more are */
static struct ipcx_obj *first_selected(struct selection *sel, struct ipcx_list *list)
{
	struct ipcx_obj *first = NULL;
	size_t others = 0;

	for (size_t i = 0; i < ipcx_list_count(list); i++) {
		struct ipcx_obj *obj = ipcx_list_get(list, i);

		if (!selection_filter(sel, obj))
			continue;
		if (first)
			others++;
		else
			first = obj;
	}
	if (others)
		report_others(first, others, sel->ids_are_inodes);
	return first;
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
		/* every column, and the processes with their owners and command lines */
		rc = scan_kinds(ctx, IPCX_KIND_BIT(a.kind), NULL, 0, &list);
	if (rc == EXIT_DONE)
		found = first_selected(&a.sel, list);
	if (found && sem_set_gone(found)) {
		/* as if it had not been listed, like any object gone before the scan */
		selection_clear_hits(&a.sel);
		found = NULL;
	}
	if (rc == EXIT_DONE)
		rc = found ? show_object(&a, found) : selection_report_unmatched(&a.sel, IPCX_KIND_BIT(a.kind));
	if (found && ipcx_obj_is_partial(found))
		report_unread_fields();
	if (found)
		report_hidden_procs(list);
	else if (list)	/* the socket asked for may be in one of them */
		report_unread_netns(list);
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
