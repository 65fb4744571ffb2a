//! Address guard against server-side request forgery: a crawl of a public site must not be
//! led (by a link, a redirect or DNS) to loopback, private or link-local addresses.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Text placed in resolver errors so the fetcher can classify them.
pub const BLOCKED_MARKER: &str = "adresse non publique refusée";

/// True for addresses that are not on the public Internet.
pub fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)) // benchmarking
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_non_public(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || (seg[0] & 0xff00) == 0xff00 // multicast
        }
    }
}

/// Link-local addresses (169.254.0.0/16, fe80::/10): where cloud metadata services answer.
pub fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_link_local(),
            None => (v6.segments()[0] & 0xffc0) == 0xfe80,
        },
    }
}

/// Whether a URL's host is itself a non-public address or a local name.
pub fn host_is_non_public(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => is_non_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_non_public(IpAddr::V6(ip)),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost"
                || d.ends_with(".localhost")
                || d.ends_with(".local")
                || d.ends_with(".internal")
        }
        None => false,
    }
}

/// A literal IP or local name that must not be fetched; the reason if so.
pub fn literal_is_blocked(url: &Url) -> Option<String> {
    host_is_non_public(url).then(|| format!("{BLOCKED_MARKER} : {}", url.host_str().unwrap_or("")))
}

/// DNS resolution that drops non-public addresses when blocking is on.
pub struct GuardedResolver {
    pub block_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let block = self.block_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| !block || !is_non_public(a.ip()))
                .collect();
            if kept.is_empty() && !addrs.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> =
                    format!("{BLOCKED_MARKER} : {host} → {}", addrs[0].ip()).into();
                return Err(err);
            }
            let it: Addrs = Box::new(kept.into_iter());
            Ok(it)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ] {
            assert!(is_non_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["8.8.8.8", "185.24.184.1", "2a01:e0a::1"] {
            assert!(!is_non_public(ip.parse().expect("ip")), "{ip}");
        }
        assert!(host_is_non_public(
            &Url::parse("http://localhost:8080/").expect("url")
        ));
        assert!(host_is_non_public(
            &Url::parse("http://[::1]/").expect("url")
        ));
        assert!(!host_is_non_public(
            &Url::parse("https://www.caf.fr/").expect("url")
        ));
    }
}
