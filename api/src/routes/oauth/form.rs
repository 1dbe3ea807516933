//! The token request body: `application/x-www-form-urlencoded` parameters, each at most once
//! (RFC 6749 §3.2); a parameter sent without a value counts as omitted (§3.1).

use std::collections::HashMap;

use scimgate_domain::oauth::error::OAuthError;

pub struct FormParams(HashMap<String, String>);

impl FormParams {
    pub fn parse(body: &[u8]) -> Result<Self, OAuthError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| {
            OAuthError::InvalidRequest("the body is not application/x-www-form-urlencoded".into())
        })?;
        let mut params = HashMap::new();
        for (name, value) in pairs {
            if value.is_empty() {
                continue;
            }
            if params.insert(name.clone(), value).is_some() {
                return Err(OAuthError::InvalidRequest(format!(
                    "parameter '{name}' is repeated"
                )));
            }
        }
        Ok(Self(params))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_omitted_and_repeats_refused() {
        let params = FormParams::parse(b"grant_type=client_credentials&scope=&x=a+b").unwrap();
        assert_eq!(params.get("grant_type"), Some("client_credentials"));
        assert_eq!(params.get("scope"), None);
        assert_eq!(params.get("x"), Some("a b"));
        assert!(FormParams::parse(b"scope=a&scope=b").is_err());
    }
}
