#!/usr/bin/env bash
# tests/speaker/cli-compare.sh - ExaBGP 4.2's CLI beside `vrs-speaker cli`, live.
#
# Starts two private BIRD instances (the two ARS instances of the reference
# lab, AS 65515, on 127.0.2.4 and 127.0.2.5), Debian's exabgp and
# vrs-speaker, both running the reference lab's nva.conf with its addresses
# mapped to loopback (10.x.y.z -> 127.x.y.z); each BIRD listens on its own
# port, so the two speakers use identical addresses.  Every command of
# COMMANDS runs through `exabgpcli` and through `vrs-speaker cli`; the
# outputs are compared line by line after normalising time-dependent
# fields.  Prints "N passed, N failed"; exit 0 when none failed.
#
#   tests/speaker/cli-compare.sh            compare live
#   tests/speaker/cli-compare.sh --golden   (re)write tests/speaker/cli/*.out
#                                           from exabgp alone
# Only 127.0.0.0/8 addresses and high ports; stops only its own pids.
# The pipes are made in /run/exabgp/ under names unique to the run
# (exabgp.api.pipename) and removed at exit.  LVL=DEBUG and EXTRA_ENV
# ("exabgp.log.all=true") make exabgp's log ($IX_DIR/exa) verbose.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
ix_init
GOLDEN=0
[ "${1:-}" = --golden ] && GOLDEN=1
SPK=$VRS_BIN/vrs-speaker
ix_need exabgp exabgp
ix_need bird bird2
[ -x "$SPK" ] || [ $GOLDEN = 1 ] || ix_die "no vrs-speaker in $VRS_BIN (build first)"

BASE=$(( 20000 + ($$ % 4000) * 4 ))
PORT_EXA=$BASE
PORT_VRS=$((BASE + 1))
TAG=vrs-cli-$$
PIPE_EXA=$TAG-exa
PIPE_VRS=$TAG-vrs
RUNDIR=/run/exabgp/
[ -d $RUNDIR ] && [ -w $RUNDIR ] || ix_die "$RUNDIR missing or not writable"

# The commands, in order (the route commands change what later ones show).
COMMANDS=(
    "help"
    "show neighbor"
    "show neighbor summary"
    "show neighbor extensive"
    "show neighbor configuration"
    "show adj-rib in"
    "show adj-rib in extensive"
    "show adj-rib out"
    "show adj-rib out extensive"
    "announce route 172.16.0.0/24 next-hop 10.0.0.4 community [65010:3]"
    "show adj-rib out"
    "withdraw route 172.16.0.0/24 next-hop 10.0.0.4"
    "announce attributes next-hop 10.0.0.4 as-path [ 65010 65010 ] nlri 172.16.1.0/24 172.16.2.0/24"
    "show adj-rib out extensive"
    "announce eor"
    "flush adj-rib out"
    "show adj-rib in extensive"
    "clear adj-rib"
    "show adj-rib out"
    "teardown 2"
)

nva_conf() { # the reference lab's nva.conf, 10.0.2.x/10.0.0.4 -> 127.0.2.x/127.0.0.4
    local n
    for n in 127.0.2.4 127.0.2.5; do
        cat <<EOC
neighbor $n {
  router-id 10.0.0.4;
  local-address 127.0.0.4;
  local-as 65010;
  peer-as 65515;
  static {
    route 192.168.10.0/24 next-hop 10.0.0.4;
    route 192.168.1.0/24 next-hop 10.0.0.4 community [65010:2];
    route 10.1.0.0/16 next-hop 10.0.0.4;
    route 10.10.0.0/16 next-hop 10.0.0.4;
    route 0.0.0.0/0 next-hop 10.0.0.4;
  }
}
EOC
    done
}

# start_ars NAME ADDR PORT: a BIRD as one ARS instance (AS 65515) on
# ADDR:PORT, announcing the hub and spoke1 (AS path 65515) and an
# on-premises route (65515 65510 65501, community 65517:65517).  One
# process per instance: a BIRD matches an incoming connection by the
# neighbour's address alone.
start_ars() {
    local name=$1 addr=$2 port=$3 d
    ix_new_instance bird "$name" "$addr" "$port" 65515
    d=$(ix_idir "$name")
    {
        echo "router id ${addr/127./10.};"
        echo "log \"$d/bird.log\" all;"
        echo "protocol device { scan time 60; }"
        echo "protocol static ars { ipv4;"
        echo "  route 10.0.0.0/16 blackhole; route 10.1.0.0/16 blackhole;"
        echo "  route 192.168.2.0/24 blackhole; }"
        echo "filter ars_out {"
        echo "  if proto != \"ars\" then reject;"
        echo "  if net = 192.168.2.0/24 then {"
        echo "    bgp_path.prepend(65501); bgp_path.prepend(65510);"
        echo "    bgp_community.add((65517,65517)); }"
        echo "  accept;"
        echo "}"
        echo "protocol bgp nva {"
        echo "  local $addr port $port as 65515;"
        echo "  neighbor 127.0.0.4 as 65010;"
        echo "  strict bind on; passive on; multihop;"
        echo "  ipv4 { import all; export filter ars_out; next hop self; };"
        echo "}"
    } > "$d/bird.conf"
    bird -p -c "$d/bird.conf" || return 1
    bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/bird.ctl"
}

# Environment shared by both speakers (ExaBGP's names).
spk_env() {
    env exabgp.daemon.user=root exabgp.daemon.drop=false \
        exabgp.daemon.daemonize=false exabgp.tcp.bind= \
        exabgp.log.level=${LVL:-INFO} ${EXTRA_ENV:-} "$@"
}

start_exa() {
    local d
    ix_new_instance exabgp exa 127.0.0.4 "$PORT_EXA" 65010
    d=$(ix_idir exa)
    nva_conf > "$d/nva.conf"
    mkfifo -m 600 "$RUNDIR$PIPE_EXA.in" "$RUNDIR$PIPE_EXA.out"
    spk_env exabgp.tcp.port="$PORT_EXA" exabgp.api.pipename="$PIPE_EXA" \
        exabgp.log.destination="$d/exabgp.log" \
        exabgp "$d/nva.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid exa $!
}

start_vrs() {
    local d
    ix_new_instance vrsd vrs 127.0.0.4 "$PORT_VRS" 65010
    d=$(ix_idir vrs)
    nva_conf > "$d/nva.conf"
    spk_env exabgp.tcp.port="$PORT_VRS" exabgp.api.pipename="$PIPE_VRS" \
        "$SPK" "$d/nva.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid vrs $!
}

rm_pipes() { rm -f "$RUNDIR$PIPE_EXA".{in,out} "$RUNDIR$PIPE_VRS".{in,out}; }
trap 'rm_pipes; ix_cleanup' EXIT

exa_cli() { exabgp_api_pipename=$PIPE_EXA timeout 20 exabgpcli "$@" 2>&1; }
vrs_cli() { exabgp_api_pipename=$PIPE_VRS timeout 20 "$SPK" cli "$@" 2>&1; }

# both sessions up and both of BIRD's routes... seen in `show adj-rib in`
ready() { [ "$("$1" show adj-rib in | grep -c 'ipv4 unicast')" -ge 6 ]; }

# Time-dependent fields only: up/down durations, and the KEEPALIVE (and
# so total) message counts, which grow every hold-time/3 seconds.
normalise() {
    sed -E -e 's/^(   (up|down) for +)([0-9]+ days?, )?[0-9]+(:[0-9]{2}){2}/\1H:MM:SS/' \
        -e 's/^(127\.[0-9.]+ +[0-9]+ +)([0-9]+ days?, )?[0-9]+:[0-9]{2}:[0-9]{2}/\1H:MM:SS/' \
        -e 's/^(   (keepalive|total): +)[0-9]+( +)[0-9]+/\1N\3N/'
}

# `show neighbor summary` lists peers in the order of a Python set,
# which changes from run to run: its peer lines are compared sorted.
sort_summary() {
    case $1 in
        "show neighbor summary"*) { IFS= read -r h; printf '%s\n' "$h"; sort; } ;;
        *) cat ;;
    esac
}

name_of() { printf '%02d-%s' "$1" "$(echo "$2" | tr -c 'a-z0-9\n-' '_' | cut -c1-40)"; }

start_ars ars4-exa 127.0.2.4 "$PORT_EXA" || ix_die "bird for exabgp"
start_ars ars5-exa 127.0.2.5 "$PORT_EXA" || ix_die "bird for exabgp"
start_exa
if [ $GOLDEN = 0 ]; then
    start_ars ars4-vrs 127.0.2.4 "$PORT_VRS" || ix_die "bird for vrs-speaker"
    start_ars ars5-vrs 127.0.2.5 "$PORT_VRS" || ix_die "bird for vrs-speaker"
    start_vrs
fi
ix_wait_until 60 ready exa_cli || ix_die "exabgp: sessions did not come up"
[ $GOLDEN = 1 ] || ix_wait_until 60 ready vrs_cli || ix_die "vrs-speaker: sessions did not come up"
# ExaBGP's summary prints a session up for less than a second as "down"
# (its duration is 0, which it takes for none): let every session be up
# for a second before the first command.
sleep 1.2

pass=0 fail=0 i=0
for c in "${COMMANDS[@]}"; do
    i=$((i + 1))
    n=$(name_of $i "$c")
    # shellcheck disable=SC2086
    exa_cli $c | normalise | sort_summary "$c" > "$IX_DIR/$n.exa"
    if [ $GOLDEN = 1 ]; then
        { echo "\$ exabgpcli $c"; cat "$IX_DIR/$n.exa"; } > "$HERE/cli/$n.out"
        continue
    fi
    # shellcheck disable=SC2086
    vrs_cli $c | normalise | sort_summary "$c" > "$IX_DIR/$n.vrs"
    if diff -u --label "exabgpcli $c" --label "vrs-speaker cli $c" \
        "$IX_DIR/$n.exa" "$IX_DIR/$n.vrs" > "$IX_DIR/$n.diff"; then
        pass=$((pass + 1)); echo "ok   $c"
    else
        fail=$((fail + 1)); echo "FAIL $c"; cat "$IX_DIR/$n.diff"
    fi
    # give route changes time to reach BIRD on both sides alike
    case $c in announce*|withdraw*|flush*|clear*) sleep 0.5 ;; esac
done
[ $GOLDEN = 1 ] && { echo "golden files written to $HERE/cli/"; exit 0; }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
