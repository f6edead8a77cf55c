// SPDX-License-Identifier: GPL-2.0-or-later
/* Errors and the parsing of arguments, the same for every subcommand. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "ipcx-cmd.h"

static void vprint_error(const char *fmt, va_list ap)
{
	fputs("ipcx: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
}

/*
 * A usage error repeats what was typed, which may be any bytes: escaped as
 * names are (escape_text()), so that the error stays one line
 */
int usage_error(const char *fmt, ...)
{
	va_list ap;
	char *text = NULL, *safe;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	safe = n < 0 ? NULL : escape_text(text);
	print_error("%s", safe ? safe : "invalid usage (and out of memory)");
	free(safe);
	free(text);
	return EXIT_USAGE;
}

/*
 * The long options an abbreviation such as "--a" stands for, comma-separated
 * in buf: getopt_long() refuses one that stands for several with the '?' of
 * an unknown one. False unless there are several.
 */
static bool abbreviation_of_several(const char *arg, const struct option *options, char *buf,
				    size_t size)
{
	size_t len = strcspn(arg + 2, "="), used = 0;
	int n = 0;

	buf[0] = '\0';
	for (const struct option *o = options; o->name; o++) {
		if (strncmp(o->name, arg + 2, len) != 0 || used >= size)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s--%s", n ? ", " : "", o->name);
		n++;
	}
	return n > 1;
}

int option_error(char *argv[], int c, const struct option *options)
{
	const char *arg = argv[optind - 1];
	char several[256];

	if (c == ':')
		return usage_error("option '%s' needs a value", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		return usage_error("invalid option '-%c'", optopt);
	if (strncmp(arg, "--", 2) == 0 &&
	    abbreviation_of_several(arg, options, several, sizeof(several)))
		return usage_error("option '%s' is ambiguous: %s", arg, several);
	return usage_error("unrecognized option '%s'", arg);
}

int parse_key_arg(const char *arg, uint32_t *key, bool selector)
{
	int r = ipcx_parse_key(arg, key);

	if (r == -ERANGE)
		return usage_error("key '%s' is out of range (0 to 0xffffffff)", arg);
	if (r < 0)
		return usage_error("invalid key '%s'", arg);
	if (selector && *key == 0)
		return usage_error("key '%s' is IPC_PRIVATE (0) and cannot select an object", arg);
	return EXIT_DONE;
}

int parse_id_arg(const char *arg, int *id)
{
	int r = ipcx_parse_id(arg, id);

	if (r == -ERANGE)
		return usage_error("id '%s' is out of range (0 to 2147483647)", arg);
	return r < 0 ? usage_error("invalid id '%s'", arg) : EXIT_DONE;
}

int parse_pid_arg(const char *arg, int *pid)
{
	int r = ipcx_parse_id(arg, pid);

	if (r < 0 || *pid == 0)
		return usage_error("invalid process id '%s'", arg);
	return EXIT_DONE;
}

int parse_duration_arg(const char *arg, uint64_t *seconds)
{
	int r = ipcx_parse_duration(arg, seconds);

	if (r == -ERANGE)
		return usage_error("duration '%s' is out of range", arg);
	if (r < 0)
		return usage_error("invalid duration '%s' (use 90s, 30m, 2h, 7d or 1w)", arg);
	return EXIT_DONE;
}

int parse_size_arg(const char *arg, uint64_t *size)
{
	int r = ipcx_parse_size(arg, size);

	if (r == -ERANGE)
		return usage_error("size '%s' is out of range", arg);
	return r < 0 ? usage_error("invalid size '%s'", arg) : EXIT_DONE;
}

int parse_mode_arg(const char *arg, unsigned int *mode)
{
	int r = ipcx_parse_mode(arg, mode);

	if (r == -ERANGE)
		return usage_error("mode '%s' is out of range (at most 0777)", arg);
	return r < 0 ? usage_error("invalid mode '%s' (octal, such as 0600)", arg) : EXIT_DONE;
}

/* A uid in decimal: every uid_t but (uid_t)-1, which is no user */
static bool parse_uid_number(const char *arg, uint32_t *uid)
{
	unsigned long long v;
	char *end;

	if (*arg < '0' || *arg > '9')
		return false;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v >= UINT32_MAX)
		return false;
	*uid = (uint32_t)v;
	return true;
}

int parse_user_arg(const char *arg, uint32_t *uid)
{
	struct passwd *pw = getpwnam(arg);

	if (pw) {
		*uid = pw->pw_uid;
		return EXIT_DONE;
	}
	if (parse_uid_number(arg, uid))
		return EXIT_DONE;
	/* (uid_t)-1 means "no change" to chown(2): no object can have it */
	if (*arg >= '0' && *arg <= '9' && arg[strspn(arg, "0123456789")] == '\0')
		return usage_error("user id '%s' is out of range (0-%u)", arg, UINT32_MAX - 1);
	return usage_error("unknown user '%s'", arg);
}

int parse_time_format_arg(const char *arg, unsigned int *flags)
{
	static const char *const names[] = {
		"short", "full", "iso",
	};
	static const unsigned int formats[] = {
		IPCX_FMT_TIME_SHORT, IPCX_FMT_TIME_FULL, IPCX_FMT_TIME_ISO,
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			*flags = (*flags & ~(unsigned int)IPCX_FMT_TIME_MASK) | formats[i];
			return EXIT_DONE;
		}
	}
	return usage_error("unknown time format '%s' (short, full or iso)", arg);
}

bool is_kind_word(const char *word)
{
	unsigned int mask;

	return ipcx_kinds_parse(word, &mask) != -EINVAL;
}

unsigned int sysv_kinds(void)
{
	unsigned int mask = 0;

	ipcx_kinds_parse("sysv", &mask);
	return mask;
}

unsigned int kind_of_mask(unsigned int mask)
{
	return (unsigned int)__builtin_ctz(mask);
}

int parse_kind_arg(const char *word, unsigned int *mask, bool single)
{
	unsigned int m;
	int r = ipcx_kinds_parse(word, &m);

	if (r == -EOPNOTSUPP)
		return usage_error("kind '%s' is not supported by this version", word);
	if (r < 0)
		return usage_error("unknown kind '%s'", word);
	if (single && (m & (m - 1)))
		return usage_error("'%s' is a group of kinds; name one kind", word);
	*mask |= m;
	return EXIT_DONE;
}

static void report_kind_error(unsigned int kind, int r)
{
	if (r == -ENOMEDIUM)
		print_error("cannot list %s: no mqueue filesystem is mounted at /dev/mqueue and "
			    "none could be mounted privately; mount one with "
			    "'mount -t mqueue none /dev/mqueue'", ipcx_kind_name(kind));
	else if (r == -ENOENT && (kind == IPCX_KIND_POSIX_SHM || kind == IPCX_KIND_POSIX_SEM))
		/* where they live is not said by the errno: a container without /dev/shm */
		print_error("cannot list %s: /dev/shm: %s", ipcx_kind_name(kind), strerror(-r));
	else
		print_error("cannot read %s objects: %s", ipcx_kind_name(kind), strerror(-r));
}

int parse_one_kind_operand(int argc, char *argv[], const char *cmd, unsigned int *kind)
{
	unsigned int mask = 0;
	int rc;

	if (optind >= argc)
		return usage_error("missing kind (see 'ipcx %s --help')", cmd);
	rc = parse_kind_arg(argv[optind++], &mask, true);
	if (rc == EXIT_DONE)
		*kind = kind_of_mask(mask);
	return rc;
}

int scan_kinds(struct ipcx_ctx *ctx, unsigned int kinds, const unsigned int *cols,
	       size_t ncols, struct ipcx_list **list)
{
	int r = ipcx_list_new(ctx, kinds, cols, ncols, list);
	int rc = EXIT_DONE;

	if (r == -EXDEV) {
		print_error("cannot tell which processes use what: /proc belongs to another PID "
			    "namespace (mount this namespace's own on /proc)");
		return EXIT_FAILED;
	}
	if (r == -ENODEV) {
		print_error("cannot tell which processes use what: no proc file system on /proc "
			    "(mount one there)");
		return EXIT_FAILED;
	}
	if (r < 0) {
		print_error("cannot list objects: %s", strerror(-r));
		return EXIT_FAILED;
	}
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		r = ipcx_list_kind_error(*list, k);
		if ((kinds & IPCX_KIND_BIT(k)) && r < 0) {
			report_kind_error(k, r);
			rc = EXIT_FAILED;
		}
	}
	return rc;
}

void report_unread(const struct ipcx_list *list, struct ipcx_obj *const *rows, size_t n)
{
	size_t partial = 0;

	/* only what is printed: an object the filters left out has no empty fields to explain */
	for (size_t i = 0; i < n; i++)
		partial += ipcx_obj_is_partial(rows[i]) == 1;

	if (partial)
		print_error("%zu object%s could not be read fully (permission denied?): "
			    "their unread fields are empty", partial, partial == 1 ? "" : "s");
	report_hidden_procs(list);
}

const char *hidepid_sight(int hidepid)
{
	if (hidepid == 1)
		return "/proc is mounted with hidepid=noaccess: other users' processes cannot be read";
	if (hidepid == 2)
		return "/proc is mounted with hidepid=invisible: other users' processes are out "
		       "of sight";
	return "/proc is mounted with hidepid=ptraceable: the processes you may not trace "
	       "are out of sight";
}

/* Unreadable processes are counted; those hidepid keeps out of /proc cannot be */
void report_hidden_procs(const struct ipcx_list *list)
{
	size_t hidden = ipcx_list_hidden_procs(list);
	int hidepid = ipcx_list_hidepid(list);

	if (hidden)
		print_error("%zu process%s could not be inspected (permission denied?): what %s "
			    "use%s is not counted", hidden, hidden == 1 ? "" : "es",
			    hidden == 1 ? "it" : "they", hidden == 1 ? "s" : "");
	if (hidepid)
		print_error("%s, and what they use is not counted", hidepid_sight(hidepid));
	report_unread_netns(list);
}

void report_unread_netns(const struct ipcx_list *list)
{
	size_t netns = ipcx_list_unread_netns(list);

	if (netns)
		print_error("the sockets of %zu other network namespace%s are not listed: "
			    "entering %s needs CAP_SYS_ADMIN", netns, netns == 1 ? "" : "s",
			    netns == 1 ? "it" : "them");
}

char *hex_bytes(char *out, const char *s, size_t len, bool in_json)
{
	for (size_t i = 0; i < len; i++)
		out += sprintf(out, in_json ? "\\\\x%02x" : "\\x%02x", (unsigned char)s[i]);
	return out;
}

/*
 * Anyone may name a POSIX object or a FIFO, and a name may hold an escape
 * sequence that clears the terminal or a newline that fakes another line:
 * what cannot be printed in the locale is written as \xHH, as libsmartcols
 * writes it in tables (so is the backslash of a "\x" already there).
 */
char *escape_text(const char *s)
{
	char *buf = malloc(strlen(s) * 4 + 1), *out = buf;
	mbstate_t state = { 0 };

	if (!buf)
		return NULL;
	while (*s) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, s, MB_CUR_MAX, &state);
		bool printable = len != (size_t)-1 && len != (size_t)-2 && iswprint((wint_t)wc) &&
				 !(s[0] == '\\' && s[1] == 'x');

		if (len == (size_t)-1 || len == (size_t)-2) {
			memset(&state, 0, sizeof(state));
			len = 1;
		}
		if (printable) {
			memcpy(out, s, len);
			out += len;
		} else {
			out = hex_bytes(out, s, len, false);
		}
		s += len;
	}
	*out = '\0';
	return buf;
}

char *describe_obj(const struct ipcx_obj *obj)
{
	const char *kind = ipcx_kind_name(ipcx_obj_kind(obj));
	const char *name = ipcx_obj_get_string(obj, IPCX_COL_NAME);
	const char *path = ipcx_obj_get_string(obj, IPCX_COL_PATH);
	char id[32] = "", key[32] = "", *text = NULL, *safe;

	if (!name && !path) {
		ipcx_obj_format(obj, IPCX_COL_ID, 0, id, sizeof(id));
		ipcx_obj_format(obj, IPCX_COL_KEY, 0, key, sizeof(key));
		return asprintf(&text, "%s %s (key %s)", kind, id, key) < 0 ? NULL : text;
	}
	safe = escape_text(name ? name : path);
	if (safe && asprintf(&text, "%s %s", kind, safe) < 0)
		text = NULL;
	free(safe);
	return text;
}

/* Drop "." components and repeated slashes; ".." stays, as links may lie below it */
static void tidy_path(char *path)
{
	char *out = path;

	for (const char *p = path; *p;) {
		if (p[0] == '/' && (p[1] == '/' || (p[1] == '.' && (p[2] == '/' || !p[2])))) {
			p += p[1] == '/' ? 1 : 2;
			continue;
		}
		*out++ = *p++;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

char *absolute_path(const char *path)
{
	char *cwd, *abs = NULL;

	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		cwd = getcwd(NULL, 0);
		if (cwd && asprintf(&abs, "%s/%s", strcmp(cwd, "/") ? cwd : "", path) < 0)
			abs = NULL;
		free(cwd);
	}
	if (abs)
		tidy_path(abs);
	return abs;
}
