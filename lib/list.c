// SPDX-License-Identifier: LGPL-2.1-or-later
/* Lists of objects made by one scan, and what can be done to an object. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipcx-private.h"
#include "format.h"

/*
 * The objects' values, in chunks: one allocation for thousands of objects.
 * Chunks double from a small first one, as a list of a few objects (each
 * kind is scanned into a list of its own) should not touch pages it does
 * not need: each page costs a fault.
 */
#define VALS_FIRST_CHUNK 256
#define VALS_MAX_CHUNK 8192
struct vals_chunk {
	struct vals_chunk *next;
	size_t used, size;
	uint64_t vals[];
};

static uint64_t *list_alloc_vals(struct ipcx_list *list, size_t n)
{
	struct vals_chunk *chunk = list->vals;

	if (!chunk || chunk->used + n > chunk->size) {
		size_t size = chunk ? chunk->size * 2 : VALS_FIRST_CHUNK;

		if (size > VALS_MAX_CHUNK)
			size = VALS_MAX_CHUNK;
		if (size < n)
			size = n;
		chunk = calloc(1, sizeof(*chunk) + size * sizeof(chunk->vals[0]));
		if (!chunk)
			return NULL;
		chunk->size = size;
		chunk->next = list->vals;
		list->vals = chunk;
	}
	chunk->used += n;
	return chunk->vals + chunk->used - n;
}

static void list_free_vals(struct ipcx_list *list)
{
	while (list->vals) {
		struct vals_chunk *next = list->vals->next;

		free(list->vals);
		list->vals = next;
	}
}

int array_grow(void **array, size_t *alloc, size_t n, size_t size)
{
	size_t more;
	void *p;

	if (n < *alloc)
		return 0;
	more = *alloc ? *alloc * 2 : 16;
	p = realloc(*array, more * size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*alloc = more;
	return 0;
}

struct ipcx_obj *list_add(struct ipcx_list *list, unsigned int kind)
{
	uint64_t slots = (kind_get(kind)->fields | COMMON_SLOTS) &
			 ~(FIELD_BIT(F_NAME) | FIELD_BIT(F_PATH));
	uint64_t *vals = list_alloc_vals(list, (size_t)__builtin_popcountll(slots));
	struct ipcx_obj *obj;

	if (array_grow((void **)&list->objs, &list->alloc, list->n, sizeof(*list->objs)) < 0 || !vals)
		return NULL;
	obj = &list->objs[list->n++];
	memset(obj, 0, sizeof(*obj));
	obj->ctx = list->ctx;
	obj->list = list;
	obj->kind = kind;
	obj->slots = slots;
	obj->vals = vals;
	return obj;
}

void list_drop_last(struct ipcx_list *list)
{
	if (list->n)
		obj_release(&list->objs[--list->n]);
}

void obj_release(struct ipcx_obj *obj)
{
	free(obj->name);
	free(obj->path);
	free(obj->members);
	free(obj->users);
	free(obj->peer_users);
	free(obj->fds);
	obj->fds = NULL;
	obj->name = obj->path = NULL;
	obj->members = NULL;
	obj->users = obj->peer_users = NULL;
}

int obj_set_text(struct ipcx_obj *obj, enum ipcx_field f, const char *text)
{
	char *copy = strdup(text);
	char **slot = f == F_NAME ? &obj->name : &obj->path;

	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	obj->present |= FIELD_BIT(f);
	return 0;
}

/* By id (System V), else by name or path */
static int compare_objs(const void *a, const void *b)
{
	const struct ipcx_obj *x = a, *y = b;

	if (x->name && y->name)
		return strcmp(x->name, y->name);
	if (x->path && y->path && strcmp(x->path, y->path) != 0)
		return strcmp(x->path, y->path);
	uint64_t xv = obj_val(x, F_ID), yv = obj_val(y, F_ID);

	if (xv != yv)
		return (xv > yv) - (xv < yv);
	/* pipes and sockets: no id, maybe no path */
	xv = obj_val(x, F_INODE);
	yv = obj_val(y, F_INODE);
	return (xv > yv) - (xv < yv);
}

void list_free_objs(struct ipcx_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		obj_release(&list->objs[i]);
	free(list->objs);
	list_free_vals(list);
}

static int list_scan_kind(struct ipcx_list *list, unsigned int k, unsigned int need)
{
	const struct kind_ops *ops = kind_get(k);
	size_t first = list->n;

	list->kind_error[k] = ops ? ops->scan(list, need) : -EOPNOTSUPP;
	if (list->kind_error[k] == -ENOMEM)
		return -ENOMEM;
	if (list->n > first)
		sort_array(list->objs + first, list->n - first, sizeof(*list->objs), compare_objs);
	return 0;
}

static bool scan_reads_procs(unsigned int k)
{
	const struct kind_ops *ops = kind_get(k);

	return ops && ops->scan_reads_procs;
}

/*
 * What the process engine must read: for the users of the kinds that have
 * objects some process may use (a host without semaphores, or with no
 * attached segment, needs no /proc/PID/syscall or maps), and for the kinds
 * found among the processes. 0: nothing, not even the list of processes:
 * removing a thousand unattached segments should not read every /proc/PID.
 */
static unsigned int procs_wanted(const struct ipcx_list *list, unsigned int kinds,
				 unsigned int need)
{
	unsigned int what = 0;

	for (size_t i = 0; (need & NEED_USERS) && i < list->n; i++) {
		const struct kind_ops *ops = kind_get(list->objs[i].kind);

		if (!ops->surely_unused || !ops->surely_unused(&list->objs[i]))
			what |= ops->procs;
	}
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if ((kinds & IPCX_KIND_BIT(k)) && scan_reads_procs(k))
			what |= kind_get(k)->procs;
	}
	/*
	 * Columns of pid states read the list of processes now, so that an
	 * error shows; for other callers ipcx_obj_pid_state() reads it if asked
	 */
	return what || (need & NEED_PID_STATES) ? what | PROCS_LIST : 0;
}

/* Move the objects of sub, and the memory of their values, to the end of list */
static int list_take(struct ipcx_list *list, struct ipcx_list *sub)
{
	struct vals_chunk **tail = &sub->vals;

	if (list->n + sub->n > list->alloc) {
		struct ipcx_obj *objs = realloc(list->objs, (list->n + sub->n) * sizeof(*objs));

		if (!objs)
			return -ENOMEM;
		list->objs = objs;
		list->alloc = list->n + sub->n;
	}
	for (size_t i = 0; i < sub->n; i++) {
		list->objs[list->n] = sub->objs[i];
		list->objs[list->n++].list = list;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = list->vals;
	list->vals = sub->vals;
	free(sub->objs);
	sub->objs = NULL;
	sub->vals = NULL;
	sub->n = sub->alloc = 0;
	return 0;
}

/* The scan of one kind into a list of its own, on any thread */
struct kind_scan {
	struct ipcx_list sub;
	unsigned int kind, need;
};

static void kind_scan_run(void *data)
{
	struct kind_scan *scan = data;

	list_scan_kind(&scan->sub, scan->kind, scan->need);
}

/*
 * The kinds read from their own sources, each on the first free thread
 * (each is a stat or *_STAT_ANY per object: kernel work that runs on two
 * CPUs at once), then put together in kind order. A host with a few
 * objects is read in less time than a thread takes to start (a millisecond
 * here): more threads only once the kinds read so far took longer.
 */
#define SCAN_ALONE_NS 2000000u

static int list_scan_sources(struct ipcx_list *list, unsigned int kinds, unsigned int need)
{
	struct kind_scan scans[IPCX_KIND_COUNT];
	size_t n = 0;
	int r = 0;

	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if ((kinds & IPCX_KIND_BIT(k)) && !scan_reads_procs(k))
			scans[n++] = (struct kind_scan){ .sub = { .ctx = list->ctx },
							 .kind = k, .need = need };
	}
	parallel_run(scans, n, sizeof(*scans), kind_scan_run, parallel_threads(n, 1),
		     SCAN_ALONE_NS);
	for (size_t i = 0; i < n; i++) {
		unsigned int k = scans[i].kind;

		list->kind_error[k] = scans[i].sub.kind_error[k];
		list->unread_netns += scans[i].sub.unread_netns;
		if (r == 0 && list->kind_error[k] == -ENOMEM)
			r = -ENOMEM;
		if (r == 0)
			r = list_take(list, &scans[i].sub);
		list_free_objs(&scans[i].sub);
	}
	return r;
}

/*
 * The kinds read from their own sources come first, those found among the
 * processes (fifo, pipe, mmap) after the process engine: unix, read from
 * netlink with the first, is put back after them. Each kind's objects keep
 * the order they were read in.
 */
static int list_order_by_kind(struct ipcx_list *list)
{
	size_t next[IPCX_KIND_COUNT + 1] = { 0 };
	struct ipcx_obj *ordered;
	bool in_order = true;

	for (size_t i = 0; i < list->n; i++) {
		next[list->objs[i].kind + 1]++;
		in_order = in_order && (i == 0 || list->objs[i - 1].kind <= list->objs[i].kind);
	}
	if (in_order)
		return 0;
	ordered = malloc(list->n * sizeof(*ordered));
	if (!ordered)
		return -ENOMEM;
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++)
		next[k + 1] += next[k];
	for (size_t i = 0; i < list->n; i++)
		ordered[next[list->objs[i].kind]++] = list->objs[i];
	free(list->objs);
	list->objs = ordered;
	list->alloc = list->n;
	return 0;
}

static int list_fill(struct ipcx_list *list, unsigned int kinds, unsigned int need)
{
	unsigned int what;
	int r = list_scan_sources(list, kinds, need);

	what = r == 0 ? procs_wanted(list, kinds, need) : 0;
	if (what) {
		r = procs_build(list->ctx, what, &list->procs);
		list->hidden_procs = procs_hidden(list->procs);
		list->hidepid = r == 0 ? procs_hidepid() : 0;
	}
	for (unsigned int k = 0; r == 0 && k < IPCX_KIND_COUNT; k++) {
		if ((kinds & IPCX_KIND_BIT(k)) && scan_reads_procs(k))
			r = list_scan_kind(list, k, need);
	}
	if (r == 0)
		r = list_order_by_kind(list);
	if (r == 0 && (need & NEED_USERS))
		r = list_resolve_users(list, need & NEED_DETAILS);
	return r;
}

/* A caller's column that is no column would silently read too little */
static bool cols_valid(const unsigned int *cols, size_t ncols)
{
	for (size_t i = 0; cols && i < ncols; i++) {
		if (cols[i] >= IPCX_COL_COUNT)
			return false;
	}
	return true;
}

/*
 * What the list lacks, said once per list: each is also counted for the
 * caller (ipcx_list_kind_error() and the like), but a program that only
 * prints the objects would show an incomplete list without a word
 */
static void list_log_gaps(const struct ipcx_list *list)
{
	for (unsigned int k = 0; k < IPCX_KIND_COUNT; k++) {
		if (list->kind_error[k] < 0)
			warning(list->ctx, "%s: not listed: %s", ipcx_kind_name(k),
				strerror(-list->kind_error[k]));
	}
	if (list->hidden_procs)
		warning(list->ctx,
			"%zu processes could not be inspected: objects only they use may look unused",
			list->hidden_procs);
	if (list->hidepid)
		warning(list->ctx,
			"/proc is mounted with hidepid=%d: processes it hides are not read",
			list->hidepid);
	if (list->unread_netns)
		warning(list->ctx,
			"%zu network namespaces could not be entered: their sockets are not listed",
			list->unread_netns);
}

IPCX_EXPORT int ipcx_list_new(struct ipcx_ctx *ctx, unsigned int kinds,
			      const unsigned int *cols, size_t ncols,
			      struct ipcx_list **ret)
{
	struct ipcx_list *list;
	int r;

	if (!ctx || !ret || (kinds & ~(IPCX_KIND_BIT(IPCX_KIND_COUNT) - 1)) || !cols_valid(cols, ncols))
		return -EINVAL;
	list = calloc(1, sizeof(*list));
	if (!list)
		return -ENOMEM;
	list->refcount = 1;
	list->ctx = ipcx_ref(ctx);
	r = list_fill(list, kinds, columns_scan_need(cols, ncols));
	if (r < 0) {
		ipcx_list_unref(list);
		return r;
	}
	list_log_gaps(list);
	*ret = list;
	return 0;
}

IPCX_EXPORT struct ipcx_list *ipcx_list_ref(struct ipcx_list *list)
{
	if (list)
		list->refcount++;
	return list;
}

IPCX_EXPORT struct ipcx_list *ipcx_list_unref(struct ipcx_list *list)
{
	if (!list || --list->refcount > 0)
		return list;
	list_free_objs(list);
	procs_free(list->procs);
	ipcx_unref(list->ctx);
	free(list);
	return NULL;
}

IPCX_EXPORT size_t ipcx_list_count(const struct ipcx_list *list)
{
	return list ? list->n : 0;
}

IPCX_EXPORT struct ipcx_obj *ipcx_list_get(const struct ipcx_list *list, size_t index)
{
	return list && index < list->n ? &list->objs[index] : NULL;
}

IPCX_EXPORT int ipcx_list_kind_error(const struct ipcx_list *list, unsigned int kind)
{
	if (!list || kind >= IPCX_KIND_COUNT)
		return -EINVAL;
	return list->kind_error[kind];
}

IPCX_EXPORT size_t ipcx_list_partial_count(const struct ipcx_list *list)
{
	size_t n = 0;

	for (size_t i = 0; list && i < list->n; i++)
		n += list->objs[i].partial;
	return n;
}

IPCX_EXPORT size_t ipcx_list_hidden_procs(const struct ipcx_list *list)
{
	return list ? list->hidden_procs : 0;
}

IPCX_EXPORT size_t ipcx_list_unread_netns(const struct ipcx_list *list)
{
	return list ? list->unread_netns : 0;
}

IPCX_EXPORT int ipcx_list_hidepid(const struct ipcx_list *list)
{
	return list ? list->hidepid : 0;
}

IPCX_EXPORT int ipcx_obj_is_partial(const struct ipcx_obj *obj)
{
	return obj && obj->partial;
}

IPCX_EXPORT unsigned int ipcx_obj_kind(const struct ipcx_obj *obj)
{
	return obj ? obj->kind : IPCX_KIND_COUNT;
}

IPCX_EXPORT int ipcx_obj_remove(struct ipcx_obj *obj)
{
	const struct kind_ops *ops;

	if (!obj)
		return -EINVAL;
	ops = kind_get(obj->kind);
	if (!ops || !ops->remove)
		return -EOPNOTSUPP;
	return ops->remove(obj);
}

IPCX_EXPORT int ipcx_obj_sem_members(struct ipcx_obj *obj,
				     const struct ipcx_sem_member **members, size_t *n)
{
	const struct kind_ops *ops;
	int r;

	if (!obj || !members || !n)
		return -EINVAL;
	ops = kind_get(obj->kind);
	if (!ops || !ops->members)
		return -EINVAL;
	/* read once: the members then agree with the rest of the object */
	r = obj->members ? 0 : ops->members(obj);
	if (r < 0)
		return r;
	*members = obj->members;
	*n = obj->nmembers;
	return 0;
}

IPCX_EXPORT int ipcx_create(struct ipcx_ctx *ctx, unsigned int kind,
			    const struct ipcx_create_spec *spec, int *id)
{
	const struct kind_ops *ops = kind_get(kind);

	if (!ctx || kind >= IPCX_KIND_COUNT || !spec || !id || (spec->mode & ~0777u))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(spec->reserved) / sizeof(spec->reserved[0]); i++) {
		if (spec->reserved[i])
			return -EINVAL;	/* a later version's field: not what this one would make */
	}
	*id = 0;
	if (!ops || !ops->create)
		return -EOPNOTSUPP;
	return ops->create(ctx, spec, id);
}
