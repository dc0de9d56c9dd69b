// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command's environment, which is pure: --setenv, --unsetenv and
 * --clearenv in their order, and the host session's variables dropped
 * wherever the session is hidden.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/env.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* The environment as one string, "A=1 B=2", for comparison. */
static void joined(char **env, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (char **v = env; v && *v; v++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", *v);
}

static char v_home[] = "HOME=/home/alice", v_path[] = "PATH=/usr/bin:/bin",
	    v_ssh[] = "SSH_AUTH_SOCK=/run/user/1000/ssh", v_lang[] = "LANG=C.UTF-8",
	    v_display[] = "DISPLAY=:0", v_pathx[] = "PATHX=kept";
static char *const base[] = { v_home, v_path, v_ssh, v_lang, v_display, v_pathx, NULL };

static void test_host_tree_keeps_all(void **state)
{
	struct nb_config c;
	char got[512];
	char **env;

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_HOST;
	env = nb_env_build(base, &c);
	joined(env, got, sizeof(got));
	assert_string_equal(got,
			    "HOME=/home/alice PATH=/usr/bin:/bin "
			    "SSH_AUTH_SOCK=/run/user/1000/ssh LANG=C.UTF-8 DISPLAY=:0 PATHX=kept");
	free(env);
	nb_config_free(&c);
}

static void test_hidden_session(void **state)
{
	struct nb_config c;
	char got[512];
	char **env;

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_RO;
	assert_true(nb_config_hides_session(&c));
	env = nb_env_build(base, &c);
	joined(env, got, sizeof(got));
	/* The agent socket and the display lead out of the sandbox: gone. */
	assert_string_equal(got, "HOME=/home/alice PATH=/usr/bin:/bin LANG=C.UTF-8 PATHX=kept");
	free(env);
	c.compat.keep_session = true;
	env = nb_env_build(base, &c);
	joined(env, got, sizeof(got));
	assert_non_null(strstr(got, "SSH_AUTH_SOCK=/run/user/1000/ssh"));
	free(env);
	nb_config_free(&c);
}

static void test_set_unset_in_order(void **state)
{
	struct nb_config c;
	char got[512];
	char **env;

	(void)state;
	nb_config_init(&c);
	c.fs.root_mode = NB_ROOT_HOST;
	nb_config_add_env(&c, NB_ENV_SET, "LANG", "fr_FR.UTF-8");
	nb_config_add_env(&c, NB_ENV_UNSET, "PATH", NULL);
	nb_config_add_env(&c, NB_ENV_SET, "NEW", "a=b");
	nb_config_add_env(&c, NB_ENV_UNSET, "NEW", NULL);
	nb_config_add_env(&c, NB_ENV_SET, "NEW", "again");
	env = nb_env_build(base, &c);
	joined(env, got, sizeof(got));
	/* PATH goes, PATHX (another name that starts the same) stays. */
	assert_string_equal(got, "HOME=/home/alice SSH_AUTH_SOCK=/run/user/1000/ssh DISPLAY=:0 "
				 "PATHX=kept LANG=fr_FR.UTF-8 NEW=again");
	free(env);
	nb_config_free(&c);
}

static void test_clearenv(void **state)
{
	struct nb_config c;
	char got[512];
	char **env;

	(void)state;
	nb_config_init(&c);
	nb_config_add_env(&c, NB_ENV_SET, "DROPPED", "1");
	nb_config_clear_env(&c);
	nb_config_add_env(&c, NB_ENV_SET, "ONLY", "this");
	env = nb_env_build(base, &c);
	joined(env, got, sizeof(got));
	assert_string_equal(got, "ONLY=this");
	{
		static char that[] = "ONLY=that", second[] = "SECOND=2";

		env = nb_env_set(env, that);
		env = nb_env_set(env, second);
	}
	joined(env, got, sizeof(got));
	assert_string_equal(got, "ONLY=that SECOND=2");
	free(env);
	nb_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_tree_keeps_all),
		cmocka_unit_test(test_hidden_session),
		cmocka_unit_test(test_set_unset_in_order),
		cmocka_unit_test(test_clearenv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
