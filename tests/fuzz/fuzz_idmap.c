// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the map validator.  The input is text: the caller's
 * /etc/subuid, a line "%%", then the map in the kernel's format, one
 * "INSIDE OUTSIDE COUNT" per line (numbers are taken modulo 2^32, so that
 * every value is reachable).  Without a "%%" line the whole input is the map
 * and it is checked as for a privileged caller, without subordinate ranges.
 * The caller is uid 1000, "alice".  A map the validator accepts must then
 * translate ids as it says and must format within the kernel's one page, or
 * fail to format cleanly.
 */
#include "autoconf.h"

#include "core/config.h"
#include "core/idmap.h"
#include "lib/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OWN 1000
/* More than NB_MAX_MAP_LINES, so that the limit is exercised too. */
#define MAX_LINES 400

static uint32_t number(const char **p)
{
	uint64_t v = 0;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	while (**p >= '0' && **p <= '9')
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	return (uint32_t)v;
}

static void decode_map(const char *text, struct nb_idmap *m)
{
	while (*text && m->n < MAX_LINES) {
		const char *end = strchrnul(text, '\n');
		struct nb_id_range *r = &m->r[m->n];

		if (end > text) {
			r->inside = number(&text);
			r->outside = number(&text);
			r->count = number(&text);
			m->n++;
		}
		text = *end ? end + 1 : end;
	}
}

static void check_accepted(const struct nb_idmap *m)
{
	static char buf[4096];
	int len;

	for (size_t i = 0; i < m->n; i++) {
		const struct nb_id_range *r = &m->r[i];
		uint32_t last = r->inside + (r->count - 1);
		bool found;

		if (nb_idmap_to_outside(m, r->inside, &found) != r->outside || !found)
			abort();
		if (nb_idmap_to_outside(m, last, &found) != r->outside + (r->count - 1) || !found)
			abort();
	}
	/* The validator knows the kernel's page limit: an accepted map fits one write. */
	len = nb_idmap_format(m, buf, sizeof(buf));
	if (len < 0 || (size_t)len > NB_MAX_MAP_BYTES || strlen(buf) != (size_t)len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char *sep;
	const char *map_text = text;
	struct nb_subids subs = { 0 };
	struct nb_idmap m = { 0 };
	struct nb_error e = { 0 };
	bool with_subs = false;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (strncmp(text, "%%\n", 3) == 0) {
		text[0] = '\0';
		map_text = text + 3;
		with_subs = true;
	} else if ((sep = strstr(text, "\n%%\n"))) {
		sep[1] = '\0';
		map_text = sep + 4;
		with_subs = true;
	}
	if (with_subs)
		nb_subid_parse(text, "alice", OWN, &subs);

	m.r = calloc(MAX_LINES, sizeof(*m.r));
	if (!m.r)
		abort();
	decode_map(map_text, &m);
	if (nb_idmap_validate(&m, "uid", OWN, with_subs ? &subs : NULL, "/etc/subuid", &e) == 0)
		check_accepted(&m);
	else if (strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
		abort();

	free(m.r);
	nb_subids_free(&subs);
	free(text);
	return 0;
}
