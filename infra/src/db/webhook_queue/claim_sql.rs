//! The statement that leases due deliveries, per backend.

use sea_orm::DbBackend;

/// Most deliveries of one endpoint a claim leases. The dispatcher sends 16 at a time to an
/// endpoint and keeps the rest in line (`api/src/webhook_dispatch/pipeline.rs`), so this bounds
/// only how far it leases ahead: a claim costs a few round trips, and one endpoint's pace is at
/// most this many deliveries per claim (16 a claim held one endpoint on PostgreSQL to ~860/s).
pub(super) const PER_ENDPOINT: i64 = 64;

/// The statement leasing due rows, with `$n`/`?` placeholders for the backend: the oldest
/// due rows of active endpoints, at most `PER_ENDPOINT` per endpoint.
pub(super) fn claim_sql(backend: DbBackend, busy: usize) -> String {
    let mut n = 0;
    let mut next = || match backend {
        DbBackend::Postgres => {
            n += 1;
            format!("${n}")
        }
        _ => "?".to_owned(),
    };
    let (lease_until, now_1, now_2) = (next(), next(), next());
    let excluded: Vec<String> = (0..busy).map(|_| next()).collect();
    let (per, limit) = (next(), next());
    // PostgreSQL only (see below): the lease check again, on the locked row.
    let now_3 = next();
    let not_busy = |column: &str| {
        if excluded.is_empty() {
            String::new()
        } else {
            format!(" AND {column} NOT IN ({})", excluded.join(", "))
        }
    };
    let due_now = format!(
        "d.state = 'pending' AND d.next_attempt_at <= {now_1} \
         AND (d.lease_until IS NULL OR d.lease_until < {now_2})"
    );
    let due = match backend {
        // Per active endpoint, its oldest due rows from `ix_webhook_deliveries_pending`: a
        // claim reads about what it leases, however long the backlog, and by plain index
        // scans, which learn to skip the entries of rows updated since the last vacuum (a
        // window over every due row cost 150-290 ms a claim with 8 000 queued on a
        // PostgreSQL without autovacuum).
        DbBackend::Postgres => format!(
            "SELECT p.tenant_id, p.webhook_id, p.sequence FROM webhooks w \
             CROSS JOIN LATERAL ( \
               SELECT d.tenant_id, d.webhook_id, d.sequence, d.next_attempt_at \
               FROM webhook_deliveries d \
               WHERE d.tenant_id = w.tenant_id AND d.webhook_id = w.id AND {due_now} \
               ORDER BY d.next_attempt_at, d.sequence LIMIT {per}) p \
             WHERE w.status = 'active'{} \
             ORDER BY p.next_attempt_at LIMIT {limit}",
            not_busy("w.id")
        ),
        // One writer, nothing to lock, and already fast: the window over the due rows.
        _ => format!(
            "SELECT tenant_id, webhook_id, sequence FROM ( \
               SELECT d.tenant_id, d.webhook_id, d.sequence, d.next_attempt_at, ROW_NUMBER() OVER \
                 (PARTITION BY d.tenant_id, d.webhook_id ORDER BY d.next_attempt_at, d.sequence) AS rn \
               FROM webhook_deliveries d \
               WHERE {due_now}{} \
               AND EXISTS (SELECT 1 FROM webhooks w WHERE w.tenant_id = d.tenant_id \
                           AND w.id = d.webhook_id AND w.status = 'active')) ranked \
             WHERE rn <= {per} ORDER BY next_attempt_at LIMIT {limit}",
            not_busy("d.webhook_id")
        ),
    };
    let keys = "(tenant_id, webhook_id, sequence)";
    let returning =
        "RETURNING w.tenant_id, w.webhook_id, w.sequence, w.attempts, w.first_attempt_at";
    match backend {
        // Materialized, so the plan cannot depend on statistics: without it, on a table never
        // analyzed, the planner re-ran the locking subquery once per queued row (6.5 s for
        // 1 000 queued deliveries). `due` is read before the locks are taken, so the locking
        // query checks the lease again: a row another replica leased and committed meanwhile
        // is re-read there and dropped, never leased twice.
        DbBackend::Postgres => format!(
            "WITH due AS MATERIALIZED ({due}), \
             leased AS MATERIALIZED ( \
               SELECT d.tenant_id, d.webhook_id, d.sequence FROM webhook_deliveries d \
               JOIN due ON d.tenant_id = due.tenant_id AND d.webhook_id = due.webhook_id \
                 AND d.sequence = due.sequence \
               WHERE d.state = 'pending' AND (d.lease_until IS NULL OR d.lease_until < {now_3}) \
               FOR UPDATE OF d SKIP LOCKED) \
             UPDATE webhook_deliveries w SET lease_until = {lease_until} FROM leased \
             WHERE w.tenant_id = leased.tenant_id AND w.webhook_id = leased.webhook_id \
               AND w.sequence = leased.sequence {returning}"
        ),
        _ => format!(
            "UPDATE webhook_deliveries SET lease_until = {lease_until} WHERE {keys} IN ({due}) \
             RETURNING tenant_id, webhook_id, sequence, attempts, first_attempt_at"
        ),
    }
}
