//! `ConsoleStore` on sea-orm: setup links and console sessions, every statement keyed by
//! tenant. Redemption is a conditional `UPDATE` (unredeemed, unrevoked, unexpired) and the
//! session insert in one transaction, so two replicas redeeming the same code at once open
//! one session between them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scimgate_domain::console::{ConsoleSession, SetupLink};
use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::ports::{ConsoleStore, NewSession};
use scimgate_domain::tenant::TenantId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use super::entities::{console_sessions as sessions, console_setup_links as links};
use super::errors::{on_write, unavailable};

pub struct SqlConsoleStore {
    db: DatabaseConnection,
}

impl SqlConsoleStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn find_link(&self, tenant: TenantId, id: Uuid) -> DomainResult<Option<SetupLink>> {
        Ok(links::Entity::find_by_id((tenant.0, id))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(link))
    }
}

fn link(row: links::Model) -> SetupLink {
    SetupLink {
        id: row.id,
        tenant_id: TenantId(row.tenant_id),
        code_hash: row.code_hash,
        created_by: row.created_by,
        created: row.created,
        expires_at: row.expires_at,
        redeemed_at: row.redeemed_at,
        revoked_at: row.revoked_at,
    }
}

fn session(row: sessions::Model) -> ConsoleSession {
    ConsoleSession {
        id: row.id,
        tenant_id: TenantId(row.tenant_id),
        secret_hash: row.secret_hash,
        link_id: row.link_id,
        created: row.created,
        expires_at: row.expires_at,
        ended_at: row.ended_at,
    }
}

fn collision() -> DomainError {
    DomainError::Conflict("console credential collision; retry".into())
}

#[async_trait]
impl ConsoleStore for SqlConsoleStore {
    async fn insert_link(&self, link: &SetupLink) -> DomainResult<()> {
        let row = links::ActiveModel {
            tenant_id: Set(link.tenant_id.0),
            id: Set(link.id),
            code_hash: Set(link.code_hash.clone()),
            created_by: Set(link.created_by.clone()),
            created: Set(link.created),
            expires_at: Set(link.expires_at),
            redeemed_at: Set(link.redeemed_at),
            revoked_at: Set(link.revoked_at),
        };
        links::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(|err| on_write(err, collision, collision))?;
        Ok(())
    }

    async fn list_links(&self, tenant: TenantId) -> DomainResult<Vec<SetupLink>> {
        Ok(links::Entity::find()
            .filter(links::Column::TenantId.eq(tenant.0))
            .order_by_desc(links::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(link)
            .collect())
    }

    async fn revoke_link(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> DomainResult<Option<SetupLink>> {
        links::Entity::update_many()
            .col_expr(links::Column::RevokedAt, Expr::value(at))
            .filter(links::Column::TenantId.eq(tenant.0))
            .filter(links::Column::Id.eq(id))
            .filter(links::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        self.find_link(tenant, id).await
    }

    async fn redeem_link(
        &self,
        tenant: TenantId,
        code_hash: &str,
        new: NewSession,
    ) -> DomainResult<Option<(SetupLink, ConsoleSession)>> {
        let now = new.created;
        let txn = self.db.begin().await.map_err(unavailable)?;
        let redeemed = links::Entity::update_many()
            .col_expr(links::Column::RedeemedAt, Expr::value(now))
            .filter(links::Column::TenantId.eq(tenant.0))
            .filter(links::Column::CodeHash.eq(code_hash))
            .filter(links::Column::RedeemedAt.is_null())
            .filter(links::Column::RevokedAt.is_null())
            .filter(links::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        if redeemed.rows_affected != 1 {
            txn.rollback().await.map_err(unavailable)?;
            return Ok(None);
        }
        let row = links::Entity::find()
            .filter(links::Column::TenantId.eq(tenant.0))
            .filter(links::Column::CodeHash.eq(code_hash))
            .one(&txn)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| DomainError::Conflict("the redeemed link vanished; retry".into()))?;
        let opened = sessions::Model {
            tenant_id: tenant.0,
            id: new.id,
            secret_hash: new.secret_hash,
            link_id: row.id,
            created: new.created,
            expires_at: new.expires_at,
            ended_at: None,
        };
        sessions::Entity::insert(sessions::ActiveModel::from(opened.clone()))
            .exec(&txn)
            .await
            .map_err(|err| on_write(err, collision, collision))?;
        txn.commit().await.map_err(unavailable)?;
        Ok(Some((link(row), session(opened))))
    }

    async fn insert_session(&self, opened: &ConsoleSession) -> DomainResult<()> {
        let row = sessions::Model {
            tenant_id: opened.tenant_id.0,
            id: opened.id,
            secret_hash: opened.secret_hash.clone(),
            link_id: opened.link_id,
            created: opened.created,
            expires_at: opened.expires_at,
            ended_at: opened.ended_at,
        };
        sessions::Entity::insert(sessions::ActiveModel::from(row))
            .exec_without_returning(&self.db)
            .await
            .map_err(|err| on_write(err, collision, collision))?;
        Ok(())
    }

    async fn find_session(
        &self,
        tenant: TenantId,
        secret_hash: &str,
    ) -> DomainResult<Option<ConsoleSession>> {
        Ok(sessions::Entity::find()
            .filter(sessions::Column::TenantId.eq(tenant.0))
            .filter(sessions::Column::SecretHash.eq(secret_hash))
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(session))
    }

    async fn purge(
        &self,
        sessions_before: DateTime<Utc>,
        links_before: DateTime<Utc>,
    ) -> DomainResult<u64> {
        let gone = sessions::Entity::delete_many()
            .filter(
                sessions::Column::ExpiresAt
                    .lt(sessions_before)
                    .or(sessions::Column::EndedAt.lt(sessions_before)),
            )
            .exec(&self.db)
            .await
            .map_err(unavailable)?
            .rows_affected;
        let links = links::Entity::delete_many()
            .filter(links::Column::ExpiresAt.lt(links_before))
            .exec(&self.db)
            .await
            .map_err(unavailable)?
            .rows_affected;
        Ok(gone + links)
    }

    async fn end_session(&self, tenant: TenantId, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::EndedAt, Expr::value(at))
            .filter(sessions::Column::TenantId.eq(tenant.0))
            .filter(sessions::Column::Id.eq(id))
            .filter(sessions::Column::EndedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
