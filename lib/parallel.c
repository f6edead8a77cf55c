// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Running independent jobs on the CPUs. What ipcx waits for is mostly the
 * kernel (a stat, an ioctl, a read of /proc per object or process), and the
 * kernel serves two callers on two CPUs at once: a scan of several kinds, or
 * of hundreds of processes, takes half the wall time on two CPUs.
 */
#include <pthread.h>
#include <unistd.h>

#include "ipcx-private.h"

/* More threads than this only wait on each other in the kernel */
#define PARALLEL_MAX 4

size_t parallel_threads(size_t units, size_t min_units)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = min_units ? units / min_units : units;

	if (cpus > 0 && n > (size_t)cpus)
		n = (size_t)cpus;
	if (n > PARALLEL_MAX)
		n = PARALLEL_MAX;
	return n ? n : 1;
}

struct job_queue {
	char *jobs;
	size_t njobs, size;
	void (*run)(void *job);
	size_t next;	/* the next job nobody has taken */
};

static void *take_jobs(void *data)
{
	struct job_queue *q = data;
	size_t i;

	while ((i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED)) < q->njobs)
		q->run(q->jobs + i * q->size);
	return NULL;
}

void parallel_run(void *jobs, size_t njobs, size_t size, void (*run)(void *job),
		  size_t threads)
{
	struct job_queue q = { .jobs = jobs, .njobs = njobs, .size = size, .run = run };
	pthread_t helpers[PARALLEL_MAX];
	size_t started = 0;

	if (threads > PARALLEL_MAX)
		threads = PARALLEL_MAX;
	if (threads > njobs)
		threads = njobs;
	/* the caller's thread takes jobs too: a helper that cannot start costs only time */
	for (size_t i = 1; i < threads; i++) {
		if (pthread_create(&helpers[started], NULL, take_jobs, &q) == 0)
			started++;
	}
	take_jobs(&q);
	/* joining makes what the helpers wrote into their jobs visible here */
	for (size_t i = 0; i < started; i++)
		pthread_join(helpers[i], NULL);
}
