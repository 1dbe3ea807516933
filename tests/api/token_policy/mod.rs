//! Opaque tokens with fixed claims and a policy: restricted like an OAuth client's access
//! tokens over plain HTTP, `.search` and Bulk; created and changed through both admin APIs,
//! a change applying to the token's very next request.

mod enforcement;
mod support;
mod updates;
