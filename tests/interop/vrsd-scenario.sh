# shellcheck shell=bash
# tests/interop/vrsd-scenario.sh - the vrsd interop scenario, shared by
# vrsd-bird.sh, vrsd-frr.sh, vrsd-gobgp.sh, vrsd-openbgpd.sh, vrsd-exabgp.sh.
#
# The calling script sets, then sources this file (which sources lib.sh):
#   D       daemon kind (bird, frr, gobgp, openbgpd, exabgp)
#   C       base third octet: instances live on 127.0.C+k.1 (k = 0..7)
#   P       BGP port of every instance of this test (unique per test)
#   NO4     1 if D can be a 2-octet-only speaker (lib.sh no4byte)
#   NH4     "doc" when D rejects 127/8 IPv4 next hops (gobgpd)
# and defines d2_refresh NAME PEER_ADDR (ask D to send ROUTE-REFRESH).
# REFRESH_IN / REFRESH_OUT, when set, say why D cannot answer / send a
# ROUTE-REFRESH; the checks that need it are then skipped.
#
# Topology (vrsd is transparent: AS_PATH, NEXT_HOP, MED, communities are
# passed unchanged, nothing goes back to its source):
#   rs  127.0.C.1   AS65000, vrsd passive: d1 (AS65001) and d2 (AS65002) connect
#   rs2 127.0.C+5.1 AS65000, vrsd active:  d3 (AS65003), d4 (AS65004) passive;
#                   passive again for d5 (AS4200000001) and d6 (AS65006,
#                   2-octet only when NO4=1)
# Every check prints "ok   what" or "FAIL what"; the script ends with
# "N passed, N failed" and exits 1 if any failed.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

PASS=0 FAIL=0
T0=$(ix_now_ms)
RS=127.0.$C.1 RS2=127.0.$((C + 5)).1
A1=127.0.$((C + 1)).1 A2=127.0.$((C + 2)).1 A3=127.0.$((C + 3)).1
A4=127.0.$((C + 4)).1 A5=127.0.$((C + 6)).1 A6=127.0.$((C + 7)).1
export IX_GOBGP_API_PORT=$((P - 128))
# d6 is 2-octet only where D allows it (lib.sh no4byte), else a plain
# 4-octet-capable peer of the 4-octet-AS d5
if [ "$NO4" = 1 ]; then D6KIND=2-octet-only; else D6KIND=4-octet-capable; fi
echo '{}' > "$IX_DIR/none.json"

# check WHAT CMD...: run one check, count it
check() {
    local what=$1; shift
    if "$@"; then
        echo "ok   $what"; PASS=$((PASS + 1))
    else
        echo "FAIL $what"; FAIL=$((FAIL + 1)); return 1
    fi
}
# finish: the summary line and the exit status
finish() {
    echo "timings (daemon start -> Established):"
    sed 's/^/  /' "$IX_DIR/timings" 2>/dev/null
    echo "$D scenario took $(( $(ix_now_ms) - T0 )) ms"
    if [ "$FAIL" -gt 0 ]; then
        echo "vrsd logs (-d):"
        for n in rs rs2; do
            [ -f "$IX_DIR/$n/vrsd.log" ] && sed "s/^/  $n: /" "$IX_DIR/$n/vrsd.log" | tail -80
        done
    fi
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" = 0 ]
    exit $?
}
# fatal WHAT: a step without which the rest is meaningless
fatal() { echo "FAIL $1"; FAIL=$((FAIL + 1)); finish; }

# spec_for FILE: drop what D cannot originate (lib.sh README table)
spec_for() {
    case $D in
        exabgp) ;;
        gobgp) sed -i '/unknown=/d; s/ ext=[^ ]*//' "$1" ;;
        *) sed -i '/unknown=/d' "$1" ;;
    esac
}

# vrs_view_want WANT_JSON PREFIX PEER: vrsd's `routes PREFIX` entry for
# PEER's path, computed from the normalised expectation
vrs_view_want() {
    jq --arg p "$2" --arg peer "$3" '[.[$p] | {prefix: $p, peer: $peer,
        nextHop: .next_hop, asPath: .as_path, origin: .origin,
        communities: .communities} + (if .med == null then {} else {med: .med} end)]' "$1"
}
# vrs_view NAME PREFIX PEER: vrsd's own view of PEER's path for PREFIX
vrs_view() {
    vrs_routes "$1" "$2" | jq --arg peer "$3" \
        '[.[] | select(.peer == $peer) | del(.best, .ecmp, .localPref, .pathId)]'
}
# rs2_skip WHAT: true (and says so) when the rs2 daemons did not all start
rs2_skip() { [ "$RS2_UP" = 1 ] && return 1; echo "skip $1: the rs2 daemons did not all start"; }
# counter FIELD of vrsd peer
counter() { vrs_peer "$1" "$2" "$3"; }
vrs_quiet() { ix_vrs "$@" > "$IX_DIR/vrs.out" 2>&1 || { cat "$IX_DIR/vrs.out"; return 1; }; }

# ------------------------------------------------------------- start
start_all() {
    local rs2n=("$A3,$P,65003,name=d3,active" "$A4,$P,65004,name=d4,active")
    local no4=; [ "$NO4" = 1 ] && no4=,no4byte
    rs2n+=("$A5,$P,4200000001,name=d5" "$A6,$P,65006,name=d6")
    start_vrsd rs "$RS" "$P" 65000 "$A1,$P,65001,name=d1" "$A2,$P,65002,name=d2" ||
        fatal "start vrsd rs"
    start_vrsd rs2 "$RS2" "$P" 65000 "${rs2n[@]}" || fatal "start vrsd rs2"
    IX_NH4=$NH4 start_daemon "$D" d1 "$A1" "$P" 65001 "$RS,$P,65000,rs" || fatal "start d1"
    IX_NH4=$NH4 start_daemon "$D" d2 "$A2" "$P" 65002 "$RS,$P,65000,rs" || fatal "start d2"
    # the rs2 side is not fatal: without it only its steps are skipped
    RS2_UP=1
    check "start $D d3" eval 'IX_NH4=$NH4 start_daemon "$D" d3 "$A3" "$P" 65003 "$RS2,$P,65000,passive,rs"' || RS2_UP=0
    check "start $D d4" eval 'IX_NH4=$NH4 start_daemon "$D" d4 "$A4" "$P" 65004 "$RS2,$P,65000,passive,rs"' || RS2_UP=0
    check "start $D d5" eval 'IX_NH4=$NH4 start_daemon "$D" d5 "$A5" "$P" 4200000001 "$RS2,$P,65000,rs"' || RS2_UP=0
    check "start $D d6" eval 'IX_NH4=$NH4 start_daemon "$D" d6 "$A6" "$P" 65006 "$RS2,$P,65000,rs$no4"' || RS2_UP=0
}

# ------------------------------------------------------------- 1. sessions
step_sessions() {
    check "vrsd passive: rs sees d1 Established" wait_established vrsd rs d1 60
    check "vrsd passive: rs sees d2 Established" wait_established vrsd rs d2 60
    check "vrsd passive: $D d1 sees rs Established" wait_established "$D" d1 "$RS" 30
    check "vrsd passive: $D d2 sees rs Established" wait_established "$D" d2 "$RS" 30
    rs2_skip "the vrsd-active sessions" && return 0
    check "vrsd active: rs2 sees d3 Established" wait_established vrsd rs2 d3 60
    check "vrsd active: rs2 sees d4 Established" wait_established vrsd rs2 d4 60
    check "vrsd active: $D d3 sees rs2 Established" wait_established "$D" d3 "$RS2" 30
    check "vrsd active: $D d4 sees rs2 Established" wait_established "$D" d4 "$RS2" 30
    check "vrs peers: d1 passive, d3 active" \
        test "$(vrs_peer rs d1 passive)/$(vrs_peer rs2 d3 passive)" = "true/false"
    # The first session vrsd opens must come up cleanly: no NOTIFICATION
    # exchanged before Established (see the report on the Connect/OPEN race).
    check "vrsd active: d3, d4 came up without a NOTIFICATION" \
        test -z "$(vrs_peer rs2 d3 lastError)$(vrs_peer rs2 d4 lastError)"
    check "4-octet: rs2 sees d5 (AS4200000001) Established" wait_established vrsd rs2 d5 60
    check "4-octet: rs2 sees d6 ($D6KIND) Established" wait_established vrsd rs2 d6 60
    check "4-octet: $D d5 sees rs2 Established" wait_established "$D" d5 "$RS2" 30
    check "4-octet: $D d6 sees rs2 Established" wait_established "$D" d6 "$RS2" 30
}

# ------------------------------------------------------------- 2. routes
step_routes() {
    local o=$((C + 1))
    cat > "$IX_DIR/d1.spec" <<E
# originated by d1 (AS65001)
10.$o.1.0/24 prepend=2 med=10 origin=incomplete comm=65001:1,65001:2 ext=rt:65001:100,soo:65001:200 large=65001:1:2
10.$o.2.0/24
10.$o.3.0/24 med=30 comm=65001:3 unknown=0x63:0xc0:deadbeef
10.$o.4.0/24 med=40 comm=65001:4 large=65001:4:4
2001:db8:$o::/48 med=20 origin=egp comm=65001:3 large=65001:3:4 ext=rt:65001:7
2001:db8:$o:1::/64 prepend=1 origin=incomplete comm=65001:4
E
    cat > "$IX_DIR/d2.spec" <<E
# originated by d2 (AS65002)
10.$((C + 2)).1.0/24 prepend=1 med=5 comm=65002:1 ext=rt:65002:100 large=65002:1:2
2001:db8:$((C + 2))::/48 large=65002:3:4 origin=egp
E
    spec_for "$IX_DIR/d1.spec"; spec_for "$IX_DIR/d2.spec"
    check "d1 announces" announce_routes d1 "$IX_DIR/d1.spec"
    check "d2 announces" announce_routes d2 "$IX_DIR/d2.spec"
    expected_routes "$IX_DIR/d1.spec" d1 > "$IX_DIR/want_d2.json"
    expected_routes "$IX_DIR/d2.spec" d2 > "$IX_DIR/want_d1.json"
    check "d2 receives d1's routes through vrsd, attributes intact" \
        expect_routes 30 "$IX_DIR/want_d2.json" "$D" d2
    check "d1 receives d2's routes, never its own back" \
        expect_routes 30 "$IX_DIR/want_d1.json" "$D" d1
    vrs_view_want "$IX_DIR/want_d2.json" "10.$o.1.0/24" d1 > "$IX_DIR/vrs_want.json"
    check "vrs routes 10.$o.1.0/24: d1's path as sent" \
        expect_json 10 "$IX_DIR/vrs_want.json" vrs_view rs "10.$o.1.0/24" d1
    vrs_view_want "$IX_DIR/want_d2.json" "2001:db8:$o::/48" d1 > "$IX_DIR/vrs_want6.json"
    check "vrs routes 2001:db8:$o::/48: d1's path as sent" \
        expect_json 10 "$IX_DIR/vrs_want6.json" vrs_view rs "2001:db8:$o::/48" d1
    check "vrs routes --peer d1 --advertised: none of d1's own prefixes" \
        ix_wait_until 5 no_own_prefixes_to_d1
    check "vrs peers: d1 prefixesReceived = $(grep -c '^[0-9]' "$IX_DIR/d1.spec")" \
        ix_wait_until 10 test "$(counter rs d1 prefixesReceived)" = "$(grep -c '^[0-9]' "$IX_DIR/d1.spec")"
    # the same through the active vrsd
    rs2_skip "routes through the active vrsd" && return 0
    sed "s/^10\.$o\./10.$((C + 3))./; s/^2001:db8:$o:/2001:db8:$((C + 3)):/; s/6500[1]/65003/g" \
        "$IX_DIR/d1.spec" > "$IX_DIR/d3.spec"
    expected_routes "$IX_DIR/d3.spec" d3 > "$IX_DIR/want_d4.json"
    check "d3 announces" announce_routes d3 "$IX_DIR/d3.spec"
    check "vrsd active: d4 receives d3's routes intact" expect_routes 30 "$IX_DIR/want_d4.json" "$D" d4
    check "d3 withdraws everything" withdraw_routes d3
    check "vrsd active: d4 sees them all withdrawn" expect_routes 30 "$IX_DIR/none.json" "$D" d4
}
no_own_prefixes_to_d1() {
    local n
    n=$(vrs_routes rs --peer d1 --advertised | jq --arg o "10.$((C + 1))." --arg o6 "2001:db8:$((C + 1)):" \
        '[.[] | select(.prefix | startswith($o) or startswith($o6))] | length')
    [ "$n" = 0 ]
}

# ------------------------------------------------------------- 3. withdraw
step_withdraw() {
    local o=$((C + 1))
    # explicit withdrawal of 10.o.2.0/24
    grep -v "^10\.$o\.2\.0/24" "$IX_DIR/d1.spec" > "$IX_DIR/d1b.spec"
    check "d1 withdraws 10.$o.2.0/24" announce_routes d1 "$IX_DIR/d1b.spec"
    expected_routes "$IX_DIR/d1b.spec" d1 > "$IX_DIR/want_d2b.json"
    check "withdrawal: 10.$o.2.0/24 gone at d2, the rest unchanged" \
        expect_routes 30 "$IX_DIR/want_d2b.json" "$D" d2
    # implicit withdrawal: new MED and communities on 10.o.4.0/24
    sed "s|^10\.$o\.4\.0/24 .*|10.$o.4.0/24 med=44 comm=65001:44,65001:45 large=65001:4:5|" \
        "$IX_DIR/d1b.spec" > "$IX_DIR/d1c.spec"
    check "d1 re-announces 10.$o.4.0/24 with MED 44, new communities" \
        announce_routes d1 "$IX_DIR/d1c.spec"
    expected_routes "$IX_DIR/d1c.spec" d1 > "$IX_DIR/want_d2c.json"
    check "implicit withdraw: d2 sees the new attributes of 10.$o.4.0/24" \
        expect_routes 30 "$IX_DIR/want_d2c.json" "$D" d2
    cp "$IX_DIR/want_d2c.json" "$IX_DIR/want_d2.json"
}

# ------------------------------------------------------------- 4. 4-octet ASNs
step_as4() {
    local o=$((C + 6))
    rs2_skip "4-octet ASNs" && return 0
    cat > "$IX_DIR/d5.spec" <<E
10.$o.1.0/24 prepend=1 med=7 comm=65001:5 large=4200000001:1:2
2001:db8:$o::/48 origin=egp comm=65001:6
E
    printf '10.%s.1.0/24 med=8 comm=65006:1\n' "$((C + 7))" > "$IX_DIR/d6.spec"
    spec_for "$IX_DIR/d5.spec"
    check "d5 (AS4200000001) announces" announce_routes d5 "$IX_DIR/d5.spec"
    check "d6 ($D6KIND) announces" announce_routes d6 "$IX_DIR/d6.spec"
    expected_routes "$IX_DIR/d5.spec" d5 > "$IX_DIR/want_d6.json"
    # a 2-octet d6 gets AS_PATH 23456 23456 + AS4_PATH 4200000001 4200000001
    # and shows the real path; nothing else is lost
    check "$D6KIND d6 sees d5's real 4-octet AS path, all attributes" \
        expect_routes 30 "$IX_DIR/want_d6.json" "$D" d6
    # d4 (4-octet capable) sees d5's routes too, and d6's with AS 65006
    jq -s '.[0] + .[1]' "$IX_DIR/want_d6.json" <(expected_routes "$IX_DIR/d6.spec" d6) > "$IX_DIR/want_d4b.json"
    check "4-octet d4 sees d5's and d6's routes" expect_routes 30 "$IX_DIR/want_d4b.json" "$D" d4
    expected_routes "$IX_DIR/d6.spec" d6 > "$IX_DIR/want_d5.json"
    jq '.[0].asPath' <(vrs_view rs2 "10.$o.1.0/24" d5) > "$IX_DIR/as4.got" 2>/dev/null
    check "vrs routes 10.$o.1.0/24: asPath [4200000001, 4200000001]" \
        test "$(jq -c . "$IX_DIR/as4.got" 2>/dev/null)" = "[4200000001,4200000001]"
    check "d5 sees d6's route" expect_routes 30 "$IX_DIR/want_d5.json" "$D" d5
}

# ------------------------------------------------------------- 5. restart
step_restart() {
    check "d1 stopped" stop_daemon d1
    check "peer restart: d1's routes withdrawn at d2" expect_routes 30 "$IX_DIR/none.json" "$D" d2
    check "vrs peers: d1 no longer Established" ix_wait_until 10 not_established rs d1
    check "d1 started again" restart_daemon d1
    check "rs sees d1 Established again" wait_established vrsd rs d1 60
    check "peer restart: d2 re-learns d1's routes" expect_routes 40 "$IX_DIR/want_d2.json" "$D" d2
}
not_established() { [ "$(vrs_peer "$1" "$2" state)" != Established ]; }

# ------------------------------------------------------------- 6. refresh
step_refresh() {
    local u s o
    # let the initial exchange settle so that counters only move on refresh
    ix_wait_until 10 counters_stable rs d1 updatesIn
    u=$(counter rs d1 updatesIn)
    check "vrs peer refresh d1" vrs_quiet rs peer refresh d1
    if [ "${REFRESH_IN:-1}" = 1 ]; then
        check "refresh: d1 re-sends (updatesIn $u grows)" ix_wait_until 20 vrs_counter_above rs d1 updatesIn "$u"
    else
        echo "skip refresh: d1 re-sends: $REFRESH_IN"
    fi
    check "refresh: d2's routes unchanged" expect_routes 10 "$IX_DIR/want_d2.json" "$D" d2
    ix_wait_until 10 counters_stable rs d2 updatesOut
    o=$(counter rs d2 updatesOut); s=$(counter rs d2 prefixesSent)
    check "$D d2 asks vrsd for a route refresh" d2_refresh d2 "$RS"
    if [ -n "${REFRESH_OUT:-}" ]; then
        echo "skip refresh from d2: $REFRESH_OUT"
        return 0
    fi
    check "refresh from d2: vrsd re-sends (updatesOut $o grows)" \
        ix_wait_until 20 vrs_counter_above rs d2 updatesOut "$o"
    check "refresh from d2: prefixesSent $s grows" ix_wait_until 20 vrs_counter_above rs d2 prefixesSent "$s"
    check "refresh from d2: d2's routes unchanged" expect_routes 10 "$IX_DIR/want_d2.json" "$D" d2
}
# counters_stable NAME PEER FIELD: the same value 1 s apart (a poll step)
counters_stable() {
    local a b
    a=$(counter "$1" "$2" "$3"); sleep 1; b=$(counter "$1" "$2" "$3")
    [ -n "$a" ] && [ "$a" = "$b" ]
}

# ------------------------------------------------------------- end
step_end() {
    check "sessions still Established at the end" sessions_up
    check "vrsd rs still running" ix_alive rs
    check "vrsd rs2 still running" ix_alive rs2
}
sessions_up() {
    local n
    for n in d1 d2; do ix_is_established vrsd rs "$n" || return 1; done
    [ "$RS2_UP" = 1 ] || return 0
    for n in d3 d4; do ix_is_established vrsd rs2 "$n" || return 1; done
}

run_scenario() {
    start_all
    step_sessions
    step_routes
    step_withdraw
    step_as4
    step_restart
    step_refresh
    step_end
}
