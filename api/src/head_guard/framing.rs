//! Where each request on a connection ends, told exactly as actix-http's h1 decoder tells it
//! (actix-http 3, `h1/decoder.rs` and `h1/chunked.rs`), so that the next request head can be
//! read before actix-http sees it. Only what can be framed without doubt is framed: a head
//! httparse parses completely, then no body, a `Content-Length` body or a chunked one. Anything
//! else (both lengths, an invalid one, `Upgrade`, `CONNECT`, HTTP/1.0, a connection about to
//! close, a chunk actix-http would refuse) ends the framing for the rest of the connection: its
//! bytes then go to actix-http untouched, which decides about them as it always has. So a
//! disagreement between the two parsers can only ever leave bytes alone, never reframe them.

/// actix-http's `MAX_HEADERS`: a head with more fields fails to parse there and here alike.
const MAX_FIELDS: usize = 96;

/// What the next bytes of the connection are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// The start of a request head (blank lines before it included).
    Head,
    /// Bytes still to come of a `Content-Length` body.
    Length(u64),
    /// Within a chunked body.
    Chunked(Chunk),
    /// Not framed any more: everything else on the connection goes through as it is.
    Lost,
}

/// Where in a chunked body, as actix-http's `ChunkedState` steps through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunk {
    SizeFirst,
    Size(u64),
    SizeSpace(u64),
    Extension(u64),
    SizeLf(u64),
    Data(u64),
    DataCr,
    DataLf,
    /// After the last chunk, or after a trailer field's line: either the closing CRLF or a field.
    EndCr,
    EndLf,
    Trailer,
    TrailerLf,
}

/// A complete head, and what follows it.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// Bytes of the head, blank lines before it and the empty line that ends it included.
    pub len: usize,
    pub next: Framing,
}

/// Parses the head at the start of `bytes`. `None` while it is incomplete; a head that does
/// not parse is returned with `Framing::Lost` (actix-http will answer and close).
pub fn head(bytes: &[u8]) -> Option<Head> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut request = httparse::Request::new(&mut fields);
    let lost = Head {
        len: bytes.len(),
        next: Framing::Lost,
    };
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => Some(Head {
            len,
            next: after(&request),
        }),
        Ok(httparse::Status::Partial) => None,
        Err(_) => Some(lost),
    }
}

/// How the body of a parsed request is framed, by the rules of actix-http's `set_headers`
/// and `decode`; `Lost` for whatever they refuse, or frame by the connection's end.
fn after(request: &httparse::Request<'_, '_>) -> Framing {
    // HTTP/1.0 closes by default and cannot be chunked; CONNECT reads to the end.
    if request.version != Some(1) || request.method == Some("CONNECT") {
        return Framing::Lost;
    }
    let mut length = None;
    let mut chunked = false;
    for field in request.headers.iter() {
        let name = field.name;
        let value = field.value.trim_ascii();
        if name.eq_ignore_ascii_case("content-length") {
            // Digits only: what `u64::from_str` takes, less the `+` actix-http refuses.
            let digits = !value.is_empty() && value.iter().all(u8::is_ascii_digit);
            let parsed = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            match (length, digits, parsed) {
                (None, true, Some(n)) => length = Some(n),
                _ => return Framing::Lost,
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            if chunked || !value.eq_ignore_ascii_case(b"chunked") {
                return Framing::Lost;
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("upgrade") {
            return Framing::Lost;
        } else if name.eq_ignore_ascii_case("connection") {
            let ends = value.split(|&b| b == b',').any(|option| {
                let option = option.trim_ascii();
                option.eq_ignore_ascii_case(b"close") || option.eq_ignore_ascii_case(b"upgrade")
            });
            if ends {
                return Framing::Lost;
            }
        }
    }
    match (chunked, length) {
        (true, Some(_)) => Framing::Lost,
        (true, None) => Framing::Chunked(Chunk::SizeFirst),
        (false, Some(n)) if n > 0 => Framing::Length(n),
        (false, _) => Framing::Head,
    }
}

impl Framing {
    /// Takes the body bytes at the start of `bytes`: returns how many they are (all of them
    /// when not framed). Once the body ends the framing is `Head`; the rest is not taken.
    pub fn take_body(&mut self, bytes: &[u8]) -> usize {
        match self {
            Self::Head => 0,
            Self::Lost => bytes.len(),
            Self::Length(left) => {
                let n = clamp(*left, bytes.len());
                *left -= n as u64;
                if *left == 0 {
                    *self = Self::Head;
                }
                n
            }
            Self::Chunked(chunk) => {
                let mut at = 0;
                while at < bytes.len() {
                    if let Chunk::Data(left) = chunk {
                        let n = clamp(*left, bytes.len() - at);
                        *left -= n as u64;
                        at += n;
                        if *left == 0 {
                            *chunk = Chunk::DataCr;
                        }
                        continue;
                    }
                    match chunk.step(bytes[at]) {
                        Some(Some(next)) => *chunk = next,
                        Some(None) => {
                            *self = Self::Head;
                            return at + 1;
                        }
                        None => {
                            // actix-http refuses this body; it has the last word on the rest.
                            *self = Self::Lost;
                            return bytes.len();
                        }
                    }
                    at += 1;
                }
                at
            }
        }
    }
}

fn clamp(left: u64, available: usize) -> usize {
    usize::try_from(left).map_or(available, |left| left.min(available))
}

impl Chunk {
    /// One byte outside chunk data: the next state, `Some(None)` at the body's end, `None`
    /// where actix-http fails the body.
    fn step(self, byte: u8) -> Option<Option<Chunk>> {
        use Chunk::*;
        let next = match (self, byte) {
            (SizeFirst, _) => Size(u64::from(hex(byte)?)),
            (Size(size), b' ' | b'\t') => SizeSpace(size),
            (Size(size) | SizeSpace(size), b';') => Extension(size),
            (Size(size) | SizeSpace(size) | Extension(size), b'\r') => SizeLf(size),
            (Size(size), _) => Size(size.checked_mul(16)? + u64::from(hex(byte)?)),
            (SizeSpace(size), b' ' | b'\t') => SizeSpace(size),
            (SizeSpace(_), _) => return None,
            (Extension(_), 0x00..=0x08 | 0x0a..=0x1f | 0x7f) => return None,
            (Extension(size), _) => Extension(size),
            (SizeLf(0), b'\n') => EndCr,
            (SizeLf(size), b'\n') => Data(size),
            (DataCr, b'\r') => DataLf,
            (DataLf, b'\n') => SizeFirst,
            (EndCr, b'\r') => EndLf,
            // The byte starts a trailer field's line; actix-http reads on to its CR.
            (EndCr, _) => Trailer,
            (EndLf, b'\n') => return Some(None),
            (Trailer, b'\r') => TrailerLf,
            (Trailer, _) => Trailer,
            (TrailerLf, b'\n') => EndCr,
            (SizeLf(_) | DataCr | DataLf | EndLf | TrailerLf, _) => return None,
            // Consumed in runs by `take_body`, never a byte at a time.
            (Data(_), _) => return None,
        };
        Some(Some(next))
    }
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames `stream` as a sequence of requests, feeding `take_body` `piece` bytes at a time;
    /// returns the lengths of the requests found (head and body together).
    fn requests(stream: &[u8], piece: usize) -> (Vec<usize>, Framing) {
        let mut found = Vec::new();
        let mut framing = Framing::Head;
        let mut start = 0;
        let mut at = 0;
        while at < stream.len() && framing != Framing::Lost {
            if framing == Framing::Head {
                if at > start {
                    found.push(at - start);
                    start = at;
                }
                let head = head(&stream[at..]).expect("complete head");
                framing = head.next;
                at += head.len;
                continue;
            }
            let end = (at + piece).min(stream.len());
            at += framing.take_body(&stream[at..end]);
        }
        if at > start {
            found.push(at - start);
        }
        (found, framing)
    }

    const GET: &[u8] = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n";

    #[test]
    fn bodies_are_framed_by_length_and_by_chunks_in_pieces_of_any_size() {
        let posted = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        let chunked = b"POST /a HTTP/1.1\r\nhost: x\r\ntransfer-encoding:  Chunked \r\n\r\n\
            5 ;ext=\"a b\"\r\nhello\r\nA\r\n0123456789\r\n0\r\nx-sum: 1\r\ny: \n2\r\n\r\n";
        let stream = [&posted[..], chunked, b"\r\n", GET].concat();
        for piece in 1..stream.len() {
            let (found, framing) = requests(&stream, piece);
            // httparse, here as in actix-http, skips blank lines before a request line.
            let lengths = vec![posted.len(), chunked.len(), 2 + GET.len()];
            assert_eq!(found, lengths, "pieces of {piece}");
            assert_eq!(framing, Framing::Head);
        }
    }

    #[test]
    fn what_actix_frames_otherwise_or_refuses_is_not_framed() {
        let lost = [
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n",
            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
        ];
        for head_text in lost {
            let parsed = head(head_text.as_bytes()).expect("complete");
            assert_eq!(parsed.next, Framing::Lost, "{head_text}");
        }
        let framed = head(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(framed.map(|h| h.next), Some(Framing::Head));
        assert_eq!(head(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }

    #[test]
    fn a_chunked_body_actix_refuses_ends_the_framing() {
        let refused: [&[u8]; 5] = [
            b"g\r\n",
            b"5 5\r\n",
            b"5\n",
            b"1\r\nab\r\n",
            b"ffffffffffffffffff\r\n",
        ];
        for body in refused {
            let mut framing = Framing::Chunked(Chunk::SizeFirst);
            assert_eq!(framing.take_body(body), body.len());
            assert_eq!(framing, Framing::Lost, "{body:?}");
        }
        let mut framing = Framing::Chunked(Chunk::SizeFirst);
        assert_eq!(framing.take_body(b"0\r\n\r\nGET"), 5);
        assert_eq!(framing, Framing::Head);
    }
}
