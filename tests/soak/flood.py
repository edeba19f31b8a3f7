#!/usr/bin/env python3
"""tests/soak/flood.py - stalled and slow peers, and a connection flood
(issue 10), against a real vrsd on loopback.

vrsd (transparent, 127.0.170.1 port 22801) has six configured, passive
peers, each a BGP speaker of this script (hold time 3, keepalive 1 s):

  a     announces ROUTES routes, each with its own MED (one UPDATE each)
  b     receives them: it must get them all, however the others behave
  nr    reads the OPEN and KEEPALIVE, then never reads again (receive
        buffer 4 KiB) but keeps sending KEEPALIVEs: vrsd must stop
        buffering for it and drop it (Cease 6/8, "peer stopped reading")
  ns    never reads and never sends after the OPEN: hold timer expiry
  slow  reads 64 KiB every 0.25 s (hold time 30): served to the end
  st    a TCP connection that sends half an OPEN and stalls

then FLOOD TCP connections (10,000 by default) come from unconfigured
127.201.0.0/16 addresses, up to 200 at a time, from a separate process.
Throughout, a and b record when each message from vrsd arrives: the
longest gap is the keepalive timeliness.  Checks: a and b Established
with no flap, b got every route, nr and ns dropped for the right
reasons, slow got every route and is up, vrsd's RSS bounded and its
file descriptors back to the baseline after the flood.  Figures are
printed.

  flood.py --bin BUILD/bin [--routes N] [--flood N] [--rounds N]
"""

import argparse
import json
import os
import select
import selectors
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ADDR, PORT = '127.0.170.1', 22801
KA = b'\xff' * 16 + struct.pack('!HB', 19, 4)


def msg(t, body):
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), t) + body


def open_msg(asn, hold, rid):
    caps = b'\x01\x04\x00\x01\x00\x01' + b'\x41\x04' + struct.pack('!I', asn)
    opt = bytes([2, len(caps)]) + caps
    return msg(1, struct.pack('!BHH4sB', 4, asn, hold, socket.inet_aton(rid),
                              len(opt)) + opt)


def update(i, asn, nh):
    """Route i: 10.x.y.0/24 with MED i, so that each is its own UPDATE."""
    a = (b'\x40\x01\x01\x00' +
         b'\x40\x02\x06\x02\x01' + struct.pack('!I', asn) +
         b'\x40\x03\x04' + socket.inet_aton(nh) +
         b'\x80\x04\x04' + struct.pack('!I', i))
    p = 10 << 16 | i
    nlri = bytes([24, p >> 16 & 255, p >> 8 & 255, p & 255])
    return msg(2, b'\x00\x00' + struct.pack('!H', len(a)) + a + nlri)


def nlri_count(b):
    n = 0
    while b:
        n += 1
        b = b[1 + (b[0] + 7) // 8:]
    return n


class Peer(threading.Thread):
    """One configured peer: OPEN, then its behaviour in run()."""

    def __init__(self, name, src, asn, hold=3, read=True, keepalive=True,
                 rcvbuf=None, chunk=None):
        super().__init__(daemon=True)
        self.name, self.src, self.asn, self.hold = name, src, asn, hold
        self.read, self.keepalive, self.chunk = read, keepalive, chunk
        self.lock = threading.Lock()
        self.s = socket.socket()
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.bind((src, 0))
        self.s.settimeout(10)
        self.s.connect((ADDR, PORT))
        self.s.settimeout(None)  # sends block; reads wait in select
        self.s.sendall(open_msg(asn, hold, src))
        self.buf = b''
        self.got_open = self.up = False
        self.eof = None
        self.notif = None
        self.prefixes = 0
        self.times = []
        self.stop = False
        end = time.time() + 10
        while not self.up and self.eof is None and time.time() < end:
            self._recv(65536)
        if not self.up:
            raise RuntimeError('%s: no session (%s)' % (name, self.eof))

    def send(self, b):
        with self.lock:
            self.s.sendall(b)

    def _recv(self, n, wait=0.2):
        if not select.select([self.s], [], [], wait)[0]:
            return
        try:
            d = self.s.recv(n)
        except OSError as e:
            self.eof = 'reset (%s)' % e.strerror
            return
        if not d:
            self.eof = 'eof'
            return
        now = time.monotonic()
        self.buf += d
        while len(self.buf) >= 19:
            ln, t = struct.unpack('!HB', self.buf[16:19])
            if len(self.buf) < ln:
                break
            body, self.buf = self.buf[19:ln], self.buf[ln:]
            self.times.append(now)
            if t == 1:
                self.got_open = True
                self.s.sendall(KA)
            elif t == 4 and self.got_open:
                self.up = True
            elif t == 3:
                self.notif = (body[0], body[1])
            elif t == 2:
                wl = struct.unpack('!H', body[:2])[0]
                al = struct.unpack('!H', body[2 + wl:4 + wl])[0]
                self.prefixes += nlri_count(body[4 + wl + al:])

    def run(self):
        next_ka = time.monotonic() + self.hold / 3
        while not self.stop and self.eof is None:
            if self.read:
                self._recv(self.chunk or 1 << 20)
                if self.chunk:
                    time.sleep(0.25)
            else:
                time.sleep(0.2)
            if self.keepalive and time.monotonic() >= next_ka:
                next_ka += self.hold / 3
                try:
                    self.send(KA)
                except OSError as e:
                    self.eof = 'send: %s' % e.strerror

    def max_gap(self, since):
        t = [x for x in self.times if x >= since] + [time.monotonic()]
        return max(b - a for a, b in zip(t, t[1:])) if len(t) > 1 else 0.0


def flood(n, conc, secs):
    """n connections from 127.201.0.0/16, conc at a time; JSON figures."""
    sel = selectors.DefaultSelector()
    st = {'closed': 0, 'refused': 0, 'timeout': 0, 'other': 0}
    started = 0
    live = {}
    t0 = time.monotonic()
    end = t0 + secs
    while (started < n or live) and time.monotonic() < end:
        while started < n and len(live) < conc:
            s = socket.socket()
            s.setblocking(False)
            i = started
            s.bind(('127.201.%d.%d' % (i // 250, i % 250 + 1), 0))
            s.connect_ex((ADDR, PORT))
            sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
            live[s] = time.monotonic()
            started += 1
        now = time.monotonic()
        for s, t in list(live.items()):
            if now - t > 5:
                st['timeout'] += 1
                sel.unregister(s)
                s.close()
                del live[s]
        for k, _ in sel.select(0.05):
            s = k.fileobj
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            what = None
            if err == 111:
                what = 'refused'
            elif err:
                what = 'other'
            else:
                try:
                    if s.recv(1) == b'':
                        what = 'closed'
                    else:
                        what = 'other'
                except BlockingIOError:
                    sel.modify(s, selectors.EVENT_READ)  # connected: wait
                    continue
                except ConnectionResetError:
                    what = 'closed'
                except OSError:
                    what = 'other'
            st[what] += 1
            sel.unregister(s)
            s.close()
            del live[s]
    st['started'] = started
    st['seconds'] = round(time.monotonic() - t0, 2)
    print(json.dumps(st))


class Check:
    def __init__(self):
        self.passes = self.fails = 0

    def __call__(self, cond, what, detail=''):
        if cond:
            print('ok   ' + what)
            self.passes += 1
        else:
            print('FAIL ' + what)
            if detail:
                print('     ' + str(detail))
            self.fails += 1
        sys.stdout.flush()


def proc(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', default=os.path.join(
        os.path.dirname(__file__), '..', '..', 'build', 'bin'))
    ap.add_argument('--routes', type=int, default=40000)
    ap.add_argument('--flood', type=int, default=10000)
    ap.add_argument('--rounds', type=int, default=1)
    ap.add_argument('--flood-only', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--seconds', type=float, default=60)
    o = ap.parse_args()
    if o.flood_only:
        flood(o.flood, 200, o.seconds)
        return 0
    ck = Check()
    tmp = tempfile.mkdtemp(prefix='vrs-flood.')
    peers = [('a', 2, 65001, {}), ('b', 3, 65002, {}), ('nr', 4, 65003, {}),
             ('ns', 5, 65004, {}), ('slow', 6, 65005, {}),
             ('st', 7, 65006, {})]
    with open(tmp + '/vrsd.yaml', 'w') as f:
        f.write('router-id: %s\nasn: 65000\nlisten: ["%s:%d"]\n'
                'mode: transparent\ncontrol: %s/vrsd.sock\n'
                'log-level: warning\npeers:\n' % (ADDR, ADDR, PORT, tmp))
        for n, i, asn, _ in peers:
            f.write('  - { name: %s, address: 127.0.170.%d, asn: %d, '
                    'passive: true }\n' % (n, i, asn))
    log = open(tmp + '/vrsd.log', 'w')
    vrs_bin = os.path.abspath(o.bin)
    d = subprocess.Popen([vrs_bin + '/vrsd', '-c', tmp + '/vrsd.yaml'],
                         stdout=log, stderr=subprocess.STDOUT)

    def vrs(*a):
        r = subprocess.run([vrs_bin + '/vrs', '--socket', tmp + '/vrsd.sock',
                            '-o', 'json'] + list(a), capture_output=True,
                           text=True, timeout=20)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def state():
        return {p['name']: p for p in vrs('peers') or []}

    try:
        for _ in range(100):
            if os.path.exists(tmp + '/vrsd.sock') and vrs('peers'):
                break
            time.sleep(0.1)
        rss0 = proc(d.pid, 'VmRSS')
        a = Peer('a', '127.0.170.2', 65001)
        b = Peer('b', '127.0.170.3', 65002)
        for p in (a, b):
            p.start()
        st = socket.socket()
        st.bind(('127.0.170.7', 0))
        st.connect((ADDR, PORT))
        st.sendall(open_msg(65006, 3, '127.0.170.7')[:10])
        nr = Peer('nr', '127.0.170.4', 65003, read=False, rcvbuf=4096)
        ns = Peer('ns', '127.0.170.5', 65004, read=False, keepalive=False,
                  rcvbuf=4096)
        slow = Peer('slow', '127.0.170.6', 65005, hold=30, chunk=65536)
        for p in (nr, ns, slow):
            p.start()
        t_all = time.monotonic()

        # 1. a announces; b must get everything while nr, ns, slow, st stall
        t0 = time.monotonic()
        batch = b''
        for i in range(o.routes):
            batch += update(i, 65001, '127.0.170.2')
            if len(batch) > 1 << 16:
                a.send(batch)
                batch = b''
        a.send(batch)
        end = time.monotonic() + 60
        while b.prefixes < o.routes and time.monotonic() < end and \
                b.eof is None:
            time.sleep(0.05)
        tb = time.monotonic() - t0
        ck(b.prefixes == o.routes,
           'b received all %d routes of a in %.1f s (%.0f routes/s) '
           'while nr, ns, slow and st stalled' %
           (o.routes, tb, o.routes / max(tb, 0.001)),
           '%d received, %s' % (b.prefixes, b.eof))
        end = time.monotonic() + 20
        while time.monotonic() < end:
            s = state()
            if s['nr']['state'] != 'Established' and \
                    s['ns']['state'] != 'Established':
                break
            time.sleep(0.2)
        t_drop = time.monotonic() - t0
        s = state()
        ck(s['nr']['state'] != 'Established' and
           'stopped reading' in s['nr']['lastError'],
           'nr (never reads, sends KEEPALIVEs) dropped: %s' %
           s['nr']['lastError'], s['nr'])
        ck(s['ns']['state'] != 'Established' and
           'hold' in s['ns']['lastError'].lower(),
           'ns (never reads, silent) dropped: %s' % s['ns']['lastError'],
           s['ns'])
        print('     both within %.1f s of the first UPDATE (hold time 3 s)' %
              t_drop)
        hwm = proc(d.pid, 'VmHWM')
        rss1 = proc(d.pid, 'VmRSS')
        end = time.monotonic() + 120
        while slow.prefixes < o.routes and time.monotonic() < end and \
                slow.eof is None:
            time.sleep(0.2)
        ck(slow.prefixes == o.routes and slow.eof is None,
           'slow (64 KiB per 0.25 s) got all %d routes in %.1f s, '
           'session up' % (o.routes, time.monotonic() - t0),
           '%d, %s' % (slow.prefixes, slow.eof))
        ck(a.eof is None and b.eof is None,
           'a and b still connected', '%s %s' % (a.eof, b.eof))
        gap = max(a.max_gap(t_all), b.max_gap(t_all))
        ck(gap < 2.5, 'longest gap between messages to a or b while '
           'peers stalled: %.2f s (keepalive 1 s, hold 3 s)' % gap)
        print('     vrsd RSS: %d kB idle, %d kB with the %d routes, '
              'peak %d kB' % (rss0, rss1, o.routes, hwm))
        # memory bounded: what vrsd buffers for a peer that does not read
        # is capped (SESSION_OUTQ_HIGH, 1 MiB) until it is dropped, so the
        # peak is the routes' own cost (under 256 B each) plus a few MiB
        ck(hwm - rss0 < o.routes // 4 + 8 * 1024,
           'memory bounded: peak %d kB over idle for %d routes '
           '(%d B a route, < 256 B + 8 MiB)' %
           (hwm - rss0, o.routes, (hwm - rss0) * 1024 // o.routes))

        # 2. the flood, from a separate process, rounds times; first the
        # dropped peers' connections go (vrsd lingers up to 5 s on them)
        nr.stop = ns.stop = True
        for p in (nr, ns):
            p.join(5)
            p.s.close()
        time.sleep(max(1.0, t0 + t_drop + 6 - time.monotonic()))
        fd0, r0 = fds(d.pid), proc(d.pid, 'VmRSS')
        for r in range(o.rounds):
            t1 = time.monotonic()
            fl = subprocess.run([sys.executable, __file__, '--flood-only',
                                 '--flood', str(o.flood), '--seconds', '60'],
                                capture_output=True, text=True, timeout=90)
            try:
                f = json.loads(fl.stdout)
            except ValueError:
                ck(False, 'the flood ran', fl.stdout + fl.stderr)
                break
            done = f['closed'] + f['refused']
            ck(f['started'] == o.flood and done == o.flood and
               f['seconds'] < 60,
               'flood %d: %d connections from unconfigured 127.201.0.0/16 '
               'in %.1f s (%.0f/s): %d accepted and closed by vrsd, '
               '%d refused, %d timed out' %
               (r + 1, f['started'], f['seconds'],
                f['started'] / max(f['seconds'], 0.001), f['closed'],
                f['refused'], f['timeout']), f)
            gap = max(a.max_gap(t1), b.max_gap(t1))
            s = state()
            ck(s['a']['state'] == 'Established' and
               s['b']['state'] == 'Established' and
               s['a']['flaps'] == 0 and s['b']['flaps'] == 0 and
               a.eof is None and b.eof is None,
               'flood %d: a and b Established, no flap' % (r + 1),
               (s['a'], s['b']))
            ck(gap < 2.5,
               'flood %d: longest gap between keepalives to a or b: '
               '%.2f s (keepalive 1 s, hold 3 s)' % (r + 1, gap))
        end = time.monotonic() + 10
        while fds(d.pid) != fd0 and time.monotonic() < end:
            time.sleep(0.1)
        fd1, r1 = fds(d.pid), proc(d.pid, 'VmRSS')
        ck(fd1 == fd0, 'vrsd file descriptors after the flood: %d, as '
           'before (%d)' % (fd1, fd0))
        print('     vrsd RSS before the flood %d kB, after %d kB' % (r0, r1))
        ck(d.poll() is None, 'vrsd still running')
        a.stop = b.stop = slow.stop = True
        st.close()
    except (OSError, RuntimeError, KeyError, TypeError) as e:
        ck(False, 'ran to the end', repr(e))
    finally:
        if d.poll() is None:
            d.terminate()
            try:
                d.wait(10)
            except subprocess.TimeoutExpired:
                d.kill()
        log.close()
        if ck.fails:
            print('vrsd log:\n' + open(tmp + '/vrsd.log').read()[-2000:])
        subprocess.run(['rm', '-rf', tmp])
    print('%d passed, %d failed' % (ck.passes, ck.fails))
    return 1 if ck.fails else 0


if __name__ == '__main__':
    sys.exit(main())
