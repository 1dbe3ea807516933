//! Members that token and client bodies of the admin API share: a name, scopes, fixed claims
//! and a policy, validated as the domain validates them, and `null` told apart from an absent
//! member in `PATCH` bodies.

use scimgate_domain::admin_name::AdminName;
use scimgate_domain::authz::Policy;
use scimgate_domain::oauth::client::FixedClaims;
use scimgate_domain::schema::SchemaRegistry;
use scimgate_domain::scope::Scope;
use scimgate_domain::service::admin::credential_change::CredentialChange;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::ApiResult;

/// Tells `null` (`Some(Value::Null)`) from an absent member (`None`, by `default`).
pub(crate) fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The name given, else `default`; one with control characters is 400 `invalidValue`.
pub(crate) fn name(given: Option<String>, default: &str) -> ApiResult<AdminName> {
    Ok(AdminName::parse(
        given.unwrap_or_else(|| default.to_owned()),
    )?)
}

/// Fixed claims; `null` is none.
pub(crate) fn claims(value: Value) -> ApiResult<FixedClaims> {
    if value.is_null() {
        return Ok(FixedClaims::default());
    }
    Ok(FixedClaims::parse(value)?)
}

/// A policy checked against the schemas; `null` is none.
pub(crate) fn policy(value: Value, registry: &SchemaRegistry) -> ApiResult<Option<Policy>> {
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(Policy::parse(value, registry)?))
}

pub(crate) fn scopes(raw: &[String]) -> ApiResult<Vec<Scope>> {
    Ok(Scope::parse_list(&raw.join(" "))?)
}

/// A `PATCH` body of a token or client: absent members keep their value; `"policy": null`
/// removes the policy and `"claims": null` empties the claims.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CredentialPatch {
    name: Option<String>,
    scopes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    claims: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    policy: Option<Value>,
}

impl CredentialPatch {
    pub(crate) fn into_change(self, registry: &SchemaRegistry) -> ApiResult<CredentialChange> {
        Ok(CredentialChange {
            name: self.name.map(AdminName::parse).transpose()?,
            scopes: self.scopes.as_deref().map(scopes).transpose()?,
            claims: self.claims.map(claims).transpose()?,
            policy: self
                .policy
                .map(|value| policy(value, registry))
                .transpose()?,
        })
    }
}
