#!/bin/sh
# make demo-codec: the BGP codec at work on
# the messages that the reference lab exchanges (see README.md).
set -u
B=${1:-build}/bin
S="$B/vrs-speaker"
CONF=$(mktemp)
trap 'rm -f "$CONF"' EXIT
# The NVA's session with ARS instance IN_0, as in the reference lab.
cat > "$CONF" <<'CONF'
neighbor 10.0.2.4 {
  router-id 10.0.0.4;
  local-address 10.0.0.4;
  local-as 65010;
  peer-as 65515;
}
CONF

show() {
	title=$1
	hex=$2
	echo "== $title"
	echo "   $hex" | fold -w 76
	echo "-- as ExaBGP prints the routes:"
	"$S" decode --config "$CONF" --text "$hex" 2>&1 | sed 's/^/   /'
	echo "-- as ExaBGP's JSON:"
	"$S" decode --config "$CONF" "$hex" 2>&1 | sed 's/^/   /'
	echo
}

show "ARS -> NVA: on-premises prefixes learned through the VPN gateway" \
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004602000000234001010040020E02030000FFEB0000FFE60000FFDD4003040A000204C00804FFEDFFED18C0A80218C0A80318C0A804
show "ARS -> NVA: the NVA's default route is withdrawn" \
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0018020001000000
show "NVA -> ARS: 192.168.1.0/24 with community 65010:2, as the NVA announces it" \
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0036020000001B4001010040020602010000FDF24003040A000004C00804FDF2000218C0A801
show "Cease / administrative shutdown with an RFC 9003 message" \
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0028030602126D61696E74656E616E63652077696E646F77
echo "== A malformed UPDATE (ORIGIN 5): the codec names the RFC 7606 outcome"
"$S" decode --config "$CONF" \
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F02000000144001010540020602010000FDF24003040A000004180A0A00 2>&1 | sed 's/^/   /'
echo
echo "The reference lab itself (vrs lab up) arrives with vrsd; see README.md."
