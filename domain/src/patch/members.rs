//! PATCH on Group `members`. Members live in their own table, not in the group's document, so
//! these operations only describe the change; the service applies it to storage.

use serde_json::Value;
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::filter::{CompValue, CompareOp, Filter, ResolvedFilter};

use super::document::Write;
use super::target::AttrTarget;

/// Group membership changes, kept apart from the document because members live in their own
/// table. The service applies them in this order: `clear`, `remove`, `remove_matching`, `add`;
/// operations are folded in so that this order gives the result of applying them one by one
/// (an id removed after being added leaves `add`, and the reverse).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MembershipChange {
    /// Replace the whole member set with `add` (a `replace` on `members`, or `remove` of all
    /// members followed by adds).
    pub clear: bool,
    pub add: Vec<Uuid>,
    pub remove: Vec<Uuid>,
    /// Remove the members matching these resolved `members[...]` filters, whose brackets
    /// name a member's `value`, `type`, `display`, e.g. `members[type eq "Group"]`. Used
    /// only for filters that are not plain `value eq "<id>"` lists, which land in `remove`.
    pub remove_matching: Vec<ResolvedFilter>,
}

impl MembershipChange {
    /// Whether the patch leaves membership alone.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn add_member(&mut self, id: Uuid) {
        self.remove.retain(|r| *r != id);
        if !self.add.contains(&id) {
            self.add.push(id);
        }
    }

    fn remove_member(&mut self, id: Uuid) {
        self.add.retain(|a| *a != id);
        if !self.clear && !self.remove.contains(&id) {
            self.remove.push(id);
        }
    }

    fn clear_all(&mut self) {
        *self = Self {
            clear: true,
            ..Self::default()
        };
    }

    /// `add` or `replace` on `members`.
    pub(super) fn write(
        &mut self,
        op: Write,
        target: &AttrTarget<'_>,
        value: Value,
    ) -> DomainResult<()> {
        if target.sub.is_some() || target.filter.is_some() {
            return Err(in_place(target));
        }
        let ids = member_ids(value)?;
        if op == Write::Replace {
            self.clear_all();
        }
        for id in ids {
            self.add_member(id);
        }
        Ok(())
    }

    /// `remove` on `members`: all of them, those listed in `values` (Entra ID), or those the
    /// path filter selects.
    pub(super) fn remove(
        &mut self,
        target: &AttrTarget<'_>,
        values: Option<Value>,
    ) -> DomainResult<()> {
        if target.sub.is_some() {
            return Err(in_place(target));
        }
        match (target.filter.as_ref(), values) {
            (None, None) => self.clear_all(),
            (None, Some(values)) => {
                for id in member_ids(values)? {
                    self.remove_member(id);
                }
            }
            (Some(filter), _) => match filter.value_filter().and_then(listed_ids) {
                Some(ids) => {
                    for id in ids {
                        // Not an id at all: no member can match (RFC 7644 §3.5.2.2 noTarget).
                        let id = Uuid::parse_str(id).map_err(|_| {
                            DomainError::NoTarget(format!("no member has the value '{id}'"))
                        })?;
                        self.remove_member(id);
                    }
                }
                None => {
                    if !self.clear {
                        self.remove_matching.push(filter.clone());
                    }
                }
            },
        }
        Ok(())
    }
}

/// A member never changes in place: `value`, `type` and `$ref` are immutable, `display`
/// readOnly (RFC 7643 §4.2); clients remove a member and add another.
fn in_place(target: &AttrTarget<'_>) -> DomainError {
    DomainError::Mutability(format!(
        "'{}' cannot be changed in place: remove the member and add another",
        target.name()
    ))
}

/// The ids of `[{"value": "<id>"}, …]` (or of one such object); other member sub-attributes
/// (`display`, `type`, `$ref`) are the server's to fill and are ignored.
fn member_ids(value: Value) -> DomainResult<Vec<Uuid>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    items
        .iter()
        .filter(|item| !item.is_null())
        .map(|item| {
            let id = item.as_object().and_then(|object| {
                object
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case("value"))
                    .map(|(_, v)| v)
            });
            match id {
                Some(Value::String(id)) => Uuid::parse_str(id.trim()).map_err(|_| {
                    DomainError::InvalidValue(format!(
                        "member '{id}' is not a resource of this tenant"
                    ))
                }),
                _ => Err(DomainError::InvalidValue(
                    "each member must be an object with a string 'value'".to_owned(),
                )),
            }
        })
        .collect()
}

/// The ids of a filter that is `value eq "<id>"` or a disjunction of such tests.
fn listed_ids(filter: &Filter) -> Option<Vec<&str>> {
    match filter {
        Filter::Or(left, right) => {
            let mut ids = listed_ids(left)?;
            ids.extend(listed_ids(right)?);
            Some(ids)
        }
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: CompValue::String(id),
        } if path.attribute == "value" && path.sub_attribute.is_none() => Some(vec![id.as_str()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
