//! `scimgate.guard_rails.refusals`: writes a tenant's guard rails refused, by rule
//! (`verified_domains`, `seat_limit`), so an operator sees tenants hitting their limits.

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Meter};
use scimgate_domain::guard_rails::GuardRule;
use scimgate_domain::ports::GuardRefusals;

pub struct GuardRefusalMeter {
    refusals: Counter<u64>,
}

impl GuardRefusalMeter {
    pub fn new(meter: &Meter) -> Self {
        Self {
            refusals: meter
                .u64_counter("scimgate.guard_rails.refusals")
                .with_description("User writes refused by a tenant's guard rails, by rule")
                .build(),
        }
    }
}

impl GuardRefusals for GuardRefusalMeter {
    fn refused(&self, rule: GuardRule) {
        self.refusals.add(1, &[KeyValue::new("rule", rule.name())]);
    }
}
