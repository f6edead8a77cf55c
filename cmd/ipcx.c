// SPDX-License-Identifier: GPL-2.0-or-later
/* ipcx: the dispatcher. Global options, then one subcommand with its own. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ipcx-cmd.h"

static const struct subcommand *const subcommands[] = {
	&cmd_list, &cmd_show, &cmd_rm, &cmd_create, &cmd_limits,
};
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void help(void)
{
	printf("Usage:\n ipcx [options] <command> [<args>]\n\n"
	       "See and manage the IPC objects of this host.\n\nCommands:\n");
	for (size_t i = 0; i < NSUBCOMMANDS; i++)
		printf(" %-8s %s\n", subcommands[i]->name, subcommands[i]->summary);
	printf(" %-8s %s\n", "help", "show the help of ipcx or of a command");
	printf("\nKinds:\n shm sem msg                  System V shared memory, semaphore sets, queues\n"
	       " posix-shm posix-sem posix-mq POSIX shared memory, semaphores, queues\n"
	       " fifo                         named pipes\n"
	       " pipe mmap unix               anonymous pipes, shared file mappings, UNIX sockets\n"
	       " sysv posix all               groups of kinds\n"
	       "\nOptions:\n"
	       " -t, --target <pid>  run in the IPC, mount, network and PID namespaces\n"
	       "                     of this process (a container's)\n"
	       " -h, --help          display this help\n"
	       " -V, --version       display the version\n"
	       "\nExit status: 0 done, 1 could not do what was asked, 2 usage error.\n"
	       "Run 'ipcx <command> --help' or see ipcx(1) for more.\n");
}

static const struct subcommand *find_subcommand(const char *name)
{
	for (size_t i = 0; i < NSUBCOMMANDS; i++) {
		if (strcmp(name, subcommands[i]->name) == 0)
			return subcommands[i];
	}
	return NULL;
}

static int run_help(int argc, char *argv[])
{
	const struct subcommand *cmd;

	if (argc > 2)
		return usage_error("unexpected argument '%s'", argv[2]);
	/* "ipcx help help" and "ipcx help --help" ask for what "ipcx help" gives */
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		help();
		return EXIT_DONE;
	}
	/* as every command takes it */
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		print_version();
		return EXIT_DONE;
	}
	cmd = find_subcommand(argv[1]);
	if (!cmd)
		return usage_error("unknown command '%s'", argv[1]);
	cmd->help();
	return EXIT_DONE;
}

static int run_subcommand(int argc, char *argv[])
{
	const struct subcommand *cmd = find_subcommand(argv[0]);
	struct ipcx_ctx *ctx;
	int r, rc;

	if (strcmp(argv[0], "help") == 0)
		return run_help(argc, argv);
	if (!cmd)
		return usage_error("unknown command '%s' (see 'ipcx --help')", argv[0]);
	heap_prepare();
	r = ipcx_new(&ctx);
	if (r < 0) {
		print_error("cannot start: %s", strerror(-r));
		return EXIT_FAILED;
	}
	optind = 0;	/* the subcommand's own getopt_long starts afresh */
	rc = cmd->run(ctx, argc, argv);
	ipcx_unref(ctx);
	return rc;
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' },
		INFO_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *target = NULL;
	int c, rc;

	setlocale(LC_ALL, "");
	output_stream_setup();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:hV", options, NULL)) != -1) {
		switch (c) {
		case 't':
			target = optarg;
			break;
		case 'h':
			help();
			return output_close(EXIT_DONE);
		case 'V':
			print_version();
			return output_close(EXIT_DONE);
		default:
			return option_error(argv, c, options);
		}
	}
	if (optind >= argc)
		return usage_error("missing command (see 'ipcx --help')");
	/* the parent of the command in the target's namespaces ends here */
	if (target && (rc = enter_target(target)) >= 0)
		return rc;
	return output_close(run_subcommand(argc - optind, argv + optind));
}
