//! The console's request log, HTTP side: a middleware buffers what each SCIM request of a
//! verified tenant got (no database write on the request's path), and a loop writes the
//! buffer out once a second on every `serve` replica.

pub mod flusher;
pub mod middleware;
