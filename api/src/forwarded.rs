//! Proxy headers, honoured only from trusted proxies. `Forwarded` (RFC 7239) and
//! `X-Forwarded-Host`/`-Proto`/`-For` tell which host and scheme the client used, and without
//! `SCIMGATE_PUBLIC_URL` they become `Location`, `meta.location` and the token issuer. Any
//! client can send them, so they count only when the TCP peer is in `SCIMGATE_TRUSTED_PROXIES`;
//! from any other peer they are removed before anything reads the request, and actix's
//! `ConnectionInfo` falls back to the `Host` header and the connection itself.

use std::net::IpAddr;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use ipnet::IpNet;

use crate::state::AppState;

/// What proxies set; removed from requests of untrusted peers.
const PROXY_HEADERS: [HeaderName; 4] = [
    header::FORWARDED,
    header::X_FORWARDED_HOST,
    header::X_FORWARDED_PROTO,
    header::X_FORWARDED_FOR,
];

/// The networks whose peers may speak for the client. Empty: nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated CIDRs (`10.0.0.0/8`) or single addresses (`10.1.2.3`, `::1`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("'{item}' is neither a CIDR (like 10.0.0.0/8) nor an IP address")
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `peer` is one of them; an IPv4 peer seen on an IPv6 socket (`::ffff:10.0.0.1`)
    /// counts as its IPv4 address.
    pub fn trusts(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        self.0.iter().any(|net| net.contains(&peer))
    }
}

/// Middleware, outermost: drops the proxy headers of a request whose peer is not trusted.
pub async fn strip_untrusted(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let trusted = match (req.app_data::<web::Data<AppState>>(), req.peer_addr()) {
        (Some(state), Some(peer)) => state.trusted_proxies.trusts(peer.ip()),
        _ => false,
    };
    if !trusted {
        let headers = req.headers_mut();
        for name in &PROXY_HEADERS {
            headers.remove(name);
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn cidrs_and_single_addresses_are_trusted_and_nothing_else() {
        let proxies = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,").unwrap();

        assert!(proxies.trusts(ip("10.20.30.40")));
        assert!(proxies.trusts(ip("192.168.1.7")));
        assert!(proxies.trusts(ip("fd12::1")));
        assert!(proxies.trusts(ip("::ffff:10.1.1.1")));
        assert!(!proxies.trusts(ip("192.168.1.8")));
        assert!(!proxies.trusts(ip("11.0.0.1")));
        assert!(!proxies.trusts(ip("::1")));
    }

    #[test]
    fn an_empty_setting_trusts_nobody() {
        let proxies = TrustedProxies::parse("").unwrap();

        assert!(!proxies.trusts(ip("127.0.0.1")));
    }

    #[test]
    fn an_entry_that_is_no_network_is_refused_by_name() {
        for bad in ["10.0.0/8", "10.0.0.0/33", "proxy.internal", "10.0.0.0/8;"] {
            let err = TrustedProxies::parse(bad).unwrap_err();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }
}
