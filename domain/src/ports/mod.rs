//! The traits the domain needs from the outside world; `infra` implements them.

mod console;
mod lifecycle;
mod request_log;
mod resources;
mod webhooks;

pub use console::{ConsoleStore, NewSession};
pub use lifecycle::{ARCHIVE_LISTING_LIMIT, GuardRefusals, LifecycleStore};
pub use request_log::RequestLogStore;
pub use resources::{NewResource, PatchWrite, ResourceStore, WriteOutcome};
pub use webhooks::{DeliveryQueue, WebhookSender, WebhookStore, signing_secrets};

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::{AuditEntry, AuditQuery};
use crate::error::DomainResult;
use crate::event::{ChangeEvent, EventPage, EventQuery};
use crate::oauth::claims::{AccessTokenClaims, Expected};
use crate::oauth::client::{ClientId, OAuthClient};
use crate::oauth::signing_key::{KeyMaterial, SigningKey};
use crate::oauth::trusted_issuer::{IntrospectionSecret, IssuerId, Reach, TrustedIssuer};
use crate::tenant::{Tenant, TenantId, TenantSlug};
use crate::token::{TokenId, TokenRecord};

/// The change-event outbox as readers see it.
#[async_trait]
pub trait EventLog: Send + Sync {
    /// Up to `query.limit` of the tenant's events after `query.after`, in sequence order.
    async fn page(&self, tenant: TenantId, query: &EventQuery) -> DomainResult<EventPage>;

    /// Deletes every event (of every tenant) that occurred before `before`; returns how many.
    async fn purge(&self, before: DateTime<Utc>) -> DomainResult<u64>;

    /// Numbers the events committed without a number yet, where writes leave that to a
    /// sequencer (readers do it before they read; `serve` also does it in the background).
    async fn sequence_pending(&self) -> DomainResult<u64>;
}

/// What RFC 8936 poll receivers acknowledged, per tenant and receiver (the credential that
/// polls). A receiver starts at the tenant's oldest kept event.
#[async_trait]
pub trait EventReceiverStore: Send + Sync {
    /// Marks the tenant's events with these ids acknowledged by `receiver`, in one
    /// transaction; ids of no event of the tenant (another tenant's, purged, made up) are
    /// skipped. Returns how many ids named an event of the tenant.
    async fn acknowledge(
        &self,
        tenant: TenantId,
        receiver: &str,
        ids: &[Uuid],
    ) -> DomainResult<u64>;

    /// Up to `limit` of the tenant's events `receiver` has not acknowledged, oldest first,
    /// and whether more follow.
    async fn pending(
        &self,
        tenant: TenantId,
        receiver: &str,
        limit: u64,
    ) -> DomainResult<(Vec<ChangeEvent>, bool)>;
}

/// Waiting for a tenant's next events, for long polls.
#[async_trait]
pub trait EventWatch: Send + Sync {
    /// The newest sequence number given to the tenant's events (0 before the first).
    async fn head(&self, tenant: TenantId) -> DomainResult<i64>;

    /// Returns once the tenant's head has moved past `seen`, or after `timeout`.
    async fn wait_past(&self, tenant: TenantId, seen: i64, timeout: Duration) -> DomainResult<()>;
}

#[async_trait]
pub trait TenantStore: Send + Sync {
    /// Fails with `Conflict` when the slug is taken.
    async fn insert(&self, tenant: &Tenant) -> DomainResult<()>;
    async fn find_by_slug(&self, slug: &TenantSlug) -> DomainResult<Option<Tenant>>;
    async fn find(&self, id: TenantId) -> DomainResult<Option<Tenant>>;
    async fn list(&self) -> DomainResult<Vec<Tenant>>;
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn insert(&self, token: &TokenRecord) -> DomainResult<()>;
    async fn find(&self, id: &TokenId) -> DomainResult<Option<TokenRecord>>;
    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<TokenRecord>>;
    /// Marks the token revoked; returns it, or `None` when there is no such token.
    async fn revoke(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<Option<TokenRecord>>;
    /// Stores a token's name, scopes, claims and policy unless it is revoked meanwhile;
    /// `false` when no unrevoked token has that id.
    async fn update(&self, token: &TokenRecord) -> DomainResult<bool>;
    /// Moves an unrevoked token's expiry to `at` when it would otherwise live longer (never
    /// later); `false` when no unrevoked token has that id.
    async fn expire_by(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<bool>;
}

/// OAuth clients, found by their public id alone: the token endpoint learns the tenant from
/// the client.
#[async_trait]
pub trait ClientStore: Send + Sync {
    async fn insert(&self, client: &OAuthClient) -> DomainResult<()>;
    async fn find(&self, id: &ClientId) -> DomainResult<Option<OAuthClient>>;
    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<OAuthClient>>;
    /// Marks the client revoked; returns it, or `None` when there is no such client.
    async fn revoke(&self, id: &ClientId, at: DateTime<Utc>) -> DomainResult<Option<OAuthClient>>;
    /// Stores a client's name, scopes, claims and policy unless it is revoked meanwhile;
    /// `false` when no unrevoked client has that id.
    async fn update(&self, client: &OAuthClient) -> DomainResult<bool>;
}

/// The audit log: appended to, read back per tenant, newest first.
#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn append(&self, entry: &AuditEntry) -> DomainResult<()>;
    /// At most `query.limit` entries of `tenant`, newest first (ties broken by id).
    async fn list(&self, tenant: TenantId, query: &AuditQuery) -> DomainResult<Vec<AuditEntry>>;
}

/// The keys that sign access tokens. At most one is active at any time, whatever races.
#[async_trait]
pub trait SigningKeyStore: Send + Sync {
    /// Stores `key` as the active key unless one is active already (another replica won the
    /// race); `true` when this one was stored.
    async fn insert_if_none_active(&self, key: &SigningKey) -> DomainResult<bool>;
    /// In one transaction: every active key becomes inactive and verifiable until
    /// `retire_until`, then `key` is stored as the active one.
    async fn rotate(&self, key: &SigningKey, retire_until: DateTime<Utc>) -> DomainResult<()>;
    /// Every key that still verifies at `now`: the active one and those retired after `now`.
    async fn verifiable(&self, now: DateTime<Utc>) -> DomainResult<Vec<SigningKey>>;
}

/// Signing and verifying access tokens, and signing Security Event Tokens (JWS compact
/// serialisation), with ES256 keys.
pub trait JwtCodec: Send + Sync {
    fn generate_key(&self) -> DomainResult<KeyMaterial>;
    fn sign(&self, claims: &AccessTokenClaims, key: &SigningKey) -> DomainResult<String>;
    /// Signs a Security Event Token's claims with header `typ: secevent+jwt` and the key's
    /// `kid` (RFC 8417 §2.3).
    fn sign_set(
        &self,
        claims: &serde_json::Map<String, serde_json::Value>,
        key: &SigningKey,
    ) -> DomainResult<String>;
    /// The `kid` of the token's header, read without checking anything else.
    fn key_id(&self, token: &str) -> Option<String>;
    /// Checks the signature against `key`, the algorithm, `aud`, `iss` and `exp` (with the
    /// leeway); `Unauthenticated` when any of them fails.
    fn verify(
        &self,
        token: &str,
        key: &SigningKey,
        expected: &Expected<'_>,
    ) -> DomainResult<AccessTokenClaims>;
}

/// The authorization servers tenants trust. The introspection secret is written with the
/// entry but read only when an introspection call needs it.
#[async_trait]
pub trait TrustedIssuerStore: Send + Sync {
    /// Fails with `Conflict` when the tenant trusts that issuer already.
    async fn insert(
        &self,
        issuer: &TrustedIssuer,
        secret: Option<&IntrospectionSecret>,
    ) -> DomainResult<()>;
    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<TrustedIssuer>>;
    /// Every tenant's entry for the issuer identifier `issuer`.
    async fn find_by_issuer(&self, issuer: &str) -> DomainResult<Vec<TrustedIssuer>>;
    async fn introspection_secret(
        &self,
        tenant: TenantId,
        id: IssuerId,
    ) -> DomainResult<Option<IntrospectionSecret>>;
    /// Removes the entry; returns it, or `None` when the tenant has no such entry.
    async fn delete(&self, tenant: TenantId, id: IssuerId) -> DomainResult<Option<TrustedIssuer>>;
}

/// JWTs of a trusted authorization server, checked against its JWK Set.
#[async_trait]
pub trait ExternalJwtVerifier: Send + Sync {
    /// Checks the signature with the key the header's `kid` names in the JWK Set at
    /// `jwks_url` (fetched and cached by the adapter, never per request), then `exp`/`nbf`
    /// with the leeway, `iss` and `aud`. The token's claims, or `Unauthenticated`;
    /// `Unavailable` when the JWK Set cannot be fetched at all (or not within `reach`).
    async fn verify(
        &self,
        token: &str,
        jwks_url: &str,
        reach: Reach,
        expected: &Expected<'_>,
    ) -> DomainResult<serde_json::Map<String, serde_json::Value>>;
}

/// Where and as whom to introspect.
pub struct IntrospectionEndpoint<'a> {
    pub url: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a IntrospectionSecret,
    /// Which addresses the call may connect to.
    pub reach: Reach,
}

/// Tells, before an endpoint is stored, whether calls to it could reach it within
/// [`Reach::Public`]: its host must resolve to allowed addresses only. Calls check again
/// at connect time, so a name that resolves differently later is still refused.
#[async_trait]
pub trait EndpointGuard: Send + Sync {
    /// `InvalidValue` naming `field` when the URL's host is, or resolves to, an address
    /// outside the public network, or does not resolve.
    async fn check_public(&self, field: &str, url: &str) -> DomainResult<()>;
}

/// RFC 7662 token introspection at a trusted authorization server.
#[async_trait]
pub trait TokenIntrospector: Send + Sync {
    /// The answer's members when the token is active, `None` when it is not; `Unavailable`
    /// when the endpoint cannot be reached or answers with an error.
    async fn introspect(
        &self,
        token: &str,
        endpoint: &IntrospectionEndpoint<'_>,
    ) -> DomainResult<Option<serde_json::Map<String, serde_json::Value>>>;
}

/// Password and token-secret hashing (argon2id) plus a keyed fingerprint for cache keys.
#[async_trait]
pub trait SecretHasher: Send + Sync {
    async fn hash(&self, secret: &str) -> DomainResult<String>;
    async fn verify(&self, secret: &str, hash: &str) -> DomainResult<bool>;
    /// A keyed hash of a whole credential, cheap to compute, for cache entries: the cache
    /// never holds anything that would let its reader present the credential.
    fn fingerprint(&self, credential: &str) -> String;
    /// A new random secret of URL- and shell-safe characters.
    fn random_secret(&self) -> String;
}

/// A shared key-value cache (in-process or Redis). Errors mean "unavailable"; callers fall
/// back to the store.
#[async_trait]
pub trait Cache: Send + Sync {
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>>;
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> DomainResult<()>;
    async fn remove(&self, key: &str) -> DomainResult<()>;
}

/// The time, so tests and services agree on "now".
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    // The one place that reads the wall clock (clippy.toml disallows it elsewhere).
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A dependency requests need, checked by the readiness endpoint.
#[async_trait]
pub trait ReadinessProbe: Send + Sync {
    /// What is checked, as the readiness report names it.
    fn name(&self) -> &'static str;
    async fn check(&self) -> DomainResult<()>;
}

/// A request budget: a steady rate and how many requests may come at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    pub per_second: u32,
    pub burst: u32,
}

/// Whether a request fits its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    Allowed,
    Limited { retry_after: Duration },
}

/// Token-bucket style limiting shared by every replica (Redis) or per process.
#[async_trait]
pub trait RateLimiter: Send + Sync {
    async fn take(&self, key: &str, quota: Quota) -> DomainResult<RateDecision>;
}
