#!/usr/bin/env bash
# tests/fabric/enospc.sh - a full disk (ENOSPC) while vrsd saves a change:
# the API answers 500 StateNotSaved, nothing changed (in memory and on
# disk: the previous files kept byte for byte), a restart loads the old
# state, and changes work again once there is space.  Both ways of
# saving: the snapshot rewrite (a small topology) and the journal
# (VRSD_STATE_JOURNAL_MIN=0).  The full disk is the LD_PRELOAD shim
# enospc.c (ENOSPC_SHIM names it; ctest passes it), switched on by a
# flag file: no tmpfs to mount.

set -u
. "$(dirname "$0")/lib.sh"
SHIM=${ENOSPC_SHIM:?ENOSPC_SHIM names the shim (libenospc_shim.so)}
[ -f "$SHIM" ] || fx_die "no shim $SHIM"
export LD_PRELOAD=$SHIM ENOSPC_FLAG=$FX_DIR/full
fails=0
fail() { fx_log "FAIL $*"; fails=$((fails + 1)); }
canon() {
    curl -sf --max-time 10 --unix-socket "$FX_SOCK" http://vrsd/v1/topology | jq -S . 2>/dev/null || echo UNREADABLE
}
files() { for f in "$FX_STATE" "$FX_STATE.journal"; do [ -f "$f" ] && cat "$f"; echo "--"; done; }

for mode in snapshot journal; do
    if [ "$mode" = journal ]; then export VRSD_STATE_JOURNAL_MIN=0; else unset VRSD_STATE_JOURNAL_MIN; fi
    rm -f "$FX_STATE" "$FX_STATE.journal" "$ENOSPC_FLAG"
    fx_start
    vrs network vnet create -n hub --address-prefixes 10.1.0.0/16 --subnet-name default --subnet-prefixes 10.1.0.0/24 -o none || fx_die "$mode: setup"
    vrs network route-table create -n rt1 -o none || fx_die "$mode: setup"
    vrs network nic create -n n1 --vnet-name hub --subnet default --private-ip-address 10.1.0.4 -o none || fx_die "$mode: setup"
    canon > "$FX_DIR/s0"
    files > "$FX_DIR/f0"
    touch "$ENOSPC_FLAG"
    # a leaf (route), a NIC and a whole-document change (a VNet)
    for c in "route-table route create --route-table-name rt1 -n r1 --address-prefix 0.0.0.0/0 --next-hop-type None" \
             "nic create -n n2 --vnet-name hub --subnet default --private-ip-address 10.1.0.5" \
             "vnet create -n s1 --address-prefixes 10.2.0.0/16"; do
        # shellcheck disable=SC2086
        if vrs network $c -o none 2> "$FX_DIR/err"; then
            fail "$mode: '$c' succeeded on a full disk"
        fi
        grep -q StateNotSaved "$FX_DIR/err" || fail "$mode: '$c': no StateNotSaved: $(cat "$FX_DIR/err")"
        canon > "$FX_DIR/now"
        cmp -s "$FX_DIR/now" "$FX_DIR/s0" || fail "$mode: '$c' changed the state in memory"
    done
    files > "$FX_DIR/f1"
    cmp -s "$FX_DIR/f0" "$FX_DIR/f1" || fail "$mode: the files changed on a full disk"
    fx_kill9
    fx_start
    canon > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/s0" || fail "$mode: after a restart on a full disk the state is not the old one"
    # space again: the same changes work and survive a restart
    rm -f "$ENOSPC_FLAG"
    vrs network route-table route create --route-table-name rt1 -n r1 --address-prefix 0.0.0.0/0 --next-hop-type None -o none || fail "$mode: a route after space came back"
    vrs network nic create -n n2 --vnet-name hub --subnet default --private-ip-address 10.1.0.5 -o none || fail "$mode: a NIC after space came back"
    vrs network vnet create -n s1 --address-prefixes 10.2.0.0/16 -o none || fail "$mode: a VNet after space came back"
    canon > "$FX_DIR/s1"
    cmp -s "$FX_DIR/s1" "$FX_DIR/s0" && fail "$mode: the changes made nothing"
    fx_kill9
    fx_start
    canon > "$FX_DIR/now"
    cmp -s "$FX_DIR/now" "$FX_DIR/s1" || fail "$mode: the changes after space came back were lost"
    fx_stop
    fx_log "$mode: 3 changes refused on a full disk (500 StateNotSaved, files kept), then made"
done
[ "$fails" = 0 ] || fx_die "$fails failure(s)"
fx_log "enospc: every refused save left the old state, on disk and in memory"
