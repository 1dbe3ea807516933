//! `bulkId:` references (RFC 7644 §3.7.2) replaced by the ids the POSTs of the job created.

use std::collections::HashMap;

use serde_json::Value;

use super::request::{Call, reference_of};
use crate::error::{DomainError, DomainResult};
use crate::service::scim::resources::ResourceView;

/// What the job knows about its `bulkId`s while it runs.
pub(super) struct BulkIds<'a> {
    /// Each `bulkId` and the index of the POST that defines it.
    definers: &'a HashMap<String, usize>,
    /// The id each successful POST created, by `bulkId`.
    created: HashMap<String, String>,
}

impl<'a> BulkIds<'a> {
    pub(super) fn new(definers: &'a HashMap<String, usize>) -> Self {
        Self {
            definers,
            created: HashMap::new(),
        }
    }

    /// Learns the id a POST with `bulk_id` created; returns the resource's location.
    pub(super) fn created(&mut self, bulk_id: Option<&str>, view: ResourceView) -> String {
        if let (Some(bulk_id), Some(id)) = (bulk_id, view.body.get("id"))
            && let Some(id) = id.as_str()
        {
            self.created.insert(bulk_id.to_owned(), id.to_owned());
        }
        view.location
    }

    /// Replaces every reference in the call's path and data; runs after every POST the call
    /// references, so a reference without an id names an unknown or failed POST.
    pub(super) fn substitute(&self, call: &mut Call) -> DomainResult<()> {
        if let Some(id) = &call.id
            && let Some(reference) = reference_of(id)
        {
            call.id = Some(self.resolve(reference)?.to_owned());
        }
        self.substitute_value(&mut call.data)
    }

    fn substitute_value(&self, value: &mut Value) -> DomainResult<()> {
        match value {
            Value::String(s) => {
                if let Some(reference) = reference_of(s) {
                    *s = self.resolve(reference)?.to_owned();
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.substitute_value(item)?;
                }
            }
            Value::Object(map) => {
                for item in map.values_mut() {
                    self.substitute_value(item)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn resolve(&self, reference: &str) -> DomainResult<&str> {
        if let Some(id) = self.created.get(reference) {
            return Ok(id);
        }
        Err(DomainError::UnresolvedReference(
            match self.definers.get(reference) {
                Some(op) => format!(
                    "bulkId '{reference}' cannot be resolved: its POST (operation {}) failed",
                    op + 1
                ),
                None => format!(
                    "bulkId '{reference}' cannot be resolved: no POST operation of this request has it"
                ),
            },
        ))
    }
}
