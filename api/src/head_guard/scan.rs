//! Reads the limits off a request head as it arrives, byte for byte as sent, without parsing
//! more than it must: where the request line ends, how long its target is, how large the
//! header block is and how many fields it holds. Anything it cannot make sense of is passed
//! on, for actix-http to answer as the malformed request it is.

use crate::head_limits::HeadLimits;

/// More header fields than actix-http's decoder accepts (its fixed `MAX_HEADERS`).
pub const MAX_FIELDS: usize = 96;
/// Longest method token considered before a line with no space is called malformed.
const MAX_METHOD: usize = 32;
/// What follows the target on the request line: ` HTTP/1.1` and a CR.
const VERSION_TAIL: usize = " HTTP/1.1\r".len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The head is not complete yet and nothing is over a limit so far.
    Incomplete,
    /// Complete within the limits, or not HTTP/1 at all: actix-http takes it from here.
    Pass,
    /// The request target is longer than the URI limit.
    UriTooLong,
    /// The header block is larger than the header limit or holds too many fields.
    HeadersTooLarge,
}

/// Judges the bytes received so far on a connection, from its first byte.
pub fn scan(buf: &[u8], limits: &HeadLimits) -> Verdict {
    // RFC 9112 §2.2: empty lines before the request line are ignored (httparse skips them too).
    let start = buf
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(buf.len());
    let buf = &buf[start..];
    let Some(space) = buf.iter().position(|&b| b == b' ') else {
        return if buf.len() > MAX_METHOD {
            Verdict::Pass
        } else {
            Verdict::Incomplete
        };
    };
    if space > MAX_METHOD {
        return Verdict::Pass;
    }
    let after_method = &buf[space + 1..];
    let Some(line_end) = after_method.iter().position(|&b| b == b'\n') else {
        // The target is at least what arrived, less the version still to come.
        return if after_method.len() > limits.max_uri_bytes() + VERSION_TAIL {
            Verdict::UriTooLong
        } else {
            Verdict::Incomplete
        };
    };
    let line = &after_method[..line_end];
    let Some(target_end) = line.iter().rposition(|&b| b == b' ') else {
        return Verdict::Pass; // HTTP/0.9 or garbage: not ours to judge.
    };
    if target_end > limits.max_uri_bytes() {
        return Verdict::UriTooLong;
    }
    fields(&after_method[line_end + 1..], limits)
}

/// The header block after the request line, up to and including the empty line that ends it.
fn fields(block: &[u8], limits: &HeadLimits) -> Verdict {
    let mut count = 0;
    let mut at = 0;
    while let Some(len) = block[at..].iter().position(|&b| b == b'\n') {
        let line = &block[at..at + len];
        if line.is_empty() || line == b"\r" {
            return Verdict::Pass;
        }
        count += 1;
        at += len + 1;
        if count > MAX_FIELDS || at > limits.max_header_bytes() {
            return Verdict::HeadersTooLarge;
        }
    }
    if block.len() > limits.max_header_bytes() {
        return Verdict::HeadersTooLarge;
    }
    Verdict::Incomplete
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> HeadLimits {
        HeadLimits::new(20, 40).unwrap()
    }

    #[test]
    fn a_head_within_the_limits_passes_once_complete() {
        let head = b"GET /Users?a=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        for end in 0..head.len() {
            assert_eq!(scan(&head[..end], &limits()), Verdict::Incomplete, "{end}");
        }
        assert_eq!(scan(head, &limits()), Verdict::Pass);
        assert_eq!(scan(b"\r\nGET / HTTP/1.0\n\n", &limits()), Verdict::Pass);
    }

    #[test]
    fn a_long_target_is_refused_before_its_line_ends() {
        let at_limit = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(19));
        assert_eq!(scan(at_limit.as_bytes(), &limits()), Verdict::Pass);
        let over = format!("GET /{} HTTP/1.1\r\n", "a".repeat(20));
        assert_eq!(scan(over.as_bytes(), &limits()), Verdict::UriTooLong);
        let partial = format!("GET /{}", "a".repeat(20 + VERSION_TAIL));
        assert_eq!(scan(partial.as_bytes(), &limits()), Verdict::UriTooLong);
    }

    #[test]
    fn large_or_many_header_fields_are_refused_before_the_block_ends() {
        let big = format!("GET / HTTP/1.1\r\nx: {}\r\n", "p".repeat(40));
        assert_eq!(scan(big.as_bytes(), &limits()), Verdict::HeadersTooLarge);
        let partial = format!("GET / HTTP/1.1\r\nx: {}", "p".repeat(40));
        assert_eq!(
            scan(partial.as_bytes(), &limits()),
            Verdict::HeadersTooLarge
        );
        let roomy = HeadLimits::new(20, 60_000).unwrap();
        let many = format!("GET / HTTP/1.1\r\n{}", "a:\r\n".repeat(MAX_FIELDS + 1));
        assert_eq!(scan(many.as_bytes(), &roomy), Verdict::HeadersTooLarge);
    }

    #[test]
    fn what_is_not_http1_is_left_to_actix() {
        assert_eq!(scan(&[b'x'; 64], &limits()), Verdict::Pass);
        assert_eq!(scan(b"GET /\r\n", &limits()), Verdict::Pass);
        assert_eq!(
            scan(b"\x16\x03\x01\x02\x00", &limits()),
            Verdict::Incomplete
        );
    }
}
