//! `ClientStore` on sea-orm. Scopes are stored space-separated, fixed claims and the policy as JSON
//! objects.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::client::{ClientId, FixedClaims, OAuthClient};
use scimgate_domain::ports::ClientStore;
use scimgate_domain::scope::Scope;
use scimgate_domain::tenant::TenantId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use super::entities::oauth_clients;
use super::errors::{on_write, unavailable};

pub struct SqlClientStore {
    db: DatabaseConnection,
}

impl SqlClientStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn to_domain(row: oauth_clients::Model) -> DomainResult<OAuthClient> {
    Ok(OAuthClient {
        client_id: ClientId::parse(&row.client_id)?,
        tenant_id: TenantId(row.tenant_id),
        name: row.name,
        scopes: Scope::parse_list(&row.scopes)?,
        claims: FixedClaims::parse(row.claims)?,
        policy: row
            .policy
            .map(|value| {
                serde_json::from_value(value).map_err(|err| DomainError::Unavailable(Box::new(err)))
            })
            .transpose()?,
        created: row.created,
        revoked_at: row.revoked_at,
        secret_hash: row.secret_hash,
    })
}

fn policy_json(client: &OAuthClient) -> DomainResult<Option<serde_json::Value>> {
    client
        .policy
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|err| DomainError::InvalidValue(format!("policy: {err}")))
}

#[async_trait]
impl ClientStore for SqlClientStore {
    async fn insert(&self, client: &OAuthClient) -> DomainResult<()> {
        let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
        let row = oauth_clients::ActiveModel {
            client_id: Set(client.client_id.to_string()),
            tenant_id: Set(client.tenant_id.0),
            name: Set(client.name.clone()),
            secret_hash: Set(client.secret_hash.clone()),
            scopes: Set(scopes.join(" ")),
            claims: Set(serde_json::Value::Object(client.claims.as_map().clone())),
            created: Set(client.created),
            revoked_at: Set(client.revoked_at),
            policy: Set(policy_json(client)?),
        };
        oauth_clients::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(|err| {
                let clash = || DomainError::Conflict("client id collision; retry".into());
                on_write(err, clash, clash)
            })?;
        Ok(())
    }

    async fn find(&self, id: &ClientId) -> DomainResult<Option<OAuthClient>> {
        oauth_clients::Entity::find_by_id(id.to_string())
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<OAuthClient>> {
        oauth_clients::Entity::find()
            .filter(oauth_clients::Column::TenantId.eq(tenant.0))
            .order_by_asc(oauth_clients::Column::Created)
            .order_by_asc(oauth_clients::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    async fn update(&self, client: &OAuthClient) -> DomainResult<bool> {
        let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
        let result = oauth_clients::Entity::update_many()
            .col_expr(
                oauth_clients::Column::Name,
                Expr::value(client.name.clone()),
            )
            .col_expr(oauth_clients::Column::Scopes, Expr::value(scopes.join(" ")))
            .col_expr(
                oauth_clients::Column::Claims,
                Expr::value(serde_json::Value::Object(client.claims.as_map().clone())),
            )
            .col_expr(
                oauth_clients::Column::Policy,
                Expr::value(policy_json(client)?),
            )
            .filter(oauth_clients::Column::ClientId.eq(client.client_id.to_string()))
            .filter(oauth_clients::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(result.rows_affected > 0)
    }

    async fn revoke(&self, id: &ClientId, at: DateTime<Utc>) -> DomainResult<Option<OAuthClient>> {
        // Only the first revocation sets the time; revoking again reports the original.
        oauth_clients::Entity::update_many()
            .col_expr(oauth_clients::Column::RevokedAt, Expr::value(at))
            .filter(oauth_clients::Column::ClientId.eq(id.to_string()))
            .filter(oauth_clients::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        self.find(id).await
    }
}
