#!/bin/bash
# tests/interop/mrt.sh - vrs rib dump: vrsd's RIB as MRT TABLE_DUMP_V2
# (RFC 6396), read back by Debian's bgpdump and python3-mrtparse, for a
# transparent route server fed by vrs-speaker (IPv4 and IPv6, AS paths
# with 4-octet ASNs, communities, MED); and mrt-updates: every UPDATE
# received as a BGP4MP_MESSAGE_AS4 record, read back by both.  127.0.140.1-3 and ::1, port 21340.
set -u
. "$(dirname "$0")/../common.sh"
vrs() { "$VRS_BIN/vrs" --socket "$T/vrsd.sock" "$@"; }
for t in bgpdump; do command -v $t > /dev/null || { echo "skip: no $t (make deps)"; exit 0; }; done

cat > "$T/vrsd.yaml" <<E
router-id: 127.0.140.1
asn: 65000
listen: ["127.0.140.1:21340"]
control: $T/vrsd.sock
mrt-dump: { file: "$T/periodic-%v.mrt", interval: 1 }
mrt-updates: { file: "$T/updates-%Y.mrt" }
peers:
  - { name: a, address: 127.0.140.2, asn: 4200000001 }
  - { name: b, address: 127.0.140.3, asn: 65002 }
E
vrsd_up "$T/vrsd.yaml"
spk() { local n=$1 a=$2 as=$3; shift 3; speaker_up "$n" "$a" "$as" 127.0.140.1 21340 "$@"; }
spk a 127.0.140.2 4200000001 \
    "10.1.0.0/16 next-hop 127.0.140.2 as-path [ 4200000001 65100 ] community [ 65001:100 65001:200 ] med 50" \
    "10.2.0.0/24 next-hop 127.0.140.2 as-path [ 4200000001 ]" \
    "2001:db8:1::/48 next-hop 2001:db8::2 as-path [ 4200000001 65100 ]"
spk b 127.0.140.3 65002 \
    "10.1.0.0/16 next-hop 127.0.140.3 as-path [ 65002 ]"
for _ in $(seq 1 100); do
    [ "$(vrs -o json routes 2>/dev/null | jq length)" = 4 ] && break
    sleep 0.1
done

out=$(vrs rib dump "$T/rib.mrt" 2>&1); rc=$?
[ $rc = 0 ] && [ -s "$T/rib.mrt" ] && ok "vrs rib dump FILE" || bad "vrs rib dump FILE" "$rc $out"
got=$(bgpdump -m "$T/rib.mrt" 2> /dev/null | cut -d'|' -f3- | sort)
want="B|127.0.140.2|4200000001|10.1.0.0/16|4200000001 65100|IGP|127.0.140.2|0|50|65001:100 65001:200|NAG||
B|127.0.140.2|4200000001|10.2.0.0/24|4200000001|IGP|127.0.140.2|0|0||NAG||
B|127.0.140.2|4200000001|2001:db8:1::/48|4200000001 65100|IGP|2001:db8::2|0|0||NAG||
B|127.0.140.3|65002|10.1.0.0/16|65002|IGP|127.0.140.3|0|0||NAG||"
[ "$got" = "$want" ] && ok "bgpdump -m reads every path: peer, AS, prefix, AS path, next hop, MED, communities" || bad "bgpdump -m" "got:
$got
want:
$want"
# Debian's python3 has python3-mrtparse (another python3 on PATH may not)
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
py=$(env -u PYTHONHOME -u PYTHONPATH $PY - "$T/rib.mrt" <<'P' 2>&1
import sys
import mrtparse
# python3-mrtparse 1.6 (Debian 12): each item's .mrt is one record
peers, ribs = None, []
for e in mrtparse.Reader(sys.argv[1]):
    m = e.mrt
    if m.err:
        sys.exit("error: %s" % m.err_msg)
    if m.type != mrtparse.MRT_T["TABLE_DUMP_V2"]:
        sys.exit("type %s" % m.type)
    st = mrtparse.TD_V2_ST[m.subtype]
    if st == "PEER_INDEX_TABLE":
        peers = [(p.ip, int(p.asn)) for p in m.peer.entry]
        print("view", m.peer.view, "collector", m.peer.collector)
    else:
        ribs.append((st, "%s/%d" % (m.rib.prefix, m.rib.plen), m.rib.count))
print("peers", sorted(peers))
for r in sorted(ribs):
    print(*r)
P
)
want_py="view rib collector 127.0.140.1
peers [('127.0.140.2', 4200000001), ('127.0.140.3', 65002)]
RIB_IPV4_UNICAST 10.1.0.0/16 2
RIB_IPV4_UNICAST 10.2.0.0/24 1
RIB_IPV6_UNICAST 2001:db8:1::/48 1"
[ "$py" = "$want_py" ] && ok "python3-mrtparse: the peer index table and one record per prefix" || bad "python3-mrtparse" "got:
$py
want:
$want_py"
out=$(vrs rib dump --view nosuch "$T/x.mrt" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "view nosuch: no such RIB (views: rib)" <<< "$out" && [ ! -e "$T/x.mrt" ] &&
    ok "an unknown view: exit 1, nothing written" || bad "an unknown view" "$rc $out"
out=$(script -qc "$VRS_BIN/vrs --socket $T/vrsd.sock rib dump" /dev/null 2>&1); 
grep -q "an MRT dump is binary" <<< "$out" && ok "no binary to a terminal" || bad "no binary to a terminal" "$out"
# mrt-dump: the same dump every second, written whole
for _ in $(seq 1 50); do [ -s "$T/periodic-rib.mrt" ] && break; sleep 0.1; done
got=$(bgpdump -m "$T/periodic-rib.mrt" 2> /dev/null | cut -d'|' -f3- | sort)
[ "$got" = "$want" ] && grep -q "mrt-dump rib: $T/periodic-rib.mrt, [0-9]* bytes" "$T/vrsd.log" &&
    ok "mrt-dump: every interval, FILE with %v the view, the same routes" || bad "mrt-dump" "$got $(tail -3 "$T/vrsd.log")"
printf 'mrt-dump: { file: x.mrt, views: [rib, ars/IN_0] }\n' > "$T/bad.yaml"
out=$("$VRS_BIN/vrsd" --check -c "$T/bad.yaml" 2>&1)
grep -q "bad.yaml:1:19: file x.mrt: several views need %v in it" <<< "$out" &&
    ok "mrt-dump: several views without %v in the file: file:line:col" || bad "mrt-dump: several views without %v" "$out"
# mrt-updates: the UPDATEs as they came, one BGP4MP record each (on disk within 1 s)
upd="$T/updates-$(date +%Y).mrt"
want_u="A|127.0.140.2|4200000001|10.1.0.0/16|4200000001 65100|IGP|127.0.140.2|0|50|65001:100 65001:200|NAG||
A|127.0.140.2|4200000001|10.2.0.0/24|4200000001|IGP|127.0.140.2|0|0||NAG||
A|127.0.140.2|4200000001|2001:db8:1::/48|4200000001 65100|IGP|2001:db8::2|0|0||NAG||
A|127.0.140.3|65002|10.1.0.0/16|65002|IGP|127.0.140.3|0|0||NAG||"
for _ in $(seq 1 30); do
    got=$(bgpdump -m "$upd" 2> /dev/null | grep '^BGP4MP|' | cut -d'|' -f3- | sort)
    [ "$got" = "$want_u" ] && break
    sleep 0.1
done
[ "$got" = "$want_u" ] && ok "mrt-updates: bgpdump -m reads each announcement: peer, AS, prefix, path, next hop, MED, communities" || bad "mrt-updates: bgpdump -m" "got:
$got
want:
$want_u"
py=$(env -u PYTHONHOME -u PYTHONPATH $PY - "$upd" <<'P' 2>&1
import sys
import mrtparse
n, eor = 0, 0
for e in mrtparse.Reader(sys.argv[1]):
    m = e.mrt
    if m.err:
        sys.exit("error: %s" % m.err_msg)
    if mrtparse.MRT_T[m.type] != "BGP4MP" or mrtparse.BGP4MP_ST[m.subtype] != "BGP4MP_MESSAGE_AS4":
        sys.exit("type %s/%s" % (m.type, m.subtype))
    if int(m.bgp.local_as) != 65000 or m.bgp.local_ip != "127.0.140.1":
        sys.exit("local %s %s" % (m.bgp.local_as, m.bgp.local_ip))
    if mrtparse.BGP_MSG_T[m.bgp.msg.type] != "UPDATE":
        sys.exit("message type %s" % m.bgp.msg.type)
    n += 1
    u = m.bgp.msg
    if not u.nlri and not u.withdrawn and not u.attr:
        eor += 1
print("updates", n > 0, "end-of-rib", eor)
P
)
[ "$py" = "updates True end-of-rib 2" ] && ok "mrt-updates: python3-mrtparse reads BGP4MP_MESSAGE_AS4 records, local AS 65000 and address, End-of-RIB too" || bad "mrt-updates: python3-mrtparse" "$py"
printf 'mrt-updates: { rotate: 5 }\n' > "$T/bad.yaml"
out=$("$VRS_BIN/vrsd" --check -c "$T/bad.yaml" 2>&1)
grep -q "bad.yaml:1:14: mrt-updates without a file" <<< "$out" && ok "mrt-updates without a file: file:line:col" || bad "mrt-updates without a file" "$out"
printf 'mrt-updates: { file: /nonexistent-dir/u.mrt }\nrouter-id: 127.0.140.9\nasn: 65000\ncontrol: %s/v2.sock\n' "$T" > "$T/bad2.yaml"
out=$(timeout 5 "$VRS_BIN/vrsd" -c "$T/bad2.yaml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "mrt-updates: /nonexistent-dir/u.mrt: No such file or directory" <<< "$out" && ok "mrt-updates into a missing directory: vrsd does not start, and says why" || bad "mrt-updates missing directory" "$rc $out"
check_done
