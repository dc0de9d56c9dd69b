// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the /etc/subuid parser: the input is the file's
 * contents, read for the caller "alice" (uid 1000) and for a caller without
 * a name.  The ranges it returns must be usable as they are; they then go
 * through nb_idplan_build() in --map auto mode, as /etc/subuid and
 * /etc/subgid at once, which also runs the map validator on them.
 */
#include "autoconf.h"

#include "front/cli.h"
#include "core/idmap.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct nb_host host = {
	.uid = 1000,
	.gid = 1000,
	.user = "alice",
	.home = "/home/alice",
	.cwd = "/home/alice/src",
	.shell = "/bin/bash",
};

static void check(const struct nb_subids *s, const char *text)
{
	unsigned lines = 1, prev = 0;

	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	for (size_t i = 0; i < s->n; i++) {
		const struct nb_subid *r = &s->r[i];

		if (r->count == 0 || (uint64_t)r->start + r->count > UINT32_MAX ||
		    r->line <= prev || r->line > lines)
			abort();
		prev = r->line;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The file is read as a C string: it ends at its first NUL. */
	char *text = malloc(size + 1);
	struct nb_subids s;
	struct nb_config cfg;
	struct nb_idplan plan;
	struct nb_error e = { 0 };

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	nb_subid_parse(text, host.user, host.uid, &s);
	check(&s, text);
	nb_subids_free(&s);
	nb_subid_parse(text, NULL, host.uid, &s);
	check(&s, text);
	nb_subids_free(&s);

	nb_config_init(&cfg);
	cfg.ids.map_mode = NB_MAP_AUTO;
	nb_idplan_build(&cfg, &host, text, text, &plan, &e);
	nb_idplan_free(&plan);
	nb_config_free(&cfg);

	free(text);
	return 0;
}
