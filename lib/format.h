/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How a value of a column is turned into text. */
#ifndef LIBIPCX_FORMAT_H
#define LIBIPCX_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct ipcx_ctx;

enum value_format {
	VF_KIND,	/* kind word */
	VF_KEY,		/* 0x%08x */
	VF_NUMBER,
	VF_USER,	/* uid -> name */
	VF_GROUP,	/* gid -> name */
	VF_PERMS,	/* rw-r--r-- or 644 */
	VF_SIZE,	/* 8K or bytes */
	VF_STATUS,	/* shm mode bits -> dest,locked */
	VF_TIME,	/* seconds since the epoch; 0 means never */
	VF_TEXT,	/* a string the object holds */
	VF_SOCKTYPE,	/* SOCK_STREAM -> stream */
	VF_SOCKSTATE,	/* TCP_LISTEN -> listen */
	/* views of the object's users, not of one number */
	VF_PIDS,	/* pids of the users */
	VF_COMMANDS,	/* name[pid] of the users */
	VF_PEER_PIDS,	/* pids of the peer's users */
	VF_PID_STATE,	/* yes, no, reused */
	VF_REASON,	/* why the object is orphaned */
};

struct ipcx_user;
/* "12,34" ("" for none) or, with IPCX_FMT_LIST_JSON, [12,34] */
int format_users(const struct ipcx_user *users, size_t n, bool commands, unsigned int flags,
		 char *buf, size_t size);
int format_pid_state(int state, char *buf, size_t size);

/*
 * r, and on an error buf left empty: no truncated text that reads as a
 * value ("12.1" of "12.1K"), nor a buffer without its NUL
 */
int format_finish(int r, char *buf, size_t size);
/* Length written, -ENODATA for a value that prints as nothing, -ENOSPC */
int format_value(struct ipcx_ctx *ctx, enum value_format format, uint64_t val,
		 unsigned int flags, char *buf, size_t size);
/* now is passed in so that a run prints all times against one clock */
int format_time(time_t t, time_t now, unsigned int flags, char *buf, size_t size);
int format_text(const char *text, char *buf, size_t size);
int format_perms(unsigned int mode, unsigned int flags, char *buf, size_t size);

unsigned int columns_scan_need(const unsigned int *cols, size_t ncols);

#endif
