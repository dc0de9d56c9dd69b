/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one JSON writer (json.c): objects and arrays onto a stream, members
 * and elements separated as they come, every string escaped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* @first: no comma before the next member or element. */
struct nb_json {
	FILE *f;
	bool first;
};

#define NB_JSON(stream) ((struct nb_json){ .f = (stream), .first = true })

/* @s as a JSON string; bytes that are not UTF-8 become \u00XX. */
void nb_json_str(FILE *f, const char *s);
/* The next member's "key": (the value is the caller's to write). */
void nb_json_key(struct nb_json *j, const char *key);
/* "key":{ or "key":[ in an object, or { / [ as an element with @key NULL. */
void nb_json_open(struct nb_json *j, const char *key, char bracket);
void nb_json_close(struct nb_json *j, char bracket);
/* "key":"value", or "key":null for a NULL @value. */
void nb_json_kv(struct nb_json *j, const char *key, const char *value);
void nb_json_ku64(struct nb_json *j, const char *key, uint64_t value);
void nb_json_ki64(struct nb_json *j, const char *key, int64_t value);
void nb_json_kbool(struct nb_json *j, const char *key, bool value);
/* A string element of an array. */
void nb_json_elem(struct nb_json *j, const char *value);
/* A number element of an array. */
void nb_json_elem_u64(struct nb_json *j, uint64_t value);
