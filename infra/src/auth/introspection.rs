//! RFC 7662 token introspection with the `oauth2` crate, authenticating as the configured
//! client with HTTP Basic (client_secret_basic). Every member of an active answer is kept
//! (standard ones and the server's own, e.g. `org`), for the claims a policy uses.

use std::sync::Arc;

use async_trait::async_trait;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenResponse, BasicTokenType,
};
use oauth2::{
    AccessToken, Client, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    IntrospectionUrl, StandardRevocableToken, StandardTokenIntrospectionResponse,
    TokenIntrospectionResponse,
};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::{IntrospectionEndpoint, TokenIntrospector};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::outbound::Outbound;

/// Whatever members the server adds to the standard ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OtherMembers {
    #[serde(flatten)]
    members: Map<String, Value>,
}

impl ExtraTokenFields for OtherMembers {}

type Answer = StandardTokenIntrospectionResponse<OtherMembers, BasicTokenType>;

type IntrospectionClient = Client<
    BasicErrorResponse,
    BasicTokenResponse,
    Answer,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
>;

pub struct OAuth2Introspector {
    http: Arc<Outbound>,
}

impl OAuth2Introspector {
    pub fn new(http: Arc<Outbound>) -> Self {
        Self { http }
    }
}

#[async_trait]
impl TokenIntrospector for OAuth2Introspector {
    // The token and the secret stay out of the span: only the endpoint is recorded.
    #[tracing::instrument(name = "introspection", skip_all, fields(url = endpoint.url))]
    async fn introspect(
        &self,
        token: &str,
        endpoint: &IntrospectionEndpoint<'_>,
    ) -> DomainResult<Option<Map<String, Value>>> {
        let url =
            IntrospectionUrl::new(endpoint.url.to_owned()).map_err(DomainError::unavailable)?;
        // The default client authentication is HTTP Basic: client_secret_basic.
        let client: IntrospectionClient = Client::new(ClientId::new(endpoint.client_id.to_owned()))
            .set_client_secret(ClientSecret::new(
                endpoint.client_secret.expose().to_owned(),
            ))
            .set_introspection_url(url);
        let token = AccessToken::new(token.to_owned());
        let answer = client
            .introspect(&token)
            .set_token_type_hint("access_token")
            .request_async(self.http.client(endpoint.url, endpoint.reach)?)
            .await
            .map_err(|err| {
                // The error names the endpoint and what went wrong, never the credentials.
                tracing::warn!(error = %err, url = endpoint.url, "token introspection failed");
                DomainError::unavailable(std::io::Error::other(format!(
                    "token introspection at {} failed",
                    endpoint.url
                )))
            })?;
        if !answer.active() {
            return Ok(None);
        }
        match serde_json::to_value(&answer) {
            Ok(Value::Object(members)) => Ok(Some(members)),
            _ => Err(DomainError::unavailable(std::io::Error::other(
                "an introspection answer is not a JSON object",
            ))),
        }
    }
}
