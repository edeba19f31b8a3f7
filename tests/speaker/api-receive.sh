#!/usr/bin/env bash
# tests/speaker/api-receive.sh - what ExaBGP 4.2's API processes are told,
# beside what vrs-speaker's are told, live against BIRD.
#
# Each speaker (Debian's exabgp, then vrs-speaker) has one neighbour, a
# private BIRD (AS 65515 on 127.0.3.4, its own port, so both speakers use
# the same addresses) that exports eight routes with communities, large
# and extended communities, a prepended path, the three origins and a
# MED.  Two processes listen: one with `encoder json`, one with `encoder
# text`, from `api { neighbor-changes; receive { parsed; update; open;
# notification; refresh; } }`.  Then BIRD's configuration changes (a
# route withdrawn, one added), BIRD asks for the routes again (`reload
# in`: a ROUTE-REFRESH), and the protocol is disabled (Cease 6/2).  Not
# with a shutdown message (RFC 9003): ExaBGP 4.2.21 cannot decode that
# NOTIFICATION (its Python 3 formats bytes with a str) and answers 1/0.  The test passes when each process of
# vrs-speaker got what ExaBGP's got, line for line, up to that Cease's
# "down" (after it, reconnection attempts depend on timing): the JSON
# with time, pid and ppid left out, the text exactly (its empty lines
# included); when every JSON line parses; and when, stopped by SIGTERM,
# both write the same last line ("shutdown") to each process.
#
# MODE (the first argument) names the api block's receive and send
# parts; in the last two each speaker also announces 10.2.0.0/24, so
# there is something sent to tell:
#   parsed       signal, receive { parsed; update; open; notification;
#                refresh; } (the default; nothing sent is told; a
#                SIGUSR1, a reload that changes nothing, is told)
#   packets      receive { packets; ... keepalive; } and send { parsed;
#                packets; ... }: the raw messages of both directions,
#                and what was sent decoded as well
#   consolidate  negotiated, fsm, receive { consolidate; ... } and send {
#                consolidate; packets; ... }: decoded, with the raw
#                message beside, and what the OPENs negotiated
# In the last two the record is compared a direction at a time, and
# without ExaBGP's per-neighbour counter: which is told first of a sent
# and a received message depends on timing.  There the speakers do not
# offer route refresh, and BIRD is not asked for one: ExaBGP 4.2.21's
# answer to an enhanced one (RFC 7313, which BIRD always offers beside
# RFC 2918) resets its session ("'RouteRefresh' object is not
# iterable") when it has routes.  In the parsed mode (no routes) BIRD's log
# must show vrs-speaker's answer framed by BoRR and EoRR.
#
#   tests/speaker/api-receive.sh [MODE]   (VRS_BIN: the folder of vrs-speaker)
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

MODE=${1:-parsed}
case $MODE in
parsed)
    M=0
    API='signal; receive { parsed; update; open; notification; refresh; }' ;;
packets)
    M=1
    API='receive { packets; open; update; notification; keepalive; refresh; }
        send { parsed; packets; open; update; notification; keepalive; }' ;;
consolidate)
    M=2
    API='negotiated; fsm;
        receive { consolidate; open; update; notification; keepalive; refresh; }
        send { consolidate; packets; open; update; notification; keepalive; }' ;;
*) ix_die "unknown mode $MODE (parsed, packets or consolidate)" ;;
esac
# what each step waits for in the JSON (received: decoded or raw), and
# what the record must hold
RCV='"direction": "receive", "message": '
if [ $M = 1 ]; then
    W_EOR="$RCV"'{ "category": 2, "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702", "body": "0x00000000"'
    W_NEW='180A0107'
    MUST=('"type": "open"' '"type": "keepalive"' '"direction": "send", "message": { "category": 2'
        '"direction": "send", "message": { "update"' '"direction": "send", "message": { "eor"')
else
    W_EOR="$RCV"'{ "eor"' W_NEW='10.1.7.0/24' W_RR='"route-refresh"'
    MUST=('"type": "open"' '"eor"' '"withdraw"')
    [ $M = 0 ] && MUST+=('"route-refresh"' '"type": "signal", .*"code": "10", "name": "SIGUSR1"')
    [ $M = 2 ] && MUST+=('"type": "keepalive", "header"' '"direction": "send", "message": { "update"'
        '"type": "negotiated"' '"message": { "update": .*, "negotiated": { "message_size"'
        '"type": "fsm", .*"state": "OPENCONFIRM"')
fi
MUST+=('"state": "connected"' '"state": "up"' '"type": "notification"' '"state": "down"')
# each mode its own addresses, so that they can run at the same time
BASE=$((28000 + ($$ % 1000) * 2))
PEER=127.0.3.$((4 + 2 * M))
NH=127.0.3.$((5 + 2 * M))

bird_conf() { # DIR PORT PHASE: phase 2 withdraws 10.1.9.0/24, adds 10.1.7.0/24
    cat << EOB
router id 10.0.3.4;
log "$1/bird.log" all;
protocol device { scan time 60; }
protocol static s4 {
  ipv4;
  route 10.1.0.0/24 blackhole { bgp_community.add((65000,1)); bgp_community.add((65535,65281)); bgp_med = 5; };
  route 10.1.1.0/24 blackhole { bgp_large_community.add((65000,1,2)); bgp_ext_community.add((rt, 65000, 7)); };
  route 10.1.2.0/24 blackhole { bgp_path.prepend(64999); bgp_path.prepend(64998); bgp_origin = ORIGIN_INCOMPLETE; };
  route 10.1.3.0/24 blackhole { bgp_origin = ORIGIN_EGP; };
  route 10.1.4.0/24 blackhole;
  route 10.1.6.0/25 blackhole;
  route 10.1.6.128/25 blackhole;
$([ "$3" = 2 ] && echo '  route 10.1.7.0/24 blackhole { bgp_med = 9; };')
$([ "$3" = 1 ] && echo '  route 10.1.9.0/24 blackhole;')
}
protocol bgp nva {
  local $PEER port $2 as 65515;
  neighbor $NH as 65010;
  strict bind on; passive on; multihop;
$([ $M = 0 ] && echo '  debug { packets };')
  ipv4 { import all; export all; next hop self; };
}
EOB
}

start_bird() { # NAME PORT
    local d
    ix_new_instance bird "$1" $PEER "$2" 65515
    d=$(ix_idir "$1")
    bird_conf "$d" "$2" 1 > "$d/bird.conf"
    bird -p -c "$d/bird.conf" || return 1
    bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$1" $!
    ix_wait_until 10 test -S "$d/bird.ctl"
}

start_speaker() { # NAME PORT PROGRAM...
    local name=$1 port=$2 d
    shift 2
    ix_new_instance exabgp "$name" $NH "$port" 65010
    d=$(ix_idir "$name")
    cat > "$d/speaker.conf" << EOC
process mon-json {
    run /bin/sh -c 'cat > $d/json.out';
    encoder json;
}
process mon-text {
    run /bin/sh -c 'cat > $d/text.out';
    encoder text;
}
neighbor $PEER {
    router-id 10.0.3.5;
    local-address $NH;
    local-as 65010;
    peer-as 65515;
    $([ $M = 0 ] && echo 'capability { route-refresh; }')
    api {
        processes [ mon-json, mon-text ];
        neighbor-changes;
        $API
    }
    $([ $M = 0 ] || echo 'static { route 10.2.0.0/24 next-hop self; }')
}
EOC
    env exabgp.daemon.user=root exabgp.daemon.drop=false \
        exabgp.daemon.daemonize=false exabgp.tcp.bind= \
        exabgp.tcp.port="$port" exabgp.api.cli=false \
        exabgp.log.destination="$d/speaker.log" \
        "$@" "$d/speaker.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
}

trap ix_cleanup EXIT
start_bird bird-exa "$BASE" || ix_die "bird for exabgp"
start_bird bird-vrs $((BASE + 1)) || ix_die "bird for vrs-speaker"
start_speaker exa "$BASE" exabgp
start_speaker vrs $((BASE + 1)) "$SPK"

# each step waits until both speakers' JSON processes saw its effect
both_have() { # PATTERN: every speaker's json.out has it
    local s
    for s in exa vrs; do grep -q "$1" "$(ix_idir $s)/json.out" 2> /dev/null || return 1; done
}
ix_wait_until 20 both_have "$W_EOR" || { for s in exa vrs; do grep update "$(ix_idir $s)/json.out" | cut -c260-900; cut -c1-250 "$(ix_idir $s)/json.out"; tail -n 5 "$(ix_idir $s)/speaker.log"; done; ix_die "the routes and End-of-RIB did not arrive"; }
for b in bird-exa bird-vrs; do
    p=$BASE; [ $b = bird-vrs ] && p=$((BASE + 1))
    bird_conf "$(ix_idir $b)" $p 2 > "$(ix_idir $b)/bird.conf"
    ix_birdc $b configure > /dev/null
done
ix_wait_until 30 both_have "$W_NEW" || ix_die "the new route did not arrive"
if [ $M = 0 ]; then # signal: a reload (nothing changed), told first
    for s in exa vrs; do kill -USR1 "$(ix_get $s pid)"; done
    ix_wait_until 20 both_have '"type": "signal"' || ix_die "the signal was not told"
fi
if [ $M = 0 ]; then
    for b in bird-exa bird-vrs; do ix_birdc $b reload in nva > /dev/null; done
    ix_wait_until 30 both_have "$W_RR" || ix_die "the ROUTE-REFRESH was not told"
    # vrs-speaker's answer: BoRR, the route, EoRR
    ix_wait_until 10 grep -q 'Got END-OF-RR' "$(ix_idir bird-vrs)/bird.log" || true
fi
for b in bird-exa bird-vrs; do ix_birdc $b disable nva > /dev/null; done
ix_wait_until 30 both_have '"state": "down"' || ix_die "the session did not go down"
sleep 0.5

pass=0 fail=0
check() { # NAME FILE-WANT FILE-GOT
    if diff -u --label "exabgp: $2" --label "vrs-speaker: $3" "$2" "$3" > "$IX_DIR/diff" 2>&1; then
        pass=$((pass + 1)); echo "ok   $1"
    else
        fail=$((fail + 1)); echo "FAIL $1"; cat "$IX_DIR/diff"
    fi
}
# up to the first "down", time, pid and ppid left out; ExaBGP's
# route-refresh quotes its strings twice ("afi": ""ipv4"", not JSON),
# vrs-speaker once: compared as once
upto_down_json() {
    sed -E 's/"time": [0-9.]+/"time": T/; s/"pid" : [0-9]+/"pid" : P/; s/"ppid" : [0-9]+/"ppid" : P/
        s/""([a-z0-9-]+)""/"\1"/g' "$1" |
        awk '{ print } /"state": "down"/ { exit }'
}
upto_down_text() { awk '{ print } / down - / { getline; print; exit }' "$1"; }
for s in exa vrs; do
    upto_down_json "$(ix_idir $s)/json.out" > "$IX_DIR/$s.json"
    upto_down_text "$(ix_idir $s)/text.out" > "$IX_DIR/$s.text"
done
if [ "$M" = 0 ]; then
    check "JSON: $(wc -l < "$IX_DIR/exa.json") messages as ExaBGP's" "$IX_DIR/exa.json" "$IX_DIR/vrs.json"
    check "text: $(wc -l < "$IX_DIR/exa.text") lines as ExaBGP's" "$IX_DIR/exa.text" "$IX_DIR/vrs.text"
else
    for dir in receive send; do
        for s in exa vrs; do
            grep -v '"direction": "'$([ $dir = send ] && echo receive || echo send)'"' "$IX_DIR/$s.json" |
                sed -E 's/"counter": [0-9]+/"counter": N/' > "$IX_DIR/$s.$dir.json"
            # an UPDATE's " header ..." line is its block's direction
            awk -v d=$dir '/^neighbor / { cur = $3 } cur == d && /^(neighbor | header )/' "$IX_DIR/$s.text" |
                cat > "$IX_DIR/$s.$dir.text"
        done
        check "JSON, $dir: $(wc -l < "$IX_DIR/exa.$dir.json") messages as ExaBGP's" \
            "$IX_DIR/exa.$dir.json" "$IX_DIR/vrs.$dir.json"
        check "text, $dir: $(wc -l < "$IX_DIR/exa.$dir.text") lines as ExaBGP's" \
            "$IX_DIR/exa.$dir.text" "$IX_DIR/vrs.$dir.text"
    done
fi
if python3 -c 'import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$(ix_idir vrs)/json.out" 2> "$IX_DIR/json.err"; then
    pass=$((pass + 1)); echo "ok   every JSON line of vrs-speaker parses"
else
    fail=$((fail + 1)); echo "FAIL every JSON line of vrs-speaker parses"; cat "$IX_DIR/json.err"
fi
# what the record must hold, so that equal records mean something
for w in "${MUST[@]}"; do
    if grep -q "$w" "$IX_DIR/vrs.json" 2> /dev/null; then
        pass=$((pass + 1)); echo "ok   vrs-speaker told $w"
    else
        fail=$((fail + 1)); echo "FAIL vrs-speaker told $w"
    fi
done
if [ $M = 0 ]; then # RFC 7313 4: the answer to BIRD's refresh, framed
    for w in 'Got BEGIN-OF-RR' 'Got END-OF-RR'; do
        if grep -q "$w" "$(ix_idir bird-vrs)/bird.log"; then
            pass=$((pass + 1)); echo "ok   BIRD: $w from vrs-speaker"
        else
            fail=$((fail + 1)); echo "FAIL BIRD: $w from vrs-speaker"
        fi
    done
fi
# stopped (SIGTERM): each process is told "shutdown" last
for s in exa vrs; do kill -TERM "$(ix_get $s pid)" 2> /dev/null; done
for s in exa vrs; do ix_wait_until 20 ix_pid_gone "$(ix_get $s pid)" || true; done
sleep 0.3
for s in exa vrs; do
    grep . "$(ix_idir $s)/json.out" | tail -n 1 |
        sed -E 's/"time": [0-9.]+/"time": T/; s/"pid" : [0-9]+/"pid" : P/; s/"ppid" : [0-9]+/"ppid" : P/' > "$IX_DIR/$s.last"
    grep . "$(ix_idir $s)/text.out" | tail -n 1 | sed -E 's/^shutdown [0-9]+ [0-9]+$/shutdown PID PPID/' >> "$IX_DIR/$s.last"
done
check "stopped: the last JSON and text lines as ExaBGP's ($(tail -n 1 "$IX_DIR/exa.last"))" \
    "$IX_DIR/exa.last" "$IX_DIR/vrs.last"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
