//! What an admin may change on an existing credential, an opaque token or an OAuth client
//! alike: its name, scopes, fixed claims and policy. `None` keeps the current value.

use crate::admin_name::AdminName;
use crate::authz::Policy;
use crate::oauth::client::FixedClaims;
use crate::scope::Scope;
use crate::service::admin::tenants::scopes_or_default;

#[derive(Debug, Default)]
pub struct CredentialChange {
    pub name: Option<AdminName>,
    /// Empty means `Scope::DEFAULT`, as on creation.
    pub scopes: Option<Vec<Scope>>,
    pub claims: Option<FixedClaims>,
    /// `Some(None)` removes the policy.
    pub policy: Option<Option<Policy>>,
}

/// The fields of a stored credential a change may touch.
pub(crate) struct CredentialFields<'a> {
    pub name: &'a mut String,
    pub scopes: &'a mut Vec<Scope>,
    pub claims: &'a mut FixedClaims,
    pub policy: &'a mut Option<Policy>,
}

impl CredentialChange {
    pub(crate) fn apply(self, fields: CredentialFields<'_>) {
        if let Some(name) = self.name {
            *fields.name = name.into_string();
        }
        if let Some(scopes) = self.scopes {
            *fields.scopes = scopes_or_default(scopes);
        }
        if let Some(claims) = self.claims {
            *fields.claims = claims;
        }
        if let Some(policy) = self.policy {
            *fields.policy = policy;
        }
    }
}
