/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ending what a sandbox left (reap.c). */
#pragma once

/*
 * Kills and reaps every child of this subreaper, and what comes to it
 * meanwhile, until none is left.  @children_fd is its
 * /proc/thread-self/children, opened while /proc was in view.
 */
void nb_end_descendants(int children_fd);
