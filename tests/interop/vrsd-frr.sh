#!/bin/bash
# tests/interop/vrsd-frr.sh - vrsd between FRR bgpd instances (steps in
# vrsd-scenario.sh).  Addresses 127.0.120.1-127.0.127.1, port 22179.
# FRR cannot disable only the 4-octet-AS capability: no 2-octet peer here.
D=frr C=120 P=22179 NO4=0 NH4=
d2_refresh() { ix_vtysh "$1" -c "clear bgp $2 soft in" > /dev/null; }
# shellcheck source=vrsd-scenario.sh
. "$(dirname "$0")/vrsd-scenario.sh"
run_scenario
finish
