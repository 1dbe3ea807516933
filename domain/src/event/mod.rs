//! Change events: every committed SCIM write leaves events in an outbox written in the same
//! transaction, numbered per tenant, which consumers read through the events API (and later
//! receive as webhooks and RFC 9967 Security Event Tokens).

pub mod draft;
pub mod json;
pub mod kind;
pub mod log;
pub mod poll;
pub mod set;

pub use draft::{Changes, EventDraft, EventPayload, MemberDiff, NewEvent};
pub use kind::{Operation, Variant};
pub use log::{ChangeEvent, EventPage, EventQuery};
