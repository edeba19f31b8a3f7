#!/usr/bin/env bash
# tests/soak/flap.sh [SECONDS] - the flap soak (issue 10): vrsd as a
# transparent route server with two steady peers and 8 that flap (a
# vrs-speaker started, stopped with its Cease, started again, every 1-3 s
# at random) for SECONDS (default 20).  It checks:
#   * vrsd never crashes and the steady sessions never flap;
#   * the steady peer s2 hears no withdrawal of s1's routes (s2 logs every
#     UPDATE it receives through an ExaBGP process, as JSON);
#   * after warm-up, vrsd's RSS grows < 5 %, and once every flapper is
#     back, vrsd has as many file descriptors open as before the flapping.
# Loopback 127.0.160.1-10, port 22700.  make soak runs it longer.
set -u
. "$(dirname "$0")/../common.sh"
SECS=${1:-20}
vrs() { "$VRS_BIN/vrs" --socket "$T/vrsd.sock" "$@"; }
N=8 K=50

{
    echo "router-id: 127.0.160.1"
    echo "asn: 65000"
    echo 'listen: ["127.0.160.1:22700"]'
    echo "control: $T/vrsd.sock"
    echo "log-level: warning"
    echo "peers:"
    echo "  - { name: s1, address: 127.0.160.2, asn: 65001 }"
    echo "  - { name: s2, address: 127.0.160.3, asn: 65002 }"
    for i in $(seq 1 $N); do echo "  - { name: f$i, address: 127.0.160.$((3 + i)), asn: $((65100 + i)) }"; done
} > "$T/vrsd.yaml"
vrsd_up "$T/vrsd.yaml"
VP=${T_PIDS[0]}

# s1: K routes; s2: none, and every UPDATE it hears goes to s2.updates
routes() { local i; for i in $(seq 1 $K); do echo "    route $1.$i.0/24 next-hop $2;"; done; }
{ echo "neighbor 127.0.160.1 { router-id 127.0.160.2; local-address 127.0.160.2; local-as 65001; peer-as 65000;"
  echo "  static {"; routes 10.1 127.0.160.2; echo "  } }"; } > "$T/s1.conf"
{ echo "process log { run /bin/sh -c 'cat > $T/s2.updates'; encoder json; }"
  echo "neighbor 127.0.160.1 { router-id 127.0.160.3; local-address 127.0.160.3; local-as 65002; peer-as 65000;"
  echo "  api { processes [ log ]; receive { parsed; update; } } }"; } > "$T/s2.conf"
spk() { exabgp_tcp_port=22700 exabgp_tcp_bind= exabgp_api_cli=false "$VRS_BIN/vrs-speaker" "$T/$1.conf" > "$T/$1.log" 2>&1 & }
spk s1; T_PIDS+=($!)
spk s2; T_PIDS+=($!)
declare -A FP
for i in $(seq 1 $N); do
    { echo "neighbor 127.0.160.1 { router-id 127.0.160.$((3 + i)); local-address 127.0.160.$((3 + i)); local-as $((65100 + i)); peer-as 65000;"
      echo "  static {"; routes "10.$((100 + i))" "127.0.160.$((3 + i))"; echo "  } }"; } > "$T/f$i.conf"
    spk "f$i"; FP[$i]=$!
done
established() { [ "$(vrs -o json peers | jq '[.[] | select(.state == "Established")] | length')" = "$1" ]; }
wait_for 30 established $((N + 2)) || { bad "all $((N + 2)) sessions Established" "$(vrs peers)"; check_done; exit 1; }
wait_for 10 grep -q "10.1.$K.0/24" "$T/s2.updates" || bad "s2 hears s1's routes" "$(tail -3 "$T/s2.updates")"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$VP/status"; }
fds() { ls "/proc/$VP/fd" | wc -l; }
fd0=$(fds)

# flap: each flapper down (SIGTERM: its Cease) and up again at random
end=$(($(date +%s) + SECS)) warm=$(($(date +%s) + SECS / 4)) rss0= cycles=0
while [ "$(date +%s)" -lt "$end" ]; do
    i=$((RANDOM % N + 1))
    kill -TERM "${FP[$i]}" 2>/dev/null; wait "${FP[$i]}" 2>/dev/null
    sleep "0.$((RANDOM % 9 + 1))"
    spk "f$i"; FP[$i]=$!
    cycles=$((cycles + 1))
    sleep "0.$((RANDOM % 5 + 1))"
    [ -z "$rss0" ] && [ "$(date +%s)" -ge "$warm" ] && rss0=$(rss)
done
[ -n "$rss0" ] || rss0=$(rss)
wait_for 30 established $((N + 2)) || bad "every flapper back Established" "$(vrs peers)"
sleep 1 # what the last ones sent is in
rss1=$(rss) fd1=$(fds)
kill -0 "$VP" 2> /dev/null && ok "vrsd ran through $cycles flaps in $SECS s" || bad "vrsd ran through the flaps" "$(tail "$T/vrsd.log")"
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $2"$'\n'"got:  $3"; fi; }
same "the steady sessions never flapped" "0 0" "$(vrs -o json peers | jq -r '[.[] | select(.name == "s1" or .name == "s2") | .flaps] | join(" ")')"
flapped=$(vrs -o json peers | jq '[.[] | select(.name | startswith("f")) | .flaps] | add')
[ "$flapped" -ge $((cycles / 2)) ] && ok "... while the flappers flapped $flapped times" || bad "the flappers flapped" "$flapped of $cycles cycles"
w=$(grep '"withdraw"' "$T/s2.updates" | grep -c '"10\.1\.[0-9]*\.0/24"')
same "s2 heard no withdrawal of s1's routes" 0 "$w"
wf=$(grep '"withdraw"' "$T/s2.updates" | grep -c '"10\.1[0-9][0-9]\.')
[ "$wf" -gt 0 ] && ok "... though it heard the flappers' withdrawals ($wf UPDATEs)" || bad "s2 heard the flappers' withdrawals" "$(tail -2 "$T/s2.updates")"
same "s1's $K routes still in vrsd" $K "$(vrs -o json routes | jq '[.[] | select(.peer == "s1")] | length')"
[ $((rss1 * 100)) -lt $((rss0 * 105)) ] && ok "RSS after warm-up $rss0 kB -> $rss1 kB (< 5 %)" || bad "RSS growth < 5 %" "$rss0 kB -> $rss1 kB"
same "file descriptors back to the baseline" "$fd0" "$fd1"
for i in $(seq 1 $N); do T_PIDS+=("${FP[$i]}"); done
check_done
