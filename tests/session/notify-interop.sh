#!/bin/bash
# tests/session/notify-interop.sh - real BIRD and FRR peers log the
# NOTIFICATION vrsd sent them (issue 12): BIRD a bad peer AS (2/2) from
# vrsd's OPEN check, FRR the maximum number of prefixes (6/1) after its
# UPDATE.  Addresses 127.0.121.1-127.0.123.1, port 21279.
set -u
. "$(dirname "$0")/../interop/lib.sh"
P=21279 RS=127.0.121.1 B=127.0.122.1 F=127.0.123.1
passed=0 failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1)); echo "ok   $what"
    else
        failed=$((failed + 1)); echo "FAIL $what"
    fi
}

# vrsd expects AS 65099 from BIRD, which is AS 65001; FRR may send 2 prefixes
start_vrsd rs "$RS" "$P" 65000 "$B,$P,65099,name=bird" \
    "$F,$P,65003,name=frr,max=2" || ix_die "start vrsd"
start_bird bird "$B" "$P" 65001 "$RS,$P,65000" || ix_die "start bird"
start_frr frr "$F" "$P" 65003 "$RS,$P,65000" || ix_die "start frr"

bird_heard_bad_as() {
    ix_birdc bird show protocols all n1 2>/dev/null | grep -q "Received: Bad peer AS"
}
check "BIRD logs 'Received: Bad peer AS' (vrsd sent 2/2)" \
    ix_wait_until 30 bird_heard_bad_as

spec=$IX_DIR/three.spec
printf '10.5.1.0/24\n10.5.2.0/24\n10.5.3.0/24\n' > "$spec"
wait_established frr frr "$RS" 30 || ix_log "frr never came up"
announce_routes frr "$spec" || ix_log "frr: announce failed"
frr_heard_maxpfx() {
    ix_vtysh frr -c "show bgp neighbors $RS json" 2>/dev/null |
        jq -e --arg p "$RS" '.[$p].lastNotificationReason // "" |
            test("Cease/Maximum Number of Prefixes Reached")' >/dev/null
}
check "FRR logs 'Cease/Maximum Number of Prefixes Reached' (vrsd sent 6/1)" \
    ix_wait_until 40 frr_heard_maxpfx
if [ "$failed" -gt 0 ]; then
    ix_birdc bird show protocols all n1 2>&1 | sed 's/^/  bird: /'
    ix_vtysh frr -c "show bgp neighbors $RS json" 2>&1 | grep -i notif | sed 's/^/  frr: /'
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
