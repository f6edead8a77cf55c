// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Users of objects: the uses the process engine found, merged into one
 * entry per process and attached to each object; pid liveness; orphans.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ipcx-private.h"

static struct ipcx_user *find_or_add(struct ipcx_user **users, size_t *n, const struct proc *p)
{
	struct ipcx_user *more;

	for (size_t i = 0; i < *n; i++) {
		if ((*users)[i].pid == p->pid)
			return &(*users)[i];
	}
	more = realloc(*users, (*n + 1) * sizeof(**users));
	if (!more)
		return NULL;
	*users = more;
	more[*n] = (struct ipcx_user){ .pid = p->pid, .fd = -1, .command = p->comm };
	return &more[(*n)++];
}

/* The uses [uses, uses + nuses) that pass check (all of them without one) */
static int add_uses(struct ipcx_user **users, size_t *n, const struct proc_index *idx,
		    const struct use *uses, size_t nuses, use_check_fn check)
{
	for (size_t i = 0; i < nuses; i++) {
		const struct use *use = &uses[i];
		struct ipcx_user *u;

		if (check && !check(idx, use))
			continue;
		u = find_or_add(users, n, procs_get(idx, use->proc));
		if (!u)
			return -ENOMEM;
		u->how |= use->how;
		u->mapped += use->bytes;
		if (use->fd >= 0 && (u->fd < 0 || use->fd < u->fd))
			u->fd = use->fd;
	}
	return 0;
}

/* Each descriptor among the uses that pass check, as ipcx_obj_user_fds() gives them */
static int add_fds(struct ipcx_obj *obj, const struct proc_index *idx,
		   const struct use *uses, size_t nuses, use_check_fn check)
{
	for (size_t i = 0; i < nuses; i++) {
		const struct use *use = &uses[i];
		struct obj_fd *more;

		if (use->fd < 0 || (check && !check(idx, use)))
			continue;
		more = realloc(obj->fds, (obj->nfds + 1) * sizeof(*more));
		if (!more)
			return -ENOMEM;
		obj->fds = more;
		more[obj->nfds++] = (struct obj_fd){
			.pid = procs_get(idx, use->proc)->pid,
			.fd = { .fd = use->fd, .how = use->how & (IPCX_USE_READ | IPCX_USE_WRITE) } };
	}
	return 0;
}

int obj_add_checked_users(struct ipcx_obj *obj, const struct proc_index *idx,
			  enum use_space space, uint64_t dev, uint64_t ino, use_check_fn check)
{
	const struct use *first;
	size_t n = procs_find(idx, space, dev, ino, &first);
	int r = add_uses(&obj->users, &obj->nusers, idx, first, n, check);

	return r < 0 ? r : add_fds(obj, idx, first, n, check);
}

int obj_add_users(struct ipcx_obj *obj, const struct proc_index *idx,
		  enum use_space space, uint64_t dev, uint64_t ino)
{
	return obj_add_checked_users(obj, idx, space, dev, ino, NULL);
}

int obj_add_file_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	return obj_add_users(obj, idx, US_FILE, obj_val(obj, F_DEV), obj_val(obj, F_INODE));
}

int obj_add_peer_users(struct ipcx_obj *obj, const struct proc_index *idx, uint64_t ino)
{
	const struct use *first;
	size_t n = procs_find(idx, US_SOCKET, 0, ino, &first);

	return add_uses(&obj->peer_users, &obj->npeer_users, idx, first, n, NULL);
}

int obj_add_pid_user(struct ipcx_obj *obj, const struct proc_index *idx, pid_t pid,
		     uint64_t since, unsigned int how)
{
	const struct proc *p = procs_by_pid(idx, pid);
	struct ipcx_user *u;

	if (!p || procs_pid_state(idx, pid, since) != IPCX_PID_ALIVE)
		return 0;
	u = find_or_add(&obj->users, &obj->nusers, p);
	if (!u)
		return -ENOMEM;
	u->how |= how;
	return 0;
}

static int compare_users(const void *a, const void *b)
{
	const struct ipcx_user *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void obj_users_done(struct ipcx_obj *obj)
{
	sort_array(obj->users, obj->nusers, sizeof(*obj->users), compare_users);
	sort_array(obj->peer_users, obj->npeer_users, sizeof(*obj->peer_users), compare_users);
	obj_set(obj, F_NPROCS, obj->nusers);
}

/* Every distinct pid among the users of the list, for one batch of lookups */
static int collect_pids(const struct ipcx_list *list, pid_t **ret, size_t *n)
{
	size_t total = 0, k = 0;
	pid_t *pids;

	for (size_t i = 0; i < list->n; i++)
		total += list->objs[i].nusers + list->objs[i].npeer_users;
	pids = malloc((total ? total : 1) * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		const struct ipcx_obj *obj = &list->objs[i];

		for (size_t u = 0; u < obj->nusers; u++)
			pids[k++] = obj->users[u].pid;
		for (size_t u = 0; u < obj->npeer_users; u++)
			pids[k++] = obj->peer_users[u].pid;
	}
	*ret = pids;
	*n = k;
	return 0;
}

static void fill_details(const struct proc_index *idx, struct ipcx_user *users, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = procs_by_pid(idx, users[i].pid);

		if (p && p->detailed) {
			users[i].has_uid = 1;
			users[i].uid = p->uid;
			users[i].cmdline = p->cmdline;
		}
	}
}

/* Owners and command lines of every user, read in one pass */
static int list_resolve_details(struct ipcx_list *list)
{
	pid_t *pids;
	size_t n;
	int r = collect_pids(list, &pids, &n);

	if (r < 0)
		return r;
	r = procs_resolve_details(list->procs, pids, n);
	free(pids);
	for (size_t i = 0; r == 0 && i < list->n; i++) {
		fill_details(list->procs, list->objs[i].users, list->objs[i].nusers);
		fill_details(list->procs, list->objs[i].peer_users, list->objs[i].npeer_users);
	}
	return r;
}

/* One thread's share of the objects: [first, end), each one's result in results */
struct users_share {
	struct ipcx_list *list;
	size_t first, end;
	int *results;
};

static void resolve_share(void *data)
{
	struct users_share *share = data;

	for (size_t i = share->first; i < share->end; i++) {
		struct ipcx_obj *obj = &share->list->objs[i];
		const struct kind_ops *ops = kind_get(obj->kind);
		int r = ops->users ? ops->users(obj, share->list->procs) : 0;

		if (r == 0)
			obj_users_done(obj);
		share->results[i] = r;
	}
}

/* Objects found removed since the scan (-EIDRM) leave the list */
static void drop_removed(struct ipcx_list *list, const int *results)
{
	size_t kept = 0;

	for (size_t i = 0; i < list->n; i++) {
		if (results[i] == -EIDRM)
			obj_release(&list->objs[i]);
		else
			list->objs[kept++] = list->objs[i];
	}
	list->n = kept;
}

/*
 * Four thousand objects or more are shared out to one thread per CPU: finding
 * users is lookups in the process index, which nobody changes meanwhile,
 * and for semaphore sets a semctl() per semaphore.
 */
#define MIN_USERS_SHARE 4096

int list_resolve_users(struct ipcx_list *list, bool details)
{
	struct users_share shares[PARALLEL_MAX];
	size_t n = parallel_threads(list->n, MIN_USERS_SHARE);
	int *results = calloc(list->n ? list->n : 1, sizeof(*results));
	int r = 0;

	if (!results)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		shares[i] = (struct users_share){
			.list = list, .first = parallel_share_start(list->n, i, n),
			.end = parallel_share_start(list->n, i + 1, n), .results = results };
	parallel_run(shares, n, sizeof(*shares), resolve_share, n, 0);
	for (size_t i = 0; r == 0 && i < list->n; i++) {
		if (results[i] != -EIDRM)
			r = results[i];
	}
	if (r == 0)
		drop_removed(list, results);
	free(results);
	if (r < 0)
		return r;
	list->users_resolved = true;
	return details ? list_resolve_details(list) : 0;
}

/* Which time a pid column's event happened at, to tell a reused pid */
static uint64_t pid_event_time(const struct ipcx_obj *obj, unsigned int col)
{
	switch (col) {
	case IPCX_COL_CPID:
		return obj_val(obj, F_CTIME);	/* creation, or a later IPC_SET */
	case IPCX_COL_LPID:
		return obj_val(obj, F_ATIME) > obj_val(obj, F_DTIME) ? obj_val(obj, F_ATIME) : obj_val(obj, F_DTIME);
	case IPCX_COL_LSPID:
		return obj_val(obj, F_STIME);
	case IPCX_COL_LRPID:
		return obj_val(obj, F_RTIME);
	default:
		return 0;	/* NOTIFY_PID: registered at an unknown time */
	}
}

/*
 * A list whose objects nobody can be using read no process (see
 * procs_wanted()); the first pid asked about there reads the list of
 * processes, without their maps or descriptors.
 */
static int list_read_processes(struct ipcx_list *list)
{
	int r;

	if (list->procs)
		return 0;
	/* (logged once per list, not once per object) */
	if (list->procs_error)
		return list->procs_error;
	r = procs_build(list->ctx, PROCS_LIST, &list->procs);
	/* a creator hidepid keeps out of /proc looks gone: the caller is told */
	if (r == 0)
		list->hidepid = procs_hidepid();
	/* those that stay (and were logged); -ENOMEM may pass */
	if (r == -EXDEV || r == -ENODEV || r == -ELIBACC)
		list->procs_error = r;
	return r;
}

IPCX_EXPORT int ipcx_obj_pid_state(const struct ipcx_obj *obj, unsigned int col)
{
	uint64_t pid;
	int r;

	switch (col) {
	case IPCX_COL_CPID:
	case IPCX_COL_LPID:
	case IPCX_COL_LSPID:
	case IPCX_COL_LRPID:
	case IPCX_COL_NOTIFY_PID:
		break;
	default:
		return -EINVAL;	/* whatever the list: a caller's mistake is said as one */
	}
	if (!obj)
		return -EINVAL;
	if (!obj->list->users_resolved)
		return -ENODATA;
	if (ipcx_obj_get_u64(obj, col, &pid) < 0 || pid == 0)
		return -ENODATA;
	r = list_read_processes(obj->list);
	if (r < 0)
		return r;
	return procs_pid_state(obj->list->procs, (pid_t)pid, pid_event_time(obj, col));
}

/*
 * Put fd among the kept lowest of fds[0..max) (kept of them so far, in
 * order), in place: a process holds an object on few descriptors
 */
static void keep_lowest(struct ipcx_fd *fds, size_t kept, size_t max, const struct ipcx_fd *fd)
{
	size_t at = kept;

	if (kept == max) {
		if (max == 0 || fds[max - 1].fd <= fd->fd)
			return;
		at = max - 1;	/* the highest kept goes */
	}
	while (at > 0 && fds[at - 1].fd > fd->fd) {
		fds[at] = fds[at - 1];
		at--;
	}
	fds[at] = *fd;
}

IPCX_EXPORT int ipcx_obj_user_fds(const struct ipcx_obj *obj, pid_t pid, struct ipcx_fd *fds,
				  size_t max)
{
	size_t n = 0;

	if (!obj || (!fds && max))
		return -EINVAL;
	if (!obj->list->users_resolved)
		return -ENODATA;
	for (size_t i = 0; i < obj->nfds; i++) {
		if (obj->fds[i].pid != pid)
			continue;
		keep_lowest(fds, n < max ? n : max, max, &obj->fds[i].fd);
		n++;
	}
	return n > INT_MAX ? INT_MAX : (int)n;
}

IPCX_EXPORT int ipcx_obj_users(const struct ipcx_obj *obj, const struct ipcx_user **users,
			       size_t *n)
{
	if (!obj || !users || !n)
		return -EINVAL;
	if (!obj_has(obj, F_NPROCS))
		return -ENODATA;
	*users = obj->users;
	*n = obj->nusers;
	return 0;
}

IPCX_EXPORT int ipcx_obj_peer_users(const struct ipcx_obj *obj, const struct ipcx_user **users,
				    size_t *n)
{
	if (!obj || !users || !n)
		return -EINVAL;
	if (!obj_has(obj, F_NPROCS) || !obj_has(obj, F_PEER))
		return -ENODATA;
	*users = obj->peer_users;
	*n = obj->npeer_users;
	return 0;
}

IPCX_EXPORT const char *ipcx_obj_orphan_reason(const struct ipcx_obj *obj)
{
	const struct kind_ops *ops;

	if (!obj || !obj_has(obj, F_NPROCS))
		return NULL;
	ops = kind_get(obj->kind);
	return ops && ops->orphan_reason ? ops->orphan_reason(obj) : NULL;
}

IPCX_EXPORT int ipcx_list_has_users(const struct ipcx_list *list)
{
	return list && list->users_resolved;
}
