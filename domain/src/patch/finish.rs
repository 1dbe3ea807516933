//! The patched document must be one a PUT could have produced: it goes through the same
//! validation (`canonicalize`: types, required attributes, single primary) and the same
//! immutability rule (`carry_immutable`) as a replacement body.

use serde_json::{Map, Value};

use crate::error::DomainResult;
use crate::resource::canonical::{canonicalize, carry_immutable};

use super::target::ResourceType;

/// Validates `patched` and returns it canonical. `schemas` is rebuilt from the content: the
/// core URN first, then each extension whose object is present, and only those.
pub(super) fn finish(
    ty: ResourceType<'_>,
    current: &Map<String, Value>,
    mut patched: Map<String, Value>,
) -> DomainResult<Map<String, Value>> {
    patched.shift_remove("schemas");
    let mut input = Map::new();
    input.insert(
        "schemas".to_owned(),
        Value::Array(vec![Value::from(ty.kind.core_schema())]),
    );
    input.extend(patched);
    let mut document = canonicalize(ty.registry, ty.kind, Value::Object(input))?.document;
    carry_immutable(ty.registry, ty.kind, current, &mut document)?;
    Ok(document)
}
