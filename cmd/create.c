// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx create: a new object; prints its id. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcx-cmd.h"

enum { OPT_SIZE = 0x100, OPT_NSEMS, OPT_KEY, OPT_MODE };

static void create_help(void)
{
	printf("Usage:\n ipcx create shm --size <size> [options]\n"
	       " ipcx create sem --nsems <n> [options]\n"
	       " ipcx create msg [options]\n\n"
	       "Create an IPC object and print its id.\n\n"
	       "Options:\n"
	       "     --size <size>  shm: segment size (4096, 8K, 1M, 2GiB)\n"
	       "     --nsems <n>    sem: number of semaphores\n"
	       "     --key <key>    key; without it the object is private\n"
	       "     --mode <mode>  octal permissions (default 0600)\n"
	       " -J, --json         JSON output\n"
	       " -h, --help         display this help\n\n"
	       "See ipcx-create(1).\n");
}

struct create_args {
	struct ipcx_create_spec spec;
	unsigned int kind;
	bool has_size, has_nsems, json;
};

static int parse_nsems_arg(const char *arg, unsigned int *nsems)
{
	int n;

	if (ipcx_parse_id(arg, &n) < 0 || n == 0)
		return usage_error("invalid number of semaphores '%s'", arg);
	*nsems = (unsigned int)n;
	return EXIT_DONE;
}

static int create_option(struct create_args *a, int c, char *argv[])
{
	switch (c) {
	case OPT_SIZE:
		a->has_size = true;
		return parse_size_arg(optarg, &a->spec.size);
	case OPT_NSEMS:
		a->has_nsems = true;
		return parse_nsems_arg(optarg, &a->spec.nsems);
	case OPT_KEY:
		return parse_key_arg(optarg, &a->spec.key, false);
	case OPT_MODE:
		return parse_mode_arg(optarg, &a->spec.mode);
	case 'J':
		a->json = true;
		return EXIT_DONE;
	case 'h':
		create_help();
		exit(EXIT_DONE);
	default:
		return option_error(argv, c);
	}
}

/* Each kind's own option is required for it and refused for the others */
static int create_check_kind_options(const struct create_args *a)
{
	bool shm = a->kind == IPCX_KIND_SHM, sem = a->kind == IPCX_KIND_SEM;

	if (shm && !a->has_size)
		return usage_error("creating shm needs --size");
	if (sem && !a->has_nsems)
		return usage_error("creating sem needs --nsems");
	if (!shm && a->has_size)
		return usage_error("--size is for shm, not %s", ipcx_kind_name(a->kind));
	if (!sem && a->has_nsems)
		return usage_error("--nsems is for sem, not %s", ipcx_kind_name(a->kind));
	return EXIT_DONE;
}

static int create_parse(struct create_args *a, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "nsems", required_argument, NULL, OPT_NSEMS },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int mask = 0;
	int c, rc = EXIT_DONE;

	a->spec.mode = 0600;
	while (rc == EXIT_DONE && (c = getopt_long(argc, argv, ":Jh", options, NULL)) != -1)
		rc = create_option(a, c, argv);
	if (rc)
		return rc;
	if (optind >= argc)
		return usage_error("missing kind (see 'ipcx create --help')");
	rc = parse_kind_arg(argv[optind++], &mask, true);
	if (rc)
		return rc;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	a->kind = kind_of_mask(mask);
	return create_check_kind_options(a);
}

static int create_failed(const struct create_args *a, int r)
{
	const char *kind = ipcx_kind_name(a->kind);

	if (r == -EEXIST)
		print_error("%s with key 0x%08x: already exists", kind, a->spec.key);
	else if (a->spec.key)
		print_error("cannot create %s with key 0x%08x: %s", kind, a->spec.key, strerror(-r));
	else
		print_error("cannot create %s: %s", kind, strerror(-r));
	return EXIT_FAILED;
}

/* JSON shows the object as the kernel has it, like 'ipcx list' would */
static int create_print_json(struct ipcx_ctx *ctx, const struct create_args *a, int id)
{
	static const unsigned int cols[] = { IPCX_COL_TYPE, IPCX_COL_KEY, IPCX_COL_ID };
	struct output out = { .json = true, .ncols = 3 };
	struct ipcx_list *list = NULL;
	uint64_t v;
	int rc;

	memcpy(out.cols, cols, sizeof(cols));
	rc = scan_kinds(ctx, IPCX_KIND_BIT(a->kind), cols, out.ncols, &list);
	for (size_t i = 0; rc == EXIT_DONE && i < ipcx_list_count(list); i++) {
		struct ipcx_obj *obj = ipcx_list_get(list, i);

		if (ipcx_obj_get_u64(obj, IPCX_COL_ID, &v) == 0 && v == (uint64_t)id) {
			rc = output_objects(&out, &obj, 1);
			ipcx_list_unref(list);
			return rc;
		}
	}
	ipcx_list_unref(list);
	print_error("%s %d: created, but gone before it could be shown",
		    ipcx_kind_name(a->kind), id);
	return EXIT_FAILED;
}

static int create_run(struct ipcx_ctx *ctx, int argc, char *argv[])
{
	struct create_args a = { 0 };
	int id, r, rc = create_parse(&a, argc, argv);

	if (rc)
		return rc;
	r = ipcx_create(ctx, a.kind, &a.spec, &id);
	if (r < 0)
		return create_failed(&a, r);
	if (a.json)
		return create_print_json(ctx, &a, id);
	printf("%d\n", id);
	return EXIT_DONE;
}

const struct subcommand cmd_create = {
	.name = "create",
	.run = create_run,
	.help = create_help,
	.summary = "create an object",
};
