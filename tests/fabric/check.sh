# shellcheck shell=bash
# tests/fabric/check.sh - one-line checks for the scenario scripts (source after lib.sh).
#
# ok/bad count and print; net runs a verb that must work; expect checks a
# verb's JSON with jq -e; refuse checks a refusal; rows prints a NIC's
# effective routes for a prefix; same compares two texts.  The script
# ends with `check_done`, which prints the count and sets the status.

command -v jq > /dev/null || fx_die "jq is needed (apt-get install jq)"

pass=0 fails=0
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { fails=$((fails + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'; }

# net ARGS...: vrs network, failing the script on an error
net() { vrs network "$@" || fx_die "vrs network $* failed"; }
# expect NAME JQ ARGS...: the JSON of vrs network ARGS passes jq -e JQ
expect() {
    local name=$1 filter=$2 out
    shift 2
    out=$(vrs network "$@" -o json 2>&1) || { bad "$name" "$out"; return; }
    if jq -e "$filter" <<< "$out" > /dev/null 2>&1; then ok "$name"; else bad "$name" "$out"; fi
}
# refuse NAME PATTERN ARGS...: vrs network ARGS exits 1 with PATTERN on stderr
refuse() {
    local name=$1 pat=$2 out rc
    shift 2
    out=$(vrs network "$@" 2>&1 > /dev/null); rc=$?
    if [ "$rc" = 1 ] && grep -q -- "$pat" <<< "$out"; then ok "$name"; else bad "$name" "exit $rc: $out"; fi
}
# rows of NIC's effective routes for PREFIX: "state nextHopType nextHop" lines
rows() {
    vrs network nic show-effective-route-table -n "$1" -o json |
        jq -r --arg p "$2" '.value[] | select(.addressPrefix == [$p]) | "\(.source) \(.state) \(.nextHopType) \(.nextHopIpAddress | join(","))"' | sort
}
# same NAME WANT GOT
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $2"$'\n'"got:  $3"; fi; }

check_done() {
    printf '%d passed, %d failed\n' "$pass" "$fails"
    [ "$fails" = 0 ]
}
