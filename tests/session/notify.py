#!/usr/bin/python3
"""tests/session/notify.py - every error vrsd detects ends in the RFC's
NOTIFICATION, delivered before the close (issue 12).

A raw-TCP BGP peer of our own (stdlib only) on 127.0.12.2 talks to a vrsd
on 127.0.12.1:17912 that this script configures, starts and stops (by its
pid).  For each case it sends the offending bytes and asserts the exact
NOTIFICATION code/subcode received, then end of stream; RFC 7606
treat-as-withdraw and attribute-discard cases assert that the session stays
up and which prefixes vrsd accepted.  A second configured peer (127.0.12.3)
stays Established throughout.  Also: a peer that keeps sending after the
error, one that never reads (vrsd lets go of it within its linger
bound), and vrs-speaker, which shares the session layer.  Usage: notify.py [VRS_BIN]; prints 'N passed, N failed'.
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    'VRS_BIN', os.path.join(os.path.dirname(__file__), '../../build/bin'))
VRSD = ('127.0.12.1', 17912)
ME, STEADY = '127.0.12.2', '127.0.12.3'
MAX_PFX = 8
LINGER = 5  # SESSION_LINGER_SECS in src/session/session_int.h


# ---------------------------------------------------------------- wire
def msg(t, body=b'', marker=b'\xff' * 16, length=None):
    n = 19 + len(body) if length is None else length
    return marker + struct.pack('!HB', n, t) + body


def cap(code, val):
    return bytes([code, len(val)]) + val


def open_msg(asn=65001, hold=90, bid=ME, version=4, params=None, as4=None):
    if params is None:
        caps = cap(1, b'\x00\x01\x00\x01') + cap(
            65, struct.pack('!I', asn if as4 is None else as4))
        params = bytes([2, len(caps)]) + caps
    my = asn if asn < 65536 else 23456
    return msg(1, struct.pack('!BHH4sB', version, my, hold,
                              socket.inet_aton(bid), len(params)) + params)


KEEPALIVE = msg(4)
ORIGIN = b'\x40\x01\x01\x00'
NH = b'\x40\x03\x04' + socket.inet_aton(ME)


def aspath(*asns):
    seg = bytes([2, len(asns)]) + b''.join(struct.pack('!I', a) for a in asns)
    return b'\x40\x02' + bytes([len(seg)]) + seg


def pfx(p):
    a, n = p.split('/')
    n = int(n)
    return bytes([n]) + socket.inet_aton(a)[:(n + 7) // 8]


def update(attrs=b'', nlri=b'', withdrawn=b'', wlen=None, alen=None):
    w = struct.pack('!H', len(withdrawn) if wlen is None else wlen)
    a = struct.pack('!H', len(attrs) if alen is None else alen)
    return msg(2, w + withdrawn + a + attrs + nlri)


GOOD = ORIGIN + aspath(65001) + NH


def parse(b):
    """Messages in b as (type, body), and what follows the last one."""
    out = []
    while len(b) >= 19 and b[:16] == b'\xff' * 16:
        n, t = struct.unpack('!HB', b[16:19])
        if n < 19 or len(b) < n:
            break
        out.append((t, b[19:n]))
        b = b[n:]
    return out, b


# ---------------------------------------------------------------- peer
class Peer:
    def __init__(self, addr=ME):
        self.s = socket.socket()
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind((addr, 0))
        self.s.settimeout(10)
        self.s.connect(VRSD)
        self.buf = b''

    def send(self, b):
        self.s.sendall(b)

    def read_msgs(self, n, timeout=10):
        """Read until n messages are here (or end of stream)."""
        end = time.time() + timeout
        while len(parse(self.buf)[0]) < n and time.time() < end:
            d = self.s.recv(65536)
            if not d:
                break
            self.buf += d
        return parse(self.buf)[0]

    def read_to_end(self, timeout=12):
        """Everything until end of stream: (messages, 'eof'|'reset'|...)."""
        end = time.time() + timeout
        how = 'timeout'
        while time.time() < end:
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                how = 'reset'
                break
            if not d:
                how = 'eof'
                break
            self.buf += d
        msgs, rest = parse(self.buf)
        return msgs, how if not rest else 'junk after messages'

    def establish(self, hold=90):
        self.send(open_msg(hold=hold))
        self.send(KEEPALIVE)
        got = self.read_msgs(2)
        if [t for t, _ in got[:2]] != [1, 4]:
            raise AssertionError('no OPEN + KEEPALIVE from vrsd: %r' % got)

    def close(self):
        self.s.close()


def notification(msgs):
    for t, b in msgs:
        if t == 3:
            return (b[0], b[1]) if len(b) >= 2 else ('short',)
    return None


class Steady(threading.Thread):
    """The second configured peer: Established, answers keepalives."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.broken = None

    def run(self):
        try:
            s = socket.socket()
            s.bind((STEADY, 0))
            s.connect(VRSD)
            s.sendall(open_msg(asn=65002, bid=STEADY))
            s.sendall(KEEPALIVE)
            s.sendall(update(ORIGIN + aspath(65002) + b'\x40\x03\x04' +
                             socket.inet_aton(STEADY), pfx('10.99.0.0/16')))
            s.settimeout(0.5)
            buf = b''
            while not self.stop.is_set():
                try:
                    d = s.recv(65536)
                    if not d:
                        self.broken = 'end of stream'
                        return
                    buf += d
                    msgs, buf = parse(buf)
                    if notification(msgs):
                        self.broken = 'NOTIFICATION %r' % (notification(msgs),)
                        return
                except socket.timeout:
                    pass
                s.sendall(KEEPALIVE)
            s.close()
        except OSError as e:
            self.broken = str(e)


# ---------------------------------------------------------------- vrsd
class Vrsd:
    def __init__(self, d):
        self.sock = os.path.join(d, 'vrsd.sock')
        conf = os.path.join(d, 'vrsd.yaml')
        with open(conf, 'w') as f:
            f.write('router-id: %s\nasn: 65000\nmode: transparent\n'
                    'listen: ["%s:%d"]\ncontrol: %s\nlog-level: debug\n'
                    'peers:\n' % (VRSD[0], VRSD[0], VRSD[1], self.sock))
            f.write('  - {name: tester, address: %s, asn: 65001, passive: '
                    'true, max-prefixes: %d, families: [ipv4]}\n'
                    % (ME, MAX_PFX))
            f.write('  - {name: steady, address: %s, asn: 65002, passive: '
                    'true, families: [ipv4]}\n' % STEADY)
        self.log = open(os.path.join(d, 'vrsd.log'), 'w')
        self.p = subprocess.Popen([os.path.join(BIN, 'vrsd'), '-d', '-c',
                                   conf], stdout=self.log, stderr=self.log)
        for _ in range(100):
            if os.path.exists(self.sock):
                return
            time.sleep(0.1)
        raise SystemExit('vrsd did not start')

    def vrs(self, *args):
        r = subprocess.run([os.path.join(BIN, 'vrs'), '--socket', self.sock,
                            '-o', 'json'] + list(args), capture_output=True,
                           text=True, timeout=10)
        return json.loads(r.stdout) if r.stdout.strip() else None

    def peer(self, name):
        for p in self.vrs('peers') or []:
            if p['name'] == name:
                return p
        return None

    def wait_state(self, name, want, secs=10):
        end = time.time() + secs
        while time.time() < end:
            p = self.peer(name)
            if p and p['state'] == want:
                return p
            time.sleep(0.1)
        raise AssertionError('%s not %s: %r' % (name, want, self.peer(name)))

    def fds(self):
        return len(os.listdir('/proc/%d/fd' % self.p.pid))

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.log.close()
        return self.p.returncode


# ---------------------------------------------------------------- cases
# (name, stage, bytes, (code, subcode)); stage: raw = first bytes on the
# connection, open = after our OPEN and vrsd's OPEN, est = Established.
BAD_MARKER = msg(4, marker=b'\x00' * 16)
CASES = [
    # RFC 4271 6.1: message header errors
    ('header: marker not all ones', 'est', BAD_MARKER, (1, 1)),
    ('header: length 18', 'est', msg(4, length=18), (1, 2)),
    ('header: length 4097 without extended messages', 'est',
     msg(2, b'\x00' * 4078), (1, 2)),
    ('header: unknown type 9', 'est', msg(9), (1, 3)),
    ('header: KEEPALIVE with a body', 'est', msg(4, b'\x00'), (1, 2)),
    ('header: UPDATE of 22 octets', 'est', msg(2, b'\x00\x00\x00'), (1, 2)),
    ('header: ROUTE-REFRESH of 22 octets', 'est', msg(5, b'\x00\x01\x00'),
     (1, 2)),
    ('header: OPEN of 28 octets', 'raw', msg(1, b'\x04' + b'\x00' * 8),
     (1, 2)),
    # RFC 7313 5: BoRR/EoRR of the wrong length
    ('route-refresh: BoRR of 24 octets', 'est',
     msg(5, b'\x00\x01\x01\x01\x00'), (7, 1)),
    # RFC 4271 6.2 (and RFC 5492, RFC 6793, RFC 7607): OPEN errors
    ('open: version 3', 'raw', open_msg(version=3), (2, 1)),
    ('open: bad peer AS', 'raw', open_msg(asn=65099), (2, 2)),
    ('open: AS 0', 'raw', open_msg(asn=0, as4=0,
                                   params=b''), (2, 2)),
    ('open: 4-octet AS capability with AS 0', 'raw', open_msg(as4=0),
     (2, 2)),
    ('open: 4-octet AS capability disagrees', 'raw',
     open_msg(asn=23456, as4=65099), (2, 2)),
    ('open: hold time 1', 'raw', open_msg(hold=1), (2, 6)),
    ('open: hold time 2', 'raw', open_msg(hold=2), (2, 6)),
    ('open: BGP identifier 0', 'raw', open_msg(bid='0.0.0.0'), (2, 3)),
    ('open: unsupported optional parameter 1', 'raw',
     open_msg(params=b'\x01\x02\x00\x00'), (2, 4)),
    ('open: optional parameter overruns its length', 'raw',
     open_msg(params=b'\x02\x08\x01\x04\x00\x01'), (2, 0)),
    ('open: capability overruns its parameter', 'raw',
     open_msg(params=b'\x02\x04\x01\x06\x00\x01'), (2, 0)),
    # RFC 4271 6.6: finite state machine errors
    ('fsm: KEEPALIVE before OPEN', 'raw', KEEPALIVE, (5, 1)),
    ('fsm: UPDATE in OpenConfirm', 'open', update(GOOD, pfx('10.1.0.0/16')),
     (5, 2)),
    ('fsm: second OPEN when Established', 'est', open_msg(), (5, 3)),
    # RFC 4271 6.3 with RFC 7606: UPDATE errors that reset the session
    ('update: withdrawn routes length overruns', 'est',
     update(wlen=200), (3, 1)),
    ('update: total attribute length overruns', 'est',
     update(GOOD, alen=200), (3, 1)),
    ('update: NLRI prefix length 33', 'est',
     update(GOOD, b'\x21\x0a\x01\x00\x00\x00'), (3, 10)),
    ('update: withdrawn prefix length 40', 'est',
     update(withdrawn=b'\x28\x0a\x01\x00\x00\x00'), (3, 10)),
    ('update: NLRI prefix overruns the message', 'est',
     update(GOOD, b'\x18\x0a\x01'), (3, 10)),
    ('update: MP_REACH_NLRI twice', 'est',
     update(GOOD + (b'\x80\x0e\x09\x00\x01\x01\x04' +
            socket.inet_aton(ME) + b'\x00') * 2), (3, 1)),
    ('update: unrecognized well-known attribute', 'est',
     update(GOOD + b'\x40\xc8\x01\x00', pfx('10.1.0.0/16')), (3, 2)),
    ('update: MP_REACH_NLRI next hop length 5', 'est',
     update(ORIGIN + aspath(65001) + b'\x80\x0e\x0b\x00\x01\x01\x05' +
            b'\x7f\x00\x0c\x02\x00\x00\x10\x0a\x02'), (3, 9)),
    ('update: attribute overruns, no NLRI', 'est',
     update(ORIGIN + b'\x40\x02\x20\x02\x01'), (3, 5)),
]


def run_case(v, name, stage, data, want):
    p = Peer()
    try:
        if stage == 'est':
            p.establish()
            v.wait_state('tester', 'Established')
        elif stage == 'open':
            p.send(open_msg())
            if [t for t, _ in p.read_msgs(2)][:2] != [1, 4]:
                raise AssertionError('no OPEN from vrsd')
        p.send(data)
        msgs, how = p.read_to_end()
    finally:
        p.close()
    got = notification(msgs)
    if got != want:
        return 'NOTIFICATION %r, expected %r (messages %r)' % (
            got, want, [t for t, _ in msgs])
    if msgs[-1][0] != 3:
        return 'messages after the NOTIFICATION'
    if how != 'eof':
        return 'after the NOTIFICATION: %s, expected end of stream' % how
    return None


def run_rfc7606(v):
    """Treat-as-withdraw and attribute discard: no NOTIFICATION."""
    cases = [
        ('10.2.1.0/24', GOOD, True, 'valid'),
        ('10.2.2.0/24', ORIGIN + aspath(65001, 0) + NH, False,
         'AS 0 in AS_PATH (RFC 7607, 7606 7.2): treat-as-withdraw'),
        ('10.2.3.0/24', b'\x40\x01\x01\x03' + aspath(65001) + NH, False,
         'ORIGIN 3 (RFC 7606 7.1): treat-as-withdraw'),
        ('10.2.4.0/24', ORIGIN + aspath(65001), False,
         'no NEXT_HOP (RFC 7606 3 d): treat-as-withdraw'),
        ('10.2.5.0/24', GOOD + b'\xc0\x08\x05\x00\x01\x00\x02\x00', False,
         'COMMUNITIES of 5 octets (RFC 7606 7.8): treat-as-withdraw'),
        ('10.2.6.0/24', GOOD + b'\xc0\x07\x08' + b'\x00' * 4 +
         socket.inet_aton(ME), True,
         'AS 0 in AGGREGATOR (RFC 7607, 7606 7.7): attribute discard'),
        ('10.2.7.0/24', GOOD + b'\x40\x06\x01\x00', True,
         'ATOMIC_AGGREGATE of 1 octet (RFC 7606 7.6): attribute discard'),
    ]
    fails = []
    p = Peer()
    p.establish()
    v.wait_state('tester', 'Established')
    # the prefix first announced valid, then malformed: withdrawn
    for prefix, attrs, _, _ in cases:
        p.send(update(GOOD, pfx(prefix)))
    for prefix, attrs, _, _ in cases:
        p.send(update(attrs, pfx(prefix)))
    p.send(KEEPALIVE)
    want = sorted(c[0] for c in cases if c[2])
    end = time.time() + 10
    got = None
    while time.time() < end:
        st = v.peer('tester')
        got = sorted(r['prefix'] for r in routes_of(v, ME))
        if got == want and st['state'] == 'Established':
            break
        time.sleep(0.2)
    if got != want:
        fails.append('rfc7606: accepted %r, expected %r (%s)' % (
            got, want, '; '.join(c[3] for c in cases)))
    p.s.settimeout(0.5)
    try:
        d = p.s.recv(65536)
        if notification(parse(p.buf + d)[0]):
            fails.append('rfc7606: a NOTIFICATION was sent')
    except socket.timeout:
        pass
    p.close()
    v.wait_state('tester', 'Active')
    return fails


def routes_of(v, peer_addr):
    out = []
    for r in v.vrs('routes') or []:
        if isinstance(r, dict) and r.get('peer', r.get('from')) in (
                peer_addr, 'tester'):
            out.append(r)
    return out


def run_maxpfx(v):
    p = Peer()
    p.establish()
    v.wait_state('tester', 'Established')
    nlri = b''.join(pfx('10.3.%d.0/24' % i) for i in range(MAX_PFX + 1))
    p.send(update(GOOD, nlri))
    msgs, how = p.read_to_end()
    p.close()
    got = notification(msgs)
    if got != (6, 1) or how != 'eof':
        return 'max-prefix: %r then %s, expected (6, 1) then eof' % (got, how)
    return None


def run_hold(v):
    p = Peer()
    t0 = time.time()
    p.establish(hold=3)
    msgs, how = p.read_to_end(timeout=10)
    p.close()
    got = notification(msgs)
    if got != (4, 0) or how != 'eof':
        return 'hold timer: %r then %s, expected (4, 0) then eof' % (got, how)
    if time.time() - t0 > 8:
        return 'hold timer: NOTIFICATION after %.1f s' % (time.time() - t0)
    return None


def run_hold_updates(v):
    """UPDATEs alone (no KEEPALIVE) keep the hold timer from expiring;
    it expires a hold time after the last of them."""
    p = Peer()
    p.establish(hold=3)
    v.wait_state('tester', 'Established')
    last = time.time()
    for _ in range(5):  # 5 s of UPDATEs, a second apart: past one hold time
        p.send(update(GOOD, pfx('10.99.0.0/24')))
        last = time.time()
        time.sleep(1)
    msgs, how = p.read_to_end(timeout=10)
    gap = time.time() - last
    p.close()
    got = notification(msgs)
    if got != (4, 0) or how != 'eof':
        return 'hold timer after UPDATEs: %r then %s, expected (4, 0) then ' \
            'eof' % (got, how)
    if gap < 2.5 or gap > 7:
        return 'hold timer after UPDATEs: NOTIFICATION %.1f s after the ' \
            'last UPDATE, expected about 3' % gap
    return None


def run_keeps_sending(v):
    """The peer goes on sending after the error, then reads."""
    p = Peer()
    p.establish()
    v.wait_state('tester', 'Established')
    p.send(BAD_MARKER)
    end = time.time() + 1.5
    try:
        while time.time() < end:
            p.send(KEEPALIVE * 64)
            time.sleep(0.02)
    except OSError as e:
        p.close()
        return 'keeps sending: vrsd reset the connection (%s)' % e
    msgs, how = p.read_to_end()
    p.close()
    got = notification(msgs)
    if got != (1, 1) or how != 'eof':
        return 'keeps sending: %r then %s, expected (1, 1) then eof' % (
            got, how)
    return None


def run_never_reads(v):
    """A peer that never reads nor closes: vrsd lets go after its bound."""
    base = v.fds()
    p = Peer()
    p.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    p.establish()
    v.wait_state('tester', 'Established')
    p.send(BAD_MARKER)
    v.wait_state('tester', 'Active')
    end = time.time() + LINGER + 5
    while time.time() < end and v.fds() > base:
        time.sleep(0.2)
    left = v.fds() - base
    msgs, how = p.read_to_end(timeout=2)
    p.close()
    if left > 0:
        return 'never reads: vrsd still holds %d more descriptors after ' \
            '%d s' % (left, LINGER + 5)
    if notification(msgs) != (1, 1):
        return 'never reads: %r in the receive buffer' % (notification(msgs),)
    return None


def run_speaker(d):
    """vrs-speaker shares the session layer: the same delivery."""
    conf = os.path.join(d, 'nva.conf')
    with open(conf, 'w') as f:
        f.write('neighbor 127.0.12.5 {\n  router-id 127.0.12.6;\n'
                '  local-address 127.0.12.6;\n  local-as 65010;\n'
                '  peer-as 65000;\n}\n')
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.12.5', 17913))
    ls.listen(1)
    ls.settimeout(15)
    env = dict(os.environ, exabgp_tcp_port='17913')
    log = open(os.path.join(d, 'speaker.log'), 'w')
    sp = subprocess.Popen([os.path.join(BIN, 'vrs-speaker'), conf], env=env,
                          stdout=log, stderr=log)
    try:
        c, _ = ls.accept()
        p = Peer.__new__(Peer)
        p.s, p.buf = c, b''
        c.settimeout(10)
        c.sendall(open_msg(asn=65000, bid='127.0.12.5') + KEEPALIVE)
        if [t for t, _ in p.read_msgs(2)][:2] != [1, 4]:
            return 'speaker: no OPEN + KEEPALIVE'
        c.sendall(BAD_MARKER)
        msgs, how = p.read_to_end()
        c.close()
    finally:
        ls.close()
        sp.terminate()
        sp.wait(10)
        log.close()
    if notification(msgs) != (1, 1) or how != 'eof':
        return 'speaker: %r then %s, expected (1, 1) then eof' % (
            notification(msgs), how)
    return None


def main():
    d = tempfile.mkdtemp(prefix='vrs-notify.')
    v = Vrsd(d)
    steady = Steady()
    passed = failed = 0
    keep = False
    try:
        steady.start()
        v.wait_state('steady', 'Established')
        flaps0 = v.peer('steady')['flaps']
        results = []
        for name, stage, data, want in CASES:
            v.wait_state('tester', 'Active')
            try:
                results.append((name, run_case(v, name, stage, data, want)))
            except (AssertionError, OSError) as e:
                results.append((name, str(e)))
        for name, fn in (('rfc7606 outcomes', run_rfc7606),
                         ('cease: maximum number of prefixes', run_maxpfx),
                         ('hold timer expired', run_hold),
                         ('UPDATEs restart the hold timer',
                          run_hold_updates),
                         ('a peer that keeps sending', run_keeps_sending),
                         ('a peer that never reads', run_never_reads)):
            v.wait_state('tester', 'Active')
            try:
                r = fn(v)
                if isinstance(r, list):
                    r = '; '.join(r) or None
            except (AssertionError, OSError) as e:
                r = str(e)
            results.append((name, r))
        try:
            results.append(('vrs-speaker: marker not all ones',
                            run_speaker(d)))
        except (AssertionError, OSError) as e:
            results.append(('vrs-speaker: marker not all ones', str(e)))
        st = v.peer('steady')
        if steady.broken or st['state'] != 'Established' or \
                st['flaps'] != flaps0:
            results.append(('the other peer stays Established',
                            '%s, state %s, flaps %d' % (
                                steady.broken, st['state'], st['flaps'])))
        else:
            results.append(('the other peer stays Established', None))
        for name, why in results:
            if why is None:
                passed += 1
                print('ok   %s' % name)
            else:
                failed += 1
                keep = True
                print('FAIL %s: %s' % (name, why))
        if v.p.poll() is not None:
            failed += 1
            print('FAIL vrsd exited with %d' % v.p.returncode)
    finally:
        steady.stop.set()
        rc = v.stop()
        # SIGTERM: a clean exit 0 (under ASan also: no leak, no error)
        if rc != 0:
            failed += 1
            keep = True
            print('FAIL vrsd exit status %d after SIGTERM' % rc)
        if keep:
            print('vrsd log kept in %s/vrsd.log' % d)
        else:
            shutil.rmtree(d)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
