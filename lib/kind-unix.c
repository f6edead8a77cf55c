// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * UNIX domain sockets, as the kernel's sock_diag reports them: one netlink
 * dump of every AF_UNIX socket per network namespace. A netlink socket sees
 * the namespace it was opened in: the caller's, and those of the processes
 * (a container's) through a socket opened there (netns.c), where the
 * caller may enter them. Their users come from the socket inodes of
 * /proc/PID/fd (socket:[N]), which are unique across namespaces.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/tcp.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <libmnl/libmnl.h>

#include "ipcx-private.h"

/*
 * Dump replies come in skbs of up to 32 KiB when the reader's buffer
 * allows; a smaller buffer is safe but costs more round trips.
 */
#define DUMP_BUF_SIZE 32768

/* Where the reply callback leaves what it found */
struct dump_state {
	struct ipcx_list *list;
	uint64_t netns;		/* inode of the namespace dumped */
	int err;		/* why the callback stopped the dump */
	size_t skipped;		/* messages that do not describe a socket */
};

/*
 * The longest UNIX_DIAG_NAME: a path that fills sun_path (bound without a
 * NUL) comes with the NUL the kernel adds to it when it binds.
 */
#define NAME_ATTR_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) + 1)

/* The attributes of one socket, each checked before it is kept */
struct unix_attrs {
	const struct nlattr *tb[UNIX_DIAG_MAX + 1];
	bool bad;		/* one we asked for was malformed */
};

static int attr_check(const struct nlattr *attr, unsigned int type)
{
	size_t len = mnl_attr_get_payload_len(attr);

	switch (type) {
	case UNIX_DIAG_NAME:
		/* sun_path bytes, with or without a trailing NUL */
		return len > 0 && len <= NAME_ATTR_MAX ? 0 : -1;
	case UNIX_DIAG_PEER:
	case UNIX_DIAG_UID:
		return mnl_attr_validate(attr, MNL_TYPE_U32);
	case UNIX_DIAG_RQLEN:
		return mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(struct unix_diag_rqlen));
	default:
		return 0;
	}
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct unix_attrs *attrs = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* newer kernels may add attributes: skip them, they are not errors */
	if (mnl_attr_type_valid(attr, UNIX_DIAG_MAX) < 0)
		return MNL_CB_OK;
	if (attr_check(attr, type) < 0)
		attrs->bad = true;
	else
		attrs->tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * A bound path, or for an abstract name (first byte NUL) "@" and the name
 * with every NUL in it shown as '@' too, as ss does: those bytes are part
 * of the name, so they cannot end it.
 */
static int set_name(struct ipcx_obj *obj, const struct nlattr *attr)
{
	const char *name = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	char text[NAME_ATTR_MAX + 1];

	if (name[0] != '\0') {
		len = strnlen(name, len);
		memcpy(text, name, len);
	} else {
		for (size_t i = 0; i < len; i++)
			text[i] = name[i] ? name[i] : '@';
	}
	text[len] = '\0';
	return obj_set_text(obj, F_PATH, text);
}

/*
 * For a listener the kernel reuses the queue lengths: rqueue counts the
 * connections waiting for accept() and wqueue is the backlog limit.
 */
static void set_queues(struct ipcx_obj *obj, const struct nlattr *attr)
{
	struct unix_diag_rqlen rql;

	memcpy(&rql, mnl_attr_get_payload(attr), sizeof(rql));
	if (obj_val(obj, F_STATE) == TCP_LISTEN) {
		obj_set(obj, F_PENDING, rql.udiag_rqueue);
		obj_set(obj, F_BACKLOG, rql.udiag_wqueue);
	} else {
		obj_set(obj, F_RECVQ, rql.udiag_rqueue);
		obj_set(obj, F_SENDQ, rql.udiag_wqueue);
	}
}

static int fill_obj(struct ipcx_obj *obj, const struct unix_diag_msg *msg,
		    const struct unix_attrs *attrs, uint64_t netns)
{
	const struct nlattr *const *tb = attrs->tb;

	obj->partial = attrs->bad;
	if (netns)
		obj_set(obj, F_NETNS, netns);
	obj_set(obj, F_INODE, msg->udiag_ino);
	obj_set(obj, F_SOCKTYPE, msg->udiag_type);
	obj_set(obj, F_STATE, msg->udiag_state);
	if (tb[UNIX_DIAG_PEER] && mnl_attr_get_u32(tb[UNIX_DIAG_PEER]))
		obj_set(obj, F_PEER, mnl_attr_get_u32(tb[UNIX_DIAG_PEER]));
	if (tb[UNIX_DIAG_RQLEN])
		set_queues(obj, tb[UNIX_DIAG_RQLEN]);
	/* Linux 5.3+; older kernels ignore UDIAG_SHOW_UID */
	if (tb[UNIX_DIAG_UID])
		obj_set(obj, F_UID, mnl_attr_get_u32(tb[UNIX_DIAG_UID]));
	return tb[UNIX_DIAG_NAME] ? set_name(obj, tb[UNIX_DIAG_NAME]) : 0;
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *scan = data;
	const struct unix_diag_msg *msg = mnl_nlmsg_get_payload(nlh);
	struct unix_attrs attrs = { 0 };
	struct ipcx_obj *obj;
	int r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*msg) || msg->udiag_family != AF_UNIX) {
		scan->skipped++;
		return MNL_CB_OK;
	}
	mnl_attr_parse(nlh, sizeof(*msg), attr_cb, &attrs);
	obj = list_add(scan->list, IPCX_KIND_UNIX);
	if (!obj) {
		scan->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	r = fill_obj(obj, msg, &attrs, scan->netns);
	if (r < 0) {
		scan->err = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int dump_request(struct mnl_socket *nl, unsigned int seq, void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct unix_diag_req *req;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = AF_UNIX;
	req->udiag_states = UINT32_MAX;	/* a bit per state (1 << TCP_*): every one */
	req->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
			  UDIAG_SHOW_UID;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/* libmnl reports by errno; a kernel error reply lands there too */
static int dump_error(const struct dump_state *scan)
{
	if (scan->err)
		return scan->err;
	/* sock_diag has no handler for AF_UNIX: the unix_diag module is missing */
	if (errno == ENOENT)
		return -EPROTONOSUPPORT;
	return errno ? -errno : -EIO;
}

/*
 * libmnl 1.0.4 reads a message length of 2^31 or more as negative and
 * walks off the buffer: check every length against what was received.
 */
static bool batch_ok(const char *buf, size_t n)
{
	while (n >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)buf;
		size_t len = nlh->nlmsg_len;

		if (len < sizeof(*nlh) || len > n)
			return false;
		len = MNL_ALIGN(len) < n ? MNL_ALIGN(len) : n;
		buf += len;
		n -= len;
	}
	return true;
}

/* One datagram of the reply: 1 for more to come, 0 at the end, or -errno */
static int dump_batch(const void *buf, size_t n, unsigned int seq, unsigned int portid,
		      struct dump_state *scan)
{
	int r;

	if (!batch_ok(buf, n))
		return -EBADMSG;
	errno = 0;
	r = mnl_cb_run(buf, n, seq, portid, msg_cb, scan);
	if (r < 0)
		return dump_error(scan);
	return r == MNL_CB_STOP ? 0 : 1;
}

static int dump_read(struct mnl_socket *nl, unsigned int seq, void *buf,
		     struct dump_state *scan)
{
	unsigned int portid = mnl_socket_get_portid(nl);
	int r = 1;

	while (r > 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, DUMP_BUF_SIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)	/* netlink never sends this; do not spin on it */
			return -EPROTO;
		r = dump_batch(buf, (size_t)n, seq, portid, scan);
	}
	return r;
}

/*
 * Bound, the socket has a port id, so libmnl drops replies meant for
 * others; connected to the kernel (port 0), it is sent nothing by other
 * processes, which could otherwise make up sockets.
 */
static int dump_connect(struct mnl_socket *nl)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	if (connect(mnl_socket_get_fd(nl), (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/* Every socket of the namespace nl was opened in; adds the malformed messages to *skipped */
static int dump_sockets(struct ipcx_list *list, struct mnl_socket *nl, uint64_t netns, void *buf,
			size_t *skipped)
{
	struct dump_state scan = { .list = list, .netns = netns };
	/* any value: replies echo it, and libmnl drops those that do not */
	unsigned int seq = 1;
	int r = dump_connect(nl);

	if (r == 0)
		r = dump_request(nl, seq, buf);
	if (r == 0)
		r = dump_read(nl, seq, buf, &scan);
	*skipped += scan.skipped;
	mnl_socket_close(nl);
	return r;
}

static int dump_here(struct ipcx_list *list, uint64_t netns, void *buf, size_t *skipped)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);

	return nl ? dump_sockets(list, nl, netns, buf, skipped) : -errno;
}

/* What the thread that visits the other namespaces is given, and what it found */
struct foreign_scan {
	struct ipcx_list *list;
	const struct netns_set *set;
	const struct netns *own;
	void *buf;
	size_t skipped;
	int r;
};

static bool is_own(const struct netns *ns, const struct netns *own)
{
	return ns->dev == own->dev && ns->ino == own->ino;
}

/*
 * One namespace after the other, in a thread of its own that ends in the
 * last: the caller's threads never leave theirs (nor does the caller's log
 * function run in another). One we may not enter (CAP_SYS_ADMIN over it
 * is needed, or its tasks turned unreadable) is counted, its sockets
 * missing; one all of whose tasks have gone has no users to find.
 */
static void dump_other_netns(void *data)
{
	struct foreign_scan *scan = data;
	const struct netns_set *set = scan->set;
	int r = 0;

	for (size_t i = 0, end; r == 0 && i < set->n; i = end) {
		end = netns_group_end(set, i);
		if (is_own(&set->ns[i], scan->own))
			continue;
		r = netns_enter_group(set, i, end);
		if (r == 0)
			r = dump_here(scan->list, set->ns[i].ino, scan->buf, &scan->skipped);
		else if (r == -EPERM || r == -EACCES)
			scan->list->unread_netns++;
		if (r == -EPERM || r == -EACCES || r == -ESRCH)
			r = 0;
	}
	scan->r = r;
}

static bool has_other_netns(const struct netns_set *set, const struct netns *own)
{
	for (size_t i = 0; i < set->n; i++) {
		if (!is_own(&set->ns[i], own))
			return true;
	}
	return false;
}

static int dump_foreign(struct ipcx_list *list, const struct netns *own, void *buf,
			size_t *skipped)
{
	struct netns_set set = { 0 };
	struct foreign_scan scan = { .list = list, .set = &set, .own = own, .buf = buf };
	int r = netns_of_tasks(&set);

	/* most hosts have one namespace: no thread for them */
	if (r == 0 && has_other_netns(&set, own))
		r = thread_run(dump_other_netns, &scan);
	if (r == 0)
		r = scan.r;
	*skipped += scan.skipped;
	netns_set_free(&set);
	return r;
}

static int unix_scan(struct ipcx_list *list, unsigned int need)
{
	struct netns own;
	/* without /proc: our own namespace's sockets, unnamed */
	bool procfs = netns_own(&own) == 0;
	void *buf = malloc(DUMP_BUF_SIZE);
	size_t skipped = 0;
	int r;

	if (!buf)
		return -ENOMEM;
	r = dump_here(list, procfs ? own.ino : 0, buf, &skipped);
	if (r == 0 && procfs)
		r = dump_foreign(list, &own, buf, &skipped);
	if (skipped)
		dbg(list->ctx, "unix: skipped %zu malformed sock_diag messages", skipped);
	free(buf);
	return r;
}

static int unix_users(struct ipcx_obj *obj, const struct proc_index *idx)
{
	int r = obj_add_users(obj, idx, US_SOCKET, 0, obj_val(obj, F_INODE));

	if (r == 0 && obj_has(obj, F_PEER))
		r = obj_add_peer_users(obj, idx, obj_val(obj, F_PEER));
	return r;
}

/* No remove or create: a socket goes when the last descriptor on it closes */
const struct kind_ops kind_unix_ops = {
	.fields = FIELD_BIT(F_INODE) | FIELD_BIT(F_SOCKTYPE) | FIELD_BIT(F_STATE) |
		  FIELD_BIT(F_PATH) | FIELD_BIT(F_PEER) | FIELD_BIT(F_RECVQ) |
		  FIELD_BIT(F_SENDQ) | FIELD_BIT(F_BACKLOG) | FIELD_BIT(F_PENDING) |
		  FIELD_BIT(F_UID) | FIELD_BIT(F_NETNS),
	.procs = PROCS_FDS | PROCS_SOCKETS,
	.scan = unix_scan,
	.users = unix_users,
};
