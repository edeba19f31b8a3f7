#!/bin/bash
# tests/interop/security.sh - TCP MD5 signatures (RFC 2385) and GTSM
# (RFC 5082) per peer, between vrsd and real BIRD 2 and ExaBGP, and
# vrs-speaker.
# Addresses 127.0.120.1-127.0.120.8 and 127.0.121.2-6, port 21290.
set -u
. "$(dirname "$0")/../common.sh"
vrs() { "$VRS_BIN/vrs" --socket "$T/vrsd.sock" "$@"; }
state() { vrs -o json peers 2>/dev/null | jq -r --arg n "$1" '.[] | select(.name == $n) | .state'; }

cat > "$T/vrsd.yaml" <<E
router-id: 127.0.120.1
asn: 65000
listen: ["127.0.120.1:21290", "127.0.121.2:21290", "127.0.121.3:21290", "127.0.121.4:21290", "127.0.121.5:21290", "127.0.121.6:21290"]
control: $T/vrsd.sock
log-level: debug
peers:
  - { name: md5-ok, address: 127.0.120.2, asn: 65002, password: s3cret-key }
  - { name: md5-wrong, address: 127.0.120.3, asn: 65003, password: s3cret-key }
  - { name: md5-missing, address: 127.0.120.4, asn: 65004, password: s3cret-key }
  - { name: gtsm-ok, address: 127.0.120.5, asn: 65005, ttl-security: true }
  - { name: gtsm-low, address: 127.0.120.6, asn: 65006, ttl-security: true }
  - { name: speaker-md5, address: 127.0.120.7, asn: 65007, password: speaker-key }
  - { name: exabgp-md5, address: 127.0.120.8, asn: 65008, password: "exa key 8" }
E
out=$("$VRS_BIN/vrsd" --check -c "$T/vrsd.yaml" 2>&1) || { bad "vrsd --check accepts password and ttl-security" "$out"; exit 1; }
printf 'peers:\n  - { name: x, address: 127.0.120.9, asn: 1, password: "", ttl-security: 255 }\n' > "$T/bad.yaml"
out=$("$VRS_BIN/vrsd" --check -c "$T/bad.yaml" 2>&1)
if grep -q "bad.yaml:2:56: password must be 1-80 characters" <<< "$out" && grep -q "bad.yaml:2:74: ttl-security 255 out of range (1-254)" <<< "$out"; then
    ok "an empty password and ttl-security 255 hops: file:line:col"; else bad "an empty password and ttl-security 255 hops: file:line:col" "$out"; fi

"$VRS_BIN/vrsd" -d -c "$T/vrsd.yaml" > "$T/vrsd.log" 2>&1 &
T_PIDS+=($!)
for _ in $(seq 1 100); do [ -S "$T/vrsd.sock" ] && break; sleep 0.1; done

# BIRD: one protocol per case, each from its own address to one of
# vrsd's (BIRD runs one session at a time per neighbour address)
bgp() { # NAME ADDR ASN VRSD-ADDR EXTRA
    printf 'protocol bgp %s {\n  local %s port 21290 as %s;\n  neighbor %s port 21290 as 65000;\n  strict bind on; multihop;\n  connect delay time 1; connect retry time 2; error wait time 1, 2;\n  %s\n  ipv4 { import all; export none; };\n}\n' "$@"
}
{
    echo "router id 127.0.120.2;"
    echo "log \"$T/bird.log\" all;"
    echo "debug protocols { states, events };"; echo "protocol device { scan time 60; }"
    bgp md5ok 127.0.120.2 65002 127.0.121.2 'password "s3cret-key";'
    bgp md5wrong 127.0.120.3 65003 127.0.121.3 'password "another-key";'
    bgp md5missing 127.0.120.4 65004 127.0.121.4 ''
    bgp gtsmok 127.0.120.5 65005 127.0.121.5 'ttl security on;'
    bgp gtsmlow 127.0.120.6 65006 127.0.121.6 ''
} > "$T/bird.conf"
bird -f -c "$T/bird.conf" -s "$T/bird.ctl" -P "$T/bird.pid" > "$T/bird.out" 2>&1 &
T_PIDS+=($!)

# vrs-speaker: ExaBGP's md5-password
cat > "$T/speaker.conf" <<E
neighbor 127.0.120.1 {
  router-id 127.0.120.7;
  local-address 127.0.120.7;
  local-as 65007;
  peer-as 65000;
  md5-password speaker-key;
  static { route 10.77.0.0/16 next-hop 127.0.120.7; }
}
E
exabgp_tcp_port=21290 "$VRS_BIN/vrs-speaker" "$T/speaker.conf" > "$T/speaker.log" 2>&1 &
T_PIDS+=($!)

# Debian's ExaBGP, the same way
if command -v exabgp > /dev/null; then
    cat > "$T/exabgp.conf" <<E
neighbor 127.0.120.1 {
  router-id 127.0.120.8;
  local-address 127.0.120.8;
  local-as 65008;
  peer-as 65000;
  md5-password "exa key 8";
  family { ipv4 unicast; }
}
E
    env exabgp.daemon.user=root exabgp.daemon.drop=false exabgp.daemon.daemonize=false \
        exabgp.daemon.pid="$T/exabgp.pid" exabgp.api.cli=false \
        exabgp.log.destination="$T/exabgp.log" exabgp.tcp.bind= exabgp.tcp.port=21290 \
        exabgp "$T/exabgp.conf" > "$T/exabgp.out" 2>&1 &
    T_PIDS+=($!)
    want="md5-ok gtsm-ok speaker-md5 exabgp-md5"
else
    printf 'skip exabgp-md5: no exabgp\n'
    want="md5-ok gtsm-ok speaker-md5"
fi

for _ in $(seq 1 200); do
    n=0
    for p in $want; do [ "$(state $p)" = Established ] && n=$((n + 1)); done
    [ $n = "$(wc -w <<< "$want")" ] && break
    sleep 0.1
done
for p in $want; do
    s=$(state $p)
    [ "$s" = Established ] && ok "$p: Established" || bad "$p: Established" "state $s; $(tail -5 "$T/vrsd.log")"
done
# the others have had 20 s and BIRD retries every 2 s: give them 6 s more
sleep 6
for p in md5-wrong md5-missing gtsm-low; do
    s=$(state $p)
    [ -n "$s" ] && [ "$s" != Established ] && ok "$p: refused ($s)" || bad "$p: refused" "state '$s'"
done
st=$(birdc -s "$T/bird.ctl" show protocols all md5wrong 2>&1)
grep -qi "established" <<< "$st" && bad "BIRD: md5wrong is not Established" "$st" || ok "BIRD: md5wrong is not Established"
grep -q "(gtsm-low): connection refused: TTL 64, ttl-security wants 255 (RFC 5082)" "$T/vrsd.log" &&
    ok "gtsm-low: the connection is refused for its SYN's TTL (64)" || bad "gtsm-low: refused for its SYN's TTL" "$(grep gtsm-low "$T/vrsd.log" | tail -3)"
kill -0 "${T_PIDS[0]}" 2>/dev/null && ok "vrsd is running" || bad "vrsd is running"
grep -q "s3cret-key\|speaker-key" "$T/vrsd.log" && bad "the keys are not in vrsd's log" "$(grep -n 'key' "$T/vrsd.log" | head)" || ok "the keys are not in vrsd's log"
routes=$(vrs -o json routes 2>/dev/null | jq -r '.. | .prefix? // empty' | sort -u | tr '\n' ' ')
grep -q "10.77.0.0/16" <<< "$routes" && ok "the MD5-signed session carries routes (10.77.0.0/16 from vrs-speaker)" || bad "the MD5-signed session carries routes" "$routes"
check_done
