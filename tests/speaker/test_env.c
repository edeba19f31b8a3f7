/* SPDX-License-Identifier: ISC */
/* tests/speaker/test_env.c - unit tests for src/speaker/env.c: ExaBGP environment settings. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "speaker/env.h"

static void
test_env_defaults(void **state)
{
	struct spk_env e;
	struct sbuf err;
	char *envp[] = { "PATH=/bin", NULL };

	(void)state;
	sbuf_init(&err);
	spk_env_init(&e);
	assert_true(spk_env_load(&e, envp, &err));
	/* as `exabgp --fi` prints them (upstream user is nobody) */
	assert_int_equal(e.tcp.port, 179);
	assert_int_equal(e.tcp.nbind, 0);
	assert_false(e.tcp.once);
	assert_int_equal(e.tcp.attempts, 0);
	assert_true(e.api.ack && e.api.cli && e.api.json && e.api.respawn);
	assert_string_equal(e.api.pipename, "exabgp");
	assert_int_equal(e.bgp.openwait, 60);
	assert_int_equal(e.daemon.umask, 0137);
	assert_string_equal(e.daemon.user, "nobody");
	assert_string_equal(e.log.level, "INFO");
	assert_string_equal(e.log.destination, "stdout");
	assert_true(e.log.enable && e.log.configuration && e.log.network);
	assert_false(e.log.packets || e.debug.rotate);
	sbuf_fini(&err);
}

static void
test_env_harness_settings(void **state)
{
	/* what the conformance harness sets (README "Start the speaker") */
	char *envp[] = { "exabgp_tcp_port=1790",
		"exabgp_tcp_bind=", "exabgp_tcp_once=true",
		"exabgp_api_cli=false", "exabgp_debug_rotate=true",
		"exabgp.api.pipename='vrs'", "exabgp_api_encoder=text",
		"exabgp.log.level=debug", "exabgp_daemon_umask=0o077", NULL };
	struct spk_env e;
	struct sbuf err;

	(void)state;
	sbuf_init(&err);
	spk_env_init(&e);
	assert_true(spk_env_load(&e, envp, &err));
	assert_int_equal(e.tcp.port, 1790);
	assert_int_equal(e.tcp.nbind, 0);
	assert_true(e.tcp.once);
	assert_int_equal(e.tcp.attempts, 1);
	assert_false(e.api.cli || e.api.json);
	assert_true(e.debug.rotate);
	assert_string_equal(e.api.pipename, "vrs");
	assert_string_equal(e.log.level, "DEBUG");
	assert_int_equal(e.daemon.umask, 077);
	sbuf_fini(&err);
}

static void
test_env_dotted_first(void **state)
{
	/* exabgp.tcp.port wins over exabgp_tcp_port, as in ExaBGP */
	char *envp[] = { "exabgp_tcp_port=1", "exabgp.tcp.port=2",
		"exabgp_tcp_bind=127.0.0.1 ::1", NULL };
	struct spk_env e;
	struct sbuf err;

	(void)state;
	sbuf_init(&err);
	spk_env_init(&e);
	assert_true(spk_env_load(&e, envp, &err));
	assert_int_equal(e.tcp.port, 2);
	assert_int_equal(e.tcp.nbind, 2);
	assert_int_equal(e.tcp.bind[1].af, ADDR_V6);
	sbuf_fini(&err);
}

static void
test_env_bad_values(void **state)
{
	char *envp[] = { "exabgp_tcp_port=70000", "exabgp_api_ack=perhaps",
		"exabgp_tcp_bind=nowhere", "exabgp_api_encoder=xml", NULL };
	struct spk_env e;
	struct sbuf err;

	(void)state;
	sbuf_init(&err);
	spk_env_init(&e);
	assert_false(spk_env_load(&e, envp, &err));
	assert_non_null(strstr(
	    err.s, "exabgp.tcp.port: invalid value '70000' (1-65535)\n"));
	assert_non_null(strstr(err.s, "exabgp.api.ack: invalid value"));
	assert_non_null(strstr(err.s, "exabgp.tcp.bind: invalid value"));
	assert_non_null(strstr(
	    err.s, "exabgp.api.encoder: invalid value 'xml' (text or json)\n"));
	/* a bad value leaves the default */
	assert_int_equal(e.tcp.port, 179);
	assert_int_equal(e.tcp.nbind, 0);
	assert_true(e.api.json);
	sbuf_fini(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_defaults),
		cmocka_unit_test(test_env_harness_settings),
		cmocka_unit_test(test_env_dotted_first),
		cmocka_unit_test(test_env_bad_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
