#!/usr/bin/env python3
"""tests/lab/metrics.py SOCKET [PATH] - with PATH, GET it from vrsd's
control socket and print the body.  Without: GET /metrics from it,
check it is Prometheus text exposition format 0.0.4 (a HELP and a TYPE
before each family's samples, each family once, no duplicate series,
well-formed names, labels and values), and print the samples, one
"name{labels} value" a line, for the test to read.  Exit 1 on any
violation, with the line."""
import re
import socket
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABELS = r'\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,|(?=\})))*\}'
SAMPLE = re.compile(r"^(%s)(%s)? (-?[0-9.eE+-]+|NaN|[+-]Inf)$" % (NAME, LABELS))


def fetch(sock, path="/metrics"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock)
    s.sendall(b"GET " + path.encode() + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return head.decode(), body.decode()


def main():
    if len(sys.argv) > 2:
        print(fetch(sys.argv[1], sys.argv[2])[1])
        return
    head, body = fetch(sys.argv[1])
    lines = head.split("\r\n")
    if not lines[0].startswith("HTTP/1.") or " 200 " not in lines[0]:
        sys.exit("status: " + lines[0])
    if not any(l.lower() == "content-type: text/plain; version=0.0.4; charset=utf-8" for l in lines):
        sys.exit("content-type: " + head)
    typed, helped, done, series = {}, set(), set(), set()
    current = None
    for n, line in enumerate(body.split("\n"), 1):
        if line == "":
            continue
        m = re.match(r"^# (HELP|TYPE) (%s) (.+)$" % NAME, line)
        if m:
            kind, fam, rest = m.groups()
            if fam in done:
                sys.exit("line %d: family %s again: %s" % (n, fam, line))
            if current is not None and current != fam:
                done.add(current)
            current = fam
            if kind == "TYPE":
                if rest not in ("counter", "gauge", "untyped"):
                    sys.exit("line %d: type %s" % (n, rest))
                typed[fam] = rest
            else:
                helped.add(fam)
            continue
        m = SAMPLE.match(line)
        if not m:
            sys.exit("line %d: not a sample: %r" % (n, line))
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        if name != current or name not in typed or name not in helped:
            sys.exit("line %d: %s without its HELP and TYPE just before" % (n, name))
        if (name, labels) in series:
            sys.exit("line %d: duplicate series %s%s" % (n, name, labels))
        series.add((name, labels))
        if typed[name] == "counter" and float(value) < 0:
            sys.exit("line %d: negative counter" % n)
        print(line)


main()
