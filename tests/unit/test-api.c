// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The context's contracts that need no IPC object: what ipcx_preload()
 * loads and when. Runs anywhere: it creates nothing.
 */
#include <dlfcn.h>
#include <errno.h>

#include "ipcx-private.h"
#include "testing.h"

/* 1 if libproc2 is in the process, without loading it */
static int proc2_loaded(void)
{
	void *handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_NOLOAD);

	if (!handle)
		return 0;
	dlclose(handle);
	return 1;
}

/* Nothing loaded before it is needed (start-up time), everything after preload */
static void test_preload(void)
{
	struct ipcx_ctx *ctx;

	CHECK_INT(ipcx_new(&ctx), 0);
	CHECK_INT(proc2_loaded(), 0);
	CHECK_INT(ipcx_preload(), 0);
	CHECK_INT(proc2_loaded(), 1);
	CHECK_INT(ipcx_preload(), 0);
	ipcx_unref(ctx);
	/* one load for the process: no context holds it */
	CHECK_INT(proc2_loaded(), 1);
}

int main(void)
{
	test_preload();
	return test_summary("test-api");
}
