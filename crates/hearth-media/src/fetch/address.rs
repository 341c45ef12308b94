//! Which IP addresses a server-side fetch must never reach: anything that is not a public unicast
//! address on the internet.
//!
//! IPv4 is judged by a deny list of special-purpose ranges (IANA's registry, RFC 6890 and successors).
//! IPv6 is judged the other way round: only global unicast (2000::/3) can be public, minus its own
//! special ranges; forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by
//! that IPv4 address, because that is where the packets end up.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// True when `ip` is loopback, private, link-local, shared (CGNAT), multicast, reserved,
/// documentation/benchmarking, or an IPv6 form whose embedded IPv4 address is any of those.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

/// IPv4 ranges that are not public unicast, as (network, prefix length).
const FORBIDDEN_V4: &[(Ipv4Addr, u8)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8), // "this network", including the unspecified address
    (Ipv4Addr::new(10, 0, 0, 0), 8), // private
    (Ipv4Addr::new(100, 64, 0, 0), 10), // shared address space (carrier-grade NAT)
    (Ipv4Addr::new(127, 0, 0, 0), 8), // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16), // link-local, where cloud metadata services live
    (Ipv4Addr::new(172, 16, 0, 0), 12), // private
    (Ipv4Addr::new(192, 0, 0, 0), 24), // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24), // documentation (TEST-NET-1)
    (Ipv4Addr::new(192, 88, 99, 0), 24), // deprecated 6to4 relay anycast
    (Ipv4Addr::new(192, 168, 0, 0), 16), // private
    (Ipv4Addr::new(198, 18, 0, 0), 15), // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24), // documentation (TEST-NET-2)
    (Ipv4Addr::new(203, 0, 113, 0), 24), // documentation (TEST-NET-3)
    (Ipv4Addr::new(224, 0, 0, 0), 4), // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4), // reserved, including the limited broadcast address
];

/// Ranges inside global unicast (2000::/3) that are still not public, as (network, prefix length).
const FORBIDDEN_GLOBAL_V6: &[(Ipv6Addr, u8)] = &[
    // IETF protocol assignments: Teredo 2001::/32 (its embedded addresses are obfuscated and
    // name a relay, so it is refused outright), benchmarking 2001:2::/48, ORCHID, AMT, AS112.
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23),
    (Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0), 32), // documentation
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20),      // documentation (RFC 9637)
];

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let bits = u32::from(ip);
    FORBIDDEN_V4.iter().any(|&(network, len)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
        bits & mask == u32::from(network) & mask
    })
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_ipv4(ip) {
        return is_forbidden_v4(v4);
    }
    // Everything outside 2000::/3 is special: unique-local fc00::/7, link-local fe80::/10,
    // site-local fec0::/10, multicast ff00::/8, discard 100::/64, local NAT64 64:ff9b:1::/48, …
    if !in_v6_prefix(ip, Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3) {
        return true;
    }
    FORBIDDEN_GLOBAL_V6
        .iter()
        .any(|&(network, len)| in_v6_prefix(ip, network, len))
}

fn in_v6_prefix(ip: Ipv6Addr, network: Ipv6Addr, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    u128::from(ip) & mask == u128::from(network) & mask
}

/// The IPv4 address an IPv6 address delivers to, for the forms that embed one.
fn embedded_ipv4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low32 = || Ipv4Addr::from(u128::from(ip) as u32);
    match s {
        // ::ffff:a.b.c.d, IPv4-mapped: the socket layer connects to a.b.c.d itself.
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(low32()),
        // ::a.b.c.d, the deprecated IPv4-compatible form; also covers :: and ::1, which land in
        // 0.0.0.0/8 and are refused with it.
        [0, 0, 0, 0, 0, 0, _, _] => Some(low32()),
        // 64:ff9b::a.b.c.d, well-known NAT64 prefix: the translator forwards to a.b.c.d.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(low32()),
        // 2002:AABB:CCDD::/48, 6to4: the relay forwards to AA.BB.CC.DD.
        [0x2002, high, low, ..] => Some(Ipv4Addr::from((u32::from(high) << 16) | u32::from(low))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(text: &str) -> bool {
        is_forbidden(text.parse().unwrap())
    }

    #[test]
    fn every_special_ipv4_range_is_forbidden_at_both_ends() {
        let cases = [
            ("0.0.0.0", "0.255.255.255"),
            ("10.0.0.0", "10.255.255.255"),
            ("100.64.0.0", "100.127.255.255"),
            ("127.0.0.0", "127.255.255.255"),
            ("169.254.0.0", "169.254.255.255"),
            ("172.16.0.0", "172.31.255.255"),
            ("192.0.0.0", "192.0.0.255"),
            ("192.0.2.0", "192.0.2.255"),
            ("192.88.99.0", "192.88.99.255"),
            ("192.168.0.0", "192.168.255.255"),
            ("198.18.0.0", "198.19.255.255"),
            ("198.51.100.0", "198.51.100.255"),
            ("203.0.113.0", "203.0.113.255"),
            ("224.0.0.0", "239.255.255.255"),
            ("240.0.0.0", "255.255.255.255"),
        ];
        for (first, last) in cases {
            assert!(forbidden(first), "{first} should be forbidden");
            assert!(forbidden(last), "{last} should be forbidden");
        }
    }

    #[test]
    fn addresses_just_outside_the_special_ipv4_ranges_are_allowed() {
        for ip in [
            "1.0.0.0",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.0.3.0",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "198.51.99.255",
            "198.51.101.0",
            "203.0.112.255",
            "203.0.114.0",
            "223.255.255.255",
            "8.8.8.8",
            "93.184.216.34",
        ] {
            assert!(!forbidden(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn special_ipv6_addresses_are_forbidden() {
        for ip in [
            "::",
            "::1",
            "fe80::1",
            "febf:ffff::1",
            "fec0::1",
            "feff::1",
            "fc00::1",
            "fd00::1",
            "fdff:ffff::1",
            "ff02::1",
            "ff0e::1",
            "100::1",
            "64:ff9b:1::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:2::1",
            "2001:10::1",
            "2001:1ff::1",
            "2001:db8::1",
            "2001:db8:ffff:ffff::1",
            "3fff::1",
            "3fff:fff::1",
            "::ffff:0:1",
            "1::1",
            "4000::1",
            "e000::1",
        ] {
            assert!(forbidden(ip), "{ip} should be forbidden");
        }
    }

    #[test]
    fn public_ipv6_addresses_are_allowed() {
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001:82a::200e",
            "2001:200::1",
            "2001:db7:ffff::1",
            "2001:db9::1",
            "3ffe::1",
            "3fff:1000::1",
            "2600::",
        ] {
            assert!(!forbidden(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn ipv4_mapped_addresses_are_judged_by_their_ipv4_address() {
        assert!(forbidden("::ffff:127.0.0.1"));
        assert!(forbidden("::ffff:7f00:1"));
        assert!(forbidden("::ffff:10.1.2.3"));
        assert!(forbidden("::ffff:169.254.169.254"));
        assert!(forbidden("::ffff:0.0.0.0"));
        assert!(!forbidden("::ffff:8.8.8.8"));
    }

    #[test]
    fn ipv4_compatible_addresses_are_judged_by_their_ipv4_address() {
        assert!(forbidden("::127.0.0.1"));
        assert!(forbidden("::192.168.1.1"));
        assert!(!forbidden("::8.8.8.8"));
    }

    #[test]
    fn nat64_addresses_are_judged_by_their_ipv4_address() {
        assert!(forbidden("64:ff9b::7f00:1"));
        assert!(forbidden("64:ff9b::10.0.0.1"));
        assert!(forbidden("64:ff9b::169.254.169.254"));
        assert!(!forbidden("64:ff9b::8.8.8.8"));
    }

    #[test]
    fn sixtofour_addresses_are_judged_by_their_ipv4_address() {
        assert!(forbidden("2002:7f00:1::1"));
        assert!(forbidden("2002:a00:1::"));
        assert!(forbidden("2002:c0a8:101::1"));
        assert!(forbidden("2002:a9fe:a9fe::1"));
        assert!(!forbidden("2002:808:808::1"));
    }
}
