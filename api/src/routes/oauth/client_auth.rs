//! Client authentication at the token endpoint: `client_secret_basic` (HTTP Basic with the
//! form-urlencoded id and secret, RFC 6749 §2.3.1) or `client_secret_post` (form fields).
//! Using both at once is refused (§2.3).

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use scimgate_domain::oauth::error::OAuthError;
use scimgate_domain::service::auth::token_issuer::ClientCredentials;

use super::form::FormParams;

fn bad_basic() -> OAuthError {
    OAuthError::InvalidClient("malformed HTTP Basic client credentials".into())
}

/// The client's id and secret from the Authorization header or the form.
pub fn client_credentials(
    req: &HttpRequest,
    form: &FormParams,
) -> Result<ClientCredentials, OAuthError> {
    let basic = basic_credentials(req)?;
    let posted = (form.get("client_id"), form.get("client_secret"));
    match (basic, posted) {
        (Some(_), (_, Some(_))) => Err(OAuthError::InvalidRequest(
            "use one client authentication method: HTTP Basic or client_secret in the body".into(),
        )),
        (Some(basic), (Some(id), None)) if id != basic.client_id => Err(
            OAuthError::InvalidRequest("client_id differs from the HTTP Basic user".into()),
        ),
        (Some(basic), _) => Ok(basic),
        (None, (Some(id), Some(secret))) => Ok(ClientCredentials {
            client_id: id.to_owned(),
            client_secret: secret.to_owned(),
        }),
        (None, _) => Err(OAuthError::InvalidClient(
            "client authentication is required (HTTP Basic or client_id and client_secret)".into(),
        )),
    }
}

/// `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))`, if the header is there.
fn basic_credentials(req: &HttpRequest) -> Result<Option<ClientCredentials>, OAuthError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| bad_basic())?;
    let (scheme, encoded) = value.split_once(' ').ok_or_else(bad_basic)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(OAuthError::InvalidClient(
            "the token endpoint takes HTTP Basic client authentication".into(),
        ));
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad_basic())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad_basic())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad_basic)?;
    Ok(Some(ClientCredentials {
        client_id: form_decode(id).ok_or_else(bad_basic)?,
        client_secret: form_decode(secret).ok_or_else(bad_basic)?,
    }))
}

/// Undoes `application/x-www-form-urlencoded` on one value: `+` is a space, `%XX` a byte.
fn form_decode(raw: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.bytes();
    while let Some(b) = rest.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = [rest.next()?, rest.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn basic(user_pass: &str) -> String {
        format!("Basic {}", STANDARD.encode(user_pass))
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let req = TestRequest::default()
            .insert_header((header::AUTHORIZATION, basic("sgc_01%2B+x:s%3Ac+ret")))
            .to_http_request();
        let form = FormParams::parse(b"grant_type=client_credentials").unwrap();

        let credentials = client_credentials(&req, &form).unwrap();

        assert_eq!(credentials.client_id, "sgc_01+ x");
        assert_eq!(credentials.client_secret, "s:c ret");
    }

    #[test]
    fn two_methods_at_once_are_refused() {
        let req = TestRequest::default()
            .insert_header((header::AUTHORIZATION, basic("a:b")))
            .to_http_request();
        let form = FormParams::parse(b"client_id=a&client_secret=b").unwrap();

        assert!(matches!(
            client_credentials(&req, &form),
            Err(OAuthError::InvalidRequest(_))
        ));
    }

    #[test]
    fn no_credentials_is_invalid_client() {
        let req = TestRequest::default().to_http_request();
        let form = FormParams::parse(b"client_id=a").unwrap();

        assert!(matches!(
            client_credentials(&req, &form),
            Err(OAuthError::InvalidClient(_))
        ));
        assert_eq!(form_decode("%zz"), None);
    }
}
