/* SPDX-License-Identifier: ISC */
/* tests/fabric/test_explain.c - unit tests for src/fabric/explain.c: reasons with rule ids. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include "fab.h"

static struct topo *t;
static struct fabric *f;
static struct fab_explanation ex;

static int
setup(void **state)
{
	(void)state;
	t = spec_topo();
	f = fab_new(t);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fab_explanation_fini(&ex);
	fab_free(f);
	topo_free(t);
	return 0;
}

static void
explain(const char *nic, const char *pfx)
{
	struct prefix p = P(pfx);

	fab_explanation_fini(&ex);
	if (!fab_explain(f, nic, &p, NULL, &ex))
		fail_msg("no NIC %s", nic);
}

/* The reason with rule id and text containing s; fails if none. */
static void
has(const char *rule, const char *s)
{
	size_t i;

	for (i = 0; i < ex.n; i++)
		if (strcmp(ex.v[i].rule, rule) == 0 &&
		    strstr(ex.v[i].text, s) != NULL)
			return;
	for (i = 0; i < ex.n; i++)
		print_message("  %s: %s\n", ex.v[i].rule, ex.v[i].text);
	fail_msg("no reason %s containing \"%s\"", rule, s);
}

static void
test_explain_never_programmed(void **state)
{
	(void)state;
	explain("vmh-nic", "192.168.99.0/24");
	assert_false(ex.present);
	has("R3.1", "never programmed");
}

static void
test_explain_t2_present(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	explain("vm1-nic", "192.168.10.0/24");
	assert_true(ex.present);
	has("R3.3", "VirtualNetworkGateway 10.1.2.4");
	has("R3.1", "ars/IN_0 programs 192.168.10.0/24");
}

static void
test_explain_spoke_lacks_use_remote_gateways(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	explain("vm2-nic", "192.168.10.0/24");
	assert_false(ex.present);
	has("R3.1",
	    "spoke peering spoke2/spoke2-to-hub lacks "
	    "useRemoteGateways");
}

static void
test_explain_propagation_disabled(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	must(put_rt(t, "rt-spoke1", true));
	must(put_subnet(t, "spoke1", "default", "10.2.0.0/24", "rt-spoke1"));
	explain("vm1-nic", "192.168.10.0/24");
	assert_false(ex.present);
	has("R3.2", "propagation disabled by route table rt-spoke1");
}

static void
test_explain_filtered_inside_vnet_set(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "10.2.5.0/24", "10.1.2.4",
	    NULL, 1);
	explain("vmh-nic", "10.2.5.0/24");
	has("R2.6", "inside 10.2.0.0/16 of spoke1");
}

static void
test_explain_beaten_by_system_route(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "10.3.1.0/24", "10.1.2.4",
	    NULL, 1);
	explain("vmh-nic", "10.3.1.0/24");
	assert_false(ex.present);
	has("R3.6", "beaten by system route Default 10.3.0.0/16 VNetPeering");
}

static void
test_explain_overridden_by_udr(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	must(put_rt(t, "rt-vm", false));
	must(put_route(t, "rt-vm", "to-nva2", "192.168.10.0/24",
	    TOPO_HOP_APPLIANCE, "10.1.2.5"));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", "rt-vm"));
	explain("vmh-nic", "192.168.10.0/24");
	assert_true(ex.present);
	has("R3.6", "overridden by user route to-nva2");
}

static void
test_explain_lost_on_as_path(void **state)
{
	(void)state;
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65515, true, NULL));
	prog1(f, "vpngw", "vpngw", FAB_ORIGIN_VPN, "192.168.1.0/24",
	    "10.1.255.4", "10.1.255.5", 1);
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.1.0/24",
	    "10.1.2.4", NULL, 2);
	explain("vm1-nic", "192.168.1.0/24");
	has("R2.7", "lost on AS-path length to vpngw (2 against 1");
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.1.0/24",
	    "10.1.2.4", NULL, 1);
	explain("vm1-nic", "192.168.1.0/24");
	has("R2.7", "equal AS-path length");
}

static void
test_explain_address_and_loop(void **state)
{
	struct ipaddr a = A("8.8.8.8");

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "0.0.0.0/0", "10.1.2.4",
	    NULL, 1);
	fab_explanation_fini(&ex);
	assert_true(fab_explain(f, "nva1-nic", NULL, &a, &ex));
	assert_true(ex.present);
	has("R3.6", "8.8.8.8 matches 0.0.0.0/0");
	has("R2.12", "routing loop");
	explain("nva2-nic", "0.0.0.0/0");
	for (size_t i = 0; i < ex.n; i++)
		assert_string_not_equal(ex.v[i].rule, "R2.12");
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_explain_never_programmed),
		T(test_explain_t2_present),
		T(test_explain_spoke_lacks_use_remote_gateways),
		T(test_explain_propagation_disabled),
		T(test_explain_filtered_inside_vnet_set),
		T(test_explain_beaten_by_system_route),
		T(test_explain_overridden_by_udr),
		T(test_explain_lost_on_as_path),
		T(test_explain_address_and_loop),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
