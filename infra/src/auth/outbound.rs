//! The HTTP client scimgate calls trusted authorization servers with (JWK Sets,
//! introspection): no redirects, as `oauth2` advises against SSRF, and short timeouts, since
//! a request waits on it.

use std::time::Duration;

use oauth2::reqwest::{Client, ClientBuilder, redirect};
use scimgate_domain::error::{DomainError, DomainResult};

/// Longest a connection or a whole call to an authorization server may take.
pub const OUTBOUND_TIMEOUT: Duration = Duration::from_secs(5);

pub fn client() -> DomainResult<Client> {
    ClientBuilder::new()
        .redirect(redirect::Policy::none())
        .connect_timeout(OUTBOUND_TIMEOUT)
        .timeout(OUTBOUND_TIMEOUT)
        .user_agent(concat!("scimgate/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(DomainError::unavailable)
}
