//! `TokenStore` on sea-orm. Scopes are stored space-separated, as OAuth writes them; fixed
//! claims and the policy as JSON objects, null when the token has none.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::client::FixedClaims;
use scimgate_domain::ports::TokenStore;
use scimgate_domain::scope::Scope;
use scimgate_domain::tenant::TenantId;
use scimgate_domain::token::{TokenId, TokenRecord};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
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
        claims: row
            .claims
            .map(stored::<FixedClaims>)
            .transpose()?
            .unwrap_or_default(),
        policy: row.policy.map(stored).transpose()?,
        created: row.created,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        secret_hash: row.secret_hash,
    })
}

/// A JSON column as written by `claims_json`/`policy_json`; anything else is a broken row.
fn stored<T: DeserializeOwned>(value: Value) -> DomainResult<T> {
    serde_json::from_value(value).map_err(DomainError::unavailable)
}

fn claims_json(token: &TokenRecord) -> Option<Value> {
    let claims = token.claims.as_map();
    (!claims.is_empty()).then(|| Value::Object(claims.clone()))
}

fn policy_json(token: &TokenRecord) -> DomainResult<Option<Value>> {
    token
        .policy
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|err| DomainError::InvalidValue(format!("policy: {err}")))
}

fn scopes_text(token: &TokenRecord) -> String {
    let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
    scopes.join(" ")
}

#[async_trait]
impl TokenStore for SqlTokenStore {
    #[tracing::instrument(name = "db.tokens.insert", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %token.tenant_id.0, otel.status_code = Empty,
    ))]
    async fn insert(&self, token: &TokenRecord) -> DomainResult<()> {
        let row = tokens::ActiveModel {
            id: Set(token.id.to_string()),
            tenant_id: Set(token.tenant_id.0),
            name: Set(token.name.clone()),
            scopes: Set(scopes_text(token)),
            secret_hash: Set(token.secret_hash.clone()),
            created: Set(token.created),
            expires_at: Set(token.expires_at),
            revoked_at: Set(token.revoked_at),
            claims: Set(claims_json(token)),
            policy: Set(policy_json(token)?),
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

    #[tracing::instrument(name = "db.tokens.update", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        tenant.id = %token.tenant_id.0, otel.status_code = Empty,
    ))]
    async fn update(&self, token: &TokenRecord) -> DomainResult<bool> {
        let result = tokens::Entity::update_many()
            .col_expr(tokens::Column::Name, Expr::value(token.name.clone()))
            .col_expr(tokens::Column::Scopes, Expr::value(scopes_text(token)))
            .col_expr(tokens::Column::Claims, Expr::value(claims_json(token)))
            .col_expr(tokens::Column::Policy, Expr::value(policy_json(token)?))
            .filter(tokens::Column::Id.eq(token.id.to_string()))
            .filter(tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(result.rows_affected > 0)
    }

    #[tracing::instrument(name = "db.tokens.expire_by", skip_all, fields(
        otel.kind = "client", db.system = db_system(&self.db),
        otel.status_code = Empty,
    ))]
    async fn expire_by(&self, id: &TokenId, at: DateTime<Utc>) -> DomainResult<bool> {
        // Never lengthen a life: only an open-ended or later expiry moves.
        tokens::Entity::update_many()
            .col_expr(tokens::Column::ExpiresAt, Expr::value(at))
            .filter(tokens::Column::Id.eq(id.to_string()))
            .filter(tokens::Column::RevokedAt.is_null())
            .filter(
                Condition::any()
                    .add(tokens::Column::ExpiresAt.is_null())
                    .add(tokens::Column::ExpiresAt.gt(at)),
            )
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(self.find(id).await?.is_some_and(|t| t.revoked_at.is_none()))
    }
}
