// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Running independent jobs on the CPUs. What ipcx waits for is mostly the
 * kernel (a stat, an ioctl, a read of /proc per object or process), and the
 * kernel serves two callers on two CPUs at once: a scan of several kinds, or
 * of hundreds of processes, takes half the wall time on two CPUs.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "ipcx-private.h"

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

/* The next job, or NULL when all are taken */
static void *take_job(struct job_queue *q)
{
	size_t i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);

	return i < q->njobs ? q->jobs + i * q->size : NULL;
}

static void *take_jobs(void *data)
{
	struct job_queue *q = data;
	void *job;

	while ((job = take_job(q)))
		q->run(job);
	return NULL;
}

struct thread_job {
	void (*run)(void *data);
	void *data;
};

static void *run_job(void *arg)
{
	struct thread_job *job = arg;

	job->run(job->data);
	return NULL;
}

int thread_run(void (*run)(void *data), void *data)
{
	struct thread_job job = { .run = run, .data = data };
	pthread_t thread;
	int r = pthread_create(&thread, NULL, run_job, &job);

	if (r)
		return -r;
	pthread_join(thread, NULL);
	return 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Jobs on the caller's thread alone, until they have taken delay_ns and some are left */
static void run_alone(struct job_queue *q, uint64_t delay_ns)
{
	uint64_t start = monotonic_ns();
	void *job;

	while (__atomic_load_n(&q->next, __ATOMIC_RELAXED) < q->njobs &&
	       monotonic_ns() - start < delay_ns) {
		job = take_job(q);
		if (job)
			q->run(job);
	}
}

void parallel_run(void *jobs, size_t njobs, size_t size, void (*run)(void *job),
		  size_t threads, uint64_t delay_ns)
{
	struct job_queue q = { .jobs = jobs, .njobs = njobs, .size = size, .run = run };
	pthread_t helpers[PARALLEL_MAX];
	size_t started = 0;

	if (threads > PARALLEL_MAX)
		threads = PARALLEL_MAX;
	if (threads > njobs)
		threads = njobs;
	if (threads > 1 && delay_ns)
		run_alone(&q, delay_ns);
	/* the caller's thread takes jobs too: a helper that cannot start costs only time */
	for (size_t i = 1; i < threads && q.next < njobs; i++) {
		if (pthread_create(&helpers[started], NULL, take_jobs, &q) == 0)
			started++;
	}
	take_jobs(&q);
	/* joining makes what the helpers wrote into their jobs visible here */
	for (size_t i = 0; i < started; i++)
		pthread_join(helpers[i], NULL);
}
