# SPDX-License-Identifier: GPL-2.0-or-later
# Compiler flag probes, in the spirit of util-linux's UL_WARN_ADD.

# NB_WARN_ADD(FLAG, [VARIABLE = NB_WARN_CFLAGS])
# ---------------------------------------------
# Append FLAG to VARIABLE when $CC compiles a program with -Werror, FLAG and
# the flags already in VARIABLE (GCC refuses -Wformat-security alone, for
# one).  GCC takes any -Wno-X without a word unless another warning shows
# up, so a -Wno-X is probed as -WX, which GCC refuses when it does not know X.
AC_DEFUN([NB_WARN_ADD], [dnl
m4_pushdef([nb_var], [m4_default([$2], [NB_WARN_CFLAGS])])dnl
AS_VAR_PUSHDEF([nb_cv], [nb_cv_cflag_$1])dnl
AC_CACHE_CHECK([whether $CC accepts $1], [nb_cv], [
  nb_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS $nb_var -Werror m4_bpatsubst([$1], [^-Wno-], [-W])"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AS_VAR_SET([nb_cv], [yes])], [AS_VAR_SET([nb_cv], [no])])
  CFLAGS=$nb_save_CFLAGS])
AS_VAR_IF([nb_cv], [yes], [AS_VAR_APPEND([nb_var], [" $1"])])
AS_VAR_POPDEF([nb_cv])dnl
m4_popdef([nb_var])dnl
])

# NB_WARN_FLAGS(FLAGS, [VARIABLE = NB_WARN_CFLAGS])
# -------------------------------------------------
# NB_WARN_ADD for each of the blank-separated FLAGS.
AC_DEFUN([NB_WARN_FLAGS], [m4_foreach_w([nb_flag], [$1], [NB_WARN_ADD(m4_defn([nb_flag]), [$2])
])])
