//! The guard rails' part of the SCIM use cases: how a service is given each tenant's rules,
//! and how their refusals are counted. The checks themselves run where every User write is
//! prepared (`ResourceService::prepare_write`); the seat limit is held by the store.

use std::sync::Arc;

use crate::error::DomainResult;
use crate::ports::{GuardRefusals, LifecycleStore};

use super::resources::ResourceService;

impl ResourceService {
    /// Enforces each tenant's guard rails, read from `policies`: User writes outside its
    /// verified domains are refused here, and writes that take a seat are marked for the
    /// store, which holds the seat limit inside their transaction.
    pub fn with_guard_rails(
        mut self,
        policies: Arc<dyn LifecycleStore>,
        refusals: Arc<dyn GuardRefusals>,
    ) -> Self {
        self.guard_rails = Some(policies);
        self.refusals = Some(refusals);
        self
    }

    /// Counts `result` when a guard rail refused it.
    pub(super) fn count_refusal<T>(&self, result: &DomainResult<T>) {
        if let (Err(err), Some(refusals)) = (result, &self.refusals)
            && let Some(rule) = err.guard_rule()
        {
            refusals.refused(rule);
        }
    }
}
