#!/usr/bin/env bash
# tests/fabric/persist.sh - kill -9 vrsd in the middle of a stream of changes:
# after each restart the state vrsd loads is the state before the
# interrupted change or after it, never a torn mix; a change that was
# acknowledged is never lost.
#
# A reference run (no kills) records the state after every change; the
# killed run then compares against it, reading the state back from a
# vrsd restarted on the files (GET /v1/topology).  FX_SEED fixes the
# random points (printed, to replay a failure).  At most FX_KILLS (20)
# kills, over FX_ROUNDS (1) passes of the change list.  FX_JOURNAL=1
# journals every change (VRSD_STATE_JOURNAL_MIN=0: the path of a large
# topology) instead of rewriting the snapshot; the journal run also
# checks that a torn last journal line is ignored with a warning.
# VRSD_STATE_COMPACT_MIN (bytes) makes vrsd fold the journal into the
# snapshot that often, so that kills also land in a compaction.

set -u
. "$(dirname "$0")/lib.sh"
SEED=${FX_SEED:-$$}
KILLS=${FX_KILLS:-20}
ROUNDS=${FX_ROUNDS:-1}
JOURNAL=${FX_JOURNAL:-0}
RANDOM=$SEED
[ "$JOURNAL" = 1 ] && export VRSD_STATE_JOURNAL_MIN=0
fx_log "seed $SEED, up to $KILLS kills, $ROUNDS round(s), journal $JOURNAL"

changes=(
    "vnet create -n hub --address-prefixes 10.1.0.0/16"
    "vnet subnet create --vnet-name hub -n vm --address-prefixes 10.1.3.0/24"
    "vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.1.1.0/26"
    "vnet create -n s1 --address-prefixes 10.2.0.0/16 --subnet-name default --subnet-prefixes 10.2.0.0/24"
    "vnet peering create --vnet-name hub -n hub-s1 --remote-vnet s1"
    "vnet peering create --vnet-name s1 -n s1-hub --remote-vnet hub"
    "nic create -n n1 --vnet-name s1 --subnet default --private-ip-address 10.2.0.4"
    "route-table create -n rt1"
    "route-table route create --route-table-name rt1 -n r1 --address-prefix 0.0.0.0/0 --next-hop-type None"
    "vnet subnet update --vnet-name hub -n vm --route-table rt1"
    "routeserver create -n ars --vnet-name hub"
    "vnet peering update --vnet-name hub -n hub-s1 --allow-gateway-transit"
    "vnet peering update --vnet-name s1 -n s1-hub --use-remote-gateways"
    "routeserver peering create --routeserver ars -n nva1 --peer-ip 10.1.3.10 --peer-asn 65001"
    "route-table update -n rt1 --disable-bgp-route-propagation"
    "route-table route delete --route-table-name rt1 -n r1"
)
for j in $(seq 1 12); do
    changes+=("vnet create -n f$j --address-prefixes 10.$((20 + j)).0.0/16 --subnet-name a --subnet-prefixes 10.$((20 + j)).1.0/24")
done
changes+=(
    "nic delete -n n1"
    "vnet peering update --vnet-name s1 -n s1-hub --use-remote-gateways false"
    "vnet delete -n f3"
    "routeserver peering delete --routeserver ars -n nva1"
    "vnet subnet update --vnet-name hub -n vm --remove routeTable"
    "route-table delete -n rt1"
)
one=("${changes[@]}")
for r in $(seq 2 "$ROUNDS"); do changes+=("${one[@]}"); done
n=${#changes[@]}

# the state the running vrsd holds, canonical
canon() {
    curl -sf --max-time 10 --unix-socket "$FX_SOCK" http://vrsd/v1/topology | jq -S . 2>/dev/null || echo UNREADABLE
}

# ---- the reference run
mkdir -p "$FX_DIR/ref"
fx_start
canon > "$FX_DIR/ref/0"
for i in $(seq 1 "$n"); do
    # shellcheck disable=SC2086
    vrs network ${changes[$((i - 1))]} -o none || fx_die "reference: change $i failed: ${changes[$((i - 1))]}"
    canon > "$FX_DIR/ref/$i"
done
fx_kill9
rm -f "$FX_STATE" "$FX_STATE.journal"

# ---- the killed run
fails=0 kills=0 nbefore=0 nafter=0
fx_start
i=1
while [ "$i" -le "$n" ]; do
    if [ "$kills" -lt "$KILLS" ] && [ $((RANDOM % 3)) -ne 0 ]; then
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none 2>/dev/null &
        cmd=$!
        [ $((RANDOM % 4)) -ne 0 ] && sleep "0.00$((RANDOM % 10))"
        fx_kill9
        wait "$cmd"; acked=$?
        kills=$((kills + 1))
        fx_start
        canon > "$FX_DIR/now"
        if cmp -s "$FX_DIR/now" "$FX_DIR/ref/$i"; then
            got=after
        elif cmp -s "$FX_DIR/now" "$FX_DIR/ref/$((i - 1))"; then
            got=before
        else
            got=neither
        fi
        [ "$got" = before ] && nbefore=$((nbefore + 1))
        [ "$got" = after ] && nafter=$((nafter + 1))
        if [ "$got" = neither ] || { [ "$acked" = 0 ] && [ "$got" != after ]; }; then
            fx_log "FAIL kill $kills at change $i (${changes[$((i - 1))]}): state is $got, client exit $acked"
            diff "$FX_DIR/ref/$i" "$FX_DIR/now" | head -20 >&2
            fails=$((fails + 1))
        fi
        # the interrupted change again: every change is idempotent
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none || fx_die "change $i failed after restart"
    else
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none || fx_die "change $i failed: ${changes[$((i - 1))]}"
    fi
    canon > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/ref/$i" || { fx_log "FAIL after change $i the state is not the reference"; fails=$((fails + 1)); }
    i=$((i + 1))
done

# ---- a torn last journal line (a crash in the middle of an append)
if [ "$JOURNAL" = 1 ]; then
    fx_kill9
    [ -s "$FX_STATE.journal" ] || { fx_log "FAIL no journal was written"; fails=$((fails + 1)); }
    printf '{"gen": 999999, "method": "DELETE", "path": "00000000-0000-0000-0000-000000000000/resourceG' >> "$FX_STATE.journal"
    fx_start
    canon > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/ref/$n" || { fx_log "FAIL a torn journal line changed the state"; fails=$((fails + 1)); }
    grep -q "torn last line" "$FX_DIR/vrsd.log" || { fx_log "FAIL no warning for the torn journal line"; fails=$((fails + 1)); }
    # and changes still work after it, and survive a restart
    vrs network vnet create -n torn --address-prefixes 10.99.0.0/16 -o none || fx_die "a change after the torn line failed"
    canon > "$FX_DIR/want"
    fx_kill9
    fx_start
    canon > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/want" || { fx_log "FAIL the change after a torn line was lost"; fails=$((fails + 1)); }
fi
fx_stop
[ -e "$FX_STATE.tmp" ] && fx_log "note: a $FX_STATE.tmp was left by a kill (harmless)"
[ "$fails" = 0 ] || fx_die "$fails failure(s) (seed $SEED)"
fx_log "persist: $n changes, $kills kills ($nbefore found the old state, $nafter the new), every state whole (seed $SEED, journal $JOURNAL)"
