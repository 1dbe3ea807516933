//! `TrustedIssuerStore` on sea-orm. Allowed scopes are stored space-separated, copied claim
//! names and the policy as JSON. The introspection client secret is sealed with the
//! deployment's secrets key (`sealing.rs`), bound to its entry, and read only by
//! `introspection_secret`.

use std::sync::Arc;

use async_trait::async_trait;
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::oauth::trusted_issuer::{
    IntrospectionSecret, IssuerId, Registrar, TrustedIssuer, Verification,
};
use scimgate_domain::ports::TrustedIssuerStore;
use scimgate_domain::scope::Scope;
use scimgate_domain::tenant::TenantId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entities::trusted_issuers;
use super::errors::{on_write, unavailable};
use crate::sealing::Sealer;

pub struct SqlTrustedIssuerStore {
    db: DatabaseConnection,
    sealer: Arc<Sealer>,
}

impl SqlTrustedIssuerStore {
    pub fn new(db: DatabaseConnection, sealer: Arc<Sealer>) -> Self {
        Self { db, sealer }
    }

    /// Seals the introspection secrets stored plain or under a previous secrets key; how
    /// many.
    pub async fn reseal(&self) -> DomainResult<usize> {
        let rows = trusted_issuers::Entity::find()
            .filter(trusted_issuers::Column::IntrospectionClientSecret.is_not_null())
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut sealed = 0;
        for row in rows {
            let Some(stored) = row.introspection_client_secret else {
                continue;
            };
            let resealed = self
                .sealer
                .resealed(&stored, &aad(row.tenant_id, row.id))
                .map_err(DomainError::unavailable)?;
            let Some(value) = resealed else {
                continue;
            };
            trusted_issuers::Entity::update_many()
                .col_expr(
                    trusted_issuers::Column::IntrospectionClientSecret,
                    Expr::value(value),
                )
                .filter(trusted_issuers::Column::TenantId.eq(row.tenant_id))
                .filter(trusted_issuers::Column::Id.eq(row.id))
                .filter(trusted_issuers::Column::IntrospectionClientSecret.eq(stored))
                .exec(&self.db)
                .await
                .map_err(unavailable)?;
            sealed += 1;
        }
        Ok(sealed)
    }
}

/// What a sealed introspection secret is bound to.
fn aad(tenant: Uuid, id: Uuid) -> String {
    format!("trusted_issuers:{tenant}:{id}")
}

fn corrupt(what: &str) -> DomainError {
    DomainError::unavailable(std::io::Error::other(format!(
        "stored trusted issuer is inconsistent: {what}"
    )))
}

fn to_domain(row: trusted_issuers::Model) -> DomainResult<TrustedIssuer> {
    let verification = match (
        row.jwks_url,
        row.introspection_url,
        row.introspection_client_id,
    ) {
        (Some(url), None, _) => Verification::Jwks { url },
        (None, Some(url), Some(client_id)) => Verification::Introspection { url, client_id },
        _ => return Err(corrupt("neither a JWKS URL nor an introspection endpoint")),
    };
    Ok(TrustedIssuer {
        id: IssuerId(row.id),
        tenant_id: TenantId(row.tenant_id),
        issuer: row.issuer,
        audience: row.audience,
        verification,
        scope_claim: row.scope_claim,
        allowed_scopes: Scope::parse_list(&row.allowed_scopes)?,
        copy_claims: serde_json::from_value(row.copy_claims)
            .map_err(|_| corrupt("copy_claims is not a list of names"))?,
        policy: row
            .policy
            .map(serde_json::from_value)
            .transpose()
            .map_err(|_| corrupt("policy does not parse"))?,
        created: row.created,
        registered_by: Registrar::parse(&row.registered_by),
    })
}

#[async_trait]
impl TrustedIssuerStore for SqlTrustedIssuerStore {
    async fn insert(
        &self,
        issuer: &TrustedIssuer,
        secret: Option<&IntrospectionSecret>,
    ) -> DomainResult<()> {
        let (jwks_url, introspection_url, client_id) = match &issuer.verification {
            Verification::Jwks { url } => (Some(url.clone()), None, None),
            Verification::Introspection { url, client_id } => {
                (None, Some(url.clone()), Some(client_id.clone()))
            }
        };
        let scopes: Vec<&str> = issuer.allowed_scopes.iter().map(|s| s.as_str()).collect();
        let row = trusted_issuers::ActiveModel {
            tenant_id: Set(issuer.tenant_id.0),
            id: Set(issuer.id.0),
            issuer: Set(issuer.issuer.clone()),
            audience: Set(issuer.audience.clone()),
            jwks_url: Set(jwks_url),
            introspection_url: Set(introspection_url),
            introspection_client_id: Set(client_id),
            introspection_client_secret: Set(secret
                .map(|s| {
                    self.sealer
                        .seal(s.expose(), &aad(issuer.tenant_id.0, issuer.id.0))
                })
                .transpose()
                .map_err(DomainError::unavailable)?),
            scope_claim: Set(issuer.scope_claim.clone()),
            allowed_scopes: Set(scopes.join(" ")),
            copy_claims: Set(serde_json::Value::from(issuer.copy_claims.clone())),
            policy: Set(issuer
                .policy
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(|err| DomainError::InvalidValue(format!("policy: {err}")))?),
            created: Set(issuer.created),
            registered_by: Set(issuer.registered_by.as_str().to_owned()),
        };
        trusted_issuers::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(|err| {
                let clash = || {
                    DomainError::Conflict(format!(
                        "the tenant trusts issuer '{}' already",
                        issuer.issuer
                    ))
                };
                on_write(err, clash, clash)
            })?;
        Ok(())
    }

    async fn list(&self, tenant: TenantId) -> DomainResult<Vec<TrustedIssuer>> {
        trusted_issuers::Entity::find()
            .filter(trusted_issuers::Column::TenantId.eq(tenant.0))
            .order_by_asc(trusted_issuers::Column::Created)
            .order_by_asc(trusted_issuers::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    async fn find_by_issuer(&self, issuer: &str) -> DomainResult<Vec<TrustedIssuer>> {
        // Across tenants on purpose (`/scim/v2` without a tenant in the path); the table is
        // small and the answer is cached, so no index leads with `issuer`.
        trusted_issuers::Entity::find()
            .filter(trusted_issuers::Column::Issuer.eq(issuer))
            .order_by_asc(trusted_issuers::Column::TenantId)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    async fn introspection_secret(
        &self,
        tenant: TenantId,
        id: IssuerId,
    ) -> DomainResult<Option<IntrospectionSecret>> {
        let stored = trusted_issuers::Entity::find_by_id((tenant.0, id.0))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .and_then(|row| row.introspection_client_secret);
        stored
            .map(|value| self.sealer.open(&value, &aad(tenant.0, id.0)))
            .transpose()
            .map(|plain| plain.map(IntrospectionSecret::new))
            .map_err(DomainError::unavailable)
    }

    async fn delete(&self, tenant: TenantId, id: IssuerId) -> DomainResult<Option<TrustedIssuer>> {
        let Some(row) = trusted_issuers::Entity::find_by_id((tenant.0, id.0))
            .one(&self.db)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let removed = trusted_issuers::Entity::delete_many()
            .filter(trusted_issuers::Column::TenantId.eq(tenant.0))
            .filter(trusted_issuers::Column::Id.eq(id.0))
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        if removed.rows_affected == 0 {
            return Ok(None); // deleted concurrently: the other call reports it
        }
        to_domain(row).map(Some)
    }
}
