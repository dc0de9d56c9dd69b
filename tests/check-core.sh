#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check-core: the pure core library (libnbcore: src/lib/util.c,
# src/core/, the command lines' parsers) makes no system call and touches
# no file, process or clock.  Proved from the objects, not the sources:
# every symbol they use is their own or a pure C library function listed
# below.  The one exception is nb_oom()'s last words (write, _exit) in
# util.c.  Run from the build tree with the archive as $1.
set -eu
lib=${1:-.libs/libnbcore.a}
[ -r "$lib" ] || { echo "check-core: $lib is missing: run make first" >&2; exit 2; }

# Pure: memory, strings, numbers, formatting into a buffer, errno and
# <ctype.h>'s tables, libcap's name table.
allowed='
calloc free malloc realloc reallocarray
memcpy memmove memset memchr memrchr memcmp rawmemchr
strcpy strncpy stpcpy stpncpy strcat strncat strlcpy strlcat
strcasecmp strchr strchrnul strcmp strcspn strdup strndup strerror strerror_r strlen
strncasecmp strncmp strnlen strpbrk strrchr strspn strstr strtok strtok_r strsep
strtol strtoul strtoull strtoll strtoimax strtoumax
sscanf snprintf vsnprintf sprintf vsprintf asprintf vasprintf
inet_pton errno_location ctype_b_loc ctype_tolower_loc ctype_toupper_loc tolower toupper
qsort bsearch abs labs
stack_chk_fail cap_from_name
'
defined=$(mktemp)
trap 'rm -f "$defined"' EXIT
nm --defined-only "$lib" | awk 'NF == 3 && $2 ~ /[TDRBtdrb]/ { print $3 }' | sort -u >"$defined"
# An nm that read nothing would let anything through.
grep -qx nb_config_init "$defined" || { echo "check-core: nm found no symbol in $lib" >&2; exit 2; }
allowed=" $(echo $allowed) "
nm -A -u "$lib" | awk 'NF >= 3 { sub(/:$/, "", $1); print $1, $NF }' | {
	bad=0
	while read -r where sym; do
		member=${where##*:}
		base=$sym
		# Instrumentation of sanitizer and coverage builds is not the code's.
		case $base in __asan_* | __ubsan_* | __sanitizer_* | __gcov_* | __llvm_* | __msan_* | __tsan_*) continue ;; esac
		# Its own functions and data, from any of its files.
		grep -qx "$sym" "$defined" && continue
		base=${base#__isoc99_}
		base=${base#__isoc23_}
		base=${base#__}
		base=${base%_chk}
		case $allowed in *" $base "*) continue ;; esac
		case $member:$base in *util.o:write | *util.o:_exit) continue ;; esac
		echo "check-core: $member uses $sym, which is not pure: move the effect out of the core (src/lib/io.c, src/run/, ...)" >&2
		bad=1
	done
	exit $bad
}
echo "check-core: the pure core uses no effect"
