//! `TenantStore` on sea-orm.

use async_trait::async_trait;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::TenantStore;
use scimgate_domain::tenant::{Tenant, TenantId, TenantSlug};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use tracing::field::Empty;

use super::entities::tenants;
use super::errors::{on_write, unavailable};
use super::observe::db_system;

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
    #[tracing::instrument(name = "db.tenants.insert", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.id.0, otel.status_code = Empty,
    ))]
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

    #[tracing::instrument(name = "db.tenants.find_by_slug", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        otel.status_code = Empty,
    ))]
    async fn find_by_slug(&self, slug: &TenantSlug) -> DomainResult<Option<Tenant>> {
        tenants::Entity::find()
            .filter(tenants::Column::Slug.eq(slug.as_str()))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    #[tracing::instrument(name = "db.tenants.find", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %id.0, otel.status_code = Empty,
    ))]
    async fn find(&self, id: TenantId) -> DomainResult<Option<Tenant>> {
        tenants::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    #[tracing::instrument(name = "db.tenants.list", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        otel.status_code = Empty,
    ))]
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
