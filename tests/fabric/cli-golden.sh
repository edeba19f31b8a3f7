#!/usr/bin/env bash
# tests/fabric/cli-golden.sh - build spec 9's common topology with `vrs network`
# through a running vrsd and compare the outputs with golden files.
#
# Set VRS_GOLDEN_UPDATE=1 to rewrite the golden files from this run.
# The topology has no live BGP: effective routes hold system routes and
# UDRs only (route-server routes come with the route-server issue).

set -u
. "$(dirname "$0")/lib.sh"
GOLDEN=$(cd "$(dirname "$0")" && pwd)/golden
OUT=$FX_DIR/out
mkdir -p "$OUT"
fails=0

# run CMD...: a change that must succeed, output discarded
run() { vrs network "$@" -o none || fx_die "vrs network $* failed"; }

# check NAME CMD...: compare stdout of `vrs network CMD` with golden/NAME
check() {
    local name=$1; shift
    if ! vrs network "$@" > "$OUT/$name" 2> "$OUT/$name.err"; then
        fx_log "FAIL $name: vrs network $* exited $?: $(cat "$OUT/$name.err")"
        fails=$((fails + 1)); return
    fi
    compare "$name"
}

compare() {
    local name=$1
    if [ -n "${VRS_GOLDEN_UPDATE:-}" ]; then
        cp "$OUT/$name" "$GOLDEN/$name"; return
    fi
    if ! diff -u "$GOLDEN/$name" "$OUT/$name" >&2; then
        fx_log "FAIL $name differs from golden/$name"
        fails=$((fails + 1))
    fi
}

# refused NAME CMD...: must exit 1, say why on stderr, change nothing
refused() {
    local name=$1 rc; shift
    cp "$FX_STATE" "$OUT/state.before"
    vrs network vnet list -o json > "$OUT/list.before"
    vrs network "$@" > "$OUT/$name.out" 2> "$OUT/$name"
    rc=$?
    if [ "$rc" != 1 ] || [ -s "$OUT/$name.out" ]; then
        fx_log "FAIL $name: exit $rc (expected 1, nothing on stdout)"
        fails=$((fails + 1))
    fi
    compare "$name"
    vrs network vnet list -o json > "$OUT/list.after"
    if ! cmp -s "$FX_STATE" "$OUT/state.before" ||
       ! cmp -s "$OUT/list.before" "$OUT/list.after"; then
        fx_log "FAIL $name: the state changed"
        fails=$((fails + 1))
    fi
}

fx_start

# ---- spec 9's common topology
run vnet create -n hub --address-prefixes 10.1.0.0/16 -l eastus
run vnet subnet create --vnet-name hub -n RouteServerSubnet --address-prefixes 10.1.1.0/26
run vnet subnet create --vnet-name hub -n nva --address-prefixes 10.1.2.0/24
run vnet subnet create --vnet-name hub -n vm --address-prefixes 10.1.3.0/24
run vnet subnet create --vnet-name hub -n GatewaySubnet --address-prefixes 10.1.255.0/27
run vnet create -n spoke1 --address-prefixes 10.2.0.0/16 --subnet-name default --subnet-prefixes 10.2.0.0/24
run vnet create -n spoke2 --address-prefixes 10.3.0.0/16 --subnet-name default --subnet-prefixes 10.3.0.0/24
run routeserver create -n ars -g lab --hosted-subnet /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/lab/providers/Microsoft.Network/virtualNetworks/hub/subnets/RouteServerSubnet --public-ip-address ars-pip
run vnet peering create --vnet-name hub -n hub-to-spoke1 --remote-vnet spoke1 --allow-vnet-access --allow-forwarded-traffic --allow-gateway-transit
run vnet peering create --vnet-name spoke1 -n spoke1-to-hub --remote-vnet hub --allow-vnet-access --allow-forwarded-traffic --use-remote-gateways
run vnet peering create --vnet-name hub -n hub-to-spoke2 --remote-vnet spoke2 --allow-vnet-access
run vnet peering create --vnet-name spoke2 -n spoke2-to-hub --remote-vnet hub --allow-vnet-access
run nic create -n nva1-nic --vnet-name hub --subnet nva --private-ip-address 10.1.2.4 --ip-forwarding
run nic create -n nva2-nic --vnet-name hub --subnet nva --private-ip-address 10.1.2.5 --ip-forwarding true
run nic create -n vmh-nic --vnet-name hub --subnet vm --private-ip-address 10.1.3.4
run nic create -n vm1-nic --vnet-name spoke1 --subnet default --private-ip-address 10.2.0.4
run nic create -n vm2-nic --vnet-name spoke2 --subnet default --private-ip-address 10.3.0.4
run routeserver peering create --routeserver ars -n nva1 --peer-ip 10.1.2.4 --peer-asn 65001
run routeserver peering create --routeserver ars -n nva2 --peer-ip 10.1.2.5 --peer-asn 65002

# ---- resources as az shows them
check vnet-list.json vnet list -o json
check vnet-list.table vnet list -o table
check vnet-show-hub.yaml vnet show -n hub -o yaml
check subnet-list-hub.table vnet subnet list --vnet-name hub -o table
check subnet-show-nva.tsv vnet subnet show --vnet-name hub -n nva -o tsv
check peering-list-spoke1.json vnet peering list --vnet-name spoke1 -o json
check nic-show-vm1.json nic show -n vm1-nic
check nic-list.table nic list -o table
check routeserver-show.json routeserver show -n ars
check routeserver-peering-list.table routeserver peering list --routeserver ars -o table
check routeserver-peering-show.json routeserver peering show --routeserver ars -n nva1

# ---- effective routes (system routes only)
check eff-vmh.table nic show-effective-route-table -n vmh-nic -o table
check eff-vm1.json nic show-effective-route-table -n vm1-nic -o json
check eff-vm1.table nic show-effective-route-table -n vm1-nic -o table
check eff-vm2.table nic show-effective-route-table -n vm2-nic -o table
check hop-vm1-hub.json watcher show-next-hop --nic vm1-nic --dest-ip 10.1.3.4
check hop-vm2-spoke1.json watcher show-next-hop --nic vm2-nic --dest-ip 10.2.0.4
check explain-vm1.table nic explain-route -n vm1-nic --address 10.1.3.4 -o table

# ---- --query (a JMESPath subset) and the other formats
check query-active-prefixes.json nic show-effective-route-table -n vm1-nic --query "value[?nextHopType=='VNetPeering'].addressPrefix[]"
check query-subnets.table vnet list --query "[].subnets[].{Name: name, Prefix: addressPrefix}" -o table
check query-peer-names.tsv routeserver peering list --routeserver ars --query "[?peerAsn > \`65001\`].[name, peerIp]" -o tsv
check vnet-show-spoke2.tsv vnet show -n spoke2 -o tsv
refused err-missing-nic.txt nic show -n nosuch

# ---- UDRs (T13's route table, T11's propagation flag)
run route-table create -n rt-vm
run route-table route create --route-table-name rt-vm -n drop-half --address-prefix 192.168.10.128/25 --next-hop-type None
run route-table route create --route-table-name rt-vm -n default-nva --address-prefix 0.0.0.0/0 --next-hop-type VirtualAppliance --next-hop-ip-address 10.1.2.4
run vnet subnet update --vnet-name hub -n vm --route-table rt-vm
run route-table create -n rt-spoke1 --disable-bgp-route-propagation true
run vnet subnet update --vnet-name spoke1 -n default --route-table rt-spoke1
check route-table-show.json route-table show -n rt-vm
check route-list.table route-table route list --route-table-name rt-vm -o table
check eff-vmh-udr.json nic show-effective-route-table -n vmh-nic
check eff-vmh-udr.table nic show-effective-route-table -n vmh-nic -o table
check eff-vm1-udr.table nic show-effective-route-table -n vm1-nic -o table
check hop-vmh-drop.json watcher show-next-hop --nic vmh-nic --dest-ip 192.168.10.200
check hop-vmh-nva.json watcher show-next-hop --nic vmh-nic --dest-ip 8.8.8.8
check explain-vmh-default.table nic explain-route -n vmh-nic --prefix 0.0.0.0/0 -o table

# ---- refused changes: exit 1, a clear message, the state unchanged
run vnet create -n overlap --address-prefixes 10.1.128.0/24
refused err-peering-overlap.txt vnet peering create --vnet-name hub -n hub-to-overlap --remote-vnet overlap
refused err-rs-subnet-28.txt vnet subnet create --vnet-name spoke2 -n RouteServerSubnet --address-prefixes 10.3.1.0/28
refused err-peer-asn-65515.txt routeserver peering create --routeserver ars -n bad --peer-ip 10.1.2.13 --peer-asn 65515
refused err-no-vnet.txt vnet subnet create --vnet-name nowhere -n s --address-prefixes 10.9.0.0/24
for i in 3 4 5 6 7 8; do
    run routeserver peering create --routeserver ars -n nva$i --peer-ip 10.1.2.$((i + 3)) --peer-asn 6500$i
done
refused err-rs-peer-9.txt routeserver peering create --routeserver ars -n nva9 --peer-ip 10.1.2.12 --peer-asn 65009
refused err-unknown-flag.txt vnet create -n x --no-such-flag

# ---- the API refuses bodies nested deeper than 64 and over 1 MiB
if command -v curl > /dev/null; then
    R=http://vrsd/subscriptions/x/resourceGroups/lab/providers/Microsoft.Network
    nest() { local i s=1; for i in $(seq 1 "$1"); do s="[$s]"; done; printf '{"a":%s}' "$s"; }
    api() { curl -s --unix-socket "$FX_SOCK" -X PUT -H 'Content-Type: application/json' --data-binary @- -w ' %{http_code}' "$R/routeTables/nosuch/routes/deep" | tr -d '\n'; }
    cp "$FX_STATE" "$OUT/state.before"
    nest 63 | api > "$OUT/api-depth-64"
    nest 64 | api > "$OUT/api-depth-65"
    head -c 1100000 /dev/zero | tr '\0' ' ' | api > "$OUT/api-big"
    grep -q 'route table nosuch not found.* 404$' "$OUT/api-depth-64" || { fx_log "FAIL a body 64 deep: $(cat "$OUT/api-depth-64")"; fails=$((fails + 1)); }
    grep -q 'nested deeper than 64.* 400$' "$OUT/api-depth-65" || { fx_log "FAIL a body 65 deep: $(cat "$OUT/api-depth-65")"; fails=$((fails + 1)); }
    grep -q ' 413$' "$OUT/api-big" || { fx_log "FAIL a body over 1 MiB: $(cat "$OUT/api-big")"; fails=$((fails + 1)); }
    cmp -s "$FX_STATE" "$OUT/state.before" || { fx_log "FAIL a refused body changed the state"; fails=$((fails + 1)); }
else
    fx_log "curl missing: the body-limit checks are skipped"
fi

# ---- the state survives a restart
vrs network vnet list -o json > "$OUT/before-restart"
fx_stop
fx_start
vrs network vnet list -o json > "$OUT/after-restart"
if ! cmp -s "$OUT/before-restart" "$OUT/after-restart"; then
    fx_log "FAIL the state differs after a restart"
    fails=$((fails + 1))
fi

if [ -n "${VRS_GOLDEN_UPDATE:-}" ]; then fx_log "golden files rewritten"; exit 0; fi
[ "$fails" = 0 ] || fx_die "$fails check(s) failed"
fx_log "cli-golden: all checks passed"
