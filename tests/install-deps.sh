#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what nestbox needs on Debian 12.
#   install-deps.sh build   the build dependencies
#   install-deps.sh test    those plus everything the whole test suite uses
set -e
export DEBIAN_FRONTEND=noninteractive
build="build-essential adduser autoconf automake libtool pkg-config libcap-dev libmount-dev libseccomp-dev uidmap bash-completion"
test="$build libcmocka-dev clang-format clang libclang-rt-dev util-linux bsdutils procps iproute2 passwd coreutils bash python3 make gcc keyutils strace bubblewrap python3-seccomp libcap2-bin passt slirp4netns docker.io python3-ansible-runner buildstream busybox-static flatpak dbus slurm-wlm munge"
case "${1:-test}" in
build) pkgs=$build ;;
test) pkgs=$test ;;
*) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
