// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one JSON writer: --dry-run --json, idmap --json, ps --json, compare
 * --json and doctor --json all write through it, so every string is
 * escaped the same way (a name or a path may hold any byte).
 */
#include "autoconf.h"

#include "lib/json.h"
#include "lib/util.h"

#include <inttypes.h>

void nb_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = nb_utf8_len(p)) > 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			/* A byte that is not UTF-8 (a file name can hold any): as Latin-1. */
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

static void sep(struct nb_json *j)
{
	if (!j->first)
		fputc(',', j->f);
	j->first = false;
}

void nb_json_key(struct nb_json *j, const char *key)
{
	sep(j);
	nb_json_str(j->f, key);
	fputc(':', j->f);
}

void nb_json_open(struct nb_json *j, const char *key, char bracket)
{
	if (key)
		nb_json_key(j, key);
	else
		sep(j);
	fputc(bracket, j->f);
	j->first = true;
}

void nb_json_close(struct nb_json *j, char bracket)
{
	fputc(bracket, j->f);
	j->first = false;
}

void nb_json_kv(struct nb_json *j, const char *key, const char *value)
{
	nb_json_key(j, key);
	if (value)
		nb_json_str(j->f, value);
	else
		fputs("null", j->f);
}

void nb_json_ku64(struct nb_json *j, const char *key, uint64_t value)
{
	nb_json_key(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void nb_json_ki64(struct nb_json *j, const char *key, int64_t value)
{
	nb_json_key(j, key);
	fprintf(j->f, "%" PRId64, value);
}

void nb_json_kbool(struct nb_json *j, const char *key, bool value)
{
	nb_json_key(j, key);
	fputs(value ? "true" : "false", j->f);
}

void nb_json_elem(struct nb_json *j, const char *value)
{
	sep(j);
	nb_json_str(j->f, value);
}

void nb_json_elem_u64(struct nb_json *j, uint64_t value)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, value);
}
