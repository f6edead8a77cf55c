// SPDX-License-Identifier: GPL-2.0-or-later
/* The objects a user names with --key, --id and --owner. */
#include <stdlib.h>

#include "ipcx-cmd.h"

/* Grow a value array and its hit flags by one */
static int append(void **values, bool **hits, size_t n, size_t elem)
{
	void *v = realloc(*values, (n + 1) * elem);
	bool *h;

	if (!v)
		return -1;
	*values = v;
	h = realloc(*hits, (n + 1) * sizeof(*h));
	if (!h)
		return -1;
	h[n] = false;
	*hits = h;
	return 0;
}

int selection_add_key(struct selection *sel, const char *arg)
{
	uint32_t key;
	int rc = parse_key_arg(arg, &key, true);

	if (rc)
		return rc;
	if (append((void **)&sel->keys, &sel->key_hit, sel->nkeys, sizeof(key)) < 0) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->keys[sel->nkeys++] = key;
	return EXIT_DONE;
}

int selection_add_id(struct selection *sel, const char *arg)
{
	int id;
	int rc = parse_id_arg(arg, &id);

	if (rc)
		return rc;
	if (append((void **)&sel->ids, &sel->id_hit, sel->nids, sizeof(id)) < 0) {
		print_error("out of memory");
		return EXIT_FAILED;
	}
	sel->ids[sel->nids++] = id;
	return EXIT_DONE;
}

int selection_set_owner(struct selection *sel, const char *arg)
{
	sel->by_owner = true;
	return parse_user_arg(arg, &sel->owner);
}

/* Marks every selector value equal to the object's value of col */
static bool hit_values(const struct ipcx_obj *obj, unsigned int col,
		       const void *values, bool *hits, size_t n, bool is_key)
{
	uint64_t v;
	bool hit = false;

	if (ipcx_obj_get_u64(obj, col, &v) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t want = is_key ? ((const uint32_t *)values)[i]
				       : (uint64_t)((const int *)values)[i];
		if (want == v)
			hit = hits[i] = true;
	}
	return hit;
}

bool selection_has_key(struct selection *sel, const struct ipcx_obj *obj)
{
	return hit_values(obj, IPCX_COL_KEY, sel->keys, sel->key_hit, sel->nkeys, true);
}

bool selection_has_id(struct selection *sel, const struct ipcx_obj *obj)
{
	return hit_values(obj, IPCX_COL_ID, sel->ids, sel->id_hit, sel->nids, false);
}

bool selection_filter(struct selection *sel, const struct ipcx_obj *obj)
{
	uint64_t uid;

	if (sel->nkeys && !selection_has_key(sel, obj))
		return false;
	if (sel->nids && !selection_has_id(sel, obj))
		return false;
	if (sel->by_owner)
		return ipcx_obj_get_u64(obj, IPCX_COL_UID, &uid) == 0 && uid == sel->owner;
	return true;
}

void selection_free(struct selection *sel)
{
	free(sel->keys);
	free(sel->key_hit);
	free(sel->ids);
	free(sel->id_hit);
}
