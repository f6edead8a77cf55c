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

struct proc2;

/*
 * The functions of the library *slot holds, loading it into *slot first if
 * it is NULL; -ELIBACC if libproc2 cannot be loaded or lacks one of them.
 */
int proc2_load(struct proc2 **slot, const struct proc2_api **api);
void proc2_free(struct proc2 *p);

#endif
