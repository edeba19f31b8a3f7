#!/bin/bash
# tests/interop/vrsd-gobgp.sh - vrsd between gobgpd instances (steps in
# vrsd-scenario.sh).  Addresses 127.0.130.1-127.0.137.1, port 23179, gRPC
# API port 23051.  gobgpd rejects 127/8 IPv4 next hops: the routes carry
# 192.0.2.C (IX_NH4=doc).  No ext communities from its CLI, no 2-octet mode.
D=gobgp C=130 P=23179 NO4=0 NH4=doc
# `gobgp neighbor ADDR softresetin` re-runs the import policy over gobgpd's
# own Adj-RIB-In and sends no ROUTE-REFRESH (vrsd logs none)
REFRESH_OUT="gobgp softresetin sends no ROUTE-REFRESH"
d2_refresh() { ix_gobgp "$1" neighbor "$2" softresetin > /dev/null; }
# shellcheck source=vrsd-scenario.sh
. "$(dirname "$0")/vrsd-scenario.sh"
run_scenario
finish
