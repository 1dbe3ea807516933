//! What an admin sends to register or change a webhook endpoint, checked before anything is
//! stored.

use serde::Deserialize;
use url::Url;

use super::{WebhookFormat, WebhookStatus};
use crate::error::{DomainError, DomainResult};
use crate::event::Variant;
use crate::event::kind::all_type_names;
use crate::oauth::trusted_issuer::Registrar;

const MAX_URL_BYTES: usize = 2048;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookRequest {
    pub url: String,
    #[serde(default)]
    pub events: Option<Vec<String>>,
    #[serde(default)]
    pub format: Option<WebhookFormat>,
    #[serde(default)]
    pub variant: Option<Variant>,
}

/// A change to an endpoint: only the fields given change. `status` takes `active` or `paused`
/// (resuming a disabled endpoint is `active` too).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub format: Option<WebhookFormat>,
    pub variant: Option<Variant>,
    pub status: Option<WebhookStatus>,
}

/// An endpoint URL: absolute http(s) without credentials or fragment; https only when a tenant
/// admin registers it (the operator may point at an internal receiver).
pub fn check_url(raw: &str, registrar: Registrar) -> DomainResult<String> {
    let invalid = |why: &str| DomainError::InvalidValue(format!("url: {why}"));
    if raw.len() > MAX_URL_BYTES {
        return Err(invalid("longer than 2048 bytes"));
    }
    let url = Url::parse(raw).map_err(|err| invalid(&err.to_string()))?;
    match (url.scheme(), registrar) {
        ("https", _) | ("http", Registrar::Operator) => {}
        ("http", Registrar::Tenant) => return Err(invalid("must use https")),
        _ => return Err(invalid("must be an http(s) URL")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials"));
    }
    if url.fragment().is_some() {
        return Err(invalid("must not carry a fragment"));
    }
    if url.host_str().is_none() {
        return Err(invalid("must name a host"));
    }
    Ok(url.to_string())
}

/// Event types to deliver: known dotted names, each once.
pub fn check_events(events: &[String]) -> DomainResult<Vec<String>> {
    let known = all_type_names();
    let mut checked: Vec<String> = Vec::new();
    for event in events {
        if !known.contains(event) {
            return Err(DomainError::InvalidValue(format!(
                "events: unknown event type '{event}'; known types: {}",
                known.join(", ")
            )));
        }
        if !checked.contains(event) {
            checked.push(event.clone());
        }
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_admins_register_https_only_and_nobody_registers_credentials() {
        assert!(check_url("https://hooks.example.com/scim", Registrar::Tenant).is_ok());
        assert!(check_url("http://hooks.example.com/scim", Registrar::Tenant).is_err());
        assert!(check_url("http://127.0.0.1:9000/in", Registrar::Operator).is_ok());
        assert!(check_url("https://user:pw@example.com/", Registrar::Operator).is_err());
        assert!(check_url("ftp://example.com/", Registrar::Operator).is_err());
        assert!(check_url("not a url", Registrar::Operator).is_err());
    }

    #[test]
    fn event_types_must_be_known() {
        let types = vec!["user.created".to_owned(), "user.created".to_owned()];
        assert_eq!(check_events(&types).unwrap(), vec!["user.created"]);
        assert!(check_events(&["user.exploded".to_owned()]).is_err());
    }
}
