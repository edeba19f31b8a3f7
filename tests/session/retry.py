#!/usr/bin/python3
"""tests/session/retry.py - when vrsd connects again to an active peer.

vrsd (127.0.13.1), which this script configures, starts and stops by its
pid, has one peer with `passive: false` and `connect-retry: 2` on
127.0.13.2:17914, where this script listens and notes when each of vrsd's
connections arrives.  What the README promises:

  * a session that ends before Established doubles the wait: closed
    after vrsd's OPEN, the connections come 2, 4, 8 s apart (the fourth
    is let through to Established);
  * after an Established session ends, the next connection comes 1 s
    later, and the wait starts again from connect-retry: closed at once
    again after its OPEN, 2 s, then 4 s.

And vrs-speaker (127.0.13.3, listening too), whose neighbour is
127.0.13.4:17915, reconnects as ExaBGP 4.2's Delay: closed after its OPEN,
its connections come 0, 1, 2 s apart; a connection from the neighbour,
which it accepts, starts the delay again from 0: closed too, the next
attempt comes at once, not 4 s later.

Each gap is measured at our accept() (or close) and must be within
-0.3/+0.9 s of the promise.  Usage: retry.py [VRS_BIN]; prints 'N passed, N failed'.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notify import KEEPALIVE, open_msg, parse  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    'VRS_BIN', os.path.join(os.path.dirname(__file__), '../../build/bin'))
VRSD, PEER, PORT, RETRY = '127.0.13.1', '127.0.13.2', 17914, 2


def start_vrsd(d):
    sock = os.path.join(d, 'vrsd.sock')
    conf = os.path.join(d, 'vrsd.yaml')
    with open(conf, 'w') as f:
        f.write('router-id: %s\nasn: 65000\nlisten: ["%s:17913"]\n'
                'control: %s\nlog-level: debug\npeers:\n'
                '  - {name: up, address: %s, port: %d, local-address: %s, '
                'asn: 65001, passive: false, connect-retry: %d, '
                'families: [ipv4]}\n'
                % (VRSD, VRSD, sock, PEER, PORT, VRSD, RETRY))
    log = open(os.path.join(d, 'vrsd.log'), 'w')
    p = subprocess.Popen([os.path.join(BIN, 'vrsd'), '-d', '-c', conf],
                         stdout=log, stderr=log)
    return p, log, sock


def accept(ls, timeout=20):
    ls.settimeout(timeout)
    c, _ = ls.accept()
    return c, time.monotonic()


def establish(c):
    """OPEN and KEEPALIVE both ways; True once vrsd's KEEPALIVE is here."""
    c.settimeout(10)
    c.sendall(open_msg(asn=65001, bid=PEER) + KEEPALIVE)
    buf = b''
    end = time.time() + 10
    while time.time() < end:
        d = c.recv(4096)
        if not d:
            return False
        buf += d
        if [t for t, _ in parse(buf)[0]][:2] == [1, 4]:
            return True
    return False


def close_after_open(c):
    """Close once vrsd's OPEN is here (it is in OpenSent, not Connect)."""
    c.settimeout(10)
    c.recv(4096)
    c.close()


def gaps(times):
    return [round(b - a, 2) for a, b in zip(times, times[1:])]


def check(name, got, want):
    bad = [g for g, w in zip(got, want) if not w - 0.3 <= g <= w + 0.9]
    if len(got) != len(want) or bad:
        print('FAIL %s: %s s apart, want %s' % (name, got, want))
        return False
    print('ok   %s: %s s apart' % (name, got))
    return True


def speaker_part(d):
    """vrs-speaker: ExaBGP's delay, and an accepted connection resets it."""
    spk, nb, port = '127.0.13.3', '127.0.13.4', 17915
    conf = os.path.join(d, 'speaker.conf')
    with open(conf, 'w') as f:
        f.write('neighbor %s {\n  router-id 10.0.13.3;\n'
                '  local-address %s;\n  local-as 65010;\n'
                '  peer-as 65011;\n}\n' % (nb, spk))
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((nb, port))
    ls.listen(8)
    env = dict(os.environ, exabgp_tcp_port=str(port), exabgp_tcp_bind=spk,
               exabgp_api_cli='false')
    log = open(os.path.join(d, 'speaker.log'), 'w')
    sp = subprocess.Popen([os.path.join(BIN, 'vrs-speaker'), conf], env=env,
                          stdout=log, stderr=log)
    ok = 0
    try:
        times = []
        for _ in range(4):
            c, t = accept(ls)
            close_after_open(c)
            times.append(t)
        ok += check('vrs-speaker, closed after its OPEN: 0, 1, 2',
                    gaps(times), [0, 1, 2])
        # its next attempt is 3 s away; connect to it first (without the
        # reset the attempt after that one would wait 4 s)
        c = socket.create_connection((spk, port), timeout=5,
                                     source_address=(nb, 0))
        close_after_open(c)
        t0 = time.monotonic()
        c, t = accept(ls, timeout=10)
        close_after_open(c)
        ok += check('vrs-speaker, after a connection it accepted: at once',
                    gaps([t0, t]), [0])
    finally:
        ls.close()
        sp.terminate()
        sp.wait(10)
        log.close()
    return ok


def main():
    d = tempfile.mkdtemp(prefix='vrs-retry.')
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((PEER, PORT))
    ls.listen(8)
    p, log, _ = start_vrsd(d)
    passed = failed = 0
    try:
        # before Established: each close doubles the wait
        times = []
        for i in range(4):
            c, t = accept(ls)
            times.append(t)
            if i < 3:
                close_after_open(c)
        if check('closed before Established: 2, 4, 8', gaps(times),
                 [RETRY, 2 * RETRY, 4 * RETRY]):
            passed += 1
        else:
            failed += 1
        # the fourth is Established, then closed: 1 s, then connect-retry
        if not establish(c):
            raise AssertionError('no OPEN + KEEPALIVE from vrsd')
        time.sleep(0.5)
        c.close()
        times = [time.monotonic()]
        for _ in range(3):
            c, t = accept(ls)
            close_after_open(c)
            times.append(t)
        if check('after an Established session: 1, then 2, 4', gaps(times),
                 [1, RETRY, 2 * RETRY]):
            passed += 1
        else:
            failed += 1
    except (AssertionError, OSError) as e:
        failed += 1
        print('FAIL %s' % e)
    try:
        n = speaker_part(d)
        passed, failed = passed + n, failed + 2 - n
    except (AssertionError, OSError) as e:
        failed += 1
        print('FAIL vrs-speaker: %s' % e)
    finally:
        ls.close()
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.close()
        if p.returncode != 0:
            failed += 1
            print('FAIL vrsd exit status %d after SIGTERM' % p.returncode)
    print('%d passed, %d failed' % (passed, failed))
    if failed:
        print('kept %s' % d)
    else:
        shutil.rmtree(d, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
