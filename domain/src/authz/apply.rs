//! What a principal may do with one resource type, and the checks the resource service runs
//! with it: rows (a filter AND-ed into listings and evaluated on single resources), readable
//! attributes (responses redacted, filters and sort keys on others refused) and writable
//! attributes (a write changing any other attribute is refused as a whole).

use serde_json::{Map, Value};

use super::policy::attribute_path;
use super::visible_rows::VisibleRows;
use crate::authz::principal::Principal;
use crate::error::{DomainError, DomainResult};
use crate::filter::{AttrPath, Filter, ResolvedFilter, matches};
use crate::query::list::ListQuery;
use crate::schema::SchemaRegistry;
use crate::schema::kind::ResourceKind;

/// A principal's capabilities on one resource type; unrestricted without a policy.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    /// Only rows matching this are visible and writable.
    pub row_filter: Option<ResolvedFilter>,
    /// The rows of every type the principal sees: they bound the relations it is shown.
    pub rows: VisibleRows,
    /// Resolved readable paths; `None` = all.
    readable: Option<Vec<AttrPath>>,
    /// Resolved writable attributes; `None` = all.
    writable: Option<Vec<AttrPath>>,
}

impl Grant {
    /// The grant the principal's policy gives on `kind`.
    pub fn of(
        principal: &Principal,
        kind: ResourceKind,
        registry: &SchemaRegistry,
    ) -> DomainResult<Self> {
        let Some(policy) = &principal.policy else {
            return Ok(Self::default());
        };
        // Entries another resource type defines are ignored: one list serves both.
        let paths = |list: &Option<Vec<String>>| {
            list.as_ref().map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| attribute_path(e, registry, kind).ok())
                    .collect::<Vec<_>>()
            })
        };
        // Both types' rows, whichever is asked for: a resource of one shows some of the other.
        let rows = VisibleRows {
            users: policy.row_filter(ResourceKind::User, &principal.claims, registry)?,
            groups: policy.row_filter(ResourceKind::Group, &principal.claims, registry)?,
        };
        Ok(Self {
            row_filter: rows.of(kind).cloned(),
            rows,
            readable: paths(&policy.readable),
            writable: paths(&policy.writable),
        })
    }

    /// Refuses a filter or sort key on attributes the principal may not read (their values
    /// could be guessed through it), then hands the store the principal's rows: the row
    /// filter of the listed type, and the rows that bound relations and the client's filters
    /// on them.
    pub fn restrict_query(&self, query: &mut ListQuery) -> DomainResult<()> {
        if let Some(filter) = &query.filter {
            self.check_filter_readable(filter)?;
        }
        if let Some(sort) = &query.sort
            && !self.can_read(&sort.path)
        {
            return Err(unreadable(&sort.path));
        }
        query.rows = self.rows.clone();
        Ok(())
    }

    /// Whether a rendered resource (or a prospective document) lies within the rows.
    pub fn sees(&self, resource: &Value, registry: &SchemaRegistry, kind: ResourceKind) -> bool {
        self.row_filter
            .as_ref()
            .is_none_or(|row| matches(row, resource, registry, kind))
    }

    /// Every path the filter names must be readable.
    pub fn check_filter_readable(&self, filter: &Filter) -> DomainResult<()> {
        match filter {
            Filter::And(l, r) | Filter::Or(l, r) => {
                self.check_filter_readable(l)?;
                self.check_filter_readable(r)
            }
            Filter::Not(inner) => self.check_filter_readable(inner),
            Filter::Present(path) | Filter::Compare { path, .. } => {
                if self.can_read(path) {
                    Ok(())
                } else {
                    Err(unreadable(path))
                }
            }
            Filter::ValuePath { path, filter } => self.check_element_filter(path, filter),
        }
    }

    fn check_element_filter(&self, parent: &AttrPath, filter: &Filter) -> DomainResult<()> {
        match filter {
            Filter::And(l, r) | Filter::Or(l, r) => {
                self.check_element_filter(parent, l)?;
                self.check_element_filter(parent, r)
            }
            Filter::Not(inner) => self.check_element_filter(parent, inner),
            Filter::Present(inner) | Filter::Compare { path: inner, .. } => {
                let path = AttrPath {
                    sub_attribute: Some(inner.attribute.clone()),
                    ..parent.clone()
                };
                if self.can_read(&path) {
                    Ok(())
                } else {
                    Err(unreadable(&path))
                }
            }
            Filter::ValuePath { .. } => Err(DomainError::InvalidFilter(
                "value filters cannot be nested".into(),
            )),
        }
    }

    fn can_read(&self, path: &AttrPath) -> bool {
        let Some(readable) = &self.readable else {
            return true;
        };
        if path.schema.is_none()
            && ["id", "meta", "schemas"]
                .iter()
                .any(|a| path.attribute.eq_ignore_ascii_case(a))
        {
            return true;
        }
        readable.iter().any(|r| {
            same_attribute(r, path)
                && match (&r.sub_attribute, &path.sub_attribute) {
                    (None, _) => true,
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    (Some(_), None) => false,
                }
        })
    }

    /// Removes what the principal may not read from a rendered resource, and the URNs of
    /// extensions left empty from `schemas`.
    pub fn redact(&self, body: &mut Value, registry: &SchemaRegistry, kind: ResourceKind) {
        let (Some(readable), Some(obj)) = (&self.readable, body.as_object_mut()) else {
            return;
        };
        let core = registry.core_schema(kind).id;
        let extensions: Vec<&str> = registry.extensions(kind).map(|s| s.id).collect();
        let keys: Vec<String> = obj.keys().cloned().collect();
        for key in keys {
            if ["schemas", "id", "meta"].contains(&key.as_str()) {
                continue;
            }
            if let Some(ext) = extensions.iter().find(|e| e.eq_ignore_ascii_case(&key)) {
                if let Some(Value::Object(inner)) = obj.get_mut(&key) {
                    let names: Vec<String> = inner.keys().cloned().collect();
                    for name in names {
                        let path = top(Some(ext), &name);
                        if let Some(value) = inner.get_mut(&name)
                            && !keep(readable, &path, value)
                        {
                            inner.remove(&name);
                        }
                    }
                    if inner.is_empty() {
                        obj.remove(&key);
                    }
                }
                continue;
            }
            let schema = (!is_common(registry, &key)).then_some(core);
            let path = top(schema, &key);
            if let Some(value) = obj.get_mut(&key)
                && !keep(readable, &path, value)
            {
                obj.remove(&key);
            }
        }
        let present: Vec<String> = obj.keys().cloned().collect();
        if let Some(Value::Array(schemas)) = obj.get_mut("schemas") {
            schemas.retain(|s| {
                s.as_str().is_none_or(|urn| {
                    !extensions.iter().any(|e| e.eq_ignore_ascii_case(urn))
                        || present.iter().any(|k| k.eq_ignore_ascii_case(urn))
                })
            });
        }
    }

    /// Refuses a write whose result differs from `before` in an attribute outside the
    /// writable set (`before` is empty for a create).
    pub fn check_write(
        &self,
        before: &Map<String, Value>,
        after: &Map<String, Value>,
        password: bool,
        registry: &SchemaRegistry,
        kind: ResourceKind,
    ) -> DomainResult<()> {
        let Some(writable) = &self.writable else {
            return Ok(());
        };
        for path in changed(before, after, registry, kind) {
            if !can_write(writable, &path) {
                return Err(unwritable(&path));
            }
        }
        let password_path = top(Some(registry.core_schema(kind).id), "password");
        if password && !can_write(writable, &password_path) {
            return Err(unwritable(&password_path));
        }
        Ok(())
    }

    /// Whether the principal may change `attribute` of the core schema (Group `members`).
    pub fn may_write_core(
        &self,
        attribute: &str,
        registry: &SchemaRegistry,
        kind: ResourceKind,
    ) -> DomainResult<()> {
        let path = top(Some(registry.core_schema(kind).id), attribute);
        match &self.writable {
            Some(writable) if !can_write(writable, &path) => Err(unwritable(&path)),
            _ => Ok(()),
        }
    }

    /// PUT by a restricted client: attributes it may not write and did not send keep their
    /// stored values, so replacing what it can see does not erase what it cannot.
    pub fn carry_unwritable(
        &self,
        existing: &Map<String, Value>,
        input: &mut Map<String, Value>,
        registry: &SchemaRegistry,
        kind: ResourceKind,
    ) {
        let Some(writable) = &self.writable else {
            return;
        };
        let core = registry.core_schema(kind).id;
        let extensions: Vec<&str> = registry.extensions(kind).map(|s| s.id).collect();
        for (key, value) in existing {
            if key == "schemas" {
                continue;
            }
            if let Some(ext) = extensions.iter().find(|e| e.eq_ignore_ascii_case(key)) {
                let Value::Object(stored) = value else {
                    continue;
                };
                for (name, inner) in stored {
                    if can_write(writable, &top(Some(ext), name)) {
                        continue;
                    }
                    let slot = input
                        .entry(key.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(slot) = slot {
                        slot.entry(name.clone()).or_insert_with(|| inner.clone());
                    }
                }
                continue;
            }
            let schema = (!is_common(registry, key)).then_some(core);
            if !can_write(writable, &top(schema, key)) && !input.contains_key(key) {
                input.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The attributes (top level, or of an extension) whose values differ.
fn changed(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    registry: &SchemaRegistry,
    kind: ResourceKind,
) -> Vec<AttrPath> {
    let core = registry.core_schema(kind).id;
    let extensions: Vec<&str> = registry.extensions(kind).map(|s| s.id).collect();
    let empty = Map::new();
    let mut out = Vec::new();
    for key in before.keys().chain(after.keys()) {
        if key == "schemas" || before.get(key) == after.get(key) {
            continue;
        }
        if let Some(ext) = extensions.iter().find(|e| e.eq_ignore_ascii_case(key)) {
            let old = before.get(key).and_then(Value::as_object).unwrap_or(&empty);
            let new = after.get(key).and_then(Value::as_object).unwrap_or(&empty);
            for name in old.keys().chain(new.keys()) {
                if old.get(name) != new.get(name) {
                    out.push(top(Some(ext), name));
                }
            }
            continue;
        }
        let schema = (!is_common(registry, key)).then_some(core);
        out.push(top(schema, key));
    }
    out
}

fn can_write(writable: &[AttrPath], path: &AttrPath) -> bool {
    writable
        .iter()
        .any(|w| w.sub_attribute.is_none() && same_attribute(w, path))
}

/// Whether the top-level `value` at `path` stays, trimmed to the readable sub-attributes
/// when only some are listed.
fn keep(readable: &[AttrPath], path: &AttrPath, value: &mut Value) -> bool {
    let entries: Vec<&AttrPath> = readable
        .iter()
        .filter(|r| same_attribute(r, path))
        .collect();
    if entries.is_empty() {
        return false;
    }
    if entries.iter().any(|r| r.sub_attribute.is_none()) {
        return true;
    }
    let subs: Vec<&str> = entries
        .iter()
        .filter_map(|r| r.sub_attribute.as_deref())
        .collect();
    let trim = |v: &mut Value| {
        if let Value::Object(obj) = v {
            obj.retain(|k, _| subs.iter().any(|s| s.eq_ignore_ascii_case(k)));
        }
    };
    match value {
        Value::Array(items) => items.iter_mut().for_each(trim),
        other => trim(other),
    }
    true
}

fn same_attribute(a: &AttrPath, b: &AttrPath) -> bool {
    let schema = match (&a.schema, &b.schema) {
        (None, None) => true,
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    };
    schema && a.attribute.eq_ignore_ascii_case(&b.attribute)
}

fn is_common(registry: &SchemaRegistry, key: &str) -> bool {
    registry
        .common_attributes()
        .iter()
        .any(|a| a.name.eq_ignore_ascii_case(key))
}

fn top(schema: Option<&str>, attribute: &str) -> AttrPath {
    AttrPath {
        schema: schema.map(str::to_owned),
        attribute: attribute.to_owned(),
        sub_attribute: None,
    }
}

fn unreadable(path: &AttrPath) -> DomainError {
    DomainError::Forbidden(format!(
        "the client's policy does not allow reading '{path}', so it cannot filter or sort by it"
    ))
}

fn unwritable(path: &AttrPath) -> DomainError {
    DomainError::Forbidden(format!(
        "the client's policy does not allow writing '{path}'"
    ))
}

#[cfg(test)]
mod tests;
