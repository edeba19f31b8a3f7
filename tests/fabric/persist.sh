#!/usr/bin/env bash
# tests/fabric/persist.sh - kill -9 vrsd in the middle of a stream of changes:
# after each restart the state document parses and is the state before
# the interrupted change or after it, never a torn mix; a change that
# was acknowledged is never lost.
#
# A reference run (no kills) records the document after every change;
# the killed run then compares against it.  FX_SEED fixes the random
# points (printed, to replay a failure).  At most FX_KILLS (20) kills.

set -u
. "$(dirname "$0")/lib.sh"
SEED=${FX_SEED:-$$}
KILLS=${FX_KILLS:-20}
RANDOM=$SEED
fx_log "seed $SEED, up to $KILLS kills"

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
n=${#changes[@]}

canon() { if [ -f "$1" ]; then jq -S . "$1" 2>/dev/null || echo TORN; else echo EMPTY; fi; }

# ---- the reference run
mkdir -p "$FX_DIR/ref"
fx_start
canon "$FX_STATE" > "$FX_DIR/ref/0"
for i in $(seq 1 "$n"); do
    # shellcheck disable=SC2086
    vrs network ${changes[$((i - 1))]} -o none || fx_die "reference: change $i failed: ${changes[$((i - 1))]}"
    canon "$FX_STATE" > "$FX_DIR/ref/$i"
done
fx_kill9
rm -f "$FX_STATE"

# ---- the killed run
fails=0 kills=0 nbefore=0 nafter=0
fx_start
i=1
while [ "$i" -le "$n" ]; do
    if [ "$kills" -lt "$KILLS" ] && [ $((RANDOM % 3)) -ne 0 ]; then
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none 2>/dev/null &
        cmd=$!
        sleep "0.00$((RANDOM % 10))"
        fx_kill9
        wait "$cmd"; acked=$?
        kills=$((kills + 1))
        canon "$FX_STATE" > "$FX_DIR/now"
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
        fx_start
        # the interrupted change again: every change is idempotent
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none || fx_die "change $i failed after restart"
    else
        # shellcheck disable=SC2086
        vrs network ${changes[$((i - 1))]} -o none || fx_die "change $i failed: ${changes[$((i - 1))]}"
    fi
    canon "$FX_STATE" > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/ref/$i" || { fx_log "FAIL after change $i the state is not the reference"; fails=$((fails + 1)); }
    i=$((i + 1))
done
fx_stop
[ -e "$FX_STATE.tmp" ] && fx_log "note: a $FX_STATE.tmp was left by a kill (harmless)"
[ "$fails" = 0 ] || fx_die "$fails failure(s) (seed $SEED)"
fx_log "persist: $n changes, $kills kills ($nbefore found the old state, $nafter the new), every state whole (seed $SEED)"
