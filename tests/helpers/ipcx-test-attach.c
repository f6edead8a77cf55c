// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: attach to a System V shm segment, say so on stdout, and stay
 * attached until killed. util-linux has no tool that attaches.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	void *addr;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SHMID\n", argv[0]);
		return 2;
	}
	addr = shmat(atoi(argv[1]), NULL, SHM_RDONLY);
	if (addr == (void *)-1) {
		perror("shmat");
		return 1;
	}
	printf("attached %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}
