/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/**
 * nb_narrate() - with --verbose, say what step is being taken and why
 * @level: the verbosity at which to speak (1 for every step)
 *
 * Narration goes to stderr, so that stdout stays the command's.
 */
void nb_narrate(int level, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void nb_narrate_level(int verbose);
