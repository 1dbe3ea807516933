//! BulkRequests (RFC 7644 §3.7): parsing and ordering must never panic, and the order keeps
//! its promises: every operation appears in exactly one step, an operation runs only after
//! every POST it references, and operations without references keep their request order.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimgate_domain::service::scim::bulk::preview::{Step, preview};
use serde_json::Value;

/// The server's default `bulk_max_operations`.
const MAX_OPERATIONS: usize = 1000;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(preview) = preview(&body, MAX_OPERATIONS) else {
        return;
    };
    let n = preview.operations.len();
    assert_eq!(preview.dependencies.len(), n);
    let mut placed = vec![false; n];
    let mut independent_order = Vec::new();
    for step in &preview.steps {
        match step {
            Step::Run(op) => {
                for &dependency in &preview.dependencies[*op] {
                    assert!(
                        placed[dependency],
                        "operation {op} runs before operation {dependency} it references"
                    );
                }
                assert!(!placed[*op], "operation {op} appears twice");
                placed[*op] = true;
                if preview.dependencies[*op].is_empty() {
                    independent_order.push(*op);
                }
            }
            Step::Circular(cycle) => {
                assert!(!cycle.is_empty(), "an empty cycle");
                assert!(cycle.windows(2).all(|w| w[0] < w[1]), "cycle not ascending");
                for &op in cycle {
                    assert!(!placed[op], "operation {op} appears twice");
                    placed[op] = true;
                }
            }
        }
    }
    assert!(
        placed.iter().all(|p| *p),
        "an operation is missing from the order"
    );
    assert!(
        independent_order.windows(2).all(|w| w[0] < w[1]),
        "operations without references were reordered"
    );
});
