// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libproc2, loaded the first time a context reads the processes. Linked,
 * it and the seven libraries it needs (libsystemd, libgcrypt, liblzma, ...)
 * cost every run 2.6 ms here, twice what a program without them takes to
 * start, while most runs read no process: a listing of System V objects,
 * the removal of unattached segments.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

#include "ipcx-private.h"
#include "proc2.h"

struct proc2 {
	void *handle;
	struct proc2_api api;
};

/* Each function or NULL; the api only if libproc2 has them all */
static bool proc2_resolve(struct proc2 *p)
{
	p->api.pids_new = (typeof(p->api.pids_new))dlsym(p->handle, "procps_pids_new");
	p->api.pids_reap = (typeof(p->api.pids_reap))dlsym(p->handle, "procps_pids_reap");
	p->api.pids_select = (typeof(p->api.pids_select))dlsym(p->handle, "procps_pids_select");
	p->api.pids_unref = (typeof(p->api.pids_unref))dlsym(p->handle, "procps_pids_unref");
	return p->api.pids_new && p->api.pids_reap && p->api.pids_select && p->api.pids_unref;
}

int proc2_load(struct proc2 **slot, const struct proc2_api **api)
{
	struct proc2 *p = *slot;

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!p->handle || !proc2_resolve(p)) {
			proc2_free(p);
			return -ELIBACC;
		}
		*slot = p;
	}
	*api = &p->api;
	return 0;
}

void proc2_free(struct proc2 *p)
{
	if (!p)
		return;
	if (p->handle)
		dlclose(p->handle);
	free(p);
}
