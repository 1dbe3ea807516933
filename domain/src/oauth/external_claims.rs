//! What a verified token of a trusted authorization server stands for: its scopes (the
//! configured claim, a space-separated string or an array as Entra ID and Okta send `scp`),
//! cut down to the scopes the tenant allows; the claims the policy may use; a subject.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::authz::principal::Principal;
use crate::oauth::trusted_issuer::{DEFAULT_SCOPE_CLAIM, TrustedIssuer};
use crate::scope::Scope;
use crate::tenant::TenantSlug;

/// Where Entra ID and Okta put scopes when `scope` is absent.
const SCP: &str = "scp";
/// Clock skew tolerated on a foreign server's `exp` and `nbf`.
pub const EXTERNAL_LEEWAY_SECS: u64 = 30;
/// A subject is for logs, audit and per-credential rate limits; longer ones are cut.
const MAX_SUBJECT_LEN: usize = 200;

/// The `iss` of a JWT, read without verifying anything: only to pick who must verify it.
pub fn peek_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    claims.get("iss")?.as_str().map(str::to_owned)
}

/// The scopes the token carries that the entry allows, in the entry's order.
pub fn granted_scopes(issuer: &TrustedIssuer, claims: &Map<String, Value>) -> Vec<Scope> {
    let carried = match claims.get(&issuer.scope_claim) {
        Some(value) => value,
        None if issuer.scope_claim == DEFAULT_SCOPE_CLAIM => match claims.get(SCP) {
            Some(value) => value,
            None => return Vec::new(),
        },
        None => return Vec::new(),
    };
    let names: Vec<&str> = match carried {
        Value::String(text) => text.split_whitespace().collect(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    issuer
        .allowed_scopes
        .iter()
        .copied()
        .filter(|allowed| names.contains(&allowed.as_str()))
        .collect()
}

/// The principal of a verified token. `subject` names the token's `sub` (else its client)
/// under the entry's id, so two issuers' subjects never collide.
pub fn principal(
    issuer: &TrustedIssuer,
    tenant_slug: TenantSlug,
    claims: &Map<String, Value>,
) -> Principal {
    let who = ["sub", "client_id", "azp", "appid"]
        .iter()
        .find_map(|name| claims.get(*name).and_then(Value::as_str))
        .unwrap_or("unknown");
    let mut subject = format!("{}/{who}", issuer.id);
    if subject.len() > MAX_SUBJECT_LEN {
        let mut end = MAX_SUBJECT_LEN;
        while !subject.is_char_boundary(end) {
            end -= 1;
        }
        subject.truncate(end);
    }
    let copied = issuer
        .copy_claims
        .iter()
        .filter_map(|name| claims.get(name).map(|value| (name.clone(), value.clone())))
        .collect();
    Principal {
        tenant_id: issuer.tenant_id,
        tenant_slug,
        subject,
        scopes: granted_scopes(issuer, claims),
        claims: copied,
        policy: issuer.policy.clone(),
    }
}

/// An introspection answer's own statements must agree with the entry: RFC 7662 makes
/// `iss`, `aud`, `exp` and `nbf` optional, but when present they bind.
pub fn introspection_agrees(
    issuer: &TrustedIssuer,
    claims: &Map<String, Value>,
    now: DateTime<Utc>,
) -> bool {
    let leeway = EXTERNAL_LEEWAY_SECS as i64;
    let now = now.timestamp();
    let iss_ok = claims
        .get("iss")
        .is_none_or(|iss| iss.as_str() == Some(issuer.issuer.as_str()));
    let aud_ok = match claims.get("aud") {
        None => true,
        Some(Value::String(aud)) => *aud == issuer.audience,
        Some(Value::Array(list)) => list
            .iter()
            .any(|aud| aud.as_str() == Some(issuer.audience.as_str())),
        Some(_) => false,
    };
    let exp_ok = claims
        .get("exp")
        .is_none_or(|exp| exp.as_i64().is_some_and(|exp| exp + leeway > now));
    let nbf_ok = claims
        .get("nbf")
        .is_none_or(|nbf| nbf.as_i64().is_some_and(|nbf| nbf - leeway <= now));
    iss_ok && aud_ok && exp_ok && nbf_ok
}

/// `exp` of a token's claims, when it has a usable one.
pub fn expiry(claims: &Map<String, Value>) -> Option<DateTime<Utc>> {
    claims
        .get("exp")
        .and_then(Value::as_i64)
        .and_then(|exp| DateTime::from_timestamp(exp, 0))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests compare against the wall clock
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::oauth::trusted_issuer::{IssuerId, Verification};
    use crate::tenant::TenantId;

    fn issuer(scope_claim: &str, allowed: &[Scope]) -> TrustedIssuer {
        TrustedIssuer {
            id: IssuerId(Uuid::now_v7()),
            tenant_id: TenantId(Uuid::now_v7()),
            issuer: "https://idp.example.com".into(),
            audience: "scimgate".into(),
            verification: Verification::Jwks {
                url: "https://idp.example.com/jwks".into(),
            },
            scope_claim: scope_claim.into(),
            allowed_scopes: allowed.to_vec(),
            copy_claims: vec!["org".into()],
            policy: None,
            created: Utc::now(),
            registered_by: Default::default(),
        }
    }

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn scopes_are_the_intersection_with_the_allowed_ones() {
        let entry = issuer("scope", &[Scope::Read, Scope::UsersWrite]);
        let claims = map(json!({"scope": "openid scim:read scim:write scim:users:write"}));
        assert_eq!(
            granted_scopes(&entry, &claims),
            vec![Scope::Read, Scope::UsersWrite]
        );
    }

    #[test]
    fn scp_arrays_and_strings_are_read_when_scope_is_absent() {
        let entry = issuer("scope", &[Scope::Read, Scope::Write]);
        let okta = map(json!({"scp": ["scim:write", "offline_access"]}));
        let entra = map(json!({"scp": "scim:read"}));
        assert_eq!(granted_scopes(&entry, &okta), vec![Scope::Write]);
        assert_eq!(granted_scopes(&entry, &entra), vec![Scope::Read]);
    }

    #[test]
    fn a_named_scope_claim_is_the_only_one_read() {
        let entry = issuer("roles", &[Scope::Read, Scope::Write]);
        let claims = map(json!({"roles": ["scim:read"], "scope": "scim:write"}));
        assert_eq!(granted_scopes(&entry, &claims), vec![Scope::Read]);
        assert!(granted_scopes(&entry, &map(json!({"scp": "scim:read"}))).is_empty());
    }

    #[test]
    fn principal_copies_only_the_named_claims() {
        let entry = issuer("scope", &[Scope::Read]);
        let claims = map(json!({"sub": "svc-1", "org": "partner-a", "email": "x@y"}));
        let principal = principal(&entry, TenantSlug::parse("acme").unwrap(), &claims);
        assert_eq!(principal.claims, map(json!({"org": "partner-a"})));
        assert_eq!(principal.subject, format!("{}/svc-1", entry.id));
        assert!(principal.scopes.is_empty());
    }

    #[test]
    fn peek_issuer_reads_the_unverified_payload() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"iss":"https://idp.example.com"}"#);
        let token = format!("e30.{payload}.sig");
        assert_eq!(
            peek_issuer(&token).as_deref(),
            Some("https://idp.example.com")
        );
        assert_eq!(peek_issuer("a.b.c"), None);
    }

    #[test]
    fn introspection_answers_must_agree_with_the_entry() {
        let entry = issuer("scope", &[Scope::Read]);
        let now = Utc::now();
        let good = map(
            json!({"iss": "https://idp.example.com", "aud": ["x", "scimgate"],
                              "exp": now.timestamp() + 60}),
        );
        assert!(introspection_agrees(&entry, &good, now));
        for bad in [
            json!({"iss": "https://evil.example.com"}),
            json!({"aud": "other"}),
            json!({"exp": now.timestamp() - 60}),
            json!({"nbf": now.timestamp() + 600}),
        ] {
            assert!(
                !introspection_agrees(&entry, &map(bad.clone()), now),
                "{bad}"
            );
        }
    }
}
