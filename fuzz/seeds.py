#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""fuzz/seeds.py - regenerate the seed corpora of the fuzz targets.

Seeds come from two places:

  * every `raw` line of ExaBGP's functional tests (qa/ci/*.msg, copied
    under ../shared/conformance/exabgp; 3-clause BSD, see LICENCE-exabgp.txt
    there): colons stripped, lines holding a '#' skipped;
  * hand-made messages below (OPENs with the capabilities peers send,
    UPDATEs with the attributes and families vrs handles, NOTIFICATION and
    ROUTE-REFRESH), built field by field.

Files are named by the SHA-1 of their contents, as libFuzzer names its own
finds, so running this again adds nothing twice and removes nothing:
inputs found by fuzzing stay.  Input shapes (see fuzz/fuzz.h):

  frame    selector byte, then a stream of whole messages
  open     OPEN body (after the 19-byte header)
  update   selector byte [+ 4-octet peer AS], then UPDATE body
  exaconf  an ExaBGP configuration file: labs/*.conf, ExaBGP's own
           etc/exabgp/*.conf (same licence), those the tests write
  exaapi   selector byte, then text-API lines: what ExaBGP's test
           programs write (api-programs/*.txt), the CLI commands of
           tests/speaker/cli-compare.sh, and a few below
  lab      a lab file: labs/*.yaml, those the tests write
  vrsdconf a vrsd configuration: the README's, those the tests write
  arm      selector byte, then an ARM resource body: each resource of
           spec 9's topology (fuzz_topo.h) as the API renders it, and
           variations
  session  selector byte (fuzz_session.c), then what a peer sends: the
           UPDATEs above and the conformance cases', whole sessions
  speaker  the same as session (fuzz_speaker.c's selector bits agree)
  live     selector byte (fuzz_live.c), then what nva1 or onprem sends to
           spec 9's route server or VPN gateway

Usage: fuzz/seeds.py [--shared DIR] [--out DIR]
"""

import argparse
import glob
import hashlib
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# fuzz.h selector bits
AS4, EBGP, ADDPATH4, ADDPATH6, KEEP_UNKNOWN, PEER_AS = 1, 2, 4, 8, 0x10, 0x20
EXT_MSG = 0x80

# selectors each conformance UPDATE body is written with: ExaBGP's test
# sessions are 4-octet iBGP; the others reach the 2-octet, eBGP and
# ADD-PATH paths of the decoder with realistic bytes
UPDATE_SELECTORS = (AS4, 0, AS4 | EBGP, AS4 | ADDPATH4 | ADDPATH6 | KEEP_UNKNOWN)

MSG_OPEN, MSG_UPDATE, MSG_NOTIFICATION, MSG_KEEPALIVE, MSG_RREFRESH = 1, 2, 3, 4, 5


def u16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("!I", v)


def msg(mtype, body):
    """A whole BGP message: marker, length, type, body (RFC 4271 4.1)."""
    return b"\xff" * 16 + u16(19 + len(body)) + bytes([mtype]) + body


# ---- conformance data -------------------------------------------------

RAW = re.compile(r"^[^:]*:raw:(.*)$")


def conformance_streams(shared):
    """{case: [message bytes, ...]} from every qa/ci/*.msg raw line."""
    streams = {}
    pattern = os.path.join(shared, "conformance", "exabgp", "qa", "ci", "*.msg")
    files = sorted(glob.glob(pattern))
    if not files:
        sys.exit("seeds.py: no %s (is --shared right?)" % pattern)
    for path in files:
        msgs = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if "#" in line:
                    continue
                m = RAW.match(line)
                if m is None:
                    continue
                msgs.append(bytes.fromhex(m.group(1).replace(":", "")))
        if msgs:
            streams[os.path.basename(path)] = msgs
    return streams


# ---- hand-made OPEN messages (RFC 4271 4.2, RFC 5492) -----------------


def cap(code, value=b""):
    return bytes([code, len(value)]) + value


def mp(afi, safi):  # RFC 4760 8
    return cap(1, u16(afi) + b"\x00" + bytes([safi]))


CAP_MP4 = mp(1, 1)
CAP_MP6 = mp(2, 1)
CAP_RR = cap(2)  # RFC 2918
CAP_RR_CISCO = cap(128)
CAP_ERR = cap(70)  # RFC 7313
CAP_EXT_MSG = cap(6)  # RFC 8654
CAP_EXT_NH = cap(5, u16(1) + u16(1) + u16(2))  # RFC 8950: v4 over v6
# RFC 4724 3: restart state bit, 120 s; v4 and v6 with forwarding state
CAP_GR = cap(64, u16(0x8000 | 120) + u16(1) + b"\x01\x80" + u16(2) + b"\x01\x80")
# RFC 7911 4: send and receive for v4 and v6 unicast
CAP_ADDPATH = cap(69, u16(1) + b"\x01\x03" + u16(2) + b"\x01\x03")
CAP_ROLE = cap(9, b"\x03")  # RFC 9234: customer
CAP_LLGR = cap(71, u16(1) + b"\x01\x00" + b"\x00\x0e\x10")


def cap_as4(asn):  # RFC 6793
    return cap(65, u32(asn))


def cap_fqdn(host, domain):  # draft-walton-bgp-hostname-capability
    return cap(73, bytes([len(host)]) + host + bytes([len(domain)]) + domain)


def open_body(my_as, hold, bgp_id, params, ext=False, version=4):
    """params: list of lists of capabilities, one list per parameter."""
    if ext:  # RFC 9072: 255, type 255, 2-octet lengths everywhere
        p = b"".join(b"\x02" + u16(len(b"".join(c))) + b"".join(c) for c in params)
        opt = b"\xff\xff" + u16(len(p)) + p
    else:
        p = b"".join(bytes([2, len(b"".join(c))]) + b"".join(c) for c in params)
        opt = bytes([len(p)]) + p
    return bytes([version]) + u16(my_as) + u16(hold) + u32(bgp_id) + opt


ID = 0x0A000001  # 10.0.0.1

OPENS = [
    # no optional parameters at all
    open_body(65001, 90, ID, []),
    # FRR style: one capability per parameter
    open_body(
        65001,
        180,
        ID,
        [
            [CAP_MP4],
            [CAP_MP6],
            [CAP_RR],
            [CAP_RR_CISCO],
            [CAP_ERR],
            [cap_as4(65001)],
            [CAP_ADDPATH],
            [cap_fqdn(b"frr1", b"example.net")],
            [CAP_GR],
        ],
    ),
    # BIRD style: everything in one parameter, a 4-octet AS behind AS_TRANS
    open_body(
        23456,
        240,
        ID,
        [
            [
                CAP_MP4,
                CAP_MP6,
                CAP_RR,
                CAP_EXT_NH,
                CAP_EXT_MSG,
                cap_as4(4200000001),
                CAP_GR,
                CAP_ROLE,
                CAP_LLGR,
            ]
        ],
    ),
    # ExaBGP style, hold time 0 (no keepalives)
    open_body(65533, 0, ID, [[CAP_MP4, CAP_MP6, cap_as4(65533), CAP_ADDPATH, CAP_RR]]),
    # RFC 9072 extended parameters: small, and needed (> 255 bytes)
    open_body(65001, 90, ID, [[CAP_MP4, cap_as4(65001)]], ext=True),
    open_body(
        65001,
        90,
        ID,
        [[CAP_MP4, CAP_MP6, cap_as4(65001)], [cap_fqdn(b"h" * 150, b"d" * 100)], [CAP_ADDPATH]],
        ext=True,
    ),
    # a family vrs does not carry, a capability nobody knows
    open_body(65001, 90, ID, [[mp(1, 128), mp(25, 65), cap(200, b"\x01\x02\x03")]]),
    # malformed ones, for the error paths
    open_body(65001, 90, ID, [[CAP_MP4]], version=3),  # 2/1
    open_body(65001, 2, ID, [[CAP_MP4]]),  # 2/6
    open_body(65001, 90, 0, [[CAP_MP4]]),  # 2/3
    open_body(65001, 90, ID, [[cap_as4(0)]]),  # 2/2
    open_body(65001, 90, ID, [[cap(65, b"\x00\x01")]]),  # AS4 of 2 bytes: ignored
    open_body(65001, 90, ID, [[cap(73, b"\x09abc\x00")]]),  # FQDN overrun: ignored
    open_body(65001, 90, ID, [[CAP_RR] * 65]),  # too many capabilities
    bytes([4]) + u16(65001) + u16(90) + u32(ID) + b"\x04\x01\x02\x00\x00",  # 2/4
    bytes([4]) + u16(65001) + u16(90) + u32(ID) + b"\x04\x02\x02\x41\x04",  # overrun
    bytes([4]) + u16(65001) + u16(90) + u32(ID) + b"\x05\x02\x02\x02\x00",  # long
]


# ---- hand-made UPDATE bodies (RFC 4271 4.3, RFC 4760) -----------------


def attr(flags, atype, value):
    if len(value) > 255 or flags & 0x10:
        return bytes([flags | 0x10, atype]) + u16(len(value)) + value
    return bytes([flags, atype, len(value)]) + value


def seg(stype, asns, size):
    fmt = "!I" if size == 4 else "!H"
    return bytes([stype, len(asns)]) + b"".join(struct.pack(fmt, a) for a in asns)


def nlri(prefixes, path_ids=None):
    out = b""
    for i, (addr, plen) in enumerate(prefixes):
        if path_ids is not None:
            out += u32(path_ids[i])
        out += bytes([plen]) + addr[: (plen + 7) // 8]
    return out


def update_body(withdrawn=b"", attrs=b"", nlri_=b""):
    return u16(len(withdrawn)) + withdrawn + u16(len(attrs)) + attrs + nlri_


ORIGIN_IGP = attr(0x40, 1, b"\x00")
NH = attr(0x40, 3, bytes([192, 0, 2, 1]))
V4 = [(bytes([10, 0, 0, 0]), 8), (bytes([192, 168, 1, 0]), 24), (bytes(4), 0)]
V6_GLOBAL = bytes.fromhex("20010db8000000000000000000000001")
V6_LL = bytes.fromhex("fe800000000000000000000000000001")
V6 = [(bytes.fromhex("20010db8000100000000000000000000"), 48), (bytes(16), 0)]


def mp_reach(afi, safi, nh, nlri_):
    return attr(0x80, 14, u16(afi) + bytes([safi, len(nh)]) + nh + b"\x00" + nlri_)


def mp_unreach(afi, safi, nlri_):
    return attr(0x80, 15, u16(afi) + bytes([safi]) + nlri_)


UPDATES = [
    # iBGP, 4-octet: every attribute the codec knows
    (
        AS4,
        update_body(
            attrs=ORIGIN_IGP
            + attr(0x40, 2, seg(2, [65001, 4200000000], 4))
            + NH
            + attr(0x80, 4, u32(100))
            + attr(0x40, 5, u32(200))
            + attr(0x40, 6, b"")
            + attr(0xC0, 7, u32(65001) + bytes([192, 0, 2, 9]))
            + attr(0xC0, 8, u32(0xFFFFFF01) + u32((65001 << 16) | 100))
            + attr(0x80, 9, bytes([10, 0, 0, 9]))
            + attr(0x80, 10, bytes([10, 0, 0, 10, 10, 0, 0, 11]))
            + attr(0xC0, 16, bytes.fromhex("0002fde900000001") + bytes.fromhex("0102c00002010064"))
            + attr(0xC0, 32, u32(4200000000) + u32(1) + u32(2)),
            nlri_=nlri(V4),
        ),
    ),
    # 2-octet eBGP session from AS 65001: AS_TRANS with AS4_PATH and
    # AS4_AGGREGATOR (RFC 6793 4.2.3), first-AS check on
    (
        EBGP | PEER_AS,
        u32(65001)
        + update_body(
            attrs=ORIGIN_IGP
            + attr(0x40, 2, seg(2, [65001, 23456, 23456], 2) + seg(1, [1, 2], 2))
            + NH
            + attr(0xC0, 7, u16(23456) + bytes([192, 0, 2, 9]))
            + attr(0xC0, 17, seg(2, [4200000000, 4200000001], 4) + seg(1, [1, 2], 4))
            + attr(0xC0, 18, u32(4200000000) + bytes([192, 0, 2, 9])),
            nlri_=nlri(V4[:1]),
        ),
    ),
    # iBGP within a confederation (RFC 5065 segments)
    (
        AS4,
        update_body(
            attrs=ORIGIN_IGP
            + attr(0x40, 2, seg(3, [65010], 4) + seg(4, [65011, 65012], 4) + seg(2, [65001], 4) + seg(1, [1, 2, 3], 4))
            + NH,
            nlri_=nlri(V4[1:2]),
        ),
    ),
    # IPv6 unicast: MP_REACH with global and link-local next hop, MP_UNREACH
    (
        AS4,
        update_body(
            attrs=mp_reach(2, 1, V6_GLOBAL + V6_LL, nlri(V6))
            + ORIGIN_IGP
            + attr(0x40, 2, seg(2, [65001], 4))
            + mp_unreach(2, 1, nlri(V6[:1]))
        ),
    ),
    # the same with ADD-PATH path identifiers (RFC 7911 3)
    (
        AS4 | ADDPATH6,
        update_body(
            attrs=mp_reach(2, 1, V6_GLOBAL, nlri(V6, [1, 2]))
            + ORIGIN_IGP
            + attr(0x40, 2, seg(2, [65001], 4))
        ),
    ),
    # IPv4 over an IPv6 next hop (RFC 8950), ADD-PATH IPv4 withdrawals
    (
        AS4 | ADDPATH4,
        update_body(
            withdrawn=nlri(V4[:2], [7, 8]),
            attrs=mp_reach(1, 1, V6_GLOBAL, nlri(V4[:1], [9])) + ORIGIN_IGP + attr(0x40, 2, b""),
        ),
    ),
    # End-of-RIB for IPv6 (RFC 4724 2), as ExaBGP and BIRD send it
    (AS4, update_body(attrs=attr(0x90, 15, u16(2) + b"\x01"))),
    # unknown attributes: optional transitive partial with 2-octet
    # length, and a well-known one ExaBGP keeps
    (
        AS4 | KEEP_UNKNOWN,
        update_body(
            attrs=ORIGIN_IGP
            + attr(0x40, 2, b"")
            + NH
            + attr(0xF0, 99, b"\x01\x02\x03")
            + attr(0x40, 100, b"\x04"),
            nlri_=nlri(V4[:1]),
        ),
    ),
    # a family vrs does not carry (l2vpn/vpls): kept opaque
    (AS4, update_body(attrs=mp_reach(25, 65, bytes([192, 0, 2, 1]), b"\x00\x11\x22") + ORIGIN_IGP)),
]


# ---- hand-made NOTIFICATION, ROUTE-REFRESH, KEEPALIVE -----------------

KEEPALIVE = msg(MSG_KEEPALIVE, b"")
OTHERS = [
    KEEPALIVE,
    # RFC 9003 shutdown communication
    msg(MSG_NOTIFICATION, b"\x06\x02" + bytes([11]) + b"maintenance"),
    msg(MSG_NOTIFICATION, b"\x06\x04" + bytes([40]) + b"short"),  # length lies
    msg(MSG_NOTIFICATION, b"\x03\x0b" + attr(0x40, 2, b"\x02\x00")),
    msg(MSG_RREFRESH, u16(1) + b"\x00\x01"),
    msg(MSG_RREFRESH, u16(2) + b"\x01\x01"),  # BoRR (RFC 7313)
    msg(MSG_RREFRESH, u16(2) + b"\x02\x01\x00"),  # EoRR, bad length
]


# ---- fuzz_session: what a peer of vrsd's route server sends ------------

# fuzz_session.c's selector bits
S_AS4, S_ADDPATH, S_SINK_AS4, S_SINK_AP = 1, 2, 4, 8
S_GR, S_LIMIT, S_RAW, S_BIG_AS = 0x10, 0x20, 0x40, 0x80


def session_sel(sel):
    """The session selector for an UPDATE written with fuzz.h's sel."""
    out = S_AS4 | S_SINK_AS4 if sel & AS4 else 0
    if sel & (ADDPATH4 | ADDPATH6):
        out |= S_ADDPATH | S_SINK_AP
    return out


def session_seeds(c, streams):
    """Each UPDATE alone, all of them in a row (also with graceful restart
    and a route limit), the conformance cases' UPDATEs as streams, and
    whole sessions (OPEN first) for the raw mode.  fuzz_speaker takes the
    same inputs: its selector's bits 0x01, 0x02 and 0x40 mean the same."""

    def add(data):
        c.add("session", data)
        c.add("speaker", data)

    mine = [(session_sel(s), msg(MSG_UPDATE, b)) for s, b in UPDATES if not s & PEER_AS]
    for sel, m in mine:
        add(bytes([sel]) + m)
        add(bytes([sel ^ S_SINK_AS4]) + m)
    withdraw_all = msg(MSG_UPDATE, update_body(withdrawn=nlri(V4)))
    for sel in (S_AS4 | S_SINK_AS4, S_GR | S_AS4, S_LIMIT | S_AS4 | S_SINK_AS4, S_BIG_AS | S_AS4):
        add(bytes([sel]) + b"".join(m for s, m in mine if not s & S_ADDPATH) + withdraw_all + OTHERS[4])
    for case, msgs in sorted(streams.items()):
        ups = [m for m in msgs if m[18] == MSG_UPDATE]
        if ups:
            add(bytes([S_AS4 | S_SINK_AS4]) + b"".join(ups))
    for i, body in enumerate(OPENS[:8]):
        add(bytes([S_RAW]) + msg(MSG_OPEN, body) + KEEPALIVE + mine[i % len(mine)][1])
    for m in OTHERS:
        add(bytes([S_AS4]) + m)


# fuzz_live.c's selector bits
L_AS4, L_B2B, L_SINK_AS4, L_SITE, L_LINK, L_RAW = 1, 2, 4, 8, 0x10, 0x40


def live_seeds(c):
    """What nva1 (AS 65001, 10.1.2.4) or onprem (AS 65501, 172.16.0.1)
    announces to spec 9's route server or VPN gateway: routes the fabric
    programs, a VNet's own prefix, a default route, communities, a long
    path, withdrawals; 2- and 4-octet sessions, branch-to-branch, the
    gateway's session with the route server up or not."""
    for site in (False, True):
        asn = 65501 if site else 65001
        nh = attr(0x40, 3, bytes([172, 16, 0, 1] if site else [10, 1, 2, 4]))
        routes = [(bytes([192, 168, 10, 0]), 24), (bytes([10, 2, 0, 0]), 16), (bytes(4), 0), (bytes([172, 31, 0, 0]), 16)]
        for as4 in (False, True):
            size = 4 if as4 else 2
            path = attr(0x40, 2, seg(2, [asn, 65010], size))
            comm = attr(0xC0, 8, u32((65517 << 16) | 65517) + u32((asn << 16) | 1))
            ups = [
                msg(MSG_UPDATE, update_body(attrs=ORIGIN_IGP + path + nh, nlri_=nlri(routes))),
                msg(MSG_UPDATE, update_body(attrs=ORIGIN_IGP + path + nh + comm + attr(0x80, 4, u32(10)), nlri_=nlri(routes[:1]))),
                msg(MSG_UPDATE, update_body(attrs=ORIGIN_IGP + attr(0x40, 2, seg(2, [asn] * 40, size)) + nh, nlri_=nlri(routes[3:]))),
                msg(MSG_UPDATE, update_body(withdrawn=nlri(routes[:2]))),
                msg(MSG_UPDATE, update_body(attrs=attr(0x90, 15, u16(1) + b"\x01"))),
            ]
            base = (L_SITE if site else 0) | (L_AS4 | L_SINK_AS4 if as4 else 0)
            sels = [base, base | L_B2B, base ^ L_SINK_AS4]
            if site:  # the gateway's session with IN_0 up: to nva2 too
                sels += [base | L_LINK, base | L_LINK | L_B2B]
            for sel in sels:
                c.add("live", bytes([sel]) + b"".join(ups))
            for m in ups:
                c.add("live", bytes([base]) + m)
            o = open_body(asn, 90, 0x0A010204, [[CAP_MP4] + ([cap_as4(asn)] if as4 else [])])
            c.add("live", bytes([base | L_RAW]) + msg(MSG_OPEN, o) + KEEPALIVE + ups[0])
    for m in OTHERS:
        c.add("live", bytes([L_AS4 | L_SINK_AS4]) + m)


# ---- writing ----------------------------------------------------------


class Corpus:
    def __init__(self, root):
        self.root = root
        self.added = {}
        self.total = {}

    def add(self, target, data):
        d = os.path.join(self.root, target)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, hashlib.sha1(data).hexdigest())
        self.total[target] = self.total.get(target, 0) + 1
        if os.path.exists(path):
            return
        with open(path, "wb") as f:
            f.write(data)
        self.added[target] = self.added.get(target, 0) + 1


# ---- text targets -----------------------------------------------------

HEREDOC = re.compile(r"cat\s*>>?\s*\S*?([\w.-]+\.(?:yaml|conf))\"?\s*<<\s*'?(\w+)'?")


def heredocs(top):
    """(file name, text) of every here-document a test writes to a file."""
    out = []
    for path in sorted(glob.glob(os.path.join(top, "tests", "**", "*.sh"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            m = HEREDOC.search(lines[i])
            i += 1
            if m is None:
                continue
            body = []
            while i < len(lines) and lines[i].strip() != m.group(2):
                body.append(lines[i])
                i += 1
            out.append((m.group(1), "\n".join(body) + "\n"))
    return out


def readme_yaml(top):
    """The README's YAML blocks."""
    with open(os.path.join(top, "README.md"), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


API_LINES = [
    "announce route 10.5.0.0/24 next-hop 10.0.0.1 med 5 as-path [ 65001 65002 ]",
    "neighbor 127.0.0.1 announce route 10.6.0.0/24 next-hop self split /26",
    "neighbor 10.0.2.4 local-as 65010 peer-as 65515 withdraw route 0.0.0.0/0",
    "neighbor 127.0.0.1 router-id 10.0.0.1 , neighbor 10.0.2.4 announce route 10.7.0.0/16 next-hop 10.0.0.4",
    "announce attributes next-hop 10.0.0.1 community [ 65001:1 no-export ] nlri 10.1.0.0/24 10.2.0.0/24",
    "withdraw attributes next-hop 10.0.0.1 nlri 10.1.0.0/24",
    "announce route 2001:db8:1::/48 next-hop 2001:db8::2 large-community [ 65001:1:2 ]",
    "announce route 10.8.1.0/24 next-hop 10.0.0.1 path-information 1.2.3.4 extended-community [ target:65001:1 ]",
    "announce route 10.8.2.0/24 next-hop 10.0.0.1 attribute [ 0x20 0xc0 0x0000fde8000000010000000a ]",
    "announce route 10.8.3.0/24 next-hop 10.0.0.1 originator-id 1.1.1.1 cluster-list [ 2.2.2.2 ] aggregator ( 65001:1.2.3.4 ) atomic-aggregate",
    "announce watchdog dog",
    "withdraw watchdog dog",
    "announce eor",
    "announce eor ipv6 unicast",
    "teardown 2",
    "reload",
    "shutdown",
    "version",
]


VRSD_EXTRA = [
    "router-id: 192.0.2.1\nasn: 65000\nlisten: [ \"127.0.2.1:11179\", \"[::1]:11179\" ]\n"
    "control-listen: \"[::1]:8443\"\nlog-level: debug\nstate: /tmp/x.json\n"
    "peers:\n  - {name: a, address: 127.0.1.1, asn: 4200000001, passive: false, port: 1179,"
    " local-address: 127.0.2.1, max-prefixes: 10, hold-time: 0, families: [ ipv6 ]}\n"
    "  - name: b\n    address: \"::1\"\n    asn: 65002\n    password: secret\n    ttl-security: 1\n",
    "mode: ars\nbgp-port: 1179\ncontrol: /tmp/vrs.sock\nlog-level: warning\n",
    "router-id: 192.0.2.1\nasn: 65000\nmode: transparent\ncontrol-listen: 0.0.0.0:8443\n"
    "peers:\n  - name: a\n    address: 127.0.1.1\n    asn: 65001\n  - name: a\n    address: 127.0.1.1\n    asn: 65001\n",
]

LAB_EXTRA = [
    "name: t\nport: 2179\nwait: 5\noptions: {relaxed: false}\n"
    "topology:\n  - network vnet create -n hub --address-prefixes 10.0.0.0/16\n"
    "  - 'vnet subnet create --vnet-name hub -n \"a b\" --address-prefixes 10.0.1.0/24'\n"
    "  - routeserver peering list-learned-routes --routeserver ars -n nva -o json --query \"RouteServiceRole_IN_0[0]\"\n"
    "  - route-table route create --route-table-name rt -n r --address-prefix 0.0.0.0/0 --next-hop-type VirtualAppliance --next-hop-ip-address 10.0.0.4\n"
    "  - nic show-effective-route-table -n nva-nic\n"
    "speakers:\n  - {name: nva, config: nva.conf}\n  - {name: onprem, config: onprem.conf}\n"
    "external:\n  - name: fw/1\n",
    "name: bad\ncolour: blue\nport: 0\nspeakers: [ {name: x} ]\nexternal: {name: y}\n",
]


def text_seeds(c, top, shared):
    exa = os.path.join(shared, "conformance", "exabgp")
    confs = sorted(glob.glob(os.path.join(top, "labs", "*.conf")))
    confs += sorted(glob.glob(os.path.join(exa, "etc", "exabgp", "*.conf")))
    for path in confs:
        with open(path, "rb") as f:
            c.add("exaconf", f.read())
    for path in sorted(glob.glob(os.path.join(top, "labs", "*.yaml"))):
        with open(path, "rb") as f:
            c.add("lab", f.read())
    for name, text in heredocs(top):
        data = text.encode()
        if name.endswith(".conf") and "neighbor" in text:
            c.add("exaconf", data)
        elif "topology:" in text or "speakers:" in text or "external:" in text:
            c.add("lab", data)
        elif name.endswith(".yaml"):
            c.add("vrsdconf", data)
    for text in readme_yaml(top):
        if "topology:" in text or "speakers:" in text:
            c.add("lab", text.encode())
        elif "peers:" in text or "router-id:" in text or "control:" in text:
            c.add("vrsdconf", text.encode())
    for text in VRSD_EXTRA:
        c.add("vrsdconf", text.encode())
    for text in LAB_EXTRA:
        c.add("lab", text.encode())
    # the text API: each test program's lines, then the CLI's commands
    progs = []
    for path in sorted(glob.glob(os.path.join(exa, "api-programs", "*.txt"))):
        with open(path, encoding="utf-8") as f:
            lines = [l[6:].rstrip("\n") for l in f if l.startswith("write ")]
        if lines:
            progs.append(lines)
    with open(os.path.join(top, "tests", "speaker", "cli-compare.sh"), encoding="utf-8") as f:
        m = re.search(r"^COMMANDS=\((.*?)^\)", f.read(), re.S | re.M)
    cli = re.findall(r'"([^"]*)"', m.group(1)) if m else []
    for sel in (0, 1):
        for lines in progs + [cli, API_LINES]:
            c.add("exaapi", bytes([sel]) + "\n".join(lines).encode() + b"\n")
        for line in API_LINES + cli:
            c.add("exaapi", bytes([sel]) + line.encode())
    arm_seeds(c)


ARM_RESOURCES = [  # fuzz_arm.c's resources[]
    ("virtualNetworks", None, None, "hub"),
    ("virtualNetworks", None, None, "fz"),
    ("virtualNetworks", "subnets", "hub", "nva"),
    ("virtualNetworks", "subnets", "spoke1", "fz"),
    ("virtualNetworks", "virtualNetworkPeerings", "hub", "h1"),
    ("virtualNetworks", "virtualNetworkPeerings", "spoke1", "fz"),
    ("networkInterfaces", None, None, "nva1-nic"),
    ("networkInterfaces", None, None, "fz"),
    ("routeTables", None, None, "rt"),
    ("routeTables", "routes", "rt", "fz"),
    ("virtualHubs", None, None, "ars"),
    ("virtualHubs", "bgpConnections", "ars", "nva1"),
    ("virtualHubs", "bgpConnections", "ars", "fz"),
    ("virtualNetworkGateways", None, None, "vpngw"),
    ("localNetworkGateways", None, None, "onprem"),
    ("connections", None, None, "c"),
]

ARM_EXTRA = [  # (resource index, body)
    (1, {"addressSpace": {"addressPrefixes": ["10.3.0.0/16"]}, "subnets": [{"name": "default", "addressPrefix": "10.3.0.0/24"}]}),
    (3, {"addressPrefix": "10.2.1.0/24", "routeTable": {"id": "x/routeTables/rt"}}),
    (5, {"remoteVirtualNetwork": {"id": "x/virtualNetworks/hub"}, "allowForwardedTraffic": True}),
    (7, {"ipConfigurations": [{"privateIPAddress": "10.2.0.9", "subnet": {"id": "x/virtualNetworks/spoke1/subnets/default"}}]}),
    (9, {"addressPrefix": "10.2.0.0/16", "nextHopType": "VnetLocal"}),
    (9, {"addressPrefix": "::/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.1.2.4"}),
    (12, {"peerIp": "10.1.2.6", "peerAsn": 4200000000}),
    (12, {"peerIp": "10.1.2.6", "peerAsn": 65515}),
    (10, {"allowBranchToBranchTraffic": True, "hubRoutingPreference": "ASPath"}),
    (13, {"activeActive": False, "bgpSettings": {"asn": 65515, "bgpPeeringAddress": "10.1.255.4"}}),
    (14, {"gatewayIpAddress": "192.0.2.9", "bgpSettings": {"asn": 65515}}),
    (15, {"enableBgp": False}),
]


def spec_topology():
    """fuzz_topo.h's document, the C string concatenation undone."""
    with open(os.path.join(HERE, "fuzz_topo.h"), encoding="utf-8") as f:
        text = f.read()
    body = text[text.index("fuzz_spec_topo[] =") :]
    body = body[: body.index(";\n")]
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    return json.loads("".join(p.replace('\\"', '"') for p in parts))


def arm_seeds(c):
    doc = spec_topology()
    doc["routeTables"] = [{"name": "rt", "disableBgpRoutePropagation": False, "routes": [{"name": "r1", "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.1.2.4"}]}]
    for i, (rtype, ctype, parent, name) in enumerate(ARM_RESOURCES):
        arr = doc.get(rtype, [])
        if ctype is not None:
            arr = next((e for e in arr if e.get("name") == parent), {}).get(ctype, [])
        cur = next((e for e in arr if e.get("name") == name), None)
        if cur is None and arr:
            cur = arr[0]  # a new one shaped like its first sibling
        body = dict(cur or {})
        body.pop("name", None)
        c.add("arm", bytes([i]) + json.dumps(body).encode())
        c.add("arm", bytes([i]) + b"{}")
    for i, body in ARM_EXTRA:
        c.add("arm", bytes([i]) + json.dumps(body).encode())


def main():
    ap = argparse.ArgumentParser(description="regenerate the fuzz seed corpora")
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"), help="the shared folder (default ../shared)")
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"), help="corpus root (default fuzz/corpus)")
    args = ap.parse_args()
    c = Corpus(args.out)

    for case, msgs in sorted(conformance_streams(args.shared).items()):
        for m in msgs:
            c.add("frame", bytes([AS4]) + m)
            mtype, body = m[18], m[19:]
            if mtype == MSG_UPDATE:
                for sel in UPDATE_SELECTORS:
                    c.add("update", bytes([sel]) + body)
            elif mtype == MSG_OPEN:
                c.add("open", body)
        # the whole case as one stream, with and without RFC 8654
        c.add("frame", bytes([AS4]) + b"".join(msgs))
        c.add("frame", bytes([AS4 | EXT_MSG]) + b"".join(msgs))

    for body in OPENS:
        c.add("open", body)
        c.add("frame", bytes([0]) + msg(MSG_OPEN, body))
    for sel_body in UPDATES:
        sel, body = sel_body
        c.add("update", bytes([sel]) + body)
        # fuzz_frame: the selector carries no peer AS there, drop it
        if not sel & PEER_AS:
            c.add("frame", bytes([sel]) + msg(MSG_UPDATE, body))
    for m in OTHERS:
        c.add("frame", bytes([0]) + m)
    # a session as it starts: OPEN, KEEPALIVE, UPDATEs, End-of-RIB, Cease
    c.add(
        "frame",
        bytes([AS4 | EXT_MSG])
        + msg(MSG_OPEN, OPENS[2])
        + KEEPALIVE
        + b"".join(msg(MSG_UPDATE, b) for s, b in UPDATES if not s & PEER_AS)
        + msg(MSG_UPDATE, update_body())
        + OTHERS[1],
    )

    session_seeds(c, conformance_streams(args.shared))
    live_seeds(c)
    text_seeds(c, os.path.join(HERE, ".."), args.shared)

    for t in sorted(c.total):
        print("%s: %d seeds, %d new" % (t, c.total[t], c.added.get(t, 0)))


if __name__ == "__main__":
    main()
