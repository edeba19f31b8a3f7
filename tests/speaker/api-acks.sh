#!/usr/bin/env bash
# tests/speaker/api-acks.sh - vrs-speaker answers the text API's commands
# one by one and in order (api.ack on) when a process writes many of them
# in one write: the answers to one read are written together, so this
# checks that batching them keeps each answer in its command's place,
# also when one read's answers overflow the 4 KiB batch buffer.
# (ExaBGP 4.2.21 answers such a batch out of order: a command it refuses
# at once is answered before the routes queued ahead of it; vrs-speaker
# keeps the order, as its README says.)
#
#   tests/speaker/api-acks.sh    (VRS_BIN: the folder of vrs-speaker)
#
# The neighbour 127.0.77.2 is never reachable (nothing listens on the
# port): the commands need only its configuration.
. "$(dirname "$0")/../common.sh"
SPK=$VRS_BIN/vrs-speaker
PORT=${PORT:-22091}

# the commands: batch 1 (6 lines), batch 2 (1,000 lines, every 7th one
# refused: 5,143 bytes of answers to one read, more than the 4 KiB buffer;
# the others are comments, which need no established neighbour)
{
    printf 'announce route 10.0.0.0/24 next-hop 192.0.2.1\n'
    printf 'this is not a command\n'
    printf 'announce route 10.0.1.0/24 next-hop 192.0.2.1\n'
    printf 'withdraw route 10.0.0.0/24 next-hop 192.0.2.1\n'
    printf 'announce route 10.0.2.0/33 next-hop 192.0.2.1\n'
    printf 'announce route 10.0.3.0/24 next-hop 192.0.2.1\n'
} > "$T/batch1"
printf '%s\n' done error done done error done > "$T/want1"
: > "$T/batch2"
: > "$T/want2"
for ((i = 0; i < 1000; i++)); do # short lines: one read takes them all
    if [ $((i % 7)) = 3 ]; then
        echo "bogus $i" >> "$T/batch2"
        echo error >> "$T/want2"
    else
        echo "# comment $i" >> "$T/batch2" # ExaBGP: "done"
        echo done >> "$T/want2"
    fi
done

# the process: each batch in one write (one cat of a file of < 64 KiB),
# then its answers read line by line into gotN
cat > "$T/feed.sh" << FEED
#!/bin/sh
n=0
cat "$T/batch1"
while [ \$n -lt 6 ] && read -r l; do echo "\$l" >> "$T/got1"; n=\$((n + 1)); done
n=0
cat "$T/batch2"
while [ \$n -lt 1000 ] && read -r l; do echo "\$l" >> "$T/got2"; n=\$((n + 1)); done
echo end > "$T/fed"
exec cat > /dev/null
FEED
chmod +x "$T/feed.sh"
cat > "$T/speaker.conf" << CONF
process feed {
    run $T/feed.sh;
    encoder text;
}
neighbor 127.0.77.2 {
    router-id 192.0.2.9;
    local-address 127.0.77.1;
    local-as 65001;
    peer-as 65002;
    api { processes [ feed ]; }
}
CONF
start_bg "$T/speaker.log" env exabgp.tcp.port="$PORT" exabgp.api.cli=false \
    exabgp.api.ack=true "$SPK" "$T/speaker.conf"
if wait_for 20 test -s "$T/fed"; then
    ok "the process read every answer"
else
    bad "the process read every answer" "$(tail -5 "$T/speaker.log")"
fi
if diff "$T/want1" "$T/got1" > "$T/diff1" 2>&1; then
    ok "6 commands in one write: done error done done error done, in order"
else
    bad "6 commands in one write: answers in order" "$(head -20 "$T/diff1")"
fi
if diff "$T/want2" "$T/got2" > "$T/diff2" 2>&1; then
    ok "1,000 commands in one write: 857 done and 143 error, each in its place"
else
    bad "1,000 commands in one write: answers in order" "$(head -20 "$T/diff2")"
fi
check_done
