//! SCIM PATCH (RFC 7644 §3.5.2), pure: a request is parsed at the boundary into typed
//! operations, then applied in order to a working copy of the stored document. Any failing
//! operation fails the whole patch, so storage sees either every change or none.
//!
//! The result is validated like a PUT body. Group membership and the password never enter the
//! document: they come back apart, for the service to write where they live.

mod apply;
mod document;
mod elements;
mod finish;
mod members;
mod path;
mod request;
mod target;
mod value;

use serde_json::{Map, Value};

pub use members::MembershipChange;
pub use path::PatchPath;
pub use request::{PATCH_OP_SCHEMA, PatchOperation, PatchRequest, parse_patch};

use self::apply::Working;
use self::target::ResourceType;
use crate::error::DomainResult;
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;

/// What a successful patch produces.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOutcome {
    /// The new document, canonical (validated as `canonicalize` validates a PUT body).
    pub document: Map<String, Value>,
    /// Cleartext password when the patch set one.
    pub password: Option<String>,
    pub membership: MembershipChange,
}

/// Applies `request` to `current`, a stored document of `kind` (canonical names, no `id`,
/// `meta`, `password`, `members` or `groups`).
pub fn apply_patch(
    registry: &SchemaRegistry,
    kind: ResourceKind,
    current: &Map<String, Value>,
    request: &PatchRequest,
) -> DomainResult<PatchOutcome> {
    let ty = ResourceType { registry, kind };
    let mut working = Working::new(ty, current.clone());
    for operation in &request.operations {
        working.apply(operation)?;
    }
    Ok(PatchOutcome {
        document: finish::finish(ty, current, working.document)?,
        password: working.password,
        membership: working.membership,
    })
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
