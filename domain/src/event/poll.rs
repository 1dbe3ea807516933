//! The RFC 8936 poll request, parsed from its JSON body into values that cannot be wrong.
//! Members this version does not know are ignored (RFC 8936 §2.4 lets a transmitter extend
//! the request), so a receiver library that sends more still works.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};

/// SETs per poll when the receiver names no `maxEvents`, and the most it may ask for.
pub const DEFAULT_MAX_EVENTS: u64 = 10;
pub const MAX_MAX_EVENTS: u64 = 1000;
/// Most jtis one request may acknowledge, in `ack` and in `setErrs` each.
pub const MAX_ACKS: usize = 1000;
/// Longest `err` / `description` kept for the log; a receiver cannot flood it.
const MAX_REPORT_CHARS: usize = 256;

/// A receiver's report that it could not process a SET (RFC 8936 §2.4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError {
    pub jti: String,
    pub err: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollRequest {
    pub max_events: u64,
    /// RFC 8936 §2.4.1: absent means false, a long poll.
    pub return_immediately: bool,
    pub ack: Vec<String>,
    pub set_errs: Vec<SetError>,
}

impl PollRequest {
    pub fn parse(body: &Value) -> DomainResult<Self> {
        let Value::Object(body) = body else {
            return Err(DomainError::InvalidSyntax(
                "the poll request must be a JSON object".into(),
            ));
        };
        let max_events = match body.get("maxEvents") {
            None | Some(Value::Null) => DEFAULT_MAX_EVENTS,
            Some(value) => value
                .as_u64()
                .filter(|n| *n <= MAX_MAX_EVENTS)
                .ok_or_else(|| {
                    invalid(&format!(
                        "maxEvents must be a whole number from 0 to {MAX_MAX_EVENTS}"
                    ))
                })?,
        };
        let return_immediately = match body.get("returnImmediately") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => return Err(invalid("returnImmediately must be true or false")),
        };
        Ok(Self {
            max_events,
            return_immediately,
            ack: parse_ack(body.get("ack"))?,
            set_errs: parse_set_errs(body.get("setErrs"))?,
        })
    }

    /// Every jti the request acknowledges: `ack` and `setErrs` alike (a SET the receiver
    /// reported an error for is not sent again).
    pub fn acknowledged(&self) -> Vec<Uuid> {
        let ids = self.ack.iter().chain(self.set_errs.iter().map(|e| &e.jti));
        ids.filter_map(|jti| Uuid::parse_str(jti).ok()).collect()
    }
}

fn parse_ack(raw: Option<&Value>) -> DomainResult<Vec<String>> {
    let items = match raw {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(invalid("ack must be an array of jti strings")),
    };
    if items.len() > MAX_ACKS {
        return Err(invalid(&format!(
            "ack may name at most {MAX_ACKS} jtis per request"
        )));
    }
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| invalid("ack must be an array of jti strings"))
        })
        .collect()
}

fn parse_set_errs(raw: Option<&Value>) -> DomainResult<Vec<SetError>> {
    let entries: &Map<String, Value> = match raw {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(entries)) => entries,
        Some(_) => {
            return Err(invalid(
                "setErrs must be an object of jti to {err, description}",
            ));
        }
    };
    if entries.len() > MAX_ACKS {
        return Err(invalid(&format!(
            "setErrs may name at most {MAX_ACKS} jtis per request"
        )));
    }
    entries
        .iter()
        .map(|(jti, report)| {
            let text = |name: &str| report.get(name).and_then(Value::as_str).map(clip);
            let err = text("err").ok_or_else(|| {
                invalid(&format!("setErrs[\"{}\"] needs an err string", clip(jti)))
            })?;
            let description = match report.get("description") {
                None | Some(Value::Null) => None,
                Some(Value::String(_)) => text("description"),
                Some(_) => return Err(invalid("setErrs description must be a string")),
            };
            Ok(SetError {
                jti: jti.clone(),
                err,
                description,
            })
        })
        .collect()
}

fn clip(text: &str) -> String {
    text.chars().take(MAX_REPORT_CHARS).collect()
}

fn invalid(detail: &str) -> DomainError {
    DomainError::InvalidValue(detail.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defaults_are_ten_events_and_a_long_poll() {
        let request = PollRequest::parse(&json!({})).unwrap();
        assert_eq!(request.max_events, DEFAULT_MAX_EVENTS);
        assert!(!request.return_immediately);
        assert!(request.ack.is_empty() && request.set_errs.is_empty());
    }

    #[test]
    fn ack_and_set_errs_both_acknowledge_and_made_up_jtis_are_skipped() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let request = PollRequest::parse(&json!({
            "maxEvents": 0, "returnImmediately": true, "ack": [a.to_string(), "nope"],
            "setErrs": {b.to_string(): {"err": "invalid_key", "description": "bad"}},
            "extension": 1
        }))
        .unwrap();
        assert_eq!(request.acknowledged(), vec![a, b]);
        assert_eq!(request.set_errs[0].err, "invalid_key");
        assert_eq!(request.set_errs[0].description.as_deref(), Some("bad"));
    }

    #[test]
    fn malformed_members_are_refused() {
        for body in [
            json!([]),
            json!({"maxEvents": -1}),
            json!({"maxEvents": 1001}),
            json!({"maxEvents": "5"}),
            json!({"maxEvents": 1.5}),
            json!({"returnImmediately": "yes"}),
            json!({"ack": "jti"}),
            json!({"ack": [1]}),
            json!({"setErrs": []}),
            json!({"setErrs": {"j": {"description": "no err"}}}),
            json!({"setErrs": {"j": "invalid_key"}}),
            json!({"setErrs": {"j": {"err": "x", "description": 3}}}),
        ] {
            assert!(
                matches!(
                    PollRequest::parse(&body),
                    Err(DomainError::InvalidValue(_) | DomainError::InvalidSyntax(_))
                ),
                "{body}"
            );
        }
        let many: Vec<String> = (0..=MAX_ACKS).map(|n| n.to_string()).collect();
        assert!(PollRequest::parse(&json!({ "ack": many })).is_err());
    }
}
