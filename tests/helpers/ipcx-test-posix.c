// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: ground truth for POSIX objects and a few actions util-linux
 * has no command for. Each subcommand prints plain values for bats to compare.
 *   mq-attr NAME           "curmsgs maxmsg msgsize" from mq_getattr()
 *   mq-send NAME TEXT      send one message
 *   sem-value NAME         the value from sem_getvalue()
 *   msg-send ID TEXT       send one System V message (type 1)
 *   hold-fifo PATH r|w     open the FIFO for reading or writing, print "ready", wait
 */
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

static int mq_attr(const char *name)
{
	struct mq_attr attr;
	mqd_t mq = mq_open(name, O_RDONLY | O_NONBLOCK);

	if (mq == (mqd_t)-1 || mq_getattr(mq, &attr) < 0) {
		perror(name);
		return 1;
	}
	printf("%ld %ld %ld\n", attr.mq_curmsgs, attr.mq_maxmsg, attr.mq_msgsize);
	return 0;
}

static int mq_send_text(const char *name, const char *text)
{
	mqd_t mq = mq_open(name, O_WRONLY | O_NONBLOCK);

	if (mq == (mqd_t)-1 || mq_send(mq, text, strlen(text), 0) < 0) {
		perror(name);
		return 1;
	}
	return 0;
}

static int sem_value(const char *name)
{
	sem_t *sem = sem_open(name, 0);
	int value;

	if (sem == SEM_FAILED || sem_getvalue(sem, &value) < 0) {
		perror(name);
		return 1;
	}
	printf("%d\n", value);
	return 0;
}

static int msg_send_text(const char *id, const char *text)
{
	struct {
		long type;
		char text[256];
	} msg = { 1, "" };

	snprintf(msg.text, sizeof(msg.text), "%s", text);
	if (msgsnd(atoi(id), &msg, strlen(msg.text), IPC_NOWAIT) < 0) {
		perror("msgsnd");
		return 1;
	}
	return 0;
}

static int hold_fifo(const char *path, const char *how)
{
	int fd = open(path, (how[0] == 'w' ? O_WRONLY : O_RDONLY) | O_NONBLOCK);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "mq-attr") == 0 && argc == 3)
		return mq_attr(argv[2]);
	if (strcmp(cmd, "mq-send") == 0 && argc == 4)
		return mq_send_text(argv[2], argv[3]);
	if (strcmp(cmd, "sem-value") == 0 && argc == 3)
		return sem_value(argv[2]);
	if (strcmp(cmd, "msg-send") == 0 && argc == 4)
		return msg_send_text(argv[2], argv[3]);
	if (strcmp(cmd, "hold-fifo") == 0 && argc == 4)
		return hold_fifo(argv[2], argv[3]);
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
