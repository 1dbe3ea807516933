//! What a listing asks for, validated: the parameters of a list or `.search` request
//! (RFC 7644 §3.4.2-3) and the opaque cursors of RFC 9865 paging. Below the services, so the
//! ports, the policy and the discovery documents can name them too.

pub mod cursor;
pub mod list;
pub mod search_request;
