#!/bin/bash
# tests/interop/vrsd-exabgp.sh - vrsd between ExaBGP instances (steps in
# vrsd-scenario.sh), plus the unknown optional transitive attribute: passed
# unchanged with the Partial bit set.
# Addresses 127.0.150.1-127.0.157.1, port 25179.
D=exabgp C=150 P=25179 NO4=1 NH4=
d2_refresh() { exa_send "$1" "neighbor $2 announce route-refresh ipv4 unicast" \
    "neighbor $2 announce route-refresh ipv6 unicast"; }
# shellcheck source=vrsd-scenario.sh
. "$(dirname "$0")/vrsd-scenario.sh"

# partial_bit: the last announcement of 10.151.3.0/24 that d2 received carries
# attribute 0x63 with flags 0xe0 (optional, transitive, partial)
partial_bit() {
    jq -r 'select(.type == "update") | .neighbor.message.update |
        select([.announce[]?[]?[]? | .nlri? // .] | index("10.151.3.0/24")) |
        .attribute | keys[] | select(startswith("attribute-0x63-"))' \
        "$IX_DIR/d2/events.jsonl" 2>/dev/null | tail -1 | grep -qi '^attribute-0x63-0xe0$'
}
start_all
step_sessions
step_routes
check "unknown attribute 0x63 reaches d2 with the Partial bit (flags 0xe0)" partial_bit
step_withdraw
step_as4
step_restart
step_refresh
step_end
finish
