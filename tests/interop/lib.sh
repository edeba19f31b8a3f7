# shellcheck shell=bash
# tests/interop/lib.sh - private BGP daemon instances on loopback for interop tests.
#
# Source it from a bash test:   . "$(dirname "$0")/lib.sh"
# Sourcing creates a private work dir ($IX_DIR) and installs an EXIT/INT/TERM
# trap that stops, by pid, every daemon started through this library and
# removes the dir (set IX_KEEP=1 to keep it for debugging).
#
# Rules kept here: every socket is on 127.0.0.0/8 or ::1, on high ports;
# no kernel routes are installed by any daemon; every wait is a bounded poll.
# See README.md in this directory for the per-daemon details.
#
# Neighbour spec (NEIGH):  ADDR,PORT,ASN[,passive][,no4byte][,rs]
#   rs: the neighbour is a transparent route server (its ASN is not first in
#   the AS_PATH): openbgpd `enforce neighbor-as no`, frr `no ... enforce-first-as`
# Route spec file:         see ixtool.py (PREFIX prepend=N med=N origin=..
#                          comm=A:B,.. ext=rt:A:B,soo:A:B large=A:B:C
#                          unknown=0xTT:0xFF:HEX)

IX_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IX_PY=/usr/bin/python3
IX_TOOL="$IX_PY $IX_LIB_DIR/ixtool.py"
IX_FRR_BGPD=/usr/lib/frr/bgpd
IX_OPENBGPD=/usr/sbin/bgpd
IX_POLL=0.2                       # poll interval (s) of every wait loop

ix_log() { printf '[interop %s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }
ix_die() { ix_log "FATAL: $*"; exit 1; }
ix_now_ms() { date +%s%3N; }

ix_init() {
    [ -n "${IX_DIR:-}" ] && return 0
    command -v jq >/dev/null || ix_die "jq missing (apt-get install jq)"
    IX_DIR=$(mktemp -d /tmp/vrs-interop.XXXXXX) || ix_die "mktemp failed"
    chmod 0755 "$IX_DIR"
    : > "$IX_DIR/instances"
    trap 'ix_cleanup' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# ix_cleanup: stop every daemon we started (by recorded pid), remove IX_DIR.
ix_cleanup() {
    local rc=$? n
    [ -n "${IX_DIR:-}" ] && [ -d "$IX_DIR" ] || return $rc
    while read -r n; do
        [ -n "$n" ] && stop_daemon "$n"
    done < "$IX_DIR/instances"
    if [ -n "${IX_KEEP:-}" ]; then
        ix_log "keeping $IX_DIR"
    else
        rm -rf "$IX_DIR"
    fi
    IX_DIR=
    return $rc
}

# ---------------------------------------------------------------- helpers
ix_idir() { printf '%s/%s' "$IX_DIR" "$1"; }
ix_get() { cat "$(ix_idir "$1")/$2" 2>/dev/null; }
ix_kind() { ix_get "$1" kind; }

# IPv6 next hop used for IPv6 routes originated by the instance at v4 ADDR
# a.b.c.d -> 2001:db8:ffff:0:a:b:c:d (RFC 3849 documentation range; only ever
# an attribute value: nothing is installed in a kernel table, no packet is sent).
ix_nh6() { local IFS=.; set -- $1; printf '2001:db8:ffff:0:%s:%s:%s:%s' "$1" "$2" "$3" "$4"; }

ix_check_addr() {
    case "$1" in
        127.*|::1) ;;
        *) ix_die "refusing non-loopback address '$1'" ;;
    esac
}

# ix_new_instance KIND NAME ADDR PORT ASN
ix_new_instance() {
    local kind=$1 name=$2 addr=$3 port=$4 asn=$5 d
    ix_init
    ix_check_addr "$addr"
    [ "$port" -ge 1024 ] || ix_die "port $port is not a high port"
    d=$(ix_idir "$name")
    [ -e "$d" ] && ix_die "instance $name exists"
    mkdir -p "$d"
    echo "$kind" > "$d/kind"; echo "$addr" > "$d/addr"; echo "$port" > "$d/port"
    echo "$asn" > "$d/asn"; ix_nh6 "$addr" > "$d/nh6"
    # IPv4 next hop of originated routes: the session address, or with
    # IX_NH4=doc 192.0.2.C (C = 3rd octet of ADDR) for receivers such as
    # gobgpd that reject 127/8 next hops.
    if [ "${IX_NH4:-}" = doc ]; then
        echo "192.0.2.$(echo "$addr" | cut -d. -f3)" > "$d/nh4"
    else
        echo "$addr" > "$d/nh4"
    fi
    : > "$d/routes.spec"; : > "$d/neighbors"
    echo "$name" >> "$IX_DIR/instances"
}

# ix_parse_neigh SPEC -> sets n_addr n_port n_asn n_passive n_no4 n_rs
ix_parse_neigh() {
    local IFS=, f
    set -- $1
    n_addr=$1; n_port=$2; n_asn=$3; n_passive=0; n_no4=0; n_rs=0
    shift 3
    for f in "$@"; do
        case $f in
            passive) n_passive=1 ;;
            no4byte) n_no4=1 ;;
            rs) n_rs=1 ;;
            *) ix_die "bad neighbour flag '$f'" ;;
        esac
    done
    ix_check_addr "$n_addr"
}

# ix_record_pid NAME PID: record the pid and the start time.
ix_record_pid() {
    echo "$2" > "$(ix_idir "$1")/pid"
    ix_log "started $(ix_kind "$1") '$1' pid $2 on $(ix_get "$1" addr):$(ix_get "$1" port) AS$(ix_get "$1" asn)"
}

# ix_wait_until TIMEOUT_S CMD...: poll CMD every IX_POLL s; 0 if it succeeded.
ix_wait_until() {
    local timeout=$1 deadline; shift
    deadline=$(( $(ix_now_ms) + timeout * 1000 ))
    while :; do
        "$@" && return 0
        [ "$(ix_now_ms)" -ge "$deadline" ] && return 1
        sleep "$IX_POLL"
    done
}

ix_alive() { local p; p=$(ix_get "$1" pid) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# stop_daemon NAME: TERM the recorded pid (and, for exabgp/openbgpd, wait for
# its children to go), KILL after 10 s.  Never touches other processes.
stop_daemon() {
    local name=$1 pid kids
    pid=$(ix_get "$name" pid) || return 0
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kids=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr '\n' ' ')
        kill -TERM "$pid" 2>/dev/null
        if ! ix_wait_until 10 ix_pid_gone "$pid"; then
            ix_log "'$name' pid $pid ignored TERM, sending KILL"
            kill -KILL "$pid" 2>/dev/null
        fi
        # children of the daemon (openbgpd's SE/RDE, exabgp's API helper)
        for k in $kids; do
            ix_wait_until 5 ix_pid_gone "$k" || kill -KILL "$k" 2>/dev/null
        done
    fi
    wait "$pid" 2>/dev/null
    : > "$(ix_idir "$name")/pid"
    return 0
}
ix_pid_gone() { ! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ]; }

# check WHAT CMD...: run CMD, print "ok   WHAT" or "FAIL WHAT", count it
# in PASS or FAIL; ix_summary prints "N passed, N failed" and is the status.
PASS=0 FAIL=0
check() {
    local what=$1; shift
    if "$@"; then echo "ok   $what"; PASS=$((PASS + 1))
    else echo "FAIL $what"; FAIL=$((FAIL + 1)); fi
}
ix_summary() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" = 0 ]; }

# ix_need PROGRAM PACKAGE: stop at once, naming the package, when a daemon
# the test starts is not installed (its start runs in the background, so a
# missing binary would otherwise show only as every later wait timing out).
ix_need() { command -v "$1" > /dev/null || ix_die "$1 missing (apt-get install $2)"; }

# start_daemon KIND NAME ADDR PORT ASN NEIGH...   (dispatcher)
start_daemon() {
    local kind=$1; shift
    case $kind in
        bird) start_bird "$@" ;;
        frr) start_frr "$@" ;;
        gobgp|gobgpd) start_gobgpd "$@" ;;
        openbgpd) start_openbgpd "$@" ;;
        exabgp) start_exabgp "$@" ;;
        vrsd) start_vrsd "$@" ;;
        *) ix_die "unknown daemon kind '$kind'" ;;
    esac
}

# ================================================================ BIRD 2
# start_bird NAME ADDR PORT ASN NEIGH...
start_bird() {
    local name=$1 addr=$2 port=$3 asn=$4 d i=0 nb
    ix_need bird bird2
    shift 4
    ix_new_instance bird "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name")
    $IX_TOOL render bird "$d/routes.spec" "$asn" "$(ix_get "$name" nh4)" "$(ix_nh6 "$addr")" > "$d/routes.conf" || return 1
    {
        echo "router id $addr;"
        echo "log \"$d/bird.log\" all;"
        echo "protocol device { scan time 60; }"
        echo "ipv4 table igp4; ipv6 table igp6;"
        echo "# resolve every (recursive) BGP next hop so that nothing is 'unreachable'"
        echo "protocol static igp4s { ipv4 { table igp4; }; route 0.0.0.0/0 blackhole; }"
        echo "protocol static igp6s { ipv6 { table igp6; }; route ::/0 blackhole; }"
        echo "include \"$d/routes.conf\";"
        echo "filter ix_export {"
        echo "  if proto != \"inj4\" && proto != \"inj6\" then reject;"
        echo "  if defined(bgp_med) then bgp_med = bgp_med;   # MED must be 'fresh' to go to eBGP"
        echo "  accept;"
        echo "}"
        for nb in "$@"; do
            ix_parse_neigh "$nb"; i=$((i + 1))
            echo "$nb" >> "$d/neighbors"
            echo "protocol bgp n$i {"
            echo "  local $addr port $port as $asn;"
            echo "  neighbor $n_addr port $n_port as $n_asn;"
            echo "  strict bind on; multihop;"
            echo "  connect delay time 1; connect retry time 2; error wait time 1, 5;"
            [ $n_passive = 1 ] && echo "  passive on;"
            [ $n_no4 = 1 ] && echo "  enable as4 off;"
            echo "  ipv4 { import all; export filter ix_export; igp table igp4; gateway recursive; next hop address $(ix_get "$name" nh4); };"
            echo "  ipv6 { import all; export filter ix_export; igp table igp6; gateway recursive; next hop address $(ix_nh6 "$addr"); };"
            echo "}"
        done
    } > "$d/bird.conf"
    bird -p -c "$d/bird.conf" || { ix_log "bird config check failed"; return 1; }
    echo "$(ix_now_ms)" > "$d/t_start"
    bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/bird.ctl" || { ix_log "bird '$name' did not create its socket"; return 1; }
}
ix_birdc() { birdc -s "$(ix_idir "$1")/bird.ctl" "${@:2}"; }

# ================================================================ FRR bgpd
# start_frr NAME ADDR PORT ASN NEIGH...   (bgpd alone: -Z no zebra, -n, -S)
start_frr() {
    local name=$1 addr=$2 port=$3 asn=$4 d nb nh6
    ix_need "$IX_FRR_BGPD" frr
    shift 4
    ix_new_instance frr "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name"); nh6=$(ix_nh6 "$addr")
    mkdir -p "$d/vty"
    {
        echo "frr defaults datacenter"
        echo "hostname $name"
        echo "log file $d/bgpd.log"
        echo "! export only what this instance originates: AS_PATH empty or own ASN only"
        echo "bgp as-path access-list IX-LOCAL seq 5 permit ^\$"
        echo "bgp as-path access-list IX-LOCAL seq 10 permit ^$asn( $asn)*\$"
        echo "route-map IX-OUT4 permit 10"
        echo " match as-path IX-LOCAL"
        [ "$(ix_get "$name" nh4)" != "$addr" ] && echo " set ip next-hop $(ix_get "$name" nh4)"
        echo "exit"
        echo "route-map IX-OUT6 permit 10"
        echo " match as-path IX-LOCAL"
        echo " set ipv6 next-hop global $nh6"
        echo "exit"
        echo "router bgp $asn"
        echo " bgp router-id $addr"
        echo " no bgp ebgp-requires-policy"
        echo " ! 127/8 next hops are 'martian' to FRR (NOTIFICATION 3/8) without this"
        echo " bgp allow-martian-nexthop"
        echo " no bgp network import-check"
        echo " no bgp default ipv4-unicast"
        echo " bgp graceful-restart-disable" 
        for nb in "$@"; do
            ix_parse_neigh "$nb"
            echo "$nb" >> "$d/neighbors"
            echo " neighbor $n_addr remote-as $n_asn"
            echo " neighbor $n_addr port $n_port"
            echo " neighbor $n_addr update-source $addr"
            echo " neighbor $n_addr disable-connected-check"
            echo " neighbor $n_addr timers connect 1"
            echo " neighbor $n_addr advertisement-interval 0"
            [ $n_passive = 1 ] && echo " neighbor $n_addr passive"
            [ $n_rs = 1 ] && echo " no neighbor $n_addr enforce-first-as"
            [ $n_no4 = 1 ] && ix_log "frr: no4byte not supported (FRR cannot disable only the 4-octet-AS capability); ignored"
        done
        for af in 4 6; do
            echo " address-family ipv$af unicast"
            for nb in "$@"; do
                ix_parse_neigh "$nb"
                echo "  neighbor $n_addr activate"
                echo "  neighbor $n_addr route-map IX-OUT$af out"
            done
            echo " exit-address-family"
        done
        echo "exit"
    } > "$d/bgpd.conf"
    echo "$(ix_now_ms)" > "$d/t_start"
    "$IX_FRR_BGPD" -f "$d/bgpd.conf" -Z -n -S -l "$addr" -p "$port" -i "$d/bgpd.pid" \
        --vty_socket "$d/vty" -P 0 --log "file:$d/bgpd.log" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/vty/bgpd.vty" || { ix_log "frr '$name' did not create its vty socket"; return 1; }
}
ix_vtysh() { vtysh --vty_socket "$(ix_idir "$1")/vty" -d bgpd "${@:2}"; }

# ================================================================ GoBGP
# start_gobgpd NAME ADDR PORT ASN NEIGH...   gRPC API on ADDR:${IX_GOBGP_API_PORT:-50051}
start_gobgpd() {
    local name=$1 addr=$2 port=$3 asn=$4 d nb api=${IX_GOBGP_API_PORT:-50051}
    ix_need gobgpd gobgpd
    shift 4
    ix_new_instance gobgp "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name")
    echo "$api" > "$d/api_port"
    {
        echo "[global.config]"
        echo "  as = $asn"
        echo "  router-id = \"$addr\""
        echo "  port = $port"
        echo "  local-address-list = [\"$addr\"]"
        for nb in "$@"; do
            ix_parse_neigh "$nb"
            echo "$nb" >> "$d/neighbors"
            [ $n_no4 = 1 ] && ix_log "gobgp: no4byte not supported by gobgpd config; ignored"
            echo "[[neighbors]]"
            echo "  [neighbors.config]"
            echo "    neighbor-address = \"$n_addr\""
            echo "    peer-as = $n_asn"
            echo "  [neighbors.transport.config]"
            echo "    local-address = \"$addr\""
            echo "    remote-port = $n_port"
            [ $n_passive = 1 ] && echo "    passive-mode = true"
            echo "  [neighbors.timers.config]"
            echo "    connect-retry = 1"
            echo "  [neighbors.ebgp-multihop.config]"
            echo "    enabled = true"
            echo "    multihop-ttl = 2"
            for af in ipv4-unicast ipv6-unicast; do
                echo "  [[neighbors.afi-safis]]"
                echo "    [neighbors.afi-safis.config]"
                echo "      afi-safi-name = \"$af\""
            done
        done
    } > "$d/gobgpd.toml"
    echo "$(ix_now_ms)" > "$d/t_start"
    gobgpd -f "$d/gobgpd.toml" -t toml -p -l info --api-hosts "$addr:$api" --pprof-disable \
        > "$d/gobgpd.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 ix_gobgp_ready "$name" || { ix_log "gobgpd '$name' API not up"; return 1; }
}
ix_gobgp() { gobgp -u "$(ix_get "$1" addr)" -p "$(ix_get "$1" api_port)" "${@:2}"; }
ix_gobgp_ready() { ix_gobgp "$1" global >/dev/null 2>&1; }

# ================================================================ OpenBGPD
# start_openbgpd NAME ADDR PORT ASN NEIGH...
# bgpd chroots to /run/openbgpd (home of _openbgpd) and drops to that user;
# as root it just needs that directory to exist.
start_openbgpd() {
    local name=$1 addr=$2 port=$3 asn=$4 d nb
    ix_need "$IX_OPENBGPD" openbgpd
    shift 4
    ix_new_instance openbgpd "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name")
    [ -d /run/openbgpd ] || install -d -m 0755 /run/openbgpd
    {
        echo "AS $asn"
        echo "router-id $addr"
        echo "listen on $addr port $port"
        echo "socket \"$d/bgpd.sock\""
        echo "fib-update no"
        echo "connect-retry 2"
        echo "nexthop qualify via default"
        for nb in "$@"; do
            ix_parse_neigh "$nb"
            echo "$nb" >> "$d/neighbors"
            echo "neighbor $n_addr {"
            echo "  remote-as $n_asn"
            echo "  port $n_port"
            echo "  local-address $addr"
            echo "  announce IPv4 unicast"
            echo "  announce IPv6 unicast"
            # send the next hops set on the network statements, not self
            # (127.x / ::1); no-modify is ignored for directly connected
            # (distance 1) eBGP, hence multihop
            echo "  multihop 2"
            echo "  set nexthop no-modify"
            [ $n_passive = 1 ] && echo "  passive"
            [ $n_no4 = 1 ] && echo "  announce as-4byte no"
            # a transparent route server does not put its ASN first:
            # OpenBGPD answers that with NOTIFICATION 3/11 unless told
            [ $n_rs = 1 ] && echo "  enforce neighbor-as no"
            echo "}"
        done
        echo "include \"$d/routes.conf\""
        echo "allow from any"
        echo "allow to any"
    } > "$d/bgpd.conf"
    : > "$d/routes.conf"; chmod 0600 "$d/routes.conf"
    chmod 0600 "$d/bgpd.conf"
    "$IX_OPENBGPD" -n -f "$d/bgpd.conf" > "$d/check.log" 2>&1 || { cat "$d/check.log" >&2; return 1; }
    echo "$(ix_now_ms)" > "$d/t_start"
    "$IX_OPENBGPD" -d -f "$d/bgpd.conf" > "$d/bgpd.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/bgpd.sock" || { ix_log "openbgpd '$name' did not create its socket"; return 1; }
}
ix_bgpctl() { bgpctl -s "$(ix_idir "$1")/bgpd.sock" "${@:2}"; }

# ================================================================ ExaBGP
# start_exabgp NAME ADDR PORT ASN NEIGH...
# An API process (ixtool.py exa-helper) logs every JSON event exabgp emits to
# $d/events.jsonl and forwards lines written to the FIFO $d/cmd to exabgp.
start_exabgp() {
    local name=$1 addr=$2 port=$3 asn=$4 d nb
    ix_need exabgp exabgp
    shift 4
    ix_new_instance exabgp "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name")
    mkfifo "$d/cmd"; : > "$d/events.jsonl"
    {
        echo "process ix {"
        echo "  run $IX_PY $IX_LIB_DIR/ixtool.py exa-helper $d/cmd $d/events.jsonl;"
        echo "  encoder json;"
        echo "}"
        for nb in "$@"; do
            ix_parse_neigh "$nb"
            echo "$nb" >> "$d/neighbors"
            echo "neighbor $n_addr {"
            echo "  router-id $addr;"
            echo "  local-address $addr;"
            echo "  local-as $asn;"
            echo "  peer-as $n_asn;"
            echo "  listen $port;"
            echo "  connect $n_port;"
            if [ $n_passive = 1 ]; then echo "  passive true;"; else echo "  passive false;"; fi
            echo "  family { ipv4 unicast; ipv6 unicast; }"
            # route-refresh: answer ROUTE-REFRESH (re-send) and allow
            # `announce route-refresh`; asn4 disable for no4byte
            if [ $n_no4 = 1 ]; then echo "  capability { route-refresh; asn4 disable; }"
            else echo "  capability { route-refresh; }"; fi
            echo "  api { processes [ ix ]; neighbor-changes; receive { parsed; update; } }"
            echo "}"
        done
    } > "$d/exabgp.conf"
    echo "$(ix_now_ms)" > "$d/t_start"
    env exabgp.daemon.user=root exabgp.daemon.drop=false exabgp.daemon.daemonize=false \
        exabgp.daemon.pid="$d/exabgp.pid" exabgp.api.cli=false exabgp.api.ack=false \
        exabgp.log.destination="$d/exabgp.log" exabgp.log.level=INFO \
        exabgp.tcp.bind= exabgp.tcp.port="$port" \
        exabgp "$d/exabgp.conf" > "$d/stdout.log" 2>&1 &
    ix_record_pid "$name" $!
}

# exa_send NAME LINE...: write API commands to a running exabgp (bounded).
exa_send() {
    local d; d=$(ix_idir "$1"); shift
    printf '%s\n' "$@" | timeout 10 tee "$d/cmd" > /dev/null || ix_die "exabgp FIFO write timed out"
}

# restart_daemon NAME: stop NAME and start it again from scratch with the
# same kind, address, port, ASN, next hops and neighbours, then announce the
# routes it was originating.  (A new work dir for it; t_start is reset.)
restart_daemon() {
    local name=$1 d kind addr port asn nh nb spec
    d=$(ix_idir "$name")
    kind=$(ix_kind "$name"); addr=$(ix_get "$name" addr); port=$(ix_get "$name" port)
    asn=$(ix_get "$name" asn); nh=
    [ "$(ix_get "$name" nh4)" != "$addr" ] && nh=doc
    mapfile -t nb < "$d/neighbors"
    stop_daemon "$name"
    spec=$(mktemp "$IX_DIR/restart.XXXXXX"); cp "$d/routes.spec" "$spec"
    rm -rf "$d"
    IX_NH4=$nh start_daemon "$kind" "$name" "$addr" "$port" "$asn" "${nb[@]}" || return 1
    [ -s "$spec" ] || return 0
    # the routes are announced once the daemon can take them
    case $kind in
        exabgp) ix_wait_until 30 ix_exa_any_up "$name" || return 1 ;;
    esac
    announce_routes "$name" "$spec"
}
ix_exa_any_up() { grep -q '"state": *"up"' "$(ix_idir "$1")/events.jsonl" 2>/dev/null; }

# ================================================================ vrsd
# start_vrsd NAME ADDR PORT ASN NEIGH...
# NEIGH for vrsd: ADDR,PORT,ASN[,name=PEERNAME][,active|passive][,hold=N][,max=N]
#   PEERNAME (the `vrs` peer name) defaults to ADDR; vrsd's peers are passive
#   unless `active` (vrsd connects, from local-address ADDR).
# Binaries from $VRS_BIN (ctest sets it), else build/bin of this checkout.
# vrsd runs with -d; its log is $IX_DIR/NAME/vrsd.log.
VRS_BIN=${VRS_BIN:-$(cd "$IX_LIB_DIR/../.." && pwd)/build/bin}
# ix_need_speaker: SPK, the vrs-speaker of VRS_BIN, or stop here
ix_need_speaker() {
    SPK=$VRS_BIN/vrs-speaker
    [ -x "$SPK" ] || ix_die "no vrs-speaker in VRS_BIN=$VRS_BIN (build first)"
}
start_vrsd() {
    local name=$1 addr=$2 port=$3 asn=$4 d nb f pname pmode hold
    shift 4
    [ -x "$VRS_BIN/vrsd" ] || ix_die "no vrsd in VRS_BIN=$VRS_BIN (build first)"
    ix_new_instance vrsd "$name" "$addr" "$port" "$asn"
    d=$(ix_idir "$name")
    {
        echo "router-id: $addr"
        echo "asn: $asn"
        echo "mode: transparent"
        echo "listen: [\"$addr:$port\"]"
        echo "control: $d/vrsd.sock"
        echo "log-level: debug"
        echo "peers:"
        for nb in "$@"; do
            echo "$nb" >> "$d/neighbors"
            local IFS=,
            # shellcheck disable=SC2086
            set -- $nb
            IFS=$' \t\n'
            ix_check_addr "$1"
            pname=$1 pmode=true hold= max=
            for f in "${@:4}"; do
                case $f in
                    name=*) pname=${f#name=} ;;
                    active) pmode=false ;;
                    passive) pmode=true ;;
                    hold=*) hold=${f#hold=} ;;
                    max=*) max=${f#max=} ;;
                    *) ix_die "bad vrsd neighbour flag '$f'" ;;
                esac
            done
            echo "  - name: $pname"
            echo "    address: $1"
            echo "    port: $2"
            echo "    local-address: $addr"
            echo "    asn: $3"
            echo "    passive: $pmode"
            echo "    connect-retry: 1"
            [ -n "$hold" ] && echo "    hold-time: $hold"
            [ -n "$max" ] && echo "    max-prefixes: $max"
            echo "    families: [ipv4, ipv6]"
        done
    } > "$d/vrsd.yaml"
    "$VRS_BIN/vrsd" --check -c "$d/vrsd.yaml" > "$d/check.log" 2>&1 || { cat "$d/check.log" >&2; return 1; }
    echo "$(ix_now_ms)" > "$d/t_start"
    "$VRS_BIN/vrsd" -d -c "$d/vrsd.yaml" > "$d/vrsd.log" 2>&1 &
    ix_record_pid "$name" $!
    ix_wait_until 10 test -S "$d/vrsd.sock" || { ix_log "vrsd '$name' did not create its socket"; return 1; }
}
# ix_vrs NAME ARGS...: the vrs client bound to the instance's control socket
ix_vrs() { "$VRS_BIN/vrs" --socket "$(ix_idir "$1")/vrsd.sock" "${@:2}"; }
# vrs_peer NAME PEER [FIELD]: vrsd's view of one peer (by name or address):
# the whole JSON object, or one field of it (state, updatesIn, prefixesSent...)
vrs_peer() {
    ix_vrs "$1" -o json peers 2>/dev/null |
        jq -r --arg p "$2" --arg f "${3:-}" \
            '[.[] | select(.name == $p or .address == $p)][0] // empty | if $f == "" then . else .[$f] end'
}
# vrs_routes NAME [ARGS...]: `vrs -o json routes ARGS` (Loc-RIB / Adj-RIB-In /
# --advertised), sorted JSON
vrs_routes() { ix_vrs "$1" -o json routes "${@:2}" 2>/dev/null | jq -S .; }
# vrs_counter_above NAME PEER FIELD MIN: true once FIELD of PEER exceeds MIN
vrs_counter_above() { local v; v=$(vrs_peer "$1" "$2" "$3"); [ -n "$v" ] && [ "$v" -gt "$4" ]; }
# expect_json TIMEOUT_S EXPECTED_FILE CMD...: poll CMD (JSON on stdout) until
# it equals EXPECTED_FILE (jq -S); on timeout print a diff and return 1.
expect_json() {
    local timeout=$1 exp=$2 d; shift 2
    d=$IX_DIR
    jq -S . "$exp" > "$d/json.want" || ix_die "bad expected JSON $exp"
    ix_wait_until "$timeout" ix_json_match "$d" "$@" && return 0
    ix_log "TIMEOUT: '$*' differs from $exp after ${timeout}s:"
    diff -u "$d/json.want" "$d/json.got" >&2
    return 1
}
ix_json_match() { local d=$1; shift; "$@" 2>/dev/null | jq -S . > "$d/json.got" 2>/dev/null && cmp -s "$d/json.want" "$d/json.got"; }

# ================================================================ routes
# announce_routes NAME SPEC_FILE: make the set of routes NAME originates equal
# to SPEC_FILE (an empty file withdraws everything).
announce_routes() {
    local name=$1 spec=$2 d kind asn addr nh6
    d=$(ix_idir "$name"); kind=$(ix_kind "$name"); asn=$(ix_get "$name" asn)
    addr=$(ix_get "$name" nh4); nh6=$(ix_get "$name" nh6)
    case $kind in
        bird)
            $IX_TOOL render bird "$spec" "$asn" "$addr" "$nh6" > "$d/routes.conf.new" || return 1
            mv "$d/routes.conf.new" "$d/routes.conf"
            ix_birdc "$name" configure | grep -q 'Reconfigur' || { ix_log "birdc configure failed"; return 1; }
            ;;
        frr)
            $IX_TOOL render frr "$spec" "$asn" "$addr" "$nh6" "$d/routes.spec" > "$d/vtysh.in" || return 1
            ix_vtysh "$name" -f "$d/vtysh.in" > "$d/vtysh.out" 2>&1 || { cat "$d/vtysh.out" >&2; return 1; }
            ;;
        gobgp)
            $IX_TOOL render gobgp-del "$d/routes.spec" "$asn" "$addr" "$nh6" > "$d/gobgp.del" &&
            $IX_TOOL render gobgp "$spec" "$asn" "$addr" "$nh6" > "$d/gobgp.add" || return 1
            ix_run_lines "$d/gobgp.del" ix_gobgp "$name" || return 1
            ix_run_lines "$d/gobgp.add" ix_gobgp "$name" || return 1
            ;;
        openbgpd)
            $IX_TOOL render openbgpd "$spec" "$asn" "$addr" "$nh6" > "$d/routes.conf.new" || return 1
            mv "$d/routes.conf.new" "$d/routes.conf"
            ix_bgpctl "$name" reload > "$d/reload.out" 2>&1 || { cat "$d/reload.out" >&2; return 1; }
            ;;
        exabgp)
            $IX_TOOL render exabgp-del "$d/routes.spec" "$asn" "$addr" "$nh6" > "$d/exa.del" &&
            $IX_TOOL render exabgp "$spec" "$asn" "$addr" "$nh6" > "$d/exa.add" || return 1
            # shellcheck disable=SC2046
            [ -s "$d/exa.del" ] && { mapfile -t l < "$d/exa.del"; exa_send "$name" "${l[@]}"; }
            [ -s "$d/exa.add" ] && { mapfile -t l < "$d/exa.add"; exa_send "$name" "${l[@]}"; }
            ;;
    esac
    cp "$spec" "$d/routes.spec"
}
# withdraw_routes NAME: withdraw everything NAME originated.
withdraw_routes() { local e; e=$(ix_idir "$1")/empty.spec; : > "$e"; announce_routes "$1" "$e"; }

ix_run_lines() {
    local file=$1 line; shift
    while read -r line; do
        [ -n "$line" ] || continue
        # shellcheck disable=SC2086
        "$@" $line > /dev/null || { ix_log "failed: $* $line"; return 1; }
    done < "$file"
}

# expected_routes SPEC_FILE ORIGIN_NAME: the normalised JSON a direct eBGP
# neighbour of ORIGIN_NAME should see when it announces SPEC_FILE.
expected_routes() {
    $IX_TOOL expected "$1" "$(ix_get "$2" asn)" "$(ix_get "$2" nh4)" "$(ix_get "$2" nh6)" "$(ix_kind "$2")"
}

# ================================================================ queries
# peer_state DAEMON NAME PEER_ADDR -> prints "Established" or another state
peer_state() {
    local kind=$1 name=$2 peer=$3 d
    d=$(ix_idir "$name")
    [ "$(ix_kind "$name")" = "$kind" ] || [ "$kind" = gobgpd ] || ix_die "$name is a $(ix_kind "$name"), not $kind"
    case $(ix_kind "$name") in
        bird)
            local p
            p=$(grep -n "neighbor $peer port" "$d/bird.conf" | head -1 | cut -d: -f1) || return 1
            p=$(sed -n "$((p - 2))p" "$d/bird.conf" | awk '{print $3}')
            ix_birdc "$name" show protocols "$p" 2>/dev/null | awk -v p="$p" '$1==p {print $6}'
            ;;
        frr)
            ix_vtysh "$name" -c "show bgp neighbors $peer json" 2>/dev/null |
                jq -r --arg p "$peer" '.[$p].bgpState // "none"'
            ;;
        gobgp)
            ix_gobgp "$name" -j neighbor "$peer" 2>/dev/null | jq -r '.state.session_state // "none"' |
                sed 's/^6$/Established/; s/^ESTABLISHED$/Established/I'
            ;;
        openbgpd)
            ix_bgpctl "$name" -j show neighbor "$peer" 2>/dev/null | jq -r '.neighbors[0].state // "none"'
            ;;
        exabgp)
            jq -r --arg p "$peer" 'select(.type=="state" and .neighbor.address.peer==$p) | .neighbor.state' \
                "$d/events.jsonl" 2>/dev/null | tail -1 | sed 's/^up$/Established/'
            ;;
        vrsd)
            vrs_peer "$name" "$peer" state
            ;;
    esac
}

# wait_established DAEMON NAME PEER_ADDR TIMEOUT_S
# Polls until the session to PEER_ADDR is Established; logs the time since
# the daemon was started (also appended to $IX_DIR/timings).
wait_established() {
    local kind=$1 name=$2 peer=$3 timeout=$4 t0 el
    if ix_wait_until "$timeout" ix_is_established "$kind" "$name" "$peer"; then
        t0=$(ix_get "$name" t_start); el=$(( $(ix_now_ms) - t0 ))
        echo "$(ix_kind "$name") $name $peer ${el}ms" >> "$IX_DIR/timings"
        ix_log "$name -> $peer Established ${el} ms after start"
        return 0
    fi
    ix_log "TIMEOUT: $name -> $peer is '$(peer_state "$kind" "$name" "$peer")' after ${timeout}s"
    return 1
}
ix_is_established() { [ "$(peer_state "$@")" = Established ]; }

# routes_json DAEMON NAME: the routes NAME has received (best path per
# prefix, both families), in the normalised JSON form documented in ixtool.py.
routes_json() {
    local kind=$1 name=$2 d
    d=$(ix_idir "$name")
    case $(ix_kind "$name") in
        bird)
            { ix_birdc "$name" show route all table master4; ix_birdc "$name" show route all table master6; } |
                $IX_TOOL normalise bird ;;
        frr)
            local af p
            for af in ipv4 ipv6; do
                ix_vtysh "$name" -c "show bgp $af unicast json" | jq -r '.routes // {} | keys[]' |
                while read -r p; do
                    printf '%s\t%s\n' "$p" "$(ix_vtysh "$name" -c "show bgp $af unicast $p json" | jq -c .)"
                done
            done | ix_frr_only_received | $IX_TOOL normalise frr ;;
        gobgp)
            { ix_gobgp "$name" -j global rib -a ipv4; echo; ix_gobgp "$name" -j global rib -a ipv6; echo; } |
                ix_gobgp_only_received | $IX_TOOL normalise gobgp ;;
        openbgpd)
            ix_bgpctl "$name" -j show rib detail | ix_openbgpd_only_received | $IX_TOOL normalise openbgpd ;;
        exabgp)
            $IX_TOOL normalise exabgp < "$d/events.jsonl" ;;
    esac
}
# keep only paths learned from a peer (drop locally originated ones)
ix_frr_only_received() { while IFS=$'\t' read -r p j; do
        j=$(printf '%s' "$j" | jq -c '.paths |= map(select(.peer.peerId != "0.0.0.0" and (.peer.type // "") != "" ))')
        printf '%s\t%s\n' "$p" "$j"; done; }
ix_gobgp_only_received() { jq -c 'with_entries(.value |= map(select((."neighbor-ip" // "") != "")))' 2>/dev/null; }
ix_openbgpd_only_received() { jq -c '.rib |= map(select(.neighbor.description != "LOCAL"))' 2>/dev/null; }

# expect_routes TIMEOUT_S EXPECTED_FILE DAEMON NAME
# Polls routes_json until it equals EXPECTED_FILE (compared with jq -S);
# on timeout prints a diff (expected vs actual) and returns 1.
expect_routes() {
    local timeout=$1 exp=$2 kind=$3 name=$4 d
    d=$(ix_idir "$name")
    local f='.'
    case $(ix_kind "$name") in
        # bgpctl cannot tell a missing MED from MED 0; only bird and exabgp
        # show unknown attributes
        openbgpd) f='map_values(.med //= 0 | del(.unknown))' ;;
        frr|gobgp) f='map_values(del(.unknown))' ;;
    esac
    jq -S "$f" "$exp" > "$d/expect.want" || ix_die "bad expected JSON $exp"
    if ix_wait_until "$timeout" ix_routes_match "$kind" "$name" "$d"; then
        return 0
    fi
    ix_log "TIMEOUT: routes on $name differ from $exp after ${timeout}s:"
    diff -u "$d/expect.want" "$d/expect.got" >&2
    return 1
}
ix_routes_match() {
    routes_json "$1" "$2" 2>/dev/null | jq -S . > "$3/expect.got" 2>/dev/null &&
        cmp -s "$3/expect.want" "$3/expect.got"
}

ix_init
