//! The request handed to actix-http in place of a refused head that is not the first of its
//! connection. Answering it in the app, rather than writing the refusal to the socket here,
//! keeps the answers in order behind those to earlier (pipelined) requests. It goes to a path
//! no route serves, so it is counted under `http_route="unmatched"` with the refused head's
//! method, as a refused first head is; `head_limits::enforce` answers it. It carries a secret
//! drawn once per process, so a client cannot send one itself; `Connection: close` has
//! actix-http close the connection after the answer.

use std::sync::OnceLock;

use actix_web::http::Method;
use actix_web::http::header::HeaderMap;
use subtle::ConstantTimeEq;

use crate::telemetry::root_span::method_label;

/// The header carrying the secret and which limit the refused head was over.
const HEADER: &str = "x-scimgate-refused-head";
const PATH: &str = "/.scimgate/refused-head";
/// Longest method copied from the refused head.
const MAX_METHOD: usize = 32;

/// Which limit a head was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The request URI: 414.
    Uri,
    /// The header fields: 431.
    Headers,
}

impl Refused {
    fn tag(self) -> &'static str {
        match self {
            Self::Uri => "uri",
            Self::Headers => "headers",
        }
    }
}

fn secret() -> &'static str {
    static SECRET: OnceLock<String> = OnceLock::new();
    SECRET.get_or_init(|| format!("{:032x}", rand::random::<u128>()))
}

/// The stand-in for a refused head, whose bytes so far are `head`.
pub fn request(refused: Refused, head: &[u8]) -> Vec<u8> {
    format!(
        "{} {PATH} HTTP/1.1\r\nhost: scimgate\r\n{HEADER}: {} {}\r\nconnection: close\r\n\r\n",
        method(head),
        secret(),
        refused.tag()
    )
    .into_bytes()
}

/// The refused head's method as its metrics label, which the stand-in carries: `_OTHER` for
/// an unknown method or one that is not a token, and for `CONNECT` too, as actix-http would
/// read the rest of the connection as the body of a `CONNECT`.
fn method(head: &[u8]) -> &'static str {
    let start = head.iter().position(|&b| b != b'\r' && b != b'\n');
    let token = start.map_or(&[][..], |start| {
        let rest = &head[start..];
        let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        &rest[..end.min(MAX_METHOD + 1)]
    });
    match Method::from_bytes(token).map(|method| method_label(&method)) {
        Ok("CONNECT") | Err(_) => "_OTHER",
        Ok(label) => label,
    }
}

/// Which limit a stand-in request reports; `None` for any other request, including one that
/// carries the header without this process's secret.
pub fn refused(headers: &HeaderMap) -> Option<Refused> {
    let value = headers.get(HEADER)?.as_bytes();
    let (given, tag) = value.split_at_checked(value.iter().position(|&b| b == b' ')?)?;
    if !bool::from(given.ct_eq(secret().as_bytes())) {
        return None;
    }
    match tag.trim_ascii() {
        b"uri" => Some(Refused::Uri),
        b"headers" => Some(Refused::Headers),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn carried(request: &[u8]) -> HeaderMap {
        let text = String::from_utf8_lossy(request);
        let value = text
            .lines()
            .find_map(|line| line.strip_prefix("x-scimgate-refused-head: "))
            .unwrap();
        let mut headers = HeaderMap::new();
        let name = HeaderName::from_static(HEADER);
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_stand_in_reports_its_refusal_and_a_forged_one_nothing() {
        let stand_in = request(Refused::Headers, b"PATCH /Users/1 HTTP/1.1\r\n");
        assert!(stand_in.starts_with(b"PATCH /.scimgate/refused-head HTTP/1.1\r\n"));
        assert!(stand_in.ends_with(b"\r\nconnection: close\r\n\r\n"));
        assert_eq!(refused(&carried(&stand_in)), Some(Refused::Headers));
        let uri = request(Refused::Uri, b"GET /");
        assert_eq!(refused(&carried(&uri)), Some(Refused::Uri));

        let forged = b"x-scimgate-refused-head: 00000000000000000000000000000000 uri\r\n";
        assert_eq!(refused(&carried(forged)), None);
        assert_eq!(refused(&HeaderMap::new()), None);
    }

    #[test]
    fn methods_a_stand_in_cannot_carry_become_other() {
        assert!(request(Refused::Uri, b"\r\nDELETE /").starts_with(b"DELETE "));
        assert!(request(Refused::Uri, b"CONNECT x:1").starts_with(b"_OTHER "));
        assert!(request(Refused::Uri, b"BREW /pot").starts_with(b"_OTHER "));
        assert!(request(Refused::Uri, b"G\x01T /").starts_with(b"_OTHER "));
        let other = request(Refused::Uri, b"BREW /pot");
        let mut fields = [httparse::EMPTY_HEADER; 8];
        let parsed = httparse::Request::new(&mut fields).parse(&other);
        assert_eq!(parsed.ok(), Some(httparse::Status::Complete(other.len())));
    }
}
