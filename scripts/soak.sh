#!/bin/sh
# make soak: the flap soak (tests/soak/flap.sh) for a third of SECONDS,
# the instance-failure soak (tests/soak/instance.sh, 10 kill -9 rounds)
# and the stall and flood soak (tests/soak/flood.py: 200,000 routes, 5
# floods of 10,000 connections), 1,564 journaled changes with 1,000
# kill -9 (tests/fabric/persist.sh), then the fabric soak
# (tests/soak/fabric.py) with a fresh seed per round, rounds of OPS
# operations, until SECONDS have passed or a round fails (its seed and
# kept folder are printed to replay it).
#
#   scripts/soak.sh BUILD SECONDS [OPS]
set -u
[ $# -ge 2 ] || { echo "usage: $0 BUILD SECONDS [OPS]" >&2; exit 2; }
bin=$(cd "$1/bin" && pwd) || exit 2
secs=$2
ops=${3:-20000}
top=$(cd "$(dirname "$0")/.." && pwd)
end=$(($(date +%s) + secs))
VRS_BIN=$bin bash "$top/tests/soak/flap.sh" $((secs / 3 > 10 ? secs / 3 : 10)) || exit 1
VRS_BIN=$bin bash "$top/tests/soak/instance.sh" 10 || exit 1
python3 "$top/tests/soak/flood.py" --bin "$bin" --routes 200000 --flood 10000 --rounds 5 || exit 1
# persistence: 1,564 changes through the journal (46 passes of the list),
# 1,000 kill -9 at random moments (about 9 min)
VRS_BIN=$bin FX_JOURNAL=1 FX_ROUNDS=46 FX_KILLS=1000 bash "$top/tests/fabric/persist.sh" || exit 1
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
	left=$((end - $(date +%s)))
	python3 "$top/tests/soak/fabric.py" --bin "$bin" --ops "$ops" --seconds "$left" || exit 1
	rounds=$((rounds + 1))
done
echo "soak: $rounds round(s) in $secs s, all the same step by step as from scratch"
