// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx rm: remove the objects the user named, and only those. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "ipcx-cmd.h"

enum { OPT_KEY = 0x100, OPT_ID, OPT_ALL, OPT_DRY_RUN, OPT_PATH, OPT_FORCE };

static void rm_help(void)
{
	printf("Usage:\n ipcx rm [options] <kind> <id|name|path>...\n"
	       " ipcx rm [options] [<kind>...] --key <key>\n"
	       " ipcx rm [options] <kind>... --all\n"
	       " ipcx rm [options] <kind>... --orphaned\n\n"
	       "Remove IPC objects. An object some process still uses is left alone,\n"
	       "naming the processes, unless --force is given.\n\n"
	       "Options:\n"
	       "     --key <key>         remove the objects with this key (repeatable);\n"
	       "                         without a kind, of every System V kind\n"
	       "     --id <id>           remove the object of the one kind given with this\n"
	       "                         id, as an id after the kind does (repeatable)\n"
	       "     --all               remove every object of the kinds given\n"
	       "     --path <dir>        fifo: with --all or --orphaned, the FIFOs under\n"
	       "                         this directory (repeatable); never host-wide\n"
	       SELECTION_FILTER_HELP
	       " -f, --force             remove objects in use too (an attached shm\n"
	       "                         segment goes at its last detach)\n"
	       "     --dry-run           print what would be removed, remove nothing\n"
	       " -q, --quiet             do not print a line per object\n"
	       " -h, --help              display this help\n"
	       " -V, --version           display the version\n\n"
	       "Objects: ids (shm sem msg), names (posix-shm posix-sem posix-mq),\n"
	       "paths (fifo). Groups: sysv posix all. See ipcx-rm(1).\n");
}

struct rm_args {
	struct selection sel;
	unsigned int kinds;
	unsigned int named_kinds;	/* those of kind words, not of groups */
	bool all, dry_run, quiet, force;
	/* --id values, taken once the kind is known: room for one per argument */
	const char **ids;
	size_t nids;
};

static int rm_options(struct rm_args *a, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "id", required_argument, NULL, OPT_ID },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		SELECTION_FILTER_OPTIONS,
		INFO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = EXIT_DONE;

	a->ids = calloc((size_t)argc, sizeof(*a->ids));
	if (!a->ids) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	while (rc == EXIT_DONE && (c = getopt_long(argc, argv, ":fqhV", options, NULL)) != -1) {
		if (c == OPT_KEY)
			rc = selection_add_key(&a->sel, optarg);
		else if (c == OPT_ID)
			a->ids[a->nids++] = optarg;
		else if (c == OPT_ALL)
			a->all = true;
		else if (c == OPT_DRY_RUN)
			a->dry_run = true;
		else if (c == OPT_PATH)
			rc = selection_add_dir(&a->sel, optarg);
		else if (c == 'q')
			a->quiet = true;
		else if (c == 'f')
			a->force = true;
		else if (is_filter_option(c))
			rc = selection_filter_option(&a->sel, c, optarg);
		else if (IS_INFO_OPTION(c)) {
			exit_with_info(c, rm_help);
		} else
			rc = option_error(argv, c, options);
	}
	return rc;
}

static bool is_single_kind(unsigned int kinds)
{
	return kinds && !(kinds & (kinds - 1));
}

/*
 * After one kind whose objects have names, a kind word is a name when
 * nothing else selects objects: "rm posix-shm all" removes /all, as
 * "create posix-shm all" made it.
 */
static bool kind_word_is_name(const struct rm_args *a)
{
	const unsigned int named_by_name = IPCX_KIND_BIT(IPCX_KIND_POSIX_SHM) |
		IPCX_KIND_BIT(IPCX_KIND_POSIX_SEM) | IPCX_KIND_BIT(IPCX_KIND_POSIX_MQ) |
		IPCX_KIND_BIT(IPCX_KIND_FIFO);

	return is_single_kind(a->kinds) && (a->kinds & named_by_name) && !a->all &&
	       !a->sel.orphaned && !a->sel.nkeys && !a->nids;
}

static int rm_kind_operand(struct rm_args *a, const char *word)
{
	unsigned int mask = 0;
	int rc = parse_kind_arg(word, &mask, false);

	a->kinds |= mask;
	if (is_single_kind(mask))
		a->named_kinds |= mask;
	return rc;
}

/* Kinds first, then what names objects of that one kind: "shm 1 2", "posix-shm /a" */
static int rm_operands(struct rm_args *a, int argc, char *argv[])
{
	bool objects = false;
	int rc = EXIT_DONE;

	for (int i = optind; rc == EXIT_DONE && i < argc; i++) {
		if (!objects && is_kind_word(argv[i]) && !kind_word_is_name(a)) {
			rc = rm_kind_operand(a, argv[i]);
			continue;
		}
		/* "rm posix-shm a posix-sem b" would remove /a, then find no /posix-sem */
		if (objects && is_kind_word(argv[i]))
			return usage_error("kind '%s' after the objects of another: one kind per "
					   "command (write '/%s' for an object of that name)",
					   argv[i], argv[i]);
		if (!a->kinds && !(argv[i][0] >= '0' && argv[i][0] <= '9'))
			return usage_error("unknown kind '%s'", argv[i]);
		if (!is_single_kind(a->kinds))
			return usage_error("'%s' needs exactly one kind before it, such as "
					   "'ipcx rm shm 65538'", argv[i]);
		objects = true;
		rc = selection_add_object(&a->sel, kind_of_mask(a->kinds), argv[i]);
	}
	return rc;
}

/* --id ID is the operand ID: "rm shm --id 5" and "rm shm 5" are one */
static int rm_id_options(struct rm_args *a)
{
	int rc = EXIT_DONE;

	for (size_t i = 0; rc == EXIT_DONE && i < a->nids; i++) {
		if (!is_single_kind(a->kinds) || !(a->kinds & sysv_kinds()))
			return usage_error("--id '%s' needs exactly one System V kind, such as "
					   "'ipcx rm shm --id 65538'", a->ids[i]);
		rc = selection_add_id(&a->sel, a->ids[i]);
	}
	return rc;
}

/* --all, or --orphaned: every object of the kinds, that the filters let through */
static bool rm_wholesale(const struct rm_args *a)
{
	return a->all || a->sel.orphaned;
}

/*
 * Wholesale removal never reaches the FIFOs any process on the host has
 * open: for FIFOs it means those under --path, and without --path a group
 * leaves them out.
 */
static int rm_check_fifo_all(struct rm_args *a)
{
	const unsigned int fifo = IPCX_KIND_BIT(IPCX_KIND_FIFO);

	if (a->sel.ndirs && !(rm_wholesale(a) && (a->kinds & fifo)))
		return usage_error("--path goes with --all or --orphaned and the fifo kind");
	if (!rm_wholesale(a) || !(a->kinds & fifo) || a->sel.ndirs)
		return EXIT_DONE;
	if (a->named_kinds & fifo)
		return usage_error("rm fifo --all and --orphaned need --path DIR: FIFOs are only "
				   "removed wholesale under a directory you name");
	a->kinds &= ~fifo;
	return EXIT_DONE;
}

/* Pipes, mappings and sockets go when their last process closes them; a group leaves them out */
static int rm_check_removable(struct rm_args *a)
{
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if (!(a->kinds & IPCX_KIND_BIT(k)) || ipcx_kind_can_remove(k))
			continue;
		if (a->named_kinds & IPCX_KIND_BIT(k))
			return usage_error("%s objects cannot be removed: they go when the last "
					   "process holding them closes them", ipcx_kind_name(k));
		a->kinds &= ~IPCX_KIND_BIT(k);
	}
	return EXIT_DONE;
}

static int rm_parse(struct rm_args *a, int argc, char *argv[])
{
	int rc = rm_options(a, argc, argv);

	if (rc == EXIT_DONE)
		rc = rm_operands(a, argc, argv);
	if (rc == EXIT_DONE)
		rc = rm_id_options(a);
	if (rc)
		return rc;
	if (a->all && !a->kinds)
		return usage_error("--all needs a kind, such as 'ipcx rm shm --all'");
	if (a->sel.orphaned && !a->kinds)
		return usage_error("--orphaned needs a kind, such as 'ipcx rm shm --orphaned'");
	if (rm_wholesale(a) && (a->sel.nids || a->sel.nkeys || a->sel.nnames))
		return usage_error("--all and --orphaned cannot be combined with ids, names or --key");
	if (!rm_wholesale(a) && !a->sel.nids && !a->sel.nkeys && !a->sel.nnames)
		return usage_error("nothing to remove: give ids, names, --key, --all or --orphaned");
	if (a->sel.nkeys && (a->kinds & ~sysv_kinds()))
		return usage_error("--key selects System V objects only");
	if (!a->kinds)
		a->kinds = sysv_kinds();
	rc = selection_check_name_kinds(&a->sel, a->kinds);
	if (rc)
		return rc;
	rc = rm_check_removable(a);
	if (rc == EXIT_DONE && !a->kinds)
		return usage_error("none of these kinds has objects that can be removed");
	return rc ? rc : rm_check_fifo_all(a);
}

/*
 * A FIFO found open in a process may have been unlinked: /proc shows its
 * old path with " (deleted)", which names nothing, or another file since.
 */
static bool path_names_object(const struct ipcx_obj *obj, struct stat *st)
{
	const char *path = ipcx_obj_get_string(obj, IPCX_COL_PATH);
	uint64_t ino;

	return path && ipcx_obj_get_u64(obj, IPCX_COL_INODE, &ino) == 0 &&
	       lstat(path, st) == 0 && S_ISFIFO(st->st_mode) && st->st_ino == ino;
}

/*
 * An object named on the command line that a filter leaves out stays, as
 * asked, but not silently: "rm shm 5 --owner alice" must not read as done
 * to someone who mistook 5's owner.
 */
static bool named_but_filtered(const struct rm_args *a, const struct ipcx_obj *obj)
{
	const char *filter = selection_failed_filter(&a->sel, obj);
	char *what;

	if (!filter)
		return false;
	if (a->quiet)
		return true;
	what = describe_obj(obj);
	if (what)
		printf("left %s as it is: %s leaves it out\n", what, filter);
	free(what);
	return true;
}

/*
 * A FIFO is selected only by a path that names it now, and before its name
 * counts as found: "PATH (deleted)" typed by hand is then no such FIFO.
 */
static bool rm_selected_fifo(struct rm_args *a, const struct ipcx_obj *obj)
{
	struct stat st;

	if (!path_names_object(obj, &st))
		return false;
	if (rm_wholesale(a))
		return selection_passes_filters(&a->sel, obj) &&
		       selection_under_dirs(&a->sel, ipcx_obj_get_string(obj, IPCX_COL_PATH),
					    st.st_dev);
	return selection_has_name(&a->sel, obj) && !named_but_filtered(a, obj);
}

static bool rm_selected(struct rm_args *a, const struct ipcx_obj *obj)
{
	if (ipcx_obj_kind(obj) == IPCX_KIND_FIFO)
		return rm_selected_fifo(a, obj);
	if (rm_wholesale(a))
		return selection_passes_filters(&a->sel, obj);
	return selection_names(&a->sel, obj) && !named_but_filtered(a, obj);
}

/* How an object is in use, by the processes we see and by the kernel's counts */
struct usage {
	uint64_t nattch;	/* shm: attached processes */
	uint64_t nprocs;	/* processes we saw using it */
	uint64_t waiters;	/* sem: processes blocked in semop on it */
};

/*
 * The kernel counts the processes waiting on each semaphore (semncnt,
 * semzcnt), also those out of our sight: another PID namespace, a thread
 * that is not its process's main one. A set we may not read counts none.
 */
static uint64_t sem_waiters(struct ipcx_obj *obj)
{
	const struct ipcx_sem_member *members;
	uint64_t waiters = 0;
	size_t n;

	if (ipcx_obj_kind(obj) != IPCX_KIND_SEM || ipcx_obj_sem_members(obj, &members, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		waiters += (uint64_t)members[i].ncnt + members[i].zcnt;
	return waiters;
}

/* Attached segments and waiters count even when their processes are out of our sight */
static bool in_use(struct ipcx_obj *obj, struct usage *use)
{
	*use = (struct usage){ 0 };
	ipcx_obj_get_u64(obj, IPCX_COL_NATTCH, &use->nattch);
	ipcx_obj_get_u64(obj, IPCX_COL_NPROCS, &use->nprocs);
	use->waiters = sem_waiters(obj);
	return use->nattch || use->nprocs || use->waiters;
}

static int refuse_in_use(const struct ipcx_obj *obj, const char *what, const struct usage *use)
{
	uint64_t n = use->nattch ? use->nattch : use->waiters;
	int r;
	char *users = format_cell(obj, IPCX_COL_COMMAND, 0, &r);

	if (users && *users)
		print_error("%s is in use by %s: not removed (--force removes it anyway)", what,
			    users);
	else
		print_error("%s is %s by %llu process%s: not removed (--force removes it anyway)",
			    what, use->nattch ? "attached" : "waited on", (unsigned long long)n,
			    n == 1 ? "" : "es");
	free(users);
	return EXIT_FAILED;
}

/* The object changed between the listing and its removal: say so in words */
static const char *removal_error(int r)
{
	if (r == -ESTALE)
		return "replaced since it was listed, left as it is";
	if (r == -EIDRM)
		return "removed meanwhile by someone else";
	return strerror(-r);
}

/* A segment marked already goes at its last detach: there is nothing left to do */
static bool marked_for_removal(const struct ipcx_obj *obj)
{
	uint64_t status;

	return ipcx_obj_kind(obj) == IPCX_KIND_SHM &&
	       ipcx_obj_get_u64(obj, IPCX_COL_STATUS, &status) == 0 && (status & SHM_DEST);
}

static int rm_described(const struct rm_args *a, struct ipcx_obj *obj, const char *what)
{
	struct usage use;
	int r;

	if (marked_for_removal(obj)) {
		if (!a->quiet)
			printf("%s is already marked for removal: the kernel destroys it when its "
			       "last attached process detaches\n", what);
		return EXIT_DONE;
	}
	if (!a->force && in_use(obj, &use))
		return refuse_in_use(obj, what, &use);
	/* a dry run fails where the removal would, as far as can be told */
	r = a->dry_run ? ipcx_obj_check_remove(obj) : ipcx_obj_remove(obj);
	if (r < 0) {
		print_error("%s: %s", what, removal_error(r));
		return EXIT_FAILED;
	}
	if (a->quiet)
		return EXIT_DONE;
	if (ipcx_obj_get_u64(obj, IPCX_COL_NATTCH, &use.nattch) == 0 && use.nattch > 0)
		printf("%s %s for removal: the kernel destroys it when the last of its %llu "
		       "attached process%s detaches\n", a->dry_run ? "would mark" : "marked", what,
		       (unsigned long long)use.nattch, use.nattch == 1 ? "" : "es");
	else
		printf("%s %s\n", a->dry_run ? "would remove" : "removed", what);
	return EXIT_DONE;
}

static int rm_one(const struct rm_args *a, struct ipcx_obj *obj)
{
	char *what = describe_obj(obj);
	int rc;

	if (!what) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	rc = rm_described(a, obj, what);
	free(what);
	return rc;
}

/* What rm reads: with --force, no process need be looked at */
static size_t rm_columns(const struct rm_args *a, unsigned int *cols)
{
	static const unsigned int base[] = { IPCX_COL_KEY, IPCX_COL_ID, IPCX_COL_NAME,
					     IPCX_COL_PATH, IPCX_COL_NATTCH };
	size_t n = sizeof(base) / sizeof(base[0]);

	memcpy(cols, base, sizeof(base));
	if (!a->force) {
		cols[n++] = IPCX_COL_NPROCS;
		cols[n++] = IPCX_COL_COMMAND;
	}
	return selection_scan_columns(&a->sel, cols, n);
}

/*
 * An unused object is one no process we saw uses: with processes out of
 * sight, that proves nothing (but for shm, whose NATTCH the kernel counts).
 * A /proc with hidepid leaves a segment's creator out of sight too, and a
 * running creator is what keeps an unattached segment from being orphaned.
 */
static int rm_check_sight(const struct rm_args *a, const struct ipcx_list *list)
{
	size_t hidden = ipcx_list_hidden_procs(list);
	int hidepid = ipcx_list_hidepid(list);

	if (!a->sel.orphaned || a->force)
		return EXIT_DONE;
	if (hidepid) {
		print_error("%s, so objects they use could look orphaned: nothing removed (run "
			    "as root, or add --force)", hidepid_sight(hidepid));
		return EXIT_FAILED;
	}
	if (!hidden || a->kinds == IPCX_KIND_BIT(IPCX_KIND_SHM))
		return EXIT_DONE;
	print_error("%zu process%s could not be inspected, so objects %s could look "
		    "orphaned: nothing removed (run as root, or add --force)", hidden,
		    hidden == 1 ? "" : "es", hidden == 1 ? "it uses" : "they use");
	return EXIT_FAILED;
}

/*
 * Objects named (or all of a kind) are removed all the same, once the caller
 * is told that whether they are in use was told from part of the processes;
 * not for segments, whose attaches the kernel counts. Returns whether told.
 */
static bool rm_report_sight(const struct rm_args *a, const struct ipcx_list *list,
			    const struct ipcx_obj *obj)
{
	if (a->force || a->sel.orphaned || ipcx_obj_kind(obj) == IPCX_KIND_SHM)
		return false;
	report_hidden_procs(list);
	return true;
}

static int rm_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	unsigned int cols[IPCX_COL_COUNT];
	struct rm_args a = { .sel.removing = true };
	struct ipcx_list *list = NULL;
	int scan_rc = EXIT_FAILED, rc = rm_parse(&a, argc, argv);
	bool told = false;	/* of the processes not inspected */

	output_outlive_reader();
	if (rc == EXIT_DONE)
		rc = selection_add_fifo_paths(&a.sel, ctx);
	if (rc == EXIT_DONE)
		rc = scan_rc = scan_kinds(ctx, a.kinds, cols, rm_columns(&a, cols), &list);
	if (list && rm_check_sight(&a, list) != EXIT_DONE) {
		ipcx_list_unref(list);
		list = NULL;
		rc = scan_rc = EXIT_FAILED;
	}
	for (size_t i = 0; list && i < ipcx_list_count(list); i++) {
		struct ipcx_obj *obj = ipcx_list_get(list, i);

		if (!rm_selected(&a, obj))
			continue;
		told = told || rm_report_sight(&a, list, obj);
		if (rm_one(&a, obj) != EXIT_DONE)
			rc = EXIT_FAILED;
	}
	/* a kind that could not be read has said so: its objects are not "missing" */
	if (scan_rc == EXIT_DONE && selection_report_unmatched(&a.sel, a.kinds) != EXIT_DONE)
		rc = EXIT_FAILED;
	ipcx_list_unref(list);
	selection_free(&a.sel);
	free(a.ids);
	return rc;
}

const struct subcommand cmd_rm = {
	.name = "rm",
	.run = rm_run,
	.help = rm_help,
	.summary = "remove objects",
};
