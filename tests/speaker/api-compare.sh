#!/usr/bin/env bash
# tests/speaker/api-compare.sh - ExaBGP 4.2's text API beside vrs-speaker's,
# from a process, live.
#
# Each speaker has two neighbours: 127.0.6.4, a private BIRD that comes
# up (one BIRD a speaker, on its own port, so both use the same
# addresses), and 127.0.6.6, which is never reachable.  Only 127.0.6.4's
# api block lists the process.  The process (feed.py, written here)
# waits until the session is established, then writes the commands of
# COMMANDS one at a time, each after the answer to the one before, and
# records what comes back.  The test passes when vrs-speaker's record is
# ExaBGP's, line for line, and both answer as WANT says: which commands
# need an established neighbour, a neighbour the process reaches, a
# selector that matches, or none of these (reactor/api/command/ of
# ExaBGP 4.2.21).  Then BIRD must hold the routes the commands left, and
# the same attributes from both (as `show route all` prints them).
# Last, the process writes "restart": both speakers must answer alike,
# tear the session down with the same Cease 6/3, bring it back with the
# same routes (a watchdog's stay up), and start the process again.
# Not among them, because they break ExaBGP 4.2.21 and vrs-speaker
# answers them as the rest: "flush adj-rib out" or "clear adj-rib" that
# match no neighbour (its log_failure(..., 'warning') raises
# AttributeError: syslog.LOG_warning), "withdraw attributes nlri P"
# without a next hop (the peer's loop raises '_NoNextHop' object has no
# attribute 'afi' and the session restarts), "med 4294967296" and
# "announce operational ..." (never answered).  Nor what vrs-speaker
# leaves out by design: routes of other families than unicast ("label",
# "announce flow ...": it answers error).
#
#   tests/speaker/api-compare.sh      (VRS_BIN: the folder of vrs-speaker)
#
# Only 127.0.0.0/8 addresses and high ports; stops only its own pids.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
ix_init
ix_need exabgp exabgp
ix_need bird bird2
ix_need python3 python3
ix_need_speaker

BASE=$((24000 + ($$ % 2000) * 2))
PORT_EXA=$BASE
PORT_VRS=$((BASE + 1))
NH=127.0.6.5

# COMMAND|ANSWERS: the answers, ";" between lines, as both must give them
WANT=(
    "announce route 10.0.0.0/24 next-hop $NH|done"
    "neighbor 127.0.99.9 announce route 10.0.1.0/24 next-hop $NH|error"
    "neighbor 127.0.6.4 announce route 10.0.2.0/24 next-hop $NH|done"
    "neighbor 127.0.6.4 local-as 65010 announce route 10.0.3.0/24 next-hop $NH|done"
    "neighbor 127.0.6.4 peer-as 1 announce route 10.0.4.0/24 next-hop $NH|error"
    "neighbor 127.0.6.6 announce route 10.0.5.0/24 next-hop $NH|error"
    "neighbor 127.0.99.9, neighbor 127.0.6.4 router-id 10.0.0.4 announce route 10.0.9.0/24 next-hop $NH|done"
    "neighbor 127.0.6.4 local-ip 127.0.0.9 announce route 10.0.10.0/24 next-hop $NH|error"
    "announce route 10.0.6.0/33 next-hop $NH|error"
    "withdraw route 10.0.0.0/24|done"
    "neighbor 127.0.99.9 withdraw route 10.0.2.0/24|error"
    "announce attributes next-hop $NH nlri 10.0.7.0/24 10.0.8.0/24|done"
    "announce attribute next-hop $NH med 5 nlri 10.0.11.0/24|done"
    "withdraw attribute next-hop $NH nlri 10.0.11.0/24|error"
    "announce route 10.0.20.0/24 next-hop self|done"
    "announce route 10.0.21.0/24 next-hop $NH as-path [ 65010 1 2 ] community [ 1:1 no-export ] large-community [ 1:2:3 ] extended-community [ target:1:1 ]|done"
    "announce route 10.0.22.0/24 next-hop $NH path-information 1|done"
    "announce route 10.0.24.0/24 next-hop $NH rd 1:1|error"
    "announce ipv4 unicast 10.0.25.0/24 next-hop $NH|error"
    "announce route 2001:db8::/32 next-hop ::1|done"
    "withdraw route 10.0.99.0/24|done"
    "announce route 10.0.26.0/24 next-hop $NH split /26|done"
    "announce route 10.0.27.0/24|error"
    "announce route 10.0.28.0/24 next-hop $NH med|error"
    "announce route 10.0.29.0/24 next-hop $NH origin bogus|error"
    "announce attributes next-hop $NH nlri|error"
    "announce route 10.0.32.0/24 next-hop $NH aggregator ( 65000:10.0.0.1 ) atomic-aggregate origin egp med 7 local-preference 9|done"
    "announce route 10.0.33.0/24 next-hop $NH attribute [ 0x63 0xc0 0xdeadbeef ]|done"
    "announce route 10.0.34.0/24 next-hop $NH originator-id 1.2.3.4 cluster-list [ 1.1.1.1 2.2.2.2 ]|done"
    "announce route 10.0.36.0/24 next-hop $NH as-path [ 65010 ( 2 3 ) ]|done"
    "announce route 10.0.38.0/24 next-hop $NH name foo|done"
    "announce route 10.0.39.0/24 next-hop $NH bogus-keyword 1|error"
    "announce route 10.0.41.0/24 next-hop 10.0.41.1 next-hop 10.0.41.2|done"
    "withdraw route 10.0.20.0/24 next-hop 1.1.1.1|done"
    "announce route 10.0.42.0/24 next-hop $NH|done"
    "announce route 10.0.42.0/24 next-hop $NH med 1|done"
    "enable-ack|error"
    "announce eor|done"
    "announce eor ipv4 unicast|done"
    "announce eor ipv4|error"
    "announce eor ipv4 nonsense|error"
    "neighbor 127.0.6.6 announce eor|error"
    "announce route-refresh ipv4 unicast|done"
    "announce route-refresh|error"
    "neighbor 127.0.6.6 announce route-refresh ipv4 unicast|error"
    "announce watchdog dog|done"
    "withdraw watchdog|done"
    "version|exabgp 4.2.21;done"
    "# a comment|done"
    "flush adj-rib out|done"
    "neighbor 127.0.6.6 clear adj-rib in|done"
    "teardown|error"
    "teardown two|error"
    "teardown 2|done"
    "neighbor 127.0.6.6 teardown 2|done"
    "this is not a command|error"
    "announce|error"
)
# what BIRD must hold at the end, and what it must not
BIRD_HAS="10.0.2.0/24 10.0.3.0/24 10.0.7.0/24 10.0.8.0/24 10.0.9.0/24 10.0.11.0/24
    10.0.21.0/24 10.0.22.0/24 10.0.26.0/26 10.0.26.192/26 10.0.32.0/24 10.0.33.0/24
    10.0.34.0/24 10.0.36.0/24 10.0.38.0/24 10.0.41.0/24 10.0.42.0/24"
BIRD_NOT="10.0.0.0/24 10.0.1.0/24 10.0.4.0/24 10.0.5.0/24 10.0.10.0/24
    10.0.20.0/24 10.0.24.0/24 10.0.25.0/24 10.0.27.0/24 10.0.28.0/24 10.0.29.0/24
    10.0.39.0/24"

spk_conf() { # speaker configuration; $1: the folder of feed.py
    cat << EOC
process feed {
    run /usr/bin/python3 $1/feed.py $1;
    encoder text;
}
neighbor 127.0.6.4 {
    router-id 10.0.0.4;
    local-address $NH;
    local-as 65010;
    peer-as 65515;
    capability { route-refresh; }
    api { processes [ feed ]; }
    static { route 10.9.0.0/24 next-hop $NH watchdog dog withdraw; }
}
neighbor 127.0.6.6 {
    router-id 10.0.0.4;
    local-address $NH;
    local-as 65010;
    peer-as 65515;
}
EOC
}

# feed.py DIR: in lockstep, each command of DIR/commands after the answer
# to the one before; what comes back to DIR/record; "end" to DIR/fed.
feed_py() {
    cat << 'EOP'
import os, signal, sys, time
d = sys.argv[1]
term = []  # SIGTERM (the speaker stops its processes): leave when idle
signal.signal(signal.SIGTERM, lambda *a: term.append(1))
def idle():
    while not term:
        time.sleep(0.2)
    sys.exit(0)
if os.path.exists(os.path.join(d, "fed")):  # started again by restart
    open(os.path.join(d, "restarted"), "w").write("again\n")
    idle()
def ask(c):
    sys.stdout.write(c + "\n")
    sys.stdout.flush()
    got = []
    while True:
        l = sys.stdin.readline()
        if not l:
            return got
        got.append(l.rstrip("\n"))
        if got[-1] in ("done", "error"):
            return got
deadline = time.time() + 60
while time.time() < deadline:
    if any("established" in l for l in ask("show neighbor summary")):
        break
    time.sleep(0.3)
with open(os.path.join(d, "record"), "w") as rec:
    for c in open(os.path.join(d, "commands")):
        c = c.rstrip("\n")
        rec.write(c + "|" + ";".join(ask(c)) + "\n")
        rec.flush()
open(os.path.join(d, "fed"), "w").write("end\n")
while not os.path.exists(os.path.join(d, "go-restart")) and not term:
    time.sleep(0.2)
if not term:
    with open(os.path.join(d, "restart-record"), "w") as rec:
        rec.write("restart|" + ";".join(ask("restart")) + "\n")
idle()
EOP
}

# start_bird NAME PORT: AS 65515 on 127.0.6.4:PORT, passive, keeps all
start_bird() {
    local name=$1 port=$2 d
    ix_new_instance bird "$name" 127.0.6.4 "$port" 65515
    d=$(ix_idir "$name")
    cat > "$d/bird.conf" << EOB
router id 10.0.2.4;
log "$d/bird.log" all;
protocol device { scan time 60; }
protocol bgp nva {
  local 127.0.6.4 port $port as 65515;
  neighbor $NH as 65010;
  strict bind on; passive on; multihop;
  ipv4 { import all; export none; };
}
EOB
    bird -p -c "$d/bird.conf" || return 1
    bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/bird.ctl"
}

# start_speaker NAME PORT PROGRAM...: one speaker with feed.py
start_speaker() {
    local name=$1 port=$2 d
    shift 2
    ix_new_instance exabgp "$name" $NH "$port" 65010
    d=$(ix_idir "$name")
    printf '%s\n' "${WANT[@]}" | cut -d'|' -f1 > "$d/commands"
    feed_py > "$d/feed.py"
    spk_conf "$d" > "$d/speaker.conf"
    env exabgp.daemon.user=root exabgp.daemon.drop=false \
        exabgp.daemon.daemonize=false exabgp.tcp.bind= \
        exabgp.tcp.port="$port" exabgp.api.ack=true exabgp.api.cli=false \
        exabgp.log.destination="$d/speaker.log" \
        "$@" "$d/speaker.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
}

trap ix_cleanup EXIT
start_bird bird-exa "$PORT_EXA" || ix_die "bird for exabgp"
start_bird bird-vrs "$PORT_VRS" || ix_die "bird for vrs-speaker"
start_speaker exa "$PORT_EXA" exabgp
start_speaker vrs "$PORT_VRS" "$SPK"
ix_wait_until 90 test -s "$(ix_idir exa)/fed" || ix_die "exabgp: the process did not finish ($(tail -3 "$(ix_idir exa)/stdout.log"))"
ix_wait_until 90 test -s "$(ix_idir vrs)/fed" || ix_die "vrs-speaker: the process did not finish ($(tail -3 "$(ix_idir vrs)/stdout.log"))"

pass=0 fail=0
check() { # NAME FILE-WANT FILE-GOT
    if diff -u --label "$2" --label "$3" "$2" "$3" > "$IX_DIR/diff" 2>&1; then
        pass=$((pass + 1)); echo "ok   $1"
    else
        fail=$((fail + 1)); echo "FAIL $1"; cat "$IX_DIR/diff"
    fi
}
printf '%s\n' "${WANT[@]}" > "$IX_DIR/want"
check "vrs-speaker answers ${#WANT[@]} commands as ExaBGP does" \
    "$(ix_idir exa)/record" "$(ix_idir vrs)/record"
check "ExaBGP answers as expected" "$IX_DIR/want" "$(ix_idir exa)/record"
check "vrs-speaker answers as expected" "$IX_DIR/want" "$(ix_idir vrs)/record"

# the routes the commands left at BIRD (teardown 2 reset the sessions,
# which then come back with the Adj-RIB-Out)
for b in bird-exa bird-vrs; do
    routes() { ix_birdc "$b" show route protocol nva 2> /dev/null; }
    has_all() { local r t; t=$(routes); for r in $BIRD_HAS; do grep -q "^$r " <<< "$t" || return 1; done; }
    if ix_wait_until 30 has_all; then
        pass=$((pass + 1)); echo "ok   $b holds the $(wc -w <<< "$BIRD_HAS") routes of BIRD_HAS"
    else
        fail=$((fail + 1)); echo "FAIL $b holds the routes of BIRD_HAS"; routes
    fi
    bad=""
    for r in $BIRD_NOT; do routes | grep -q "^$r " && bad="$bad $r"; done
    if [ -z "$bad" ]; then
        pass=$((pass + 1)); echo "ok   $b has none of the $(wc -w <<< "$BIRD_NOT") routes of BIRD_NOT"
    else
        fail=$((fail + 1)); echo "FAIL $b has$bad"
    fi
done
# every route with its attributes as BIRD shows them (the time it came
# in left out): what each speaker put on the wire
attrs() { # BIRD: one line per attribute, its route in front, sorted by route
    ix_birdc "$1" show route all protocol nva 2> /dev/null |
        sed -E 's/\[nva [0-9:.]+ from/[nva from/' |
        awk '/^[0-9]/ { r = $1 } r != "" { print r "\t" $0 }' | sort -s -k1,1
}
same_attrs() {
    attrs bird-exa > "$IX_DIR/bird-exa.attrs"
    attrs bird-vrs > "$IX_DIR/bird-vrs.attrs"
    cmp -s "$IX_DIR/bird-exa.attrs" "$IX_DIR/bird-vrs.attrs"
}
ix_wait_until 10 same_attrs || true # the last UPDATEs may be on their way
grep -q "BGP.as_path" "$IX_DIR/bird-vrs.attrs" || echo "(no attributes from BIRD)" > "$IX_DIR/bird-exa.attrs"
check "BIRD holds the same $(grep -c . "$IX_DIR/bird-vrs.attrs") lines of routes and attributes from both" \
    "$IX_DIR/bird-exa.attrs" "$IX_DIR/bird-vrs.attrs"
# restart: the configuration again, the session torn down with Cease 3
# (Peer De-configured) and back, the process stopped and started again
for s in exa vrs; do
    touch "$(ix_idir $s)/go-restart"
done
for s in exa vrs; do
    if ix_wait_until 60 test -s "$(ix_idir $s)/restarted"; then
        pass=$((pass + 1)); echo "ok   $s: restart started the process again"
    else
        fail=$((fail + 1)); echo "FAIL $s: restart started the process again"
    fi
done
echo "restart|restart in progress;done" > "$IX_DIR/want-restart"
check "vrs-speaker answers restart as ExaBGP does" \
    "$(ix_idir exa)/restart-record" "$(ix_idir vrs)/restart-record"
check "restart answered as expected" "$IX_DIR/want-restart" "$(ix_idir vrs)/restart-record"
for b in bird-exa bird-vrs; do
    deconf() { ix_birdc "$b" show protocols all nva 2> /dev/null | grep -q "Last error: *Received: Peer de-configured"; }
    back() { grep -c "Received: Peer de-configured" "$(ix_idir "$b")/bird.log" | grep -q '^1$' &&
        ix_birdc "$b" show protocols nva 2> /dev/null | grep -q Established; }
    if ix_wait_until 10 deconf || ix_wait_until 1 back; then
        pass=$((pass + 1)); echo "ok   $b received Cease 6/3 (Peer De-configured)"
    else
        fail=$((fail + 1)); echo "FAIL $b received Cease 6/3"; ix_birdc "$b" show protocols all nva
    fi
    if ix_wait_until 30 back; then
        pass=$((pass + 1)); echo "ok   $b: the session is established again"
    else
        fail=$((fail + 1)); echo "FAIL $b: the session is established again"
    fi
done
# the NOTIFICATION's data as BIRD logs it (hex): ExaBGP sends the text
# alone for subcode 3, without RFC 9003's length octet
for b in bird-exa bird-vrs; do
    grep -o "Received: Peer de-configured: [0-9a-f]*" "$(ix_idir "$b")/bird.log" > "$IX_DIR/$b.cease"
done
check "the Cease 6/3 carries the same data from both" \
    "$IX_DIR/bird-exa.cease" "$IX_DIR/bird-vrs.cease"
# the routes after the restart: ExaBGP keeps the ones the API made
ix_wait_until 10 has_all > /dev/null 2>&1 || true
for b in bird-exa bird-vrs; do
    ix_birdc "$b" show route protocol nva 2> /dev/null | grep -oE '^[0-9./]+' | sort > "$IX_DIR/$b.after"
done
check "BIRD holds the same routes from both after restart" \
    "$IX_DIR/bird-exa.after" "$IX_DIR/bird-vrs.after"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
