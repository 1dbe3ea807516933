//! `TenantStore` on sea-orm.

use async_trait::async_trait;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::TenantStore;
use scimgate_domain::tenant::{Tenant, TenantId, TenantSlug};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::entities::tenants;
use super::errors::{on_write, unavailable};

pub struct SqlTenantStore {
    db: DatabaseConnection,
}

impl SqlTenantStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn to_domain(row: tenants::Model) -> DomainResult<Tenant> {
    Ok(Tenant {
        id: TenantId(row.id),
        slug: TenantSlug::parse(&row.slug)?,
        name: row.name,
        created: row.created,
    })
}

#[async_trait]
impl TenantStore for SqlTenantStore {
    async fn insert(&self, tenant: &Tenant) -> DomainResult<()> {
        let row = tenants::ActiveModel {
            id: Set(tenant.id.0),
            slug: Set(tenant.slug.to_string()),
            name: Set(tenant.name.clone()),
            created: Set(tenant.created),
        };
        tenants::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(|err| {
                let taken =
                    || DomainError::Conflict(format!("tenant '{}' already exists", tenant.slug));
                on_write(err, taken, taken)
            })?;
        Ok(())
    }

    async fn find_by_slug(&self, slug: &TenantSlug) -> DomainResult<Option<Tenant>> {
        tenants::Entity::find()
            .filter(tenants::Column::Slug.eq(slug.as_str()))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    async fn find(&self, id: TenantId) -> DomainResult<Option<Tenant>> {
        tenants::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    async fn list(&self) -> DomainResult<Vec<Tenant>> {
        tenants::Entity::find()
            .order_by_asc(tenants::Column::Slug)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }
}
