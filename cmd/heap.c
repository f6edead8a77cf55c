// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program's memory policy (libipcx has none: that is its caller's to set).
 *
 * A large listing makes hundreds of thousands of small allocations, each
 * touched soon after: libsmartcols' lines, cells and copies of every text,
 * and libipcx's values of every object. With 4 KiB pages that is a page
 * fault every few rows, and in a virtual machine a fault is slow: `ipcx list
 * -o +PIDS` over 56000 objects took 15000 of them, a third of its time.
 * glibc backs its heap with transparent huge pages when told so by the
 * environment at start-up (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which a
 * program cannot do for itself; heap_prepare() does the same by hand.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ipcx-cmd.h"

/* address space, not memory: a page becomes memory when first touched */
#define HEAP_RESERVE	(256 << 20)
/* glibc's default top pad, for the growth after the reserve */
#define TOP_PAD_DEFAULT	(128 << 10)
/* arrays of the objects of a large listing come from the heap too */
#define MMAP_THRESHOLD	(32 << 20)
/* never give the reserve back: the process is short-lived */
#define TRIM_THRESHOLD	(1 << 30)
#define GROW_BLOCK	(64 << 10)
#define GROW_BLOCKS_MAX	8
#define HUGE_PAGE	((uintptr_t)2 << 20)
/*
 * The start of the reserve stays in small pages: a small listing keeps the
 * resident size it had (a first huge page would add up to 2 MiB to it, a
 * third of `ipcx list shm --json` over 1000 segments), at the cost of 500
 * to 1000 page faults to a large one (the boundary is a huge page's).
 */
#define SMALL_PAGES_FIRST	((uintptr_t)2 << 20)

/* someone who tunes glibc's malloc with GLIBC_TUNABLES knows better */
static bool malloc_tuned_by_user(void)
{
	const char *tunables = getenv("GLIBC_TUNABLES");

	return tunables && strstr(tunables, "glibc.malloc.");
}

/*
 * Allocates blocks until the heap grows past @start (with the top pad
 * raised, it then grows by the whole reserve). Returns how many blocks.
 */
static size_t grow_heap(const char *start, void *blocks[])
{
	size_t n = 0;

	while (n < GROW_BLOCKS_MAX && (char *)sbrk(0) == start) {
		blocks[n] = malloc(GROW_BLOCK);
		if (!blocks[n])
			break;
		n++;
	}
	return n;
}

static void advise_huge_pages(const char *start, const char *end)
{
	uintptr_t from = ((uintptr_t)start + SMALL_PAGES_FIRST + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);

	/* an error means no huge pages here: 4 KiB pages work as well */
	if ((uintptr_t)end > from)
		madvise((void *)from, (uintptr_t)end - from, MADV_HUGEPAGE);
}

/*
 * One arena for every thread, so that the threads' allocations land in the
 * prepared heap too (sharing its lock made them no slower, measured). Under
 * valgrind or a sanitizer, whose malloc does not use the heap, the blocks
 * come and go and nothing is advised. Where the reserve cannot be had
 * (RLIMIT_DATA, strict overcommit), the heap just grows as it would have.
 */
void heap_prepare(void)
{
	void *blocks[GROW_BLOCKS_MAX];
	const char *start;
	size_t n;

	if (malloc_tuned_by_user())
		return;
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
	mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
	mallopt(M_TOP_PAD, HEAP_RESERVE);
	start = sbrk(0);
	n = grow_heap(start, blocks);
	mallopt(M_TOP_PAD, TOP_PAD_DEFAULT);
	advise_huge_pages(start, sbrk(0));
	while (n)
		free(blocks[--n]);
}
