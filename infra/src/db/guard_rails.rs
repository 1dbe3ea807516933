//! A tenant's guard rails as stored beside its deletion policy, and the seat limit held inside
//! a write's transaction. A write that takes a seat (an active create, a reactivation) first
//! runs one conditional UPDATE of the tenant's policy row, which matches only when a limit is
//! set: on PostgreSQL it locks that row until the commit, so concurrent seat-taking writes of
//! a limited tenant count its active users one after another; on SQLite it takes the write
//! lock, which serialises them the same way. A tenant without a limit locks nothing.

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::guard_rails::{GuardRails, seat_limit_reached};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use uuid::Uuid;

use super::entities::tenant_lifecycle;
use super::errors::unavailable;

/// The tenant's guard rails (both off when it never set a policy).
pub async fn guard_rails(db: &impl ConnectionTrait, tenant: Uuid) -> DomainResult<GuardRails> {
    let row = tenant_lifecycle::Entity::find_by_id(tenant)
        .one(db)
        .await
        .map_err(unavailable)?;
    let Some(row) = row else {
        return Ok(GuardRails::default());
    };
    Ok(of_row(&row))
}

/// The guard rails a stored policy row holds.
pub fn of_row(row: &tenant_lifecycle::Model) -> GuardRails {
    let verified_domains = row
        .verified_domains
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    GuardRails {
        verified_domains,
        seat_limit: row.seat_limit.and_then(|l| u64::try_from(l).ok()),
    }
}

/// Holds the tenant's seat limit for the rest of `db`'s transaction and answers how many
/// more active users fit under it; `None` when the tenant has no limit.
pub async fn seats_left(db: &impl ConnectionTrait, tenant: Uuid) -> DomainResult<Option<Seats>> {
    let backend = db.get_database_backend();
    let (hold, count) = match backend {
        DbBackend::Postgres => (
            "UPDATE tenant_lifecycle SET seat_limit = seat_limit \
             WHERE tenant_id = $1 AND seat_limit IS NOT NULL RETURNING seat_limit",
            "SELECT COUNT(*) AS active FROM resources WHERE tenant_id = $1 \
             AND resource_type = 'User' AND COALESCE(document->>'active', 'true') <> 'false'",
        ),
        _ => (
            "UPDATE tenant_lifecycle SET seat_limit = seat_limit \
             WHERE tenant_id = ? AND seat_limit IS NOT NULL RETURNING seat_limit",
            "SELECT COUNT(*) AS active FROM resources WHERE tenant_id = ? \
             AND resource_type = 'User' AND COALESCE(json_extract(document, '$.active'), 1) <> 0",
        ),
    };
    let held = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            hold,
            [tenant.into()],
        ))
        .await
        .map_err(unavailable)?;
    let Some(held) = held else {
        return Ok(None);
    };
    let limit: i64 = held.try_get("", "seat_limit").map_err(unavailable)?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            count,
            [tenant.into()],
        ))
        .await
        .map_err(unavailable)?;
    let active: i64 = match row {
        Some(row) => row.try_get("", "active").map_err(unavailable)?,
        None => 0,
    };
    let limit = u64::try_from(limit).unwrap_or(0);
    Ok(Some(Seats {
        limit,
        left: limit.saturating_sub(u64::try_from(active).unwrap_or(0)),
    }))
}

/// A limited tenant's seats as a write transaction holds them.
#[derive(Debug, Clone, Copy)]
pub struct Seats {
    pub limit: u64,
    pub left: u64,
}

impl Seats {
    /// The refusal of a seat-taking write past the limit.
    pub fn refusal(self) -> DomainError {
        seat_limit_reached(self.limit)
    }
}

/// Refuses the write unless one more active user fits under the tenant's limit (held until
/// `db`'s transaction ends).
pub async fn take_seat(db: &impl ConnectionTrait, tenant: Uuid) -> DomainResult<()> {
    match seats_left(db, tenant).await? {
        Some(seats) if seats.left == 0 => Err(seats.refusal()),
        _ => Ok(()),
    }
}
