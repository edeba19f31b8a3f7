#!/usr/bin/env bash
# tests/lab/whatif.sh - vrs what-if against the running reference lab.
#
# Each change is tried as a user types it (a vrs network verb, a
# speaker's announce/withdraw in ExaBGP's words); the answer must name
# the rows and flows the change would move, and the lab must be exactly
# as it was: the same effective routes on every NIC, the same topology
# document, the same routes in the NVA's Adj-RIB-In.

set -u
LAB_PORT=${LAB_PORT:-21795}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lab_up
ok "vrs lab up"

NICS="nva-nic vm-hub-nic vm-spoke1-nic vm-spoke2-nic"
snapshot() {
    local n
    for n in $NICS; do
        vrs network nic show-effective-route-table -n "$n" -o json | jq -c --arg n "$n" '{nic: $n, rows: .value}' ||
            echo "FAILED to read $n's effective routes"
    done
    vrs network vnet peering show --vnet-name spoke1 -n spoke1-to-hub -o json | jq -c '{useRemoteGateways}'
    ribin nva
}
before=$(snapshot)
grep -q FAILED <<< "$before" || [ "$(grep -c '"VnetLocal"' <<< "$before")" != 4 ] &&
    fx_die "cannot read the lab's effective routes: $before"
# post BODY: POST /v1/whatif on the lab's control socket, the reply's body
post() {
    python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1]); b = sys.argv[2].encode()
s.sendall(b"POST /v1/whatif HTTP/1.0\r\nHost: vrs\r\nContent-Length: %d\r\n\r\n" % len(b) + b)
d = b""
while True:
    c = s.recv(65536)
    if not c: break
    d += c
print(d.partition(b"\r\n\r\n")[2].decode())' "$VRS_LAB_DIR/vrsd.sock" "$1"
}
wi() { vrs what-if -o json "$@" 2> "$LAB_TMP/wi.err"; }
unchanged() {
    local now
    now=$(snapshot)
    same "$1: the lab is as it was (effective routes, peering, NVA's routes)" "$before" "$now"
}

# 1. spoke1 stops using the hub's gateways: every gateway row of vm-spoke1-nic goes
out=$(wi --nic vm-spoke1-nic -- vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false)
jq -e '.nics | length == 1 and .[0].name == "vm-spoke1-nic"' <<< "$out" > /dev/null &&
    ok "--nic limits the answer to vm-spoke1-nic" || bad "--nic limits the answer" "$out"
jq -e '[.nics[0].removed[] | select(.addressPrefix == ["192.168.1.0/24"] and .nextHopIpAddress == ["10.0.0.4"] and .nextHopType == "VirtualNetworkGateway")] | length == 1' <<< "$out" > /dev/null &&
    ok "use-remote-gateways false: the NVA's 192.168.1.0/24 row (next hop 10.0.0.4) is removed" ||
    bad "use-remote-gateways false removes 192.168.1.0/24 via 10.0.0.4" "$out"
jq -e '[.flows[] | select(.nic == "vm-spoke1-nic" and .destination == "192.168.1.0" and .before.nextHopType == "VirtualNetworkGateway" and .before.nextHopIpAddress == "10.0.0.4" and .after.nextHopType != "VirtualNetworkGateway")] | length == 1' <<< "$out" > /dev/null &&
    ok "the flow vm-spoke1-nic -> 192.168.1.0 changes next hop (10.0.0.4 before)" ||
    bad "the flow to 192.168.1.0 changes next hop" "$out"
jq -e '[.nics[0].added[], .nics[0].removed[] | select(.source == "Default" and .addressPrefix == ["10.1.0.0/16"])] | length == 0' <<< "$out" > /dev/null &&
    ok "spoke1's own VnetLocal row is untouched" || bad "spoke1's own VnetLocal row is untouched" "$out"
unchanged "after a peering what-if"

# the same as a table
tab=$(vrs what-if --nic vm-spoke1-nic -- network vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false 2>&1)
grep -Eq '^vm-spoke1-nic$' <<< "$tab" && grep -Eq '^  - VirtualNetworkGateway +Active +192\.168\.1\.0/24 +VirtualNetworkGateway +10\.0\.0\.4$' <<< "$tab" &&
    grep -q '^flows whose next hop changes:' <<< "$tab" &&
    grep -Eq '^  vm-spoke1-nic -> 192\.168\.1\.0: VirtualNetworkGateway 10\.0\.0\.4 => ' <<< "$tab" &&
    ok "-o table: the removed row with '-' and the flow" || bad "-o table" "$tab"

# every NIC by default: spoke2 never used the gateway, so nothing changes there
out=$(wi -- vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false)
jq -e '(.nics | length == 4) and ([.nics[] | select(.name == "vm-spoke2-nic") | (.added + .removed + .changed) | length] == [0])' <<< "$out" > /dev/null &&
    ok "without --nic every NIC is compared; vm-spoke2-nic has no change" || bad "every NIC by default" "$out"

# 2. what the NVA would announce: a new prefix, in ExaBGP's words
out=$(wi --nic vm-spoke1-nic --nic vm-spoke2-nic -- announce route 10.50.0.0/16 next-hop 10.0.0.4 as-path [65010])
jq -e '[.nics[] | select(.name == "vm-spoke1-nic") | .added[] | select(.addressPrefix == ["10.50.0.0/16"] and .nextHopIpAddress == ["10.0.0.4"] and .source == "VirtualNetworkGateway")] | length == 1' <<< "$out" > /dev/null &&
    ok "announce route 10.50.0.0/16: vm-spoke1-nic gains a gateway row via 10.0.0.4" || bad "announce 10.50.0.0/16 on vm-spoke1-nic" "$out"
jq -e '[.nics[] | select(.name == "vm-spoke2-nic") | (.added + .removed + .changed) | length] == [0]' <<< "$out" > /dev/null &&
    ok "... and vm-spoke2-nic nothing (it does not use the remote gateway)" || bad "vm-spoke2-nic unchanged by the announcement" "$out"
jq -e '[.nics[] | select(.name == "vm-spoke1-nic") | .removed[]] | length == 0' <<< "$out" > /dev/null &&
    ok "... and the NVA's other routes stay (the announcement adds to what the session carries)" || bad "the NVA's other routes stay" "$out"
unchanged "after an announce what-if"

# 3. behaviour 3 as a question: prepending makes the gateway's route win
out=$(wi --nic vm-spoke1-nic -- announce route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2] as-path [65010 65010])
jq -e '[.flows[] | select(.destination == "192.168.1.0" and .before.nextHopIpAddress == "10.0.0.4" and .after.nextHopIpAddress == "10.0.3.5")] | length == 1' <<< "$out" > /dev/null &&
    ok "a prepend of 192.168.1.0/24: the flow moves from 10.0.0.4 to the gateway 10.0.3.5" || bad "prepend what-if" "$out"
jq -e '[.nics[0].changed[] | select(.before[0].addressPrefix == ["192.168.1.0/24"])] | length == 1' <<< "$out" > /dev/null &&
    ok "... shown as a changed row group (before and after)" || bad "prepend shown as changed" "$out"

# 4. withdrawing the default route, and two changes in one question
out=$(wi --nic vm-spoke1-nic --destination 8.8.8.8 -- withdraw route 0.0.0.0/0)
jq -e '[.flows[] | select(.destination == "8.8.8.8" and .before.nextHopIpAddress == "10.0.0.4" and .after.nextHopType == "Internet")] | length == 1' <<< "$out" > /dev/null &&
    ok "withdraw route 0.0.0.0/0: --destination 8.8.8.8 goes from the NVA to Internet" || bad "withdraw 0/0" "$out"
out=$(wi --nic vm-spoke1-nic -- withdraw route 0.0.0.0/0 -- vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false)
jq -e '.changes == 2' <<< "$out" > /dev/null && ok "two CHANGEs separated by -- are tried in order" || bad "two changes" "$out"

# 5. a new NIC and a new UDR, tried before they exist
out=$(wi --nic vm-new-nic -- nic create -n vm-new-nic --vnet-name spoke1 --subnet default --private-ip-address 10.1.0.9)
jq -e '.nics[0].existed == false and .nics[0].exists == true and ([.nics[0].added[] | select(.addressPrefix == ["10.1.0.0/16"])] | length == 1)' <<< "$out" > /dev/null &&
    ok "a NIC that does not exist yet: all its rows are added" || bad "a new NIC" "$out"
out=$(wi --nic vm-spoke1-nic -- network route-table create -n rt1 -- network route-table route create --route-table-name rt1 -n r1 --address-prefix 10.2.0.0/16 --next-hop-type VirtualAppliance --next-hop-ip-address 10.0.0.4 -- network vnet subnet update --vnet-name spoke1 -n default --route-table rt1)
jq -e '[.nics[0].added[] | select(.source == "User" and .addressPrefix == ["10.2.0.0/16"] and .nextHopType == "VirtualAppliance")] | length == 1' <<< "$out" > /dev/null &&
    ok "a route table with a UDR, attached to spoke1's subnet: the User row appears" || bad "UDR what-if" "$out"
vrs network route-table show -n rt1 > /dev/null 2>&1 && bad "rt1 must not exist after the what-if" || ok "rt1 was not created"
unchanged "after the NIC and UDR what-ifs"

# 6. a lab file in place of the running topology
out=$(wi -- lab "$LAB_SRC/labs/reference.yaml")
jq -e '[.nics[] | (.added + .removed + .changed) | length] == [0,0,0,0]' <<< "$out" > /dev/null &&
    ok "lab FILE: the running lab's own file changes nothing on any NIC" || bad "lab reference.yaml is a no-op" "$out"
sed 's/ --use-remote-gateways$//' "$LAB_SRC/labs/reference.yaml" > "$LAB_TMP/nogw.yaml"
cp "$LAB_SRC"/labs/*.conf "$LAB_TMP/"
out=$(wi --nic vm-spoke1-nic -- lab "$LAB_TMP/nogw.yaml")
jq -e '[.nics[0].removed[] | select(.addressPrefix == ["192.168.1.0/24"])] | length == 1' <<< "$out" > /dev/null &&
    ok "lab FILE without spoke1's --use-remote-gateways: vm-spoke1-nic loses the gateway rows" || bad "lab file diff" "$out"
printf 'name: x\ntopology:\n  - vnet create -n a --address-prefixes 10.0.0.0/16\n  - vnet subnet create --vnet-name nope -n s --address-prefixes 10.0.0.0/24\n' > "$LAB_TMP/bad.yaml"
out=$(vrs what-if -- lab "$LAB_TMP/bad.yaml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "bad.yaml:4:5: changes\[2\]: virtual network nope not found" <<< "$out" &&
    ok "lab FILE with a command vrsd refuses: FILE:LINE:COL and the reason" || bad "lab file refused" "$rc $out"
printf 'name: x\ntopology: 3\n' > "$LAB_TMP/bad2.yaml"
out=$(vrs what-if -- lab "$LAB_TMP/bad2.yaml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "bad2.yaml:2:11: " <<< "$out" && ok "a malformed lab file: FILE:LINE:COL" || bad "malformed lab file" "$rc $out"

# 7. refusals: the change's own error, bad arguments
out=$(vrs what-if -- vnet peering update --vnet-name nope -n x --use-remote-gateways false 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'not found' <<< "$out" && ok "a change vrsd would refuse: exit 1 with its message" || bad "refused change" "$rc $out"
out=$(vrs what-if --nic nosuch-nic -- vnet peering update --vnet-name spoke1 -n spoke1-to-hub --use-remote-gateways false 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'network interface nosuch-nic not found' <<< "$out" && ok "--nic of no NIC: not found" || bad "--nic nosuch" "$rc $out"
out=$(vrs what-if -- vnet list 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'writes nothing' <<< "$out" && ok "a verb that writes nothing is refused" || bad "read-only verb" "$rc $out"
out=$(vrs what-if 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'usage: vrs what-if' <<< "$out" && ok "no CHANGE: usage, exit 1" || bad "no change" "$rc $out"
out=$(vrs what-if --bogus -- vnet list 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'unknown option --bogus' <<< "$out" && ok "an unknown option is named" || bad "unknown option" "$rc $out"
out=$(vrs what-if -- announce route 10.9.0.0/16 next-hop 2>&1); rc=$?
[ $rc = 1 ] && grep -q "unexpected" <<< "$out" && ok "announce with a missing value: refused" || bad "announce missing value" "$rc $out"
out=$(vrs what-if --help); rc=$?
[ $rc = 0 ] && grep -q 'CHANGE is one of' <<< "$out" && ok "vrs what-if --help" || bad "--help" "$out"
out=$(post '{"changes":[{"method":"POST","path":"/v1/peers/x/reset"}]}')
jq -e '.error.code == "WhatIfRefused"' <<< "$out" > /dev/null && ok "POST /v1/whatif refuses what is not an ARM resource" || bad "non-ARM change" "$out"
out=$(post '{"changes":[')
jq -e '.error.code == "InvalidRequestFormat" and (.error.message | test("line 1"))' <<< "$out" > /dev/null && ok "malformed JSON: line and column" || bad "malformed body" "$out"
unchanged "after the refusals"
pgrep -F "$VRS_LAB_DIR/vrsd.pid" > /dev/null 2>&1 || [ -n "$(vrs peers 2>/dev/null)" ] && ok "vrsd still answers" || bad "vrsd still answers"

check_done
