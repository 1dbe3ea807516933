//! The body of `POST .../.search` (RFC 7644 §3.4.3), turned into the same parameters a GET
//! list takes, so both paths share one validation.

use serde_json::Value;

use crate::error::{DomainError, DomainResult};
use crate::query::list::ListParams;

pub const SEARCH_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

pub fn list_params_from_search(body: &Value) -> DomainResult<ListParams> {
    let Value::Object(fields) = body else {
        return Err(DomainError::InvalidSyntax(
            "a SearchRequest must be a JSON object".into(),
        ));
    };
    let get = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    };
    let declares_schema = get("schemas").and_then(Value::as_array).is_some_and(|s| {
        s.iter().any(|u| {
            u.as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(SEARCH_REQUEST_SCHEMA))
        })
    });
    if !declares_schema {
        return Err(DomainError::InvalidSyntax(format!(
            "'schemas' must contain {SEARCH_REQUEST_SCHEMA}"
        )));
    }
    Ok(ListParams {
        start_index: scalar(get("startIndex"), "startIndex")?,
        count: scalar(get("count"), "count")?,
        filter: text(get("filter"), "filter")?,
        sort_by: text(get("sortBy"), "sortBy")?,
        sort_order: text(get("sortOrder"), "sortOrder")?,
        attributes: names(get("attributes"), "attributes")?,
        excluded_attributes: names(get("excludedAttributes"), "excludedAttributes")?,
        cursor: text(get("cursor"), "cursor")?,
    })
}

fn text(value: Option<&Value>, name: &str) -> DomainResult<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(DomainError::InvalidValue(format!(
            "'{name}' must be a string"
        ))),
    }
}

fn scalar(value: Option<&Value>, name: &str) -> DomainResult<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(DomainError::InvalidValue(format!(
            "'{name}' must be an integer"
        ))),
    }
}

/// `attributes` is an array of names in a SearchRequest; a comma-separated string is accepted too.
fn names(value: Option<&Value>, name: &str) -> DomainResult<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Array(items)) => {
            let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            parts.map(|p| Some(p.join(","))).ok_or_else(|| {
                DomainError::InvalidValue(format!("'{name}' must be an array of strings"))
            })
        }
        Some(_) => Err(DomainError::InvalidValue(format!(
            "'{name}' must be an array of strings"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn search_request_becomes_list_params() {
        let params = list_params_from_search(&json!({
            "schemas": [SEARCH_REQUEST_SCHEMA],
            "filter": "userName sw \"a\"",
            "attributes": ["userName", "emails"],
            "startIndex": 3,
            "count": 10,
        }))
        .unwrap();
        assert_eq!(params.filter.as_deref(), Some("userName sw \"a\""));
        assert_eq!(params.attributes.as_deref(), Some("userName,emails"));
        assert_eq!(params.start_index.as_deref(), Some("3"));
        assert_eq!(params.count.as_deref(), Some("10"));
    }

    #[test]
    fn search_request_without_its_schema_or_with_wrong_types_is_rejected() {
        assert!(matches!(
            list_params_from_search(&json!({"filter": "x pr"})),
            Err(DomainError::InvalidSyntax(_))
        ));
        assert!(
            list_params_from_search(&json!({"schemas": [SEARCH_REQUEST_SCHEMA], "count": true}))
                .is_err()
        );
        assert!(
            list_params_from_search(
                &json!({"schemas": [SEARCH_REQUEST_SCHEMA], "attributes": [1]})
            )
            .is_err()
        );
    }
}
