//! `TokenStore` on sea-orm. Scopes are stored space-separated, as OAuth writes them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::TokenStore;
use scimgate_domain::scope::Scope;
use scimgate_domain::tenant::TenantId;
use scimgate_domain::token::{TokenId, TokenRecord};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use tracing::field::Empty;

use super::entities::tokens;
use super::errors::{on_write, unavailable};
use super::observe::db_system;

pub struct SqlTokenStore {
    db: DatabaseConnection,
}

impl SqlTokenStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn to_domain(row: tokens::Model) -> DomainResult<TokenRecord> {
    Ok(TokenRecord {
        id: TokenId::parse(&row.id)?,
        tenant_id: TenantId(row.tenant_id),
        name: row.name,
        scopes: Scope::parse_list(&row.scopes)?,
        created: row.created,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        secret_hash: row.secret_hash,
    })
}

#[async_trait]
impl TokenStore for SqlTokenStore {
    #[tracing::instrument(name = "db.tokens.insert", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %token.tenant_id.0, otel.status_code = Empty,
    ))]
    async fn insert(&self, token: &TokenRecord) -> DomainResult<()> {
        let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
        let row = tokens::ActiveModel {
            id: Set(token.id.to_string()),
            tenant_id: Set(token.tenant_id.0),
            name: Set(token.name.clone()),
            scopes: Set(scopes.join(" ")),
            secret_hash: Set(token.secret_hash.clone()),
            created: Set(token.created),
            expires_at: Set(token.expires_at),
            revoked_at: Set(token.revoked_at),
        };
        tokens::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(|err| {
                let clash = || DomainError::Conflict("token id collision; retry".into());
                on_write(err, clash, clash)
            })?;
        Ok(())
    }

    #[tracing::instrument(name = "db.tokens.find", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        otel.status_code = Empty,
    ))]
    async fn find(&self, id: &TokenId) -> DomainResult<Option<TokenRecord>> {
        tokens::Entity::find_by_id(id.to_string())
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    #[tracing::instrument(name = "db.tokens.list", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %tenant.0, otel.status_code = Empty,
    ))]
    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<TokenRecord>> {
        tokens::Entity::find()
            .filter(tokens::Column::TenantId.eq(tenant.0))
            .order_by_asc(tokens::Column::Created)
            .order_by_asc(tokens::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    #[tracing::instrument(name = "db.tokens.revoke", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        otel.status_code = Empty,
    ))]
    async fn revoke(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<Option<TokenRecord>> {
        // Only the first revocation sets the time; revoking again reports the original.
        tokens::Entity::update_many()
            .col_expr(tokens::Column::RevokedAt, Expr::value(at))
            .filter(tokens::Column::Id.eq(id.to_string()))
            .filter(tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        self.find(id).await
    }
}
