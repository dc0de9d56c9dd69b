// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command's environment, from the caller's and --clearenv, --setenv and
 * --unsetenv in order; the host session's variables go where the session is
 * hidden.  Pure: the core library's.
 */
#include "autoconf.h"

#include "core/env.h"
#include "core/config.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

static bool key_matches(const char *entry, const char *key)
{
	size_t len = strlen(key);

	return strncmp(entry, key, len) == 0 && entry[len] == '=';
}

/*
 * Variables that lead to the host session's services: a bus, an agent, a
 * terminal multiplexer or a display server runs commands or reads keys for
 * whoever connects.  They go wherever the session is hidden (see
 * nb_config_hides_session()); --setenv can put one back.
 */
const char *const nb_session_vars[] = {
	"DBUS_SESSION_BUS_ADDRESS",
	"DBUS_SYSTEM_BUS_ADDRESS",
	"SSH_AUTH_SOCK",
	"SSH_AGENT_PID",
	"GPG_AGENT_INFO",
	"TMUX",
	"TMUX_PANE",
	"STY",
	"DISPLAY",
	"WAYLAND_DISPLAY",
	"WAYLAND_SOCKET",
	"XAUTHORITY",
	"SWAYSOCK",
	"I3SOCK",
	"PULSE_SERVER",
	"PIPEWIRE_REMOTE",
	"KRB5CCNAME",
	NULL,
};

static bool is_session_var(const char *entry)
{
	for (const char *const *v = nb_session_vars; *v; v++)
		if (key_matches(entry, *v))
			return true;
	return false;
}

char **nb_env_set(char **env, char *entry)
{
	size_t n = 0, k = 0, key = strcspn(entry, "=") + 1;

	while (env[n])
		n++;
	env = realloc(env, (n + 2) * sizeof(char *));
	if (!env)
		nb_oom();
	for (size_t i = 0; i < n; i++)
		if (strncmp(env[i], entry, key) != 0)
			env[k++] = env[i];
	env[k++] = entry;
	env[k] = NULL;
	return env;
}

char **nb_env_build(char *const *base, const struct nb_config *cfg)
{
	bool hide = nb_config_hides_session(cfg);
	size_t n = 0, m = 0;
	char **env;

	if (!cfg->proc.clearenv)
		while (base && base[n])
			n++;
	env = calloc(n + cfg->proc.n_env + 1, sizeof(char *));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!hide || !is_session_var(base[i]))
			env[m++] = base[i];
	n = m;
	for (size_t k = 0; k < cfg->proc.n_env; k++) {
		const struct nb_env_op *op = &cfg->proc.env[k];
		size_t j = 0;

		for (size_t i = 0; i < n; i++)
			if (!key_matches(env[i], op->key))
				env[j++] = env[i];
		n = j;
		if (op->kind == NB_ENV_SET)
			env[n++] = op->entry;
	}
	env[n] = NULL;
	return env;
}

const char *nb_env_get(char *const *env, const char *key)
{
	for (size_t i = 0; env[i]; i++)
		if (key_matches(env[i], key))
			return env[i] + strlen(key) + 1;
	return NULL;
}
