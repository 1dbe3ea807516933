//! POST/PUT bodies of Users and Groups: canonicalisation must never panic, and what it
//! produces is a fixed point (canonicalising it again changes nothing and finds no password).

#![no_main]

use libfuzzer_sys::fuzz_target;
use scimgate_domain::resource::canonical::canonicalize;
use scimgate_domain::schema::kind::ResourceKind;
use scimgate_fuzz::REGISTRY;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for kind in ResourceKind::ALL {
        let Ok(written) = canonicalize(&REGISTRY, kind, body.clone()) else {
            continue;
        };
        let again = canonicalize(&REGISTRY, kind, Value::Object(written.document.clone()))
            .unwrap_or_else(|e| panic!("canonical {kind:?} no longer validates: {e}"));
        assert_eq!(
            again.document, written.document,
            "{kind:?} is not a fixed point"
        );
        assert_eq!(
            again.password, None,
            "the password stayed in the {kind:?} document"
        );
    }
});
