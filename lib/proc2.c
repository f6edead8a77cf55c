// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libproc2, loaded the first time a context reads the processes. Linked,
 * it and the seven libraries it needs (libsystemd, libgcrypt, liblzma, ...)
 * cost every run 2.6 ms here, twice what a program without them takes to
 * start, while most runs read no process: a listing of System V objects,
 * the removal of unattached segments.
 *
 * It is loaded once per process and never unloaded: it keeps buffers in
 * static variables that only its exit handlers free, so each dlclose()
 * lost them (250 kB each time, by valgrind), and every context shares its
 * functions.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "ipcx-private.h"
#include "proc2.h"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct proc2_api api;
static int load_result;
static char load_error[256];

/*
 * libproc2 keeps state in globals (the boot time, the buffers of its
 * readers): two contexts reading processes on two threads would share them
 */
static pthread_mutex_t api_lock = PTHREAD_MUTEX_INITIALIZER;

/* Each function or NULL; true if libproc2 has them all */
static bool resolve(void *handle)
{
	api.pids_new = (typeof(api.pids_new))dlsym(handle, "procps_pids_new");
	api.pids_reap = (typeof(api.pids_reap))dlsym(handle, "procps_pids_reap");
	api.pids_select = (typeof(api.pids_select))dlsym(handle, "procps_pids_select");
	api.pids_unref = (typeof(api.pids_unref))dlsym(handle, "procps_pids_unref");
	return api.pids_new && api.pids_reap && api.pids_select && api.pids_unref;
}

/*
 * libproc2 loads a library of its own (libnuma) on its first
 * procps_pids_new(): that happens here too, so that ipcx_preload() leaves
 * nothing to load later, in another mount namespace
 */
static void first_use(void)
{
	enum pids_item item = PIDS_ID_PID;
	struct pids_info *info = NULL;

	if (api.pids_new(&info, &item, 1) == 0)
		api.pids_unref(&info);
}

static void load(void)
{
	void *handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);

	if (!handle) {
		snprintf(load_error, sizeof(load_error), "%s", dlerror());
		load_result = -ELIBACC;
	} else if (!resolve(handle)) {
		snprintf(load_error, sizeof(load_error), "%s lacks a function of procps_pids",
			 LIBPROC2_SONAME);
		load_result = -ELIBACC;
	} else {
		first_use();
	}
}

int proc2_load(const struct proc2_api **ret)
{
	pthread_once(&load_once, load);
	if (load_result < 0)
		return load_result;
	*ret = &api;
	return 0;
}

const char *proc2_load_error(void)
{
	pthread_once(&load_once, load);
	return load_error;
}

void proc2_lock(void)
{
	pthread_mutex_lock(&api_lock);
}

void proc2_unlock(void)
{
	pthread_mutex_unlock(&api_lock);
}
