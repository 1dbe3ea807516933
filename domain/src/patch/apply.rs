//! Applies the operations of a request one by one to a working copy: routes each target to the
//! document, the membership change or the password, and enforces mutability on the way.

use serde_json::{Map, Value};

use crate::error::{DomainError, DomainResult};
use crate::schema::relation::Relation;
use crate::schema::{AttributeDef, Mutability, SchemaDef};

use super::document::{self, Write};
use super::members::MembershipChange;
use super::path::PatchPath;
use super::request::PatchOperation;
use super::target::{AttrTarget, ResourceType, Target, resolve_target};

/// The state a patch builds up; discarded whole when an operation fails.
pub(super) struct Working<'r> {
    pub ty: ResourceType<'r>,
    pub document: Map<String, Value>,
    pub password: Option<String>,
    pub membership: MembershipChange,
}

impl<'r> Working<'r> {
    pub fn new(ty: ResourceType<'r>, document: Map<String, Value>) -> Self {
        Self {
            ty,
            document,
            password: None,
            membership: MembershipChange::default(),
        }
    }

    pub fn apply(&mut self, operation: &PatchOperation) -> DomainResult<()> {
        match operation {
            PatchOperation::Add { path, value } => self.write(Write::Add, path, value.clone()),
            PatchOperation::Replace { path, value } => {
                self.write(Write::Replace, path, value.clone())
            }
            PatchOperation::Remove { path, value } => self.remove(path, value.clone()),
        }
    }

    fn write(&mut self, op: Write, path: &Option<PatchPath>, value: Value) -> DomainResult<()> {
        let Some(path) = path else {
            return self.write_each(op, value);
        };
        match resolve_target(self.ty, path)? {
            Target::Extension(schema) => self.write_extension(op, schema, value),
            Target::Attribute(target) => {
                if read_only(&target) {
                    return Err(read_only_error(&target));
                }
                self.write_target(op, &target, value)
            }
        }
    }

    /// No path: every key of `value` is a path (`name.givenName`, a URN-qualified name, or an
    /// extension URN holding an object). ReadOnly keys are skipped, not refused: Okta sends
    /// the group's `id` along with a new `displayName`, and clients echo `meta` and `schemas`.
    fn write_each(&mut self, op: Write, value: Value) -> DomainResult<()> {
        let Value::Object(object) = value else {
            return Err(DomainError::InvalidValue(
                "without a 'path', 'value' must be an object of attributes".to_owned(),
            ));
        };
        for (key, value) in object {
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            if let Some(schema) = self.ty.extension(&key) {
                self.write_extension(op, schema, value)?;
                continue;
            }
            match resolve_target(self.ty, &PatchPath::parse(&key)?)? {
                Target::Extension(schema) => self.write_extension(op, schema, value)?,
                Target::Attribute(target) if read_only(&target) => {}
                Target::Attribute(target) => self.write_target(op, &target, value)?,
            }
        }
        Ok(())
    }

    /// An extension object is written attribute by attribute, like a complex attribute whose
    /// unnamed sub-attributes stay as they are (RFC 7644 §3.5.2.3).
    fn write_extension(&mut self, op: Write, schema: &SchemaDef, value: Value) -> DomainResult<()> {
        let object = match value {
            Value::Object(object) => object,
            // RFC 7643 §2.5: null is "unassigned", here for the whole extension.
            Value::Null => {
                self.document.shift_remove(schema.id);
                return Ok(());
            }
            _ => {
                return Err(DomainError::InvalidValue(format!(
                    "the value for '{}' must be an object",
                    schema.id
                )));
            }
        };
        for (key, value) in object {
            // Clients echo `schemas` inside extension objects too; it is no attribute.
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            let attr = schema.attribute(&key).ok_or_else(|| {
                DomainError::InvalidPath(format!("unknown attribute '{}:{key}'", schema.id))
            })?;
            let target = AttrTarget::whole(Some(schema.id), attr);
            if !read_only(&target) {
                self.write_target(op, &target, value)?;
            }
        }
        Ok(())
    }

    fn write_target(
        &mut self,
        op: Write,
        target: &AttrTarget<'_>,
        value: Value,
    ) -> DomainResult<()> {
        if self.is_members(target) {
            return self.membership.write(op, target, value);
        }
        if is_password(target.attr) {
            return self.set_password(target, value);
        }
        document::write(self.ty, &mut self.document, op, target, value)
    }

    fn remove(&mut self, path: &PatchPath, values: Option<Value>) -> DomainResult<()> {
        let target = match resolve_target(self.ty, path)? {
            Target::Extension(schema) => {
                self.document.shift_remove(schema.id);
                return Ok(());
            }
            Target::Attribute(target) => target,
        };
        if read_only(&target) {
            return Err(read_only_error(&target));
        }
        if self.is_members(&target) {
            return self.membership.remove(&target, values);
        }
        // The password is never stored in the document and never read back, so there is
        // nothing a removal could clear here; it is accepted as a no-op rather than refused,
        // since it leaves the resource as a client can observe it unchanged.
        if is_password(target.attr) {
            return Ok(());
        }
        document::remove(self.ty, &mut self.document, &target, values)
    }

    fn is_members(&self, target: &AttrTarget<'_>) -> bool {
        Relation::named(self.ty.kind, target.attr.name) == Some(Relation::Members)
            && target.container.is_none()
    }

    /// The password goes to the outcome, never into the document, so no later step can store
    /// or log it in clear.
    fn set_password(&mut self, target: &AttrTarget<'_>, value: Value) -> DomainResult<()> {
        match (target.sub, target.filter.as_ref(), value) {
            (None, None, Value::String(password)) if !password.is_empty() => {
                self.password = Some(password);
                Ok(())
            }
            _ => Err(DomainError::InvalidValue(
                "attribute 'password' must be a non-empty string".to_owned(),
            )),
        }
    }
}

fn is_password(attr: &AttributeDef) -> bool {
    attr.mutability == Mutability::WriteOnly && attr.name == "password"
}

/// Whether the client may not write what `target` designates (`id`, `meta`, `groups`,
/// `members[…].display`, `manager.displayName`).
fn read_only(target: &AttrTarget<'_>) -> bool {
    target.attr.mutability == Mutability::ReadOnly
        || target
            .sub
            .is_some_and(|sub| sub.mutability == Mutability::ReadOnly)
}

fn read_only_error(target: &AttrTarget<'_>) -> DomainError {
    DomainError::Mutability(format!(
        "attribute '{}' is readOnly and cannot be modified",
        target.name()
    ))
}

#[cfg(test)]
mod tests;
