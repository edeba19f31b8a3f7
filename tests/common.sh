# shellcheck shell=bash
# tests/common.sh - what the stand-alone test scripts share: a temp dir T,
# the processes they start (start_bg, stopped by pid at exit), ok/bad
# counting, and the daemons they run on loopback (vrsd_up, speaker_up).
#
#   . "$(dirname "$0")/../common.sh"     then check_done at the end
# Set T_KEEP=1 to keep T (and leave nothing running).

VRS_BIN=${VRS_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/bin}
VRS_BIN=$(cd "$VRS_BIN" && pwd)
T=$(mktemp -d "/tmp/vrs-$(basename "$0" .sh).XXXXXX") || exit 1
T_PIDS=()
passes=0 fails=0

t_cleanup() {
    local p
    for p in "${T_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${T_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    [ -n "${T_KEEP:-}" ] && printf 'kept %s\n' "$T" >&2 || rm -rf "$T"
}
trap t_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok() { printf 'ok   %s\n' "$1"; passes=$((passes + 1)); }
bad() { printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'; fails=$((fails + 1)); }
check_done() { printf '%d passed, %d failed\n' "$passes" "$fails"; [ "$fails" = 0 ]; }
# wait_for SECONDS COMMAND...: COMMAND succeeds within SECONDS (0.1 s steps)
wait_for() {
    local n=$(($1 * 10))
    shift
    while [ $n -gt 0 ]; do "$@" 2> /dev/null && return 0; n=$((n - 1)); sleep 0.1; done
    return 1
}
# start_bg LOG COMMAND...: run COMMAND in the background, output to LOG
start_bg() {
    local log=$1
    shift
    "$@" > "$log" 2>&1 &
    T_PIDS+=($!)
}
# vrsd_up CONFIG: start vrsd -c CONFIG, its log T/vrsd.log, and wait for
# its control socket (the config's control:) to answer
vrsd_up() {
    local sock
    sock=$(sed -n 's/^control: *//p' "$1")
    start_bg "$T/vrsd.log" "$VRS_BIN/vrsd" -c "$1"
    wait_for 10 "$VRS_BIN/vrs" --socket "$sock" -o none network vnet list ||
        { bad "vrsd starts" "$(cat "$T/vrsd.log")"; exit 1; }
}
# speaker_up NAME ADDR ASN PEER PORT ROUTES...: vrs-speaker from ADDR (AS
# ASN) to PEER:PORT, announcing each ROUTE ("PREFIX next-hop NH ..."),
# IPv4 and IPv6 unicast; its files T/NAME.conf and T/NAME.log
speaker_up() {
    local n=$1 a=$2 as=$3 peer=$4 port=$5 r
    shift 5
    { echo "neighbor $peer {"
      echo "  router-id $a; local-address $a; local-as $as; peer-as 65000;"
      echo "  family { ipv4 unicast; ipv6 unicast; }"
      echo "  static {"
      for r in "$@"; do echo "    route $r;"; done
      echo "  }"
      echo "}"; } > "$T/$n.conf"
    exabgp_tcp_port=$port exabgp_tcp_bind= exabgp_api_cli=false \
        start_bg "$T/$n.log" "$VRS_BIN/vrs-speaker" "$T/$n.conf"
}
