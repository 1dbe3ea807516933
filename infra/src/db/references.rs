//! The resources a written document newly names (a User's manager) must exist in the tenant
//! with the right type; checked inside the write's transaction, as group members are.

use scimgate_domain::error::DomainResult;
use scimgate_domain::resource::references::Reference;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use super::entities::resources;
use super::errors::unavailable;

/// Refuses the write (`invalidValue`) when a reference names no resource of its kind in
/// `tenant`: another tenant's id, a Group where a User is wanted, an id that was never made.
pub async fn check_references(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    references: &[Reference],
) -> DomainResult<()> {
    for reference in references {
        let found: Option<String> = resources::Entity::find_by_id((tenant, reference.id))
            .select_only()
            .column(resources::Column::ResourceType)
            .into_tuple()
            .one(db)
            .await
            .map_err(unavailable)?;
        if found.as_deref() != Some(reference.kind.name()) {
            return Err(reference.dangling());
        }
    }
    Ok(())
}
