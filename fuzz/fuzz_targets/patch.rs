//! PATCH bodies (RFC 7644 §3.5.2) as identity providers send them: parsing must never panic,
//! every path must print and parse back to itself, and applying the request to a stored User
//! and a stored Group must either fail cleanly or produce a document that a PUT would have
//! stored unchanged (re-canonicalising it changes nothing).

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimgate_domain::patch::{PatchOperation, PatchPath, apply_patch, parse_patch};
use scimgate_domain::resource::canonical::canonicalize;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_domain::service::scim::patch_resource::MAX_PATCH_OPERATIONS;
use scimgate_fuzz::{REGISTRY, STORED_GROUP, STORED_USER};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(request) = parse_patch(&body, MAX_PATCH_OPERATIONS) else {
        return;
    };
    for operation in &request.operations {
        let path = match operation {
            PatchOperation::Add { path, .. } | PatchOperation::Replace { path, .. } => {
                path.as_ref()
            }
            PatchOperation::Remove { path, .. } => Some(path),
        };
        if let Some(path) = path {
            let printed = path.to_string();
            let again = PatchPath::parse(&printed)
                .unwrap_or_else(|e| panic!("printed path {printed:?} does not parse: {e}"));
            assert_eq!(&again, path, "path round trip through {printed:?}");
        }
    }
    for (kind, stored) in [
        (ResourceKind::User, &*STORED_USER),
        (ResourceKind::Group, &*STORED_GROUP),
    ] {
        let Ok(outcome) = apply_patch(&REGISTRY, kind, stored, &request) else {
            continue;
        };
        let document = Value::Object(outcome.document.clone());
        let again = canonicalize(&REGISTRY, kind, document)
            .unwrap_or_else(|e| panic!("the patched {kind:?} is not a valid PUT body: {e}"));
        assert_eq!(
            again.document, outcome.document,
            "patched {kind:?} is not canonical"
        );
        assert_eq!(
            again.password, None,
            "a password stayed in the patched document"
        );
    }
});
