//! Guard rails a tenant can turn on in its lifecycle policy: verified domains (a User whose
//! userName or email is outside them is refused) and a seat limit on active users (a create
//! or reactivation past it is refused; the store checks it inside the write's transaction).

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};

/// Most domains one tenant may list.
pub const MAX_VERIFIED_DOMAINS: usize = 100;

/// The rules; the default turns both off.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuardRails {
    /// Lower-case domains; empty = the rule is off.
    pub verified_domains: Vec<String>,
    /// Most active users; `None` = no limit.
    pub seat_limit: Option<u64>,
}

/// The rule a refusal names, as metrics label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardRule {
    VerifiedDomains,
    SeatLimit,
}

impl GuardRule {
    pub fn name(self) -> &'static str {
        match self {
            Self::VerifiedDomains => "verified_domains",
            Self::SeatLimit => "seat_limit",
        }
    }
}

impl GuardRails {
    /// Checks and normalises the domains an admin sent (lower case, duplicates dropped).
    pub fn parse(domains: &[String], seat_limit: Option<u64>) -> DomainResult<Self> {
        if domains.len() > MAX_VERIFIED_DOMAINS {
            return Err(DomainError::InvalidValue(format!(
                "verifiedDomains: at most {MAX_VERIFIED_DOMAINS} domains"
            )));
        }
        let mut verified_domains: Vec<String> = Vec::with_capacity(domains.len());
        for raw in domains {
            let domain = raw.trim().trim_end_matches('.').to_ascii_lowercase();
            let valid = !domain.is_empty()
                && domain.len() <= 253
                && domain.contains('.')
                && domain.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            if !valid {
                return Err(DomainError::InvalidValue(format!(
                    "verifiedDomains: '{raw}' is not a domain name (like example.com)"
                )));
            }
            if !verified_domains.contains(&domain) {
                verified_domains.push(domain);
            }
        }
        Ok(Self {
            verified_domains,
            seat_limit,
        })
    }

    /// Refuses a User document whose userName (when it holds an `@`) or checked email is
    /// outside the verified domains. The emails checked are the primary one or, when none is
    /// primary, every `work` email. A domain covers itself only, not its subdomains.
    pub fn check_user(&self, document: &Map<String, Value>) -> DomainResult<()> {
        if self.verified_domains.is_empty() {
            return Ok(());
        }
        if let Some(name) = document.get("userName").and_then(Value::as_str)
            && name.contains('@')
        {
            self.check_address("userName", name)?;
        }
        for email in checked_emails(document) {
            self.check_address("emails", email)?;
        }
        Ok(())
    }

    fn check_address(&self, attribute: &str, address: &str) -> DomainResult<()> {
        let domain = address
            .rsplit_once('@')
            .map(|(_, domain)| domain.trim_end_matches('.').to_ascii_lowercase())
            .unwrap_or_default();
        if self.verified_domains.contains(&domain) {
            return Ok(());
        }
        Err(DomainError::OutsideVerifiedDomains(format!(
            "{attribute} '{address}' is outside this tenant's verified domains ({}): \
             the verified-domains rule refuses it",
            self.verified_domains.join(", ")
        )))
    }
}

/// The primary email, else every `work` email.
fn checked_emails(document: &Map<String, Value>) -> Vec<&str> {
    let Some(Value::Array(emails)) = document.get("emails") else {
        return Vec::new();
    };
    let primary: Vec<&str> = emails
        .iter()
        .filter(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
        .filter_map(email_value)
        .collect();
    if !primary.is_empty() {
        return primary;
    }
    emails
        .iter()
        .filter(|e| {
            e.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("work"))
        })
        .filter_map(email_value)
        .collect()
}

fn email_value(email: &Value) -> Option<&str> {
    email.get("value").and_then(Value::as_str)
}

/// Whether a User document counts against the seat limit: every user not `active: false`.
pub fn is_active(document: &Map<String, Value>) -> bool {
    document.get("active").and_then(Value::as_bool) != Some(false)
}

/// Whether writing `after` over `before` (`None` for a create) takes a seat: a new active
/// user, or one going from inactive to active.
pub fn takes_seat(before: Option<&Map<String, Value>>, after: &Map<String, Value>) -> bool {
    is_active(after) && !before.is_some_and(is_active)
}

/// The refusal of a write that would pass the seat limit.
pub fn seat_limit_reached(limit: u64) -> DomainError {
    DomainError::SeatLimitReached(format!(
        "this tenant's seat limit of {limit} active users is reached: the seat-limit rule \
         refuses another active user (deactivate one, or raise the limit)"
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn rails(domains: &[&str]) -> GuardRails {
        let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
        GuardRails::parse(&domains, None).unwrap()
    }

    #[test]
    fn domains_are_lower_cased_and_subdomains_need_their_own_entry() {
        let rails = rails(&["Example.COM"]);
        assert!(
            rails
                .check_user(&doc(json!({"userName": "a@EXAMPLE.com"})))
                .is_ok()
        );
        assert!(matches!(
            rails.check_user(&doc(json!({"userName": "a@eu.example.com"}))),
            Err(DomainError::OutsideVerifiedDomains(_))
        ));
        assert!(matches!(
            rails.check_user(&doc(json!({"userName": "a@badexample.com"}))),
            Err(DomainError::OutsideVerifiedDomains(_))
        ));
    }

    #[test]
    fn a_user_name_without_at_is_judged_by_its_primary_or_work_email() {
        let rails = rails(&["example.com"]);
        let primary_outside = json!({"userName": "alice", "emails": [
            {"value": "a@example.com", "type": "work"},
            {"value": "a@other.org", "primary": true}]});
        assert!(rails.check_user(&doc(primary_outside)).is_err());
        let home_outside = json!({"userName": "alice", "emails": [
            {"value": "a@example.com", "type": "work"},
            {"value": "a@other.org", "type": "home"}]});
        assert!(rails.check_user(&doc(home_outside)).is_ok());
        assert!(rails.check_user(&doc(json!({"userName": "alice"}))).is_ok());
    }

    #[test]
    fn no_domains_means_the_rule_is_off() {
        assert!(
            GuardRails::default()
                .check_user(&doc(json!({"userName": "a@anywhere.net"})))
                .is_ok()
        );
    }

    #[test]
    fn what_is_not_a_domain_is_refused() {
        for bad in ["", "example", "a@example.com", "-x.com", "ex ample.com"] {
            assert!(
                GuardRails::parse(&[bad.to_owned()], None).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn a_seat_is_taken_by_an_active_create_or_a_reactivation_only() {
        let active = doc(json!({"active": true}));
        let inactive = doc(json!({"active": false}));
        let unsaid = doc(json!({}));
        assert!(takes_seat(None, &active));
        assert!(takes_seat(None, &unsaid));
        assert!(!takes_seat(None, &inactive));
        assert!(takes_seat(Some(&inactive), &active));
        assert!(!takes_seat(Some(&active), &active));
        assert!(!takes_seat(Some(&active), &inactive));
    }
}
