// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx create: a new object; prints its id (System V) or its name. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ipcx-cmd.h"

enum { OPT_SIZE = 0x100, OPT_NSEMS, OPT_KEY, OPT_MODE, OPT_VALUE, OPT_MAX_MSGS, OPT_MSG_SIZE };

#define K(kind) IPCX_KIND_BIT(IPCX_KIND_##kind)

/* Which kinds take each option, and which need it */
static const struct kind_option {
	int opt;
	const char *name;
	unsigned int kinds;
	unsigned int required;
} kind_options[] = {
	{ OPT_SIZE, "--size", K(SHM) | K(POSIX_SHM), K(SHM) | K(POSIX_SHM) },
	{ OPT_NSEMS, "--nsems", K(SEM), K(SEM) },
	{ OPT_KEY, "--key", K(SHM) | K(SEM) | K(MSG), 0 },
	{ OPT_VALUE, "--value", K(POSIX_SEM), 0 },
	{ OPT_MAX_MSGS, "--max-msgs", K(POSIX_MQ), 0 },
	{ OPT_MSG_SIZE, "--msg-size", K(POSIX_MQ), 0 },
};
#define NKIND_OPTIONS (sizeof(kind_options) / sizeof(kind_options[0]))

static void create_help(void)
{
	printf("Usage:\n ipcx create shm --size <size> [options]\n"
	       " ipcx create sem --nsems <n> [options]\n"
	       " ipcx create msg [options]\n"
	       " ipcx create posix-shm <name> --size <size> [--mode <mode>]\n"
	       " ipcx create posix-sem <name> [--value <n>] [--mode <mode>]\n"
	       " ipcx create posix-mq <name> [--max-msgs <n>] [--msg-size <size>] [--mode <mode>]\n"
	       " ipcx create fifo <path> [--mode <mode>]\n\n"
	       "Create an IPC object; print the id of a System V object.\n\n"
	       "Options:\n"
	       "     --size <size>      shm, posix-shm: size (4096, 8K, 1M, 2GiB)\n"
	       "     --nsems <n>        sem: number of semaphores\n"
	       "     --key <key>        System V key; without it the object is private\n"
	       "     --value <n>        posix-sem: initial value (default 0)\n"
	       "     --max-msgs <n>     posix-mq: most messages queued (default: system's)\n"
	       "     --msg-size <size>  posix-mq: largest message (default: system's)\n"
	       "     --mode <mode>      octal permissions, exactly (default 0600)\n"
	       " -J, --json             JSON output\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display the version\n\n"
	       "See ipcx-create(1).\n");
}

struct create_args {
	struct ipcx_create_spec spec;
	unsigned int kind;
	unsigned int given[NKIND_OPTIONS];	/* times each kind option was given */
	char *name;
	bool json;
};

/*
 * A count: 1 (or 0) .. INT_MAX, in decimal only, as ipcmk takes it: unlike a
 * key or an id, nobody writes a count in octal, and 010 is ten
 */
static int parse_count_arg(const char *what, const char *arg, bool zero_ok, long *n)
{
	unsigned long long v;
	char *end;

	if (*arg < '0' || *arg > '9')
		return usage_error("invalid %s '%s'", what, arg);
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end || (v == 0 && !zero_ok))
		return usage_error("invalid %s '%s'", what, arg);
	if (errno == ERANGE || v > INT_MAX)
		return usage_error("%s '%s' is out of range (at most %d)", what, arg, INT_MAX);
	*n = (long)v;
	return EXIT_DONE;
}

static int parse_kind_option(struct create_args *a, int c)
{
	uint64_t size = 0;
	long n = 0;
	int rc;

	for (size_t i = 0; i < NKIND_OPTIONS; i++) {
		if (kind_options[i].opt == c)
			a->given[i]++;
	}
	switch (c) {
	case OPT_SIZE:
		rc = parse_size_arg(optarg, &a->spec.size);
		/* a file's size is an off_t; no segment can be bigger either */
		if (rc == EXIT_DONE && a->spec.size > INT64_MAX)
			return usage_error("size '%s' is out of range (at most %" PRId64 " bytes)",
					   optarg, INT64_MAX);
		return rc;
	case OPT_NSEMS:
		rc = parse_count_arg("number of semaphores", optarg, false, &n);
		a->spec.nsems = (unsigned int)n;
		return rc;
	case OPT_KEY:
		return parse_key_arg(optarg, &a->spec.key, false);
	case OPT_VALUE:
		rc = parse_count_arg("semaphore value", optarg, true, &n);
		a->spec.value = (unsigned int)n;
		return rc;
	case OPT_MAX_MSGS:
		return parse_count_arg("number of messages", optarg, false, &a->spec.max_msgs);
	default:
		rc = parse_size_arg(optarg, &size);
		if (rc == EXIT_DONE && size > INT_MAX)
			return usage_error("message size '%s' is out of range (at most %d bytes)",
					   optarg, INT_MAX);
		a->spec.msg_size = (long)size;
		return rc;
	}
}

static int create_options(struct create_args *a, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "nsems", required_argument, NULL, OPT_NSEMS },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "max-msgs", required_argument, NULL, OPT_MAX_MSGS },
		{ "msg-size", required_argument, NULL, OPT_MSG_SIZE },
		{ "json", no_argument, NULL, 'J' },
		INFO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = EXIT_DONE;

	while (rc == EXIT_DONE && (c = getopt_long(argc, argv, ":JhV", options, NULL)) != -1) {
		if (c == OPT_MODE)
			rc = parse_mode_arg(optarg, &a->spec.mode);
		else if (c == 'J')
			a->json = true;
		else if (IS_INFO_OPTION(c)) {
			exit_with_info(c, create_help);
		} else if (c >= OPT_SIZE)
			rc = parse_kind_option(a, c);
		else
			rc = option_error(argv, c, options);
	}
	return rc;
}

/* Each kind's own options are required or refused as the table says */
static int create_check_kind_options(const struct create_args *a)
{
	const char *kind = ipcx_kind_name(a->kind);

	for (size_t i = 0; i < NKIND_OPTIONS; i++) {
		const struct kind_option *o = &kind_options[i];

		if ((o->required & IPCX_KIND_BIT(a->kind)) && !a->given[i])
			return usage_error("creating %s needs %s", kind, o->name);
		if (!(o->kinds & IPCX_KIND_BIT(a->kind)) && a->given[i])
			return usage_error("%s is not for %s", o->name, kind);
	}
	return EXIT_DONE;
}

/* System V objects have no name; the others must have one */
static int create_name(struct create_args *a, const char *arg)
{
	struct selection sel = { 0 };
	bool sysv = ipcx_col_applies(IPCX_COL_ID, a->kind);
	int rc;

	if (sysv && arg)
		return usage_error("unexpected argument '%s': %s objects have no name",
				   arg, ipcx_kind_name(a->kind));
	if (sysv)
		return EXIT_DONE;
	if (!arg)
		return usage_error("creating %s needs a %s", ipcx_kind_name(a->kind),
				   ipcx_col_applies(IPCX_COL_PATH, a->kind) ? "path" : "name");
	rc = selection_add_object(&sel, a->kind, arg);
	if (rc == EXIT_DONE) {
		a->name = sel.names[0];
		sel.names[0] = NULL;
		a->spec.name = a->name;
	}
	selection_free(&sel);
	return rc;
}

static int create_parse(struct create_args *a, int argc, char *argv[])
{
	int rc;

	a->spec.mode = 0600;
	rc = create_options(a, argc, argv);
	if (rc == EXIT_DONE)
		rc = parse_one_kind_operand(argc, argv, "create", &a->kind);
	if (rc)
		return rc;
	/* what cannot be removed is made by programs, not by ipcx */
	if (!ipcx_kind_can_remove(a->kind))
		return usage_error("%s objects cannot be created with ipcx", ipcx_kind_name(a->kind));
	rc = create_name(a, optind < argc ? argv[optind++] : NULL);
	if (rc)
		return rc;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return create_check_kind_options(a);
}

/* Whether value is above the limit of that name (its value to *limit) */
static bool above_limit(const struct ipcx_limits *lim, const char *name, uint64_t value,
			uint64_t *limit)
{
	for (size_t i = 0; i < ipcx_limits_count(lim); i++) {
		const struct ipcx_limit *l = ipcx_limits_get(lim, i);

		if (strcmp(l->name, name) == 0) {
			*limit = l->limit;
			return value > l->limit;
		}
	}
	return false;
}

/*
 * The kernel refuses a value above one of its limits with a bare EINVAL:
 * the row of 'ipcx limits' the spec passed, or NULL
 */
static const char *limit_passed(struct ipcx_ctx *ctx, const struct create_args *a,
				uint64_t *limit)
{
	const struct {
		unsigned int kind;
		const char *name;
		uint64_t value;
	} checks[] = {
		{ IPCX_KIND_SHM, "shmmax", a->spec.size },
		{ IPCX_KIND_SEM, "semmsl", a->spec.nsems },
		{ IPCX_KIND_POSIX_MQ, "mq_msg_max", (uint64_t)a->spec.max_msgs },
		{ IPCX_KIND_POSIX_MQ, "mq_msgsize_max", (uint64_t)a->spec.msg_size },
	};
	struct ipcx_limits *lim;
	const char *passed = NULL;

	if (ipcx_limits_new(ctx, &lim) < 0)
		return NULL;
	for (size_t i = 0; !passed && i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (checks[i].kind == a->kind && above_limit(lim, checks[i].name, checks[i].value, limit))
			passed = checks[i].name;
	}
	ipcx_limits_unref(lim);
	return passed;
}

static int create_failed(struct ipcx_ctx *ctx, const struct create_args *a, int r)
{
	const char *kind = ipcx_kind_name(a->kind), *passed = NULL;
	/* a name or path is anyone's bytes: escaped */
	char *name = a->name ? escape_text(a->name) : NULL, key[32] = "", why[128];
	uint64_t limit;

	if (!a->name && a->spec.key)
		snprintf(key, sizeof(key), " with key 0x%08x", a->spec.key);
	if (r == -EINVAL)
		passed = limit_passed(ctx, a, &limit);
	if (passed)
		snprintf(why, sizeof(why), "%s (above the kernel's %s, %" PRIu64 ": see 'ipcx limits')",
			 strerror(-r), passed, limit);
	else if (r == -EMFILE && a->kind == IPCX_KIND_POSIX_MQ)
		/* the kernel's errno when a queue would pass the creator's RLIMIT_MSGQUEUE */
		snprintf(why, sizeof(why), "%s (or its size passes RLIMIT_MSGQUEUE: see 'ipcx limits')",
			 strerror(-r));
	else
		snprintf(why, sizeof(why), "%s", strerror(-r));
	if (r == -EEXIST)
		print_error("%s%s%s%s: already exists", kind, name ? " " : "", name ? name : "", key);
	else
		print_error("cannot create %s%s%s%s: %s", kind, name ? " " : "", name ? name : "", key,
			    why);
	free(name);
	return EXIT_FAILED;
}

/* The columns that tell a new object of the kind */
static size_t created_columns(const struct create_args *a, unsigned int *cols)
{
	size_t n = 0;

	cols[n++] = IPCX_COL_TYPE;
	if (!a->name) {
		cols[n++] = IPCX_COL_KEY;
		cols[n++] = IPCX_COL_ID;
	} else {
		cols[n++] = ipcx_col_applies(IPCX_COL_PATH, a->kind) ? IPCX_COL_PATH : IPCX_COL_NAME;
	}
	return n;
}

/*
 * The new object as 'ipcx list --json' names it, from what made it: listing
 * it again could fail where making it did not (a user with no mqueue file
 * system mounted), and a create that says it failed must not leave an object.
 */
static int create_print_json(const struct create_args *a, int id)
{
	struct output out = { .json = true };
	char key[16], id_text[16];
	const char *texts[3] = { ipcx_kind_name(a->kind), a->name, NULL };

	out.ncols = created_columns(a, out.cols);
	if (!a->name) {
		snprintf(key, sizeof(key), "0x%08x", a->spec.key);
		snprintf(id_text, sizeof(id_text), "%d", id);
		texts[1] = key;
		texts[2] = id_text;
	}
	return output_texts(&out, texts);
}

/* The object was made though what says so was lost: a private one has no other name */
static int say_created(const struct create_args *a, int id, const char *why)
{
	char *name = a->name ? escape_text(a->name) : NULL;

	if (name)
		print_error("%s: %s %s was created", why, ipcx_kind_name(a->kind), name);
	else
		print_error("%s: %s %d was created", why, ipcx_kind_name(a->kind), id);
	free(name);
	return EXIT_FAILED;
}

/* What create printed reached stdout, or the object is said on stderr */
static int check_printed(const struct create_args *a, int id)
{
	char why[96];

	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_DONE;
	snprintf(why, sizeof(why), "cannot write output: %s", strerror(errno ? errno : EIO));
	return say_created(a, id, why);
}

static int create_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	struct create_args a = { 0 };
	int id, r, rc = create_parse(&a, argc, argv);

	output_outlive_reader();
	if (rc == EXIT_DONE) {
		umask(0);	/* --mode is the mode the object gets, exactly */
		r = ipcx_create(ctx, a.kind, &a.spec, &id);
		if (r < 0)
			rc = create_failed(ctx, &a, r);
		else if (a.json && create_print_json(&a, id) != EXIT_DONE)
			rc = say_created(&a, id, "its JSON could not be written");
		else if (!a.json && !a.name)
			printf("%d\n", id);
		if (rc == EXIT_DONE && r >= 0)
			rc = check_printed(&a, id);
	}
	free(a.name);
	return rc;
}

const struct subcommand cmd_create = {
	.name = "create",
	.run = create_run,
	.help = create_help,
	.summary = "create an object",
};
