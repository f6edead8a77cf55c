/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libproc2's functions, from the library loaded at run time (see proc2.c) */
#ifndef LIBIPCX_PROC2_H
#define LIBIPCX_PROC2_H

#include <libproc2/pids.h>

struct proc2_api {
	typeof(procps_pids_new) *pids_new;
	typeof(procps_pids_reap) *pids_reap;
	typeof(procps_pids_select) *pids_select;
	typeof(procps_pids_unref) *pids_unref;
};

/*
 * The functions of libproc2, loading it the first time (once per process,
 * shared by every context): 0, or -ELIBACC if it cannot be loaded or lacks
 * one of them
 */
int proc2_load(const struct proc2_api **api);
/* Why proc2_load() failed, as dlerror() said it; "" if it did not */
const char *proc2_load_error(void);
/*
 * Held from pids_new() to pids_unref(): libproc2 is not safe for two
 * threads at once, even with two pids_info
 */
void proc2_lock(void);
void proc2_unlock(void);

#endif
