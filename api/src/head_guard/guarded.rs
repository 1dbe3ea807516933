//! A connection as actix-http reads it once its first head has been admitted: every later
//! request head is held back until it is complete and judged against the `HeadLimits`, while
//! bodies pass as they come (framed by `framing`). A head within the limits is handed on,
//! bytes unchanged. A head over them is never handed on: a stand-in request
//! (`stand_in::request`) takes its place, which the app answers in turn, after the answers to
//! the requests before it, with the SCIM 414 or 431 and `Connection: close`; what the client
//! still sends is read and dropped, for `drain_for` after the close at most, so that closing
//! does not reset the connection under the answer.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Sleep, sleep};

use super::framing::{self, Framing};
use super::scan::{Verdict, scan};
use super::stand_in::{self, Refused};
use super::{DRAIN_BYTES, READ_CHUNK, head_cap};
use crate::head_limits::HeadLimits;

pub struct Guarded<T> {
    io: T,
    limits: HeadLimits,
    drain_for: Duration,
    framing: Framing,
    /// Bytes read but not handed on yet: a head being read, and what arrived with it.
    held: Vec<u8>,
    /// How many bytes at the start of `held` are framed and may be handed on.
    cleared: usize,
    /// Set once a head is refused: the client's bytes are dropped from then on.
    dropping: Option<Dropping>,
}

struct Dropping {
    dropped: usize,
    /// Started when actix-http shuts the connection down.
    until: Option<Pin<Box<Sleep>>>,
}

/// What the bytes held at a request boundary amount to.
enum Judgement {
    Incomplete,
    /// A head within the limits, `len` bytes long (all held bytes, if no longer framed).
    Cleared {
        len: usize,
        next: Framing,
    },
    Refused(Refused),
}

impl<T> Guarded<T> {
    /// `held`: the bytes read of the connection so far, from its first.
    pub fn new(held: Vec<u8>, io: T, limits: HeadLimits, drain_for: Duration) -> Self {
        Self {
            io,
            limits,
            drain_for,
            framing: Framing::Head,
            held,
            cleared: 0,
            dropping: None,
        }
    }

    fn judge(&self) -> Judgement {
        match scan(&self.held, &self.limits) {
            Verdict::Incomplete if self.held.len() < head_cap(&self.limits) => {
                Judgement::Incomplete
            }
            Verdict::Pass => match framing::head(&self.held) {
                Some(head) => Judgement::Cleared {
                    len: head.len,
                    next: head.next,
                },
                // The scan saw a whole head where httparse does not: actix-http decides.
                None => Judgement::Cleared {
                    len: self.held.len(),
                    next: Framing::Lost,
                },
            },
            Verdict::UriTooLong => Judgement::Refused(Refused::Uri),
            Verdict::Incomplete | Verdict::HeadersTooLarge => Judgement::Refused(Refused::Headers),
        }
    }

    /// Frames what is held, as far as it can be framed now; false if more must be read first.
    fn clear_held(&mut self) -> bool {
        if self.held.is_empty() {
            return false;
        }
        if self.framing != Framing::Head {
            self.cleared = self.framing.take_body(&self.held);
            return self.cleared > 0;
        }
        match self.judge() {
            Judgement::Incomplete => false,
            Judgement::Cleared { len, next } => {
                self.cleared = len;
                self.framing = next;
                true
            }
            Judgement::Refused(refused) => {
                self.held = stand_in::request(refused, &self.held);
                self.cleared = self.held.len();
                self.dropping = Some(Dropping {
                    dropped: 0,
                    until: None,
                });
                true
            }
        }
    }

    /// Hands on cleared bytes, as many as fit.
    fn hand_on(&mut self, buf: &mut ReadBuf<'_>) {
        let n = self.cleared.min(buf.remaining());
        buf.put_slice(&self.held[..n]);
        self.cleared -= n;
        if n == self.held.len() {
            // A long head's buffer is not kept for the life of a keep-alive connection.
            self.held = Vec::new();
        } else {
            self.held.drain(..n);
        }
    }
}

impl<T: AsyncRead + Unpin> Guarded<T> {
    /// Reads and drops what the client sends, up to `DRAIN_BYTES`: `Ready` once the client
    /// is done or the limit is reached.
    fn poll_drop(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let filled = buf.filled().len();
        loop {
            let dropped = self.dropping.as_ref().map_or(DRAIN_BYTES, |d| d.dropped);
            if dropped >= DRAIN_BYTES || buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            ready!(Pin::new(&mut self.io).poll_read(cx, buf))?;
            let read = buf.filled().len() - filled;
            buf.set_filled(filled);
            if read == 0 {
                return Poll::Ready(Ok(()));
            }
            if let Some(dropping) = &mut self.dropping {
                dropping.dropped += read;
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            if this.cleared > 0 {
                this.hand_on(buf);
                return Poll::Ready(Ok(()));
            }
            if this.dropping.is_some() {
                // Nothing more for actix-http: the end of the stream once the drop is done.
                return this.poll_drop(cx, buf);
            }
            if this.clear_held() {
                continue;
            }
            if this.framing == Framing::Head || !this.held.is_empty() {
                // A head is held back: read in pieces, so the cap bounds what is held.
                let mut piece = buf.take(READ_CHUNK);
                ready!(Pin::new(&mut this.io).poll_read(cx, &mut piece))?;
                if piece.filled().is_empty() {
                    if this.held.is_empty() {
                        return Poll::Ready(Ok(()));
                    }
                    // A head cut short by the client's close: actix-http answers it as it would.
                    this.framing = Framing::Lost;
                }
                this.held.extend_from_slice(piece.filled());
                continue;
            }
            // Within a body (nothing is held): read in place, and move aside only what follows
            // the body's end, the start of the next head.
            let filled = buf.filled().len();
            ready!(Pin::new(&mut this.io).poll_read(cx, buf))?;
            let passed = this.framing.take_body(&buf.filled()[filled..]);
            this.held
                .extend_from_slice(&buf.filled()[filled + passed..]);
            buf.set_filled(filled + passed);
            if passed > 0 || buf.filled().len() == filled && this.held.is_empty() {
                // Body bytes, or the end of the stream.
                return Poll::Ready(Ok(()));
            }
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    /// After a refusal: the close is sent, then the client's bytes dropped for a while.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(dropping) = &mut this.dropping else {
            return Pin::new(&mut this.io).poll_shutdown(cx);
        };
        if dropping.until.is_none() {
            ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
            dropping.until = Some(Box::pin(sleep(this.drain_for)));
        }
        if let Some(until) = &mut dropping.until
            && until.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Ok(()));
        }
        let mut scratch = [0u8; 2048];
        let mut scratch = ReadBuf::new(&mut scratch);
        // Errors mean the client is gone: nothing left to protect.
        let _ = ready!(this.poll_drop(cx, &mut scratch));
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::*;

    fn limits() -> HeadLimits {
        HeadLimits::new(100, 200).unwrap()
    }

    /// Everything actix-http would read through `Guarded`, in reads of `size` bytes.
    async fn read_through(stream: &[u8], size: usize) -> Vec<u8> {
        let mut guarded = Guarded::new(Vec::new(), stream, limits(), Duration::ZERO);
        let mut out = Vec::new();
        let mut piece = vec![0u8; size];
        loop {
            match guarded.read(&mut piece).await.unwrap() {
                0 => return out,
                n => out.extend_from_slice(&piece[..n]),
            }
        }
    }

    fn long_get() -> Vec<u8> {
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(150)).into_bytes()
    }

    fn requests_within_the_limits() -> Vec<u8> {
        let lookalike = long_get();
        let posted = format!(
            "POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            lookalike.len()
        );
        let chunked = "POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                       3;x=y\r\nabc\r\n0\r\nt: 1\r\n\r\n";
        [
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n",
            posted.as_bytes(),
            &lookalike,
            chunked.as_bytes(),
            b"\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
        ]
        .concat()
    }

    #[tokio::test]
    async fn requests_within_the_limits_pass_unchanged_in_reads_of_any_size() {
        let stream = requests_within_the_limits();
        for size in [1, 2, 7, 64, 4096] {
            assert_eq!(read_through(&stream, size).await, stream, "reads of {size}");
        }
    }

    #[tokio::test]
    async fn a_later_head_over_the_limits_is_replaced_by_the_stand_in_and_the_rest_dropped() {
        let before = requests_within_the_limits();
        let stream = [&before[..], &long_get(), b"POST /next HTTP/1.1\r\n\r\n"].concat();
        let stand_in = stand_in::request(Refused::Uri, b"GET /");
        for size in [1, 5, 4096] {
            let out = read_through(&stream, size).await;
            assert_eq!(out, [&before[..], &stand_in].concat(), "reads of {size}");
        }
    }

    #[tokio::test]
    async fn a_header_block_over_the_limit_is_refused_before_it_ends() {
        let endless = format!("GET / HTTP/1.1\r\nx: {}", "p".repeat(20_000));
        let out = read_through(endless.as_bytes(), 4096).await;
        assert_eq!(out, stand_in::request(Refused::Headers, b"GET"));
    }
}
