//! References a document makes to other resources of its tenant: today the enterprise
//! `manager.value`, which must name a User of the same tenant. Like group members, a
//! reference is read here (an id that is no UUID names nothing and is refused at once) and
//! the store checks, inside the write's transaction, that the resource exists in the tenant
//! and has the right type.
//!
//! Only references a write adds are checked: a manager deleted since it was set stays as it
//! was, so later changes to the user still succeed.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::schema::kind::{ENTERPRISE_USER_SCHEMA, ResourceKind};

/// A resource the written document names, which must exist in the tenant as `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: Uuid,
    pub kind: ResourceKind,
    /// The referring attribute, for error details.
    pub attribute: &'static str,
}

impl Reference {
    /// What a write naming this reference is refused with when the store finds no `kind`
    /// with its id in the tenant.
    pub fn dangling(&self) -> DomainError {
        not_in_tenant(self.attribute, &self.id.to_string(), self.kind)
    }
}

const MANAGER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value";

/// The references in `after` that `before` (the stored document; `None` on creation) does not
/// make already.
pub fn added_references(
    kind: ResourceKind,
    before: Option<&Map<String, Value>>,
    after: &Map<String, Value>,
) -> DomainResult<Vec<Reference>> {
    if kind != ResourceKind::User {
        return Ok(Vec::new());
    }
    let Some(manager) = manager_value(after) else {
        return Ok(Vec::new());
    };
    if before.and_then(manager_value) == Some(manager) {
        return Ok(Vec::new());
    }
    let id = Uuid::parse_str(manager)
        .map_err(|_| not_in_tenant(MANAGER, manager, ResourceKind::User))?;
    Ok(vec![Reference {
        id,
        kind: ResourceKind::User,
        attribute: MANAGER,
    }])
}

/// `manager.value` of a canonical document.
fn manager_value(document: &Map<String, Value>) -> Option<&str> {
    document
        .get(ENTERPRISE_USER_SCHEMA)?
        .get("manager")?
        .get("value")?
        .as_str()
}

fn not_in_tenant(attribute: &str, id: &str, kind: ResourceKind) -> DomainError {
    DomainError::InvalidValue(format!(
        "'{attribute}' must be the id of a {} of this tenant; '{id}' is not",
        kind.name()
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    fn user_with_manager(value: &str) -> Map<String, Value> {
        match json!({ENTERPRISE_USER_SCHEMA: {"manager": {"value": value}}}) {
            Value::Object(document) => document,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_new_manager_is_a_user_reference_and_an_unchanged_one_is_not_checked_again() {
        let boss = Uuid::now_v7();
        let after = user_with_manager(&boss.to_string());
        let added = added_references(ResourceKind::User, None, &after).unwrap();
        assert_eq!(
            added,
            [Reference {
                id: boss,
                kind: ResourceKind::User,
                attribute: MANAGER
            }]
        );
        assert_eq!(
            added_references(ResourceKind::User, Some(&after), &after).unwrap(),
            []
        );
        assert_eq!(
            added_references(ResourceKind::User, None, &Map::new()).unwrap(),
            []
        );
    }

    #[test]
    fn a_manager_that_is_no_uuid_names_no_user() {
        let err =
            added_references(ResourceKind::User, None, &user_with_manager("bob")).unwrap_err();
        assert!(
            matches!(&err, DomainError::InvalidValue(detail) if detail.contains("manager.value")),
            "{err:?}"
        );
    }
}
