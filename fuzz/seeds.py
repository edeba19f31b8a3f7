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

  frame   selector byte, then a stream of whole messages
  open    OPEN body (after the 19-byte header)
  update  selector byte [+ 4-octet peer AS], then UPDATE body

Usage: fuzz/seeds.py [--shared DIR] [--out DIR]
"""

import argparse
import glob
import hashlib
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

    for t in sorted(c.total):
        print("%s: %d seeds, %d new" % (t, c.total[t], c.added.get(t, 0)))


if __name__ == "__main__":
    main()
