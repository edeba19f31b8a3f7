#!/bin/bash
# tests/interop/vrsd-openbgpd.sh - vrsd between OpenBGPD instances (steps in
# vrsd-scenario.sh).  Addresses 127.0.140.1-127.0.147.1, port 24179.
D=openbgpd C=140 P=24179 NO4=1 NH4=
# OpenBGPD 7.7 ignores every ROUTE-REFRESH it receives ("route refresh: AID
# IPv4 unicast not negotiated" in its log, with IPv4 negotiated; the same
# from BIRD's `reload in`): it never re-sends, so that check is skipped.
REFRESH_IN="OpenBGPD 7.7 ignores ROUTE-REFRESH (route refresh: AID ... not negotiated)"
d2_refresh() { ix_bgpctl "$1" neighbor "$2" refresh > /dev/null; }
# shellcheck source=vrsd-scenario.sh
. "$(dirname "$0")/vrsd-scenario.sh"
run_scenario
finish
