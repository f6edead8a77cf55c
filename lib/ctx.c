// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: logging and the name caches a run shares. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipcx-private.h"
#include "proc2.h"

/* id -> name, open addressing; a host has few distinct owners */
struct name_cache {
	struct name_slot {
		uint32_t id;
		char *name;	/* NULL: slot empty */
	} *slots;
	size_t nslots, used;
};

struct ipcx_ctx {
	int refcount;
	ipcx_log_fn log_fn;
	void *log_data;
	int log_priority;
	bool force_procfs;
	bool maps_text_only;
	struct name_cache users, groups;
	char **fifo_paths;
	size_t nfifo_paths;
};

IPCX_EXPORT int ipcx_new(struct ipcx_ctx **ret)
{
	struct ipcx_ctx *ctx;
	const char *src;

	if (!ret)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_priority = LOG_ERR;
	src = secure_getenv("IPCX_SYSVIPC_SOURCE");
	ctx->force_procfs = src && strcmp(src, "procfs") == 0;
	/* tests reach the text parser of maps on kernels that have PROCMAP_QUERY */
	src = secure_getenv("IPCX_MAPS_SOURCE");
	ctx->maps_text_only = src && strcmp(src, "text") == 0;
	*ret = ctx;
	return 0;
}

IPCX_EXPORT struct ipcx_ctx *ipcx_ref(struct ipcx_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

static void name_cache_free(struct name_cache *cache)
{
	for (size_t i = 0; i < cache->nslots; i++)
		free(cache->slots[i].name);
	free(cache->slots);
}

IPCX_EXPORT struct ipcx_ctx *ipcx_unref(struct ipcx_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return ctx;
	name_cache_free(&ctx->users);
	name_cache_free(&ctx->groups);
	for (size_t i = 0; i < ctx->nfifo_paths; i++)
		free(ctx->fifo_paths[i]);
	free(ctx->fifo_paths);
	free(ctx);
	return NULL;
}

IPCX_EXPORT void ipcx_set_log_fn(struct ipcx_ctx *ctx, ipcx_log_fn fn, void *data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = data;
}

IPCX_EXPORT void ipcx_set_log_priority(struct ipcx_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

void ctx_log(struct ipcx_ctx *ctx, int priority, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_data, priority, msg);
}

bool ctx_force_procfs(const struct ipcx_ctx *ctx)
{
	return ctx->force_procfs;
}

bool ctx_maps_text_only(const struct ipcx_ctx *ctx)
{
	return ctx->maps_text_only;
}

IPCX_EXPORT int ipcx_preload(void)
{
	const struct proc2_api *api;

	return proc2_load(&api);
}

IPCX_EXPORT int ipcx_add_fifo_path(struct ipcx_ctx *ctx, const char *path)
{
	char **paths, *copy;

	if (!ctx || !path || !*path)
		return -EINVAL;
	paths = realloc(ctx->fifo_paths, (ctx->nfifo_paths + 1) * sizeof(*paths));
	if (!paths)
		return -ENOMEM;
	ctx->fifo_paths = paths;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	paths[ctx->nfifo_paths++] = copy;
	return 0;
}

size_t ctx_fifo_paths(const struct ipcx_ctx *ctx, const char *const **paths)
{
	*paths = (const char *const *)ctx->fifo_paths;
	return ctx->nfifo_paths;
}

static size_t slot_of(const struct name_cache *cache, uint32_t id)
{
	size_t i = (id * 2654435761u) & (cache->nslots - 1);

	while (cache->slots[i].name && cache->slots[i].id != id)
		i = (i + 1) & (cache->nslots - 1);
	return i;
}

static int name_cache_grow(struct name_cache *cache)
{
	struct name_cache bigger = { .nslots = cache->nslots ? cache->nslots * 2 : 16 };

	bigger.slots = calloc(bigger.nslots, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < cache->nslots; i++) {
		if (cache->slots[i].name)
			bigger.slots[slot_of(&bigger, cache->slots[i].id)] = cache->slots[i];
	}
	bigger.used = cache->used;
	free(cache->slots);
	*cache = bigger;
	return 0;
}

/* The name of id, asking lookup() the first time; a number if it has none */
static const char *name_cache_get(struct name_cache *cache, uint32_t id,
				  char *(*lookup)(uint32_t id))
{
	struct name_slot *slot;
	char *name;

	if (cache->used * 2 >= cache->nslots && name_cache_grow(cache) < 0)
		return NULL;
	slot = &cache->slots[slot_of(cache, id)];
	if (slot->name)
		return slot->name;
	name = lookup(id);
	if (!name && asprintf(&name, "%u", id) < 0)
		return NULL;
	slot->id = id;
	slot->name = name;
	cache->used++;
	return name;
}

static char *lookup_user(uint32_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return NULL;
	return strdup(res->pw_name);
}

static char *lookup_group(uint32_t gid)
{
	struct group gr, *res = NULL;
	char buf[4096];

	if (getgrgid_r(gid, &gr, buf, sizeof(buf), &res) != 0 || !res)
		return NULL;
	return strdup(res->gr_name);
}

const char *ctx_user_name(struct ipcx_ctx *ctx, uint32_t uid)
{
	return name_cache_get(&ctx->users, uid, lookup_user);
}

const char *ctx_group_name(struct ipcx_ctx *ctx, uint32_t gid)
{
	return name_cache_get(&ctx->groups, gid, lookup_group);
}
