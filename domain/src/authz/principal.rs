//! Who is calling: the tenant a credential belongs to and what it may do.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::authz::Policy;
use crate::error::{DomainError, DomainResult};
use crate::schema::kind::ResourceKind;
use crate::scope::{Access, Scope};
use crate::tenant::{TenantId, TenantSlug};

/// An authenticated caller, bound to exactly one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub tenant_slug: TenantSlug,
    /// The token id or OAuth client id, for logs and audit; never a secret.
    pub subject: String,
    pub scopes: Vec<Scope>,
    /// Fixed claims of an OAuth client's access token or of an opaque token (e.g.
    /// `{"org":"partner-a"}`). Defaulted so cache entries written before it existed still read.
    #[serde(default)]
    pub claims: Map<String, Value>,
    /// The OAuth client's or opaque token's policy (rows, readable and writable attributes);
    /// `None` means only the scopes restrict.
    #[serde(default)]
    pub policy: Option<Policy>,
}

impl Principal {
    /// Fails with 403 unless one of the principal's scopes grants `access` on `kind`.
    pub fn require(&self, kind: ResourceKind, access: Access) -> DomainResult<()> {
        if self.may(kind, access) {
            Ok(())
        } else {
            let verb = match access {
                Access::Read => "read",
                Access::Write => "write",
            };
            Err(DomainError::Forbidden(format!(
                "the token's scopes do not allow to {verb} {}s",
                kind.name()
            )))
        }
    }

    /// Whether the principal's scopes allow `access` to `kind`.
    pub fn may(&self, kind: ResourceKind, access: Access) -> bool {
        self.scopes.iter().any(|s| s.grants(kind, access))
    }

    /// Fails with 403 unless the principal holds `scope` itself (`scim:bulk`, `scim:admin`).
    pub fn require_scope(&self, scope: Scope) -> DomainResult<()> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "the token lacks the scope {}",
                scope.as_str()
            )))
        }
    }
}
