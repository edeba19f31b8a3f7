#!/bin/bash
# tests/interop/selftest.sh - prove lib.sh by peering the reference daemons
# with each other on loopback.
#
#   bash tests/interop/selftest.sh              # the five default pairs
#   bash tests/interop/selftest.sh bird frr     # one pair (A B)
#
# For each pair A<->B (A active on 127.0.1.1:11179 AS65001, B passive on
# 127.0.2.1:11179 AS65002; each pair runs alone, in its own work dir):
#   start both, wait Established (timed), A and B each originate IPv4+IPv6
#   routes with prepends, MED, origin, communities, ext communities, large
#   communities (+ an unknown optional transitive attribute where the daemon
#   can originate one), check the other side sees them intact, withdraw
#   everything, check they are gone, stop both.
# Ends with "N passed, N failed" and checks that no daemon is left behind.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)

run_pair() {
    local K1=$1 K2=$2 fails=0 nh
    # shellcheck source=lib.sh
    . "$HERE/lib.sh"
    cat > "$IX_DIR/a.spec" <<'E'
# originated by A (AS65001)
10.1.1.0/24 prepend=2 med=10 origin=incomplete comm=65001:1,65001:2 ext=rt:65001:100,soo:65001:200 large=65001:1:2
10.1.2.0/24
10.1.3.0/24 med=30 unknown=0x63:0xc0:deadbeef
2001:db8:1::/48 med=20 origin=egp comm=65001:3 large=65001:3:4 ext=rt:65001:7
2001:db8:1:1::/64 prepend=1 origin=incomplete comm=65001:4
E
    cat > "$IX_DIR/b.spec" <<'E'
# originated by B (AS65002)
10.2.1.0/24 prepend=1 med=5 comm=65002:1 ext=rt:65002:100 large=65002:1:2
10.2.3.0/24 unknown=0x63:0xc0:cafe
2001:db8:2::/48 large=65002:3:4 origin=egp
E
    # what each daemon cannot originate (see README.md)
    [ "$K1" != exabgp ] && sed -i '/unknown=/d' "$IX_DIR/a.spec"
    [ "$K2" != exabgp ] && sed -i '/unknown=/d' "$IX_DIR/b.spec"
    [ "$K1" = gobgp ] && sed -i 's/ ext=[^ ]*//' "$IX_DIR/a.spec"
    [ "$K2" = gobgp ] && sed -i 's/ ext=[^ ]*//' "$IX_DIR/b.spec"
    # gobgpd treats 127/8 IPv4 next hops as invalid: its peers use 192.0.2.x
    nh=; [ "$K2" = gobgp ] && nh=doc
    IX_NH4=$nh start_daemon "$K1" a 127.0.1.1 11179 65001 127.0.2.1,11179,65002 || return 1
    nh=; [ "$K1" = gobgp ] && nh=doc
    IX_NH4=$nh start_daemon "$K2" b 127.0.2.1 11179 65002 127.0.1.1,11179,65001,passive || return 1
    wait_established "$K1" a 127.0.2.1 60 || return 1
    wait_established "$K2" b 127.0.1.1 60 || return 1
    announce_routes a "$IX_DIR/a.spec" || return 1
    announce_routes b "$IX_DIR/b.spec" || return 1
    expected_routes "$IX_DIR/a.spec" a > "$IX_DIR/want_b.json"
    expected_routes "$IX_DIR/b.spec" b > "$IX_DIR/want_a.json"
    echo '{}' > "$IX_DIR/none.json"
    expect_routes 30 "$IX_DIR/want_b.json" "$K2" b || fails=$((fails + 1))
    expect_routes 30 "$IX_DIR/want_a.json" "$K1" a || fails=$((fails + 1))
    # the normalised forms must be the same JSON an external jq sees
    routes_json "$K2" b | jq -e 'length > 0' > /dev/null || fails=$((fails + 1))
    withdraw_routes a || fails=$((fails + 1))
    withdraw_routes b || fails=$((fails + 1))
    expect_routes 30 "$IX_DIR/none.json" "$K2" b || fails=$((fails + 1))
    expect_routes 30 "$IX_DIR/none.json" "$K1" a || fails=$((fails + 1))
    # sessions must have survived all of it
    ix_is_established "$K1" a 127.0.2.1 || { ix_log "a lost its session"; fails=$((fails + 1)); }
    ix_is_established "$K2" b 127.0.1.1 || { ix_log "b lost its session"; fails=$((fails + 1)); }
    cat "$IX_DIR/timings" >&3
    [ $fails = 0 ]
}

if [ "${1:-}" = --pair ]; then
    exec 3>&1
    run_pair "$2" "$3"
    exit $?
fi

if [ $# = 2 ]; then
    PAIRS=("$1 $2")
else
    PAIRS=("bird frr" "frr gobgp" "gobgp openbgpd" "openbgpd exabgp" "exabgp bird")
fi

pass=0 fail=0
TIMINGS=$(mktemp /tmp/vrs-interop-timings.XXXXXX)
for p in "${PAIRS[@]}"; do
    set -- $p
    t0=$(date +%s%3N)
    # each pair in its own process: own work dir, own cleanup trap
    if bash "$0" --pair "$1" "$2" >> "$TIMINGS"; then
        echo "ok   $1 <-> $2 ($(( $(date +%s%3N) - t0 )) ms)"
        pass=$((pass + 1))
    else
        echo "FAIL $1 <-> $2"
        fail=$((fail + 1))
    fi
done

echo "time from daemon start to Established:"
sed 's/^/  /' "$TIMINGS"
rm -f "$TIMINGS"

# nothing may be left behind: every daemon we run has its config under /tmp/vrs-interop.*
left=$(ps -eo pid=,args= | grep -E 'vrs-interop\.' | grep -v -E 'grep|selftest' || true)
if [ -n "$left" ]; then
    echo "FAIL processes left behind:"; echo "$left"
    fail=$((fail + 1))
else
    echo "ok   no daemon left behind"
    pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
