/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The smallest test harness that does the job: count failures, exit 1 on any. */
#ifndef IPCX_TESTING_H
#define IPCX_TESTING_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                          \
	do {                                                                 \
		test_checks++;                                               \
		if (!(cond)) {                                               \
			test_failures++;                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                  \
		}                                                            \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long got_ = (long long)(got), want_ = (long long)(want);\
		test_checks++;                                               \
		if (got_ != want_) {                                         \
			test_failures++;                                     \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n",    \
				__FILE__, __LINE__, #got, got_, want_);      \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *got_ = (got), *want_ = (want);                   \
		test_checks++;                                               \
		if (!got_ || strcmp(got_, want_) != 0) {                     \
			test_failures++;                                     \
			fprintf(stderr, "%s:%d: %s is '%s', want '%s'\n",    \
				__FILE__, __LINE__, #got,                    \
				got_ ? got_ : "(null)", want_);              \
		}                                                            \
	} while (0)

static inline int test_summary(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures ? 1 : 0;
}

#endif
