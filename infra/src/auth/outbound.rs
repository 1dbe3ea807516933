//! The HTTP clients scimgate calls trusted authorization servers with (JWK Sets,
//! introspection): no redirects, as `oauth2` advises against SSRF, and short timeouts, since
//! a request waits on them. Endpoints a tenant admin registered are called through a second
//! client whose only resolver admits public addresses (`public_network.rs`) and which
//! ignores proxies (a proxy would resolve names past that resolver).

use std::time::Duration;

use oauth2::reqwest::{Client, ClientBuilder, redirect};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::trusted_issuer::Reach;
use url::Url;

use super::public_network::PublicNetwork;

/// Longest a connection or a whole call to an authorization server may take.
pub const OUTBOUND_TIMEOUT: Duration = Duration::from_secs(5);

fn builder(timeout: Duration) -> ClientBuilder {
    ClientBuilder::new()
        .redirect(redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!("scimgate/", env!("CARGO_PKG_VERSION")))
}

pub struct Outbound {
    any: Client,
    public: Client,
    network: PublicNetwork,
}

impl Outbound {
    pub fn new(network: PublicNetwork) -> DomainResult<Self> {
        Self::with_timeout(network, OUTBOUND_TIMEOUT)
    }

    /// The same clients with another bound on each call (webhook deliveries wait longer).
    pub fn with_timeout(network: PublicNetwork, timeout: Duration) -> DomainResult<Self> {
        let public = builder(timeout)
            .dns_resolver(network.resolver())
            .no_proxy()
            .build()
            .map_err(DomainError::unavailable)?;
        Ok(Self {
            any: builder(timeout).build().map_err(DomainError::unavailable)?,
            public,
            network,
        })
    }

    /// The client to call `url` with under `reach`. A literal IP address skips resolvers,
    /// so a private one is refused here (as unavailable: the call cannot be made).
    pub fn client(&self, url: &str, reach: Reach) -> DomainResult<&Client> {
        match reach {
            Reach::Any => Ok(&self.any),
            Reach::Public => {
                let url = Url::parse(url).map_err(DomainError::unavailable)?;
                self.network
                    .check_literal(&url)
                    .map_err(DomainError::unavailable)?;
                Ok(&self.public)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A server on 127.0.0.1 that answers `{}` and counts the connections it gets.
    async fn counting_server() -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                // A GET fits one read; answering before it arrives would confuse the client.
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = socket.write_all(answer).await;
            }
        });
        (port, hits)
    }

    async fn call(outbound: &Outbound, url: &str, reach: Reach) -> DomainResult<u16> {
        let response = outbound
            .client(url, reach)?
            .get(url)
            .send()
            .await
            .map_err(DomainError::unavailable)?;
        Ok(response.status().as_u16())
    }

    #[tokio::test]
    async fn public_calls_never_connect_to_a_name_that_resolves_to_loopback() {
        let (port, hits) = counting_server().await;
        let outbound = Outbound::new(PublicNetwork::new(&[])).unwrap();
        let by_name = format!("http://localhost:{port}/keys");
        let by_address = format!("http://127.0.0.1:{port}/keys");

        let name = call(&outbound, &by_name, Reach::Public).await;
        let literal = call(&outbound, &by_address, Reach::Public).await;
        assert!(name.is_err() && literal.is_err(), "{name:?} {literal:?}");
        assert_eq!(hits.load(Ordering::SeqCst), 0, "refused before connecting");

        assert_eq!(call(&outbound, &by_address, Reach::Any).await.unwrap(), 200);
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_allowed_network_is_reachable_by_public_calls() {
        let (port, hits) = counting_server().await;
        let allowed = PublicNetwork::parse_allowed("127.0.0.0/8, ::1").unwrap();
        let outbound = Outbound::new(PublicNetwork::new(&allowed)).unwrap();

        let status = call(
            &outbound,
            &format!("http://localhost:{port}/"),
            Reach::Public,
        )
        .await;

        assert_eq!(status.unwrap(), 200);
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }
}
