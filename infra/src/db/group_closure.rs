//! The groups users belong to, directly and through nested groups, in one recursive query.
//! Membership is kept cycle-free on write, so the recursion ends.

use std::collections::HashMap;

use scimgate_domain::error::{DomainError, DomainResult};
use scimgate_domain::resource::stored::Membership;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

/// Every group each user is in, `direct` when a membership row names the user itself. The
/// group's display text is a per-row lookup by key rather than a join: without table
/// statistics SQLite would otherwise drive the join from `resources` and scan the tenant.
pub async fn groups_of(
    db: &impl ConnectionTrait,
    tenant: Uuid,
    user_ids: &[Uuid],
) -> DomainResult<HashMap<Uuid, Vec<Membership>>> {
    let mut out: HashMap<Uuid, Vec<Membership>> = HashMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(user_ids.len() + 3);
    let mut placeholder = |value: sea_orm::Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    let first_tenant = placeholder(tenant.into());
    let users: Vec<String> = user_ids
        .iter()
        .map(|id| placeholder((*id).into()))
        .collect();
    let step_tenant = placeholder(tenant.into());
    let group_tenant = placeholder(tenant.into());
    // Each step looks up the groups containing the groups found so far, one index probe per
    // row. PostgreSQL estimates a recursive step's rows poorly and then prefers to sort the
    // tenant's whole membership table for a merge join; a LATERAL subquery behind `OFFSET 0`
    // (which the planner may not flatten) keeps it to index probes. SQLite has no LATERAL
    // and always joins by nested loops.
    let step = match backend {
        DbBackend::Postgres => format!(
            "SELECT c.member_id, up.group_id, c.depth + 1 FROM closure c \
             CROSS JOIN LATERAL (SELECT gm.group_id FROM group_members gm \
               WHERE gm.tenant_id = {step_tenant} AND gm.member_id = c.group_id OFFSET 0) up"
        ),
        _ => format!(
            "SELECT c.member_id, gm.group_id, c.depth + 1 FROM closure c \
             JOIN group_members gm ON gm.tenant_id = {step_tenant} AND gm.member_id = c.group_id"
        ),
    };
    let sql = format!(
        "WITH RECURSIVE closure(member_id, group_id, depth) AS ( \
           SELECT member_id, group_id, 0 FROM group_members \
           WHERE tenant_id = {first_tenant} AND member_id IN ({users}) \
           UNION \
           {step} \
         ) \
         SELECT c.member_id, c.group_id, MIN(c.depth) AS depth, \
           (SELECT r.display FROM resources r WHERE r.tenant_id = {group_tenant} AND r.id = c.group_id) AS display \
         FROM closure c \
         GROUP BY c.member_id, c.group_id \
         ORDER BY c.member_id, c.group_id",
        users = users.join(", ")
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(DomainError::unavailable)?;
    for row in rows {
        let user: Uuid = row
            .try_get("", "member_id")
            .map_err(DomainError::unavailable)?;
        let depth: i64 = match row.try_get::<i64>("", "depth") {
            Ok(depth) => depth,
            Err(_) => i64::from(
                row.try_get::<i32>("", "depth")
                    .map_err(DomainError::unavailable)?,
            ),
        };
        out.entry(user).or_default().push(Membership {
            group_id: row
                .try_get("", "group_id")
                .map_err(DomainError::unavailable)?,
            display: row
                .try_get("", "display")
                .map_err(DomainError::unavailable)?,
            direct: depth == 0,
        });
    }
    Ok(out)
}
