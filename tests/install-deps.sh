#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs everything the build and the whole test suite need (Debian 12).
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake libtool pkg-config \
	libcap-dev libmount-dev libcmocka-dev \
	uidmap util-linux bsdutils procps iproute2 passwd coreutils bash \
	ca-certificates >/dev/null
