//! What an OAuth client may see and change, stored with the client and carried into its
//! principal. Row filters are SCIM filters with `{{claims.<name>}}` placeholders, filled in
//! per request from the principal's fixed claims.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::filter::{AttrPath, Filter, ResolvedFilter, canonical_path, parse, resolve};
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;

/// Largest policy, serialised.
pub const MAX_POLICY_BYTES: usize = 8192;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// Users the client may see and write; `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_filter: Option<String>,
    /// Groups the client may see and write; `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_filter: Option<String>,
    /// Attribute paths the client may read (`id`, `schemas`, `meta` always); `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readable: Option<Vec<String>>,
    /// Attributes the client may write; `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<Vec<String>>,
    /// The caller's own User (RFC 7644 §3.11 `/Me`), as a Users filter with placeholders,
    /// e.g. `userName eq "{{claims.email}}"`; `None`: `/Me` answers 501.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me_filter: Option<String>,
}

impl Policy {
    /// Parses and checks a policy: its filters must parse (placeholders filled with a sample)
    /// and its attribute paths must name attributes of Users or Groups.
    pub fn parse(value: Value, registry: &SchemaRegistry) -> DomainResult<Self> {
        if value.to_string().len() > MAX_POLICY_BYTES {
            return Err(invalid(format!(
                "policy must not exceed {MAX_POLICY_BYTES} bytes of JSON"
            )));
        }
        let policy: Policy = serde_json::from_value(value)
            .map_err(|err| invalid(format!("policy is not valid: {err}")))?;
        policy.validate(registry)?;
        Ok(policy)
    }

    /// Parses the text of a JSON object, as `--policy` takes it.
    pub fn parse_str(raw: &str, registry: &SchemaRegistry) -> DomainResult<Self> {
        let value = serde_json::from_str(raw)
            .map_err(|err| invalid(format!("policy is not JSON: {err}")))?;
        Self::parse(value, registry)
    }

    fn validate(&self, registry: &SchemaRegistry) -> DomainResult<()> {
        for (name, kind, filter) in [
            ("userFilter", ResourceKind::User, &self.user_filter),
            ("groupFilter", ResourceKind::Group, &self.group_filter),
            ("meFilter", ResourceKind::User, &self.me_filter),
        ] {
            if let Some(text) = filter {
                // Literals are typed by their attribute (`filter::resolve`): the sample is a
                // string every string-typed attribute takes, dateTimes included.
                let sample = substitute(text, &mut |_| Some("2000-01-01T00:00:00Z".into()))?;
                resolve(parse(&sample)?, registry, kind)
                    .map_err(|err| invalid(format!("{name}: {err}")))?;
            }
        }
        for (name, list) in [("readable", &self.readable), ("writable", &self.writable)] {
            for entry in list.iter().flatten() {
                let known = ResourceKind::ALL
                    .into_iter()
                    .any(|kind| attribute_path(entry, registry, kind).is_ok());
                if !known {
                    return Err(invalid(format!(
                        "{name} entry '{entry}' is not an attribute of Users or Groups"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The row filter for `kind` with the claims filled in and resolved; `None` when the
    /// policy does not restrict `kind`. A placeholder naming a claim the principal lacks is a
    /// 403: never an unfiltered view.
    pub fn row_filter(
        &self,
        kind: ResourceKind,
        claims: &Map<String, Value>,
        registry: &SchemaRegistry,
    ) -> DomainResult<Option<ResolvedFilter>> {
        let text = match kind {
            ResourceKind::User => &self.user_filter,
            ResourceKind::Group => &self.group_filter,
        };
        text.as_deref()
            .map(|text| fill(text, kind, claims, registry))
            .transpose()
    }

    /// The policy as it applies on `/Me`: its Users rows narrowed to the caller's own User.
    /// `None` when the policy maps no User to its callers.
    pub fn narrowed_to_me(&self) -> Option<Policy> {
        let me = self.me_filter.as_deref()?;
        let user_filter = match self.user_filter.as_deref() {
            Some(rows) => format!("({rows}) and ({me})"),
            None => me.to_owned(),
        };
        Some(Policy {
            user_filter: Some(user_filter),
            ..self.clone()
        })
    }
}

/// A filter text with the claims filled in, resolved against `kind`.
fn fill(
    text: &str,
    kind: ResourceKind,
    claims: &Map<String, Value>,
    registry: &SchemaRegistry,
) -> DomainResult<ResolvedFilter> {
    let mut missing = None;
    let filled = substitute(text, &mut |name| {
        let value = claims.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        if value.is_none() {
            missing = Some(name.to_owned());
        }
        value
    })?;
    if let Some(name) = missing {
        return Err(DomainError::Forbidden(format!(
            "the client's policy needs the claim '{name}', which its token lacks"
        )));
    }
    resolve(parse(&filled)?, registry, kind)
}

/// A resolved attribute path of `kind`, as `sortBy` takes it.
pub(crate) fn attribute_path(
    raw: &str,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> DomainResult<AttrPath> {
    match parse(&format!("{raw} pr"))? {
        Filter::Present(path) => canonical_path(&path, registry, kind),
        _ => Err(invalid(format!("'{raw}' is not an attribute path"))),
    }
}

/// Replaces each `{{claims.<name>}}` with `value(name)`, escaped for a JSON string literal
/// (the quotes around the placeholder belong to the filter).
fn substitute(text: &str, value: &mut dyn FnMut(&str) -> Option<String>) -> DomainResult<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| invalid("unterminated '{{' placeholder in a policy filter".into()))?;
        let name = after[..end].trim();
        let claim = name.strip_prefix("claims.").ok_or_else(|| {
            invalid(format!(
                "placeholder '{{{{{name}}}}}' must be written {{{{claims.<name>}}}}"
            ))
        })?;
        if let Some(v) = value(claim) {
            let quoted = Value::String(v).to_string();
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn invalid(message: String) -> DomainError {
    DomainError::InvalidValue(message)
}

#[cfg(test)]
mod tests;
