//! The SSRF guard for endpoints a tenant admin registered: their hosts must resolve to
//! public addresses only (ssrf-guard's list: no loopback, private, link-local, metadata,
//! carrier-grade NAT... in any IPv4 or IPv6 spelling), plus the networks the deployment
//! allows. The check runs twice: when the entry is stored (a clear 400), and as the HTTP
//! client's only resolver, so the addresses checked are the addresses connected to and a name
//! that later resolves into the private network is refused (DNS rebinding).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use async_trait::async_trait;
use oauth2::reqwest::dns::{Addrs, Name, Resolve, Resolving};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::EndpointGuard;
use ssrf_guard::{Cidr, Policy};
use url::{Host, Url};

/// Which addresses tenant endpoints may reach.
#[derive(Clone, Debug)]
pub struct PublicNetwork {
    policy: Arc<Policy>,
}

/// Why a host may not be called.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{host} resolves to {addr}, which is not a public address")]
    Private { host: String, addr: IpAddr },
    #[error("{host} does not resolve: {reason}")]
    Unresolvable { host: String, reason: String },
}

impl PublicNetwork {
    /// Public addresses plus `allowed` (CIDRs such as `10.20.0.0/16`, for an authorization
    /// server on a private network the operator means tenants to reach).
    pub fn new(allowed: &[Cidr]) -> Self {
        let builder = allowed
            .iter()
            .fold(Policy::builder(), |builder, net| builder.allow(*net));
        Self {
            policy: Arc::new(builder.build()),
        }
    }

    /// Parses a comma-separated list of CIDRs (or single addresses).
    pub fn parse_allowed(raw: &str) -> Result<Vec<Cidr>, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<Cidr>()
                    .map_err(|_| format!("'{entry}' is not a CIDR block or an IP address"))
            })
            .collect()
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        self.policy.allows(ip)
    }

    /// Every address of `host`; refused as a whole when any of them is not allowed.
    pub async fn resolve(&self, host: &str) -> Result<Vec<SocketAddr>, Refused> {
        let unresolvable = |reason: String| Refused::Unresolvable {
            host: host.to_owned(),
            reason,
        };
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
            .await
            .map_err(|err| unresolvable(err.to_string()))?
            .collect();
        if addrs.is_empty() {
            return Err(unresolvable("no addresses".into()));
        }
        match addrs.iter().find(|addr| !self.allows(addr.ip())) {
            Some(addr) => Err(Refused::Private {
                host: host.to_owned(),
                addr: addr.ip(),
            }),
            None => Ok(addrs),
        }
    }

    /// An IP-literal host skips every resolver, so it is checked here, before each call.
    pub fn check_literal(&self, url: &Url) -> Result<(), Refused> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if self.allows(ip) {
            Ok(())
        } else {
            Err(Refused::Private {
                host: ip.to_string(),
                addr: ip,
            })
        }
    }

    /// The resolver of the HTTP client that calls tenant endpoints.
    pub fn resolver(&self) -> Arc<PublicResolver> {
        Arc::new(PublicResolver {
            network: self.clone(),
        })
    }
}

pub struct PublicResolver {
    network: PublicNetwork,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let network = self.network.clone();
        Box::pin(async move {
            let addrs = network.resolve(name.as_str()).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[async_trait]
impl EndpointGuard for PublicNetwork {
    async fn check_public(&self, field: &str, raw: &str) -> DomainResult<()> {
        let invalid = |reason: String| {
            DomainError::InvalidValue(format!(
                "{field} '{raw}' cannot be called: {reason}; endpoints a tenant registers must be on the public internet"
            ))
        };
        let url = Url::parse(raw).map_err(|err| invalid(err.to_string()))?;
        self.check_literal(&url)
            .map_err(|err| invalid(err.to_string()))?;
        if let Some(Host::Domain(host)) = url.host() {
            self.resolve(host)
                .await
                .map_err(|err| invalid(err.to_string()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> Url {
        Url::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn loopback_private_and_metadata_hosts_are_refused() {
        let network = PublicNetwork::new(&[]);
        for raw in [
            "https://localhost/keys",
            "https://127.0.0.1/keys",
            "https://[::1]/keys",
            "https://169.254.169.254/latest",
            "https://10.1.2.3/keys",
            "https://[::ffff:192.168.0.1]/keys",
        ] {
            let refused = network.check_public("jwksUrl", raw).await;
            assert!(
                matches!(refused, Err(DomainError::InvalidValue(_))),
                "{raw}: {refused:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_public_literal_passes_and_an_allowed_network_lets_private_ones_through() {
        let public = PublicNetwork::new(&[]);
        assert!(
            public
                .check_literal(&url("https://93.184.215.14/keys"))
                .is_ok()
        );
        let allowed = PublicNetwork::parse_allowed(" 127.0.0.0/8, 10.9.9.9, ::1 ").unwrap();
        let network = PublicNetwork::new(&allowed);
        assert!(network.check_literal(&url("https://127.0.0.1:9/k")).is_ok());
        assert!(network.check_literal(&url("https://10.9.9.9/k")).is_ok());
        assert!(network.check_literal(&url("https://10.9.9.10/k")).is_err());
        assert!(
            network
                .resolve("localhost")
                .await
                .is_ok_and(|a| !a.is_empty())
        );
    }

    #[test]
    fn allowed_networks_must_parse() {
        assert!(PublicNetwork::parse_allowed("").unwrap().is_empty());
        assert!(PublicNetwork::parse_allowed("10.0.0.0/8,nonsense").is_err());
    }
}
