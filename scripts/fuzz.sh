#!/usr/bin/env bash
# Run every libFuzzer target of a VRS_FUZZ build (or the NAMEs given:
# frame, lab, ...) for SECONDS each.
#
#   scripts/fuzz.sh BUILD SECONDS [NAME...]
#
# Each target BUILD/fuzz/fuzz_<name> starts from fuzz/corpus/<name>/ and
# writes what it finds to BUILD/fuzz/new/<name>/; at the end the inputs
# that add coverage are merged into fuzz/corpus/<name>/ (named by SHA-1,
# as libFuzzer does), so the corpus grows without duplicates.  Crashes,
# leaks, timeouts and out-of-memory inputs go to BUILD/fuzz/artifacts/
# <name>/ and the log to BUILD/fuzz/<name>.log.  Each run is bounded by
# timeout(1).  Exit 1 if any target found a problem, 2 on usage errors.
#
# FUZZ_JOBS=N runs N targets at a time (default 1); FUZZ_MERGE=0 leaves
# fuzz/corpus/ as it is (what `make check` runs: the tree stays clean);
# FUZZ_TIMEOUT=S is libFuzzer's -timeout, in wall-clock seconds a run
# (default 10; raise it for a campaign niced beside other work, where a
# starved fuzzer can take 10 s over an input that needs 0.2).
set -u

usage() {
	echo "usage: $0 BUILD SECONDS [NAME...]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
build=$1
secs=$2
shift 2
case $secs in
'' | *[!0-9]*) usage ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
out="$build/fuzz"

if [ $# -gt 0 ]; then
	targets=""
	for name in "$@"; do
		[ -x "$out/fuzz_$name" ] || {
			echo "fuzz.sh: no target fuzz_$name in $out" >&2
			exit 2
		}
		targets="$targets fuzz_$name"
	done
else
	targets=$(cd "$out" 2>/dev/null && ls fuzz_* 2>/dev/null | grep -v '_replay$')
fi
if [ -z "$targets" ]; then
	echo "fuzz.sh: no libFuzzer targets in $out (configure with -DVRS_FUZZ=ON, or run make fuzz)" >&2
	exit 2
fi

# Leaks are errors; report UBSan with a stack and stop at the first one.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

jobs_max=${FUZZ_JOBS:-1}
merge=${FUZZ_MERGE:-1}
tmo=${FUZZ_TIMEOUT:-10}
case $jobs_max in '' | *[!0-9]* | 0) usage ;; esac
case $tmo in '' | *[!0-9]* | 0) usage ;; esac

# one target: its report in $out/$name.report, "failed" in $out/$name.failed
fuzz_one() {
	local name=$1 bin=fuzz_$1 corpus new art log extra rc before
	corpus="$top/fuzz/corpus/$name"
	new="$out/new/$name"
	art="$out/artifacts/$name"
	log="$out/$name.log"
	rm -f "$out/$name.failed"
	mkdir -p "$corpus" "$new" "$art"
	extra=""
	case $name in
	# fuzz_frame reads a stream of messages; RFC 8654 allows 65535 each
	frame) extra="-max_len=65535" ;;
	# vrs's messages go to stdout and stderr: keep them out of the log
	# (libFuzzer and the sanitizers still report on a copy of stderr);
	# an ARM import warns about most inputs (341 MB of log in 12 min)
	lab | armimport) extra="-close_fd_mask=3" ;;
	esac
	{
	echo "== fuzz_$name: ${secs}s, corpus fuzz/corpus/$name ($(ls "$corpus" | wc -l) inputs)"
	# shellcheck disable=SC2086
	timeout -k 10 $((secs + 120)) "$out/$bin" $extra \
	    -max_total_time="$secs" -timeout="$tmo" -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/" \
	    "$new" "$corpus" >"$log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$log" | sed 's/^/   /'
	grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -1 | sed 's/^/   /'
	if [ $rc -ne 0 ]; then
		echo "   FAILED (exit $rc): see $log"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|invariant broken|^artifact_prefix|Test unit written' "$log" | head -10 | sed 's/^/   /'
		touch "$out/$name.failed"
	elif [ "$merge" != 0 ]; then
		# keep only what adds coverage
		before=$(ls "$corpus" | wc -l)
		# shellcheck disable=SC2086
		timeout -k 10 600 "$out/$bin" $extra -merge=1 "$corpus" "$new" \
		    >"$out/$name.merge.log" 2>&1 || echo "   merge failed: see $out/$name.merge.log"
		echo "   corpus: $before -> $(ls "$corpus" | wc -l) inputs"
	else
		echo "   corpus left as it was (FUZZ_MERGE=0)"
	fi
	[ -e "$out/$name.failed" ] || rm -rf "$new"
	} >"$out/$name.report" 2>&1
}

names=""
for bin in $targets; do
	name=${bin#fuzz_}
	names="$names $name"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		sleep 1
	done
	fuzz_one "$name" &
done
wait
failed=""
for name in $names; do
	cat "$out/$name.report"
	[ -e "$out/$name.failed" ] && failed="$failed $name"
done

if [ -n "$failed" ]; then
	echo "fuzz.sh: problems found by:$failed (inputs in $out/artifacts/)" >&2
	exit 1
fi
echo "fuzz.sh: no problems found"
