/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

struct nb_error;

int nb_net_loopback_up(int *nsfd, struct nb_error *e);
int nb_net_open_low_ports(struct nb_error *e);
