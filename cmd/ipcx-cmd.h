/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the subcommands of ipcx share. */
#ifndef IPCX_CMD_H
#define IPCX_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipcx.h>

/* Longest text of one cell: a path */
#define CELL_MAX 4200
/* the stdout buffer when it is not a terminal */
#define OUTPUT_BUFFER (64 << 10)

enum {
	EXIT_DONE = 0,
	EXIT_FAILED = 1,	/* could not do what was asked */
	EXIT_USAGE = 2,
};

struct subcommand {
	const char *name;
	int (*run)(struct ipcx_ctx *ctx, int argc, char *argv[]);
	void (*help)(void);
	const char *summary;
};

extern const struct subcommand cmd_list, cmd_show, cmd_rm, cmd_create, cmd_limits;

/*
 * target.c: --target PID; -1 in the process that goes on with the command,
 * otherwise the exit status to end with
 */
int enter_target(const char *arg);

/* heap.c: the heap of a large listing in huge pages; before a subcommand runs */
void heap_prepare(void);

/* util.c: errors are one line on stderr, "ipcx: ..." */
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* print_error() and EXIT_USAGE */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt_long()'s '?' and ':' with opterr = 0 */
struct option;
int option_error(char *argv[], int c, const struct option *options);
/* Each returns EXIT_DONE or, having said why, EXIT_USAGE */
int parse_key_arg(const char *arg, uint32_t *key, bool selector);
int parse_id_arg(const char *arg, int *id);
int parse_size_arg(const char *arg, uint64_t *size);
int parse_mode_arg(const char *arg, unsigned int *mode);
int parse_user_arg(const char *arg, uint32_t *uid);
int parse_pid_arg(const char *arg, int *pid);
int parse_duration_arg(const char *arg, uint64_t *seconds);
int parse_time_format_arg(const char *arg, unsigned int *flags);
/* The operand at optind as exactly one kind, for command cmd; advances optind */
int parse_one_kind_operand(int argc, char *argv[], const char *cmd, unsigned int *kind);
/* A kind word or group; single: exactly one kind wanted */
int parse_kind_arg(const char *word, unsigned int *mask, bool single);
bool is_kind_word(const char *word);
unsigned int sysv_kinds(void);
/* The only kind in a one-kind mask */
unsigned int kind_of_mask(unsigned int mask);
/* Scan, telling the user about kinds that could not be read */
int scan_kinds(struct ipcx_ctx *ctx, unsigned int kinds, const unsigned int *cols,
	       size_t ncols, struct ipcx_list **list);
/* "shm 65538 (key 0x1234abcd)", "posix-shm /name", "fifo /path", escaped; NULL: no memory */
char *describe_obj(const struct ipcx_obj *obj);
/* A copy of s with what a terminal should not be sent written as \xHH; NULL: no memory */
char *escape_text(const char *s);
/*
 * Write len bytes of s at out as \xHH each (in_json: as \\xHH, JSON's escape
 * of that text, for text inside a JSON string); the end of what was written
 */
char *hex_bytes(char *out, const char *s, size_t len, bool in_json);
/*
 * Say on stderr which of the n objects listed in rows could not be read
 * fully, and how many processes of the list could not be inspected; never
 * fails the command
 */
void report_unread(const struct ipcx_list *list, struct ipcx_obj *const *rows, size_t n);
/*
 * "N processes could not be inspected", and that /proc's hidepid keeps
 * processes out of sight: their uses are missing. Nothing if neither.
 */
void report_hidden_procs(const struct ipcx_list *list);
/* unix: the network namespaces whose sockets could not be read, if any */
void report_unread_netns(const struct ipcx_list *list);
/* Why processes are out of sight, for ipcx_list_hidepid()'s 2 or 4 */
const char *hidepid_sight(int hidepid);
/* A path made absolute without resolving links; NULL when out of memory */
char *absolute_path(const char *path);

/* select.c: which objects the user named */
struct selection {
	uint32_t *keys;
	bool *key_hit;
	size_t nkeys;
	uint64_t *ids;		/* ids, or with ids_are_inodes inodes */
	bool *id_hit;
	size_t nids;
	bool ids_are_inodes;	/* show pipe|unix INODE: the ids name pipes and sockets too */
	char **names;		/* POSIX names ("/name") or FIFO paths */
	char **given;		/* per name: a socket path as typed when not absolute, else NULL */
	bool *name_hit;
	size_t nnames;
	char **dirs;		/* --path: where FIFOs are also looked for, resolved */
	dev_t *dir_devs;	/* their file systems */
	uint64_t *dir_mnts;	/* and mounts (statx), 0 where the kernel cannot tell */
	size_t ndirs;
	bool by_owner;
	uint32_t owner;
	bool by_creator;
	uint32_t creator;
	uint64_t older_than;	/* seconds; 0: any age */
	char **globs;		/* --name */
	size_t nglobs;
	int *attached_by;	/* --attached-by pids */
	size_t nattached_by;
	bool orphaned;
	bool removing;		/* rm: a path given that is no FIFO is "left as it is" */
};

/*
 * The filters list and rm share: their getopt_long() entries and codes.
 * Both commands put SELECTION_FILTER_OPTIONS in their option tables and
 * hand these codes to selection_filter_option().
 */
enum {
	OPT_FILTER_OWNER = 0x200,
	OPT_FILTER_CREATOR,
	OPT_FILTER_OLDER_THAN,
	OPT_FILTER_NAME,
	OPT_FILTER_ATTACHED_BY,
	OPT_FILTER_ORPHANED,
	OPT_FILTER_LAST = OPT_FILTER_ORPHANED,
};
#define SELECTION_FILTER_OPTIONS \
	{ "owner", required_argument, NULL, OPT_FILTER_OWNER }, \
	{ "creator", required_argument, NULL, OPT_FILTER_CREATOR }, \
	{ "older-than", required_argument, NULL, OPT_FILTER_OLDER_THAN }, \
	{ "name", required_argument, NULL, OPT_FILTER_NAME }, \
	{ "attached-by", required_argument, NULL, OPT_FILTER_ATTACHED_BY }, \
	{ "orphaned", no_argument, NULL, OPT_FILTER_ORPHANED }
/* The help lines of those options */
#define SELECTION_FILTER_HELP \
	"     --owner <user>      only objects owned by this user\n" \
	"     --creator <user>    only objects this user created (POSIX kinds and\n" \
	"                         FIFOs keep no creator: their owner)\n" \
	"     --older-than <age>  only objects changed longer ago: 90s, 30m, 2h,\n" \
	"                         7d, 1w (a bare number: seconds)\n" \
	"     --name <glob>       only objects whose name or path matches\n" \
	"                         (repeatable)\n" \
	"     --attached-by <pid> only objects this process uses (repeatable)\n" \
	"     --orphaned          only objects nobody uses (list adds a REASON;\n" \
	"                         rm needs the kinds written out)\n"
static inline bool is_filter_option(int c)
{
	return c >= OPT_FILTER_OWNER && c <= OPT_FILTER_LAST;
}
int selection_filter_option(struct selection *sel, int c, const char *arg);
/* 1 if any filter was given */
bool selection_has_filters(const struct selection *sel);
/* Add to cols (room for IPCX_COL_COUNT) the columns the filters read */
size_t selection_scan_columns(const struct selection *sel, unsigned int *cols, size_t n);
int selection_add_key(struct selection *sel, const char *arg);
int selection_add_id(struct selection *sel, const char *arg);
int selection_set_owner(struct selection *sel, const char *arg);
/* An object named on the command line: an id, a POSIX name or a FIFO path, as the kind has */
int selection_add_object(struct selection *sel, unsigned int kind, const char *arg);
bool selection_has_name(struct selection *sel, const struct ipcx_obj *obj);
/* --path DIR: an existing directory, else EXIT_USAGE */
int selection_add_dir(struct selection *sel, const char *arg);
/* 1 if path, of a file on the file system dev, lies under a --path directory, on its file system */
bool selection_under_dirs(const struct selection *sel, const char *path, dev_t dev);
/* For FIFOs named by path and --path directories: make the scan look at them */
int selection_add_fifo_paths(const struct selection *sel, struct ipcx_ctx *ctx);
/* "no such object" for every selector nothing matched; EXIT_FAILED if any */
int selection_report_unmatched(const struct selection *sel, unsigned int kinds);
/* Forget which selectors hit: an object found has gone since */
void selection_clear_hits(struct selection *sel);
/* Each marks the selectors it hits, so unmatched ones can be reported */
bool selection_has_key(struct selection *sel, const struct ipcx_obj *obj);
bool selection_has_id(struct selection *sel, const struct ipcx_obj *obj);
/* --name among kinds that have no name (System V alone): a usage error */
int selection_check_name_kinds(const struct selection *sel, unsigned int kinds);
/* Named by any id, key or name given: each that matches is marked as hit */
bool selection_names(struct selection *sel, const struct ipcx_obj *obj);
/*
 * Named by any id, key or name given (when some are), and passing every
 * other filter (AND across options, OR within one)
 */
bool selection_filter(struct selection *sel, const struct ipcx_obj *obj);
/* Only --owner, --creator, --older-than, --name, --attached-by, --orphaned */
const char *selection_failed_filter(const struct selection *sel, const struct ipcx_obj *obj);
bool selection_passes_filters(const struct selection *sel, const struct ipcx_obj *obj);
void selection_free(struct selection *sel);

/* output.c: tables and JSON, all through libsmartcols */
/* Big writes when stdout is no terminal, no locks; first thing in main() */
void output_stream_setup(void);
/*
 * What a command that returned rc exits with once stdout is flushed: 1 if
 * what it printed (the id create made, what rm removed) could not be
 * written, which is said on stderr
 */
int output_close(int rc);
/* "ipcx VERSION" on stdout */
void print_version(void);
/*
 * A command's --help (opt 'h') or --version ('V'), then exit: 0, or 1 if
 * it could not be written
 */
_Noreturn void exit_with_info(int opt, void (*help)(void));
/* The options every command takes, and how to tell them */
#define INFO_OPTIONS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }
#define IS_INFO_OPTION(c) ((c) == 'h' || (c) == 'V')
/* SIGPIPE ignored: a command that changes objects finishes what it does */
void output_outlive_reader(void);
struct output {
	unsigned int cols[IPCX_COL_COUNT];
	size_t ncols;
	unsigned int fmt_flags;
	bool json, raw, noheadings;
};
/*
 * After the options: --json with --raw is a usage error (EXIT_USAGE, said);
 * JSON is for programs: exact bytes and unambiguous times, whatever else was
 * asked.
 */
int output_format_chosen(struct output *out);
void output_default_columns(struct output *out, unsigned int kinds);
void output_all_columns(struct output *out, unsigned int kinds);
/* Append a column unless it is there already */
void output_add_column(struct output *out, unsigned int col);
/* A cell's text, malloc'd; NULL with *r = -ENODATA (no value) or another -errno */
char *format_cell(const struct ipcx_obj *obj, unsigned int col, unsigned int flags, int *r);
/* "-o LIST" or "-o +LIST"; EXIT_USAGE on an unknown name */
int output_parse_columns(struct output *out, const char *arg, unsigned int kinds);
/* Prints objs as the rows of a table named "objects" */
int output_objects(const struct output *out, struct ipcx_obj *const *objs, size_t n);
/* One row of the texts given, one per column of out (NULL: no value) */
int output_texts(const struct output *out, const char *const *texts);
int output_column_list(const struct output *out, unsigned int kinds);
/* Shared: a table set up by the output options */
struct libscols_table *output_table(const struct output *out, const char *name);
int output_print(struct libscols_table *tb);
/* Frees tb, says "out of memory"; EXIT_FAILED */
int output_nomem(struct libscols_table *tb);

#endif
