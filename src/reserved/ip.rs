//! IP addresses reserved for documentation.
//!
//! IPv4: RFC 5737 assigns TEST-NET-1 192.0.2.0/24, TEST-NET-2 198.51.100.0/24 and TEST-NET-3
//! 203.0.113.0/24 for documentation; they are never routed, so no host is anyone's. IPv6:
//! RFC 3849 reserves 2001:db8::/32 for documentation. Generated IPv6 addresses vary the low 64
//! bits under 2001:db8::/64; `is_reserved` accepts the whole /32.

use super::digits;
use crate::batch::StrBuf;
use std::net::{Ipv4Addr, Ipv6Addr};

pub(super) const V4_FORMATS: &[&str] = &["dotted"];
pub(super) const V6_FORMATS: &[&str] = &["compressed"];

const V4_NETS: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

pub(super) const V4_SIZE: u64 = V4_NETS.len() as u64 * 256;

/// 2^64 would not fit a `u64` size; one address fewer does not matter.
pub(super) const V6_SIZE: u64 = u64::MAX;

pub(super) fn write_v4(k: u64, out: &mut StrBuf) {
    let net = V4_NETS[(k / 256) as usize];
    for octet in net {
        write_decimal(octet, out);
        out.extend_ascii(b".");
    }
    write_decimal((k % 256) as u8, out);
}

fn write_decimal(n: u8, out: &mut StrBuf) {
    let d = digits::<3>(n as u64);
    let skip = if n >= 100 {
        0
    } else if n >= 10 {
        1
    } else {
        2
    };
    out.extend_ascii(&d[skip..]);
}

pub(super) fn write_v6(k: u64, out: &mut StrBuf) {
    let mut groups = [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0];
    for (i, g) in groups[4..].iter_mut().enumerate() {
        *g = (k >> (48 - 16 * i)) as u16;
    }
    write_groups(&groups, out);
}

/// RFC 5952 text form: lower-case hex without leading zeros, the longest run of two or more
/// zero groups (the first, on a tie) replaced by "::".
fn write_groups(groups: &[u16; 8], out: &mut StrBuf) {
    let (mut best, mut best_len) = (8, 0);
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && groups[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best, best_len) = (start, i - start);
        }
        i += 1;
    }
    if best_len < 2 {
        best = 8;
    }
    let write_run = |run: &[u16], out: &mut StrBuf| {
        for (j, &g) in run.iter().enumerate() {
            if j > 0 {
                out.extend_ascii(b":");
            }
            write_hex(g, out);
        }
    };
    if best == 8 {
        write_run(groups, out);
    } else {
        write_run(&groups[..best], out);
        out.extend_ascii(b"::");
        write_run(&groups[best + best_len..], out);
    }
}

fn write_hex(g: u16, out: &mut StrBuf) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = [HEX[(g >> 12) as usize], HEX[(g >> 8 & 15) as usize], HEX[(g >> 4 & 15) as usize], HEX[(g & 15) as usize]];
    let skip = (g.leading_zeros() / 4).min(3) as usize;
    out.extend_ascii(&b[skip..]);
}

/// Accepts dotted-quad addresses (surrounding spaces allowed) in the three TEST-NETs.
pub(super) fn is_reserved_v4(value: &str) -> bool {
    value.trim().parse::<Ipv4Addr>().is_ok_and(|a| {
        let o = a.octets();
        V4_NETS.iter().any(|n| o[..3] == n[..])
    })
}

/// Accepts any text form of an address in 2001:db8::/32, optionally in brackets.
pub(super) fn is_reserved_v6(value: &str) -> bool {
    let v = value.trim();
    let v = v.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(v);
    v.parse::<Ipv6Addr>().is_ok_and(|a| a.segments()[..2] == [0x2001, 0x0db8])
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    fn v6(k: u64) -> String {
        render(&Space::new(Kind::Ipv6, None).unwrap(), k)
    }

    #[test]
    fn v4_addresses() {
        let w = |k| render(&Space::new(Kind::Ipv4, None).unwrap(), k);
        assert_eq!(w(0), "192.0.2.0");
        assert_eq!(w(9), "192.0.2.9");
        assert_eq!(w(99), "192.0.2.99");
        assert_eq!(w(255), "192.0.2.255");
        assert_eq!(w(256), "198.51.100.0");
        assert_eq!(w(600), "203.0.113.88");
        assert_eq!(w(767), "203.0.113.255");
    }

    #[test]
    fn v6_addresses_are_canonical() {
        assert_eq!(v6(0), "2001:db8::");
        assert_eq!(v6(1), "2001:db8::1");
        assert_eq!(v6(0xabcd), "2001:db8::abcd");
        assert_eq!(v6(0x1_0000_0000), "2001:db8::1:0:0");
        // The longer zero run wins: 2001:db8:0:0:1:0:0:0 compresses the last three.
        assert_eq!(v6(0x0001_0000_0000_0000), "2001:db8:0:0:1::");
        // Equal runs: the first is compressed.
        assert_eq!(v6(0x0001_0000_0000_0001), "2001:db8::1:0:0:1");
        assert_eq!(v6(0x0102_0304_0506_0708), "2001:db8::102:304:506:708");
        assert_eq!(v6(u64::MAX - 1), "2001:db8::ffff:ffff:ffff:fffe");
        // std formats IPv6 by RFC 5952 too: compare on a sample of shapes.
        for k in [0, 1, 0xffff, 0x1_0000, 0xffff_0000_ffff, 0x8000_0000_0000_0000, 0x0000_ffff_0000_0000] {
            let s = v6(k);
            assert_eq!(s.parse::<Ipv6Addr>().unwrap().to_string(), s);
            assert_eq!(s.parse::<Ipv6Addr>().unwrap().to_bits() as u64, k);
        }
    }

    #[test]
    fn accepts_variants() {
        for v in ["192.0.2.1", " 198.51.100.200 ", "203.0.113.0"] {
            assert!(is_reserved(Kind::Ipv4, v), "{v}");
        }
        for v in [
            "2001:db8::1",
            "2001:DB8::1",
            "[2001:db8::1]",
            "2001:0db8:0000:0000:0000:0000:0000:0001",
            "2001:db8:ffff:1::",
        ] {
            assert!(is_reserved(Kind::Ipv6, v), "{v}");
        }
    }

    #[test]
    fn rejects_routable_addresses() {
        for v in [
            "192.0.3.1",
            "192.168.1.1",
            "10.0.0.1",
            "198.51.101.1",
            "203.0.114.1",
            "8.8.8.8",
            "192.0.2",
            "192.0.2.256",
            "192.0.2.1/24",
            "",
        ] {
            assert!(!is_reserved(Kind::Ipv4, v), "{v}");
        }
        for v in ["2001:db9::1", "2001:470::1", "::1", "fe80::1", "2001:db8::g", "2001:db8", ""] {
            assert!(!is_reserved(Kind::Ipv6, v), "{v}");
        }
    }
}
