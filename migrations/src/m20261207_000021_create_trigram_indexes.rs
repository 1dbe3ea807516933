use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Trigram indexes for `co` and `ew` (substring and suffix) filters on `userName`,
/// `displayName` and every value of the value index (`emails.value`, `name.familyName`, ...),
/// which a b-tree cannot bound.
///
/// PostgreSQL: GIN indexes with `pg_trgm`'s `gin_trgm_ops` on exactly the columns the filter
/// compiler compares (already normalised: lower-cased where the attribute is caseExact=false),
/// serving its `LIKE '%…%'`. `pg_trgm` ships with PostgreSQL (Debian: `postgresql-contrib`, part
/// of the `postgresql` package) and is a trusted extension, so a role with CREATE on the
/// database may install it; when that fails the migration fails, naming the fix, rather than
/// leaving searches that scan every user. The indexes are not led by `tenant_id` (that would
/// need `btree_gin` and a GIN posting list per tenant); the filter still names the tenant.
///
/// SQLite: nothing yet. FTS5 `trigram` tables kept in step by triggers made concurrent
/// `INSERT INTO resources` fail at once with `SQLITE_BUSY` instead of waiting (branch
/// `trigram-sqlite-fts`), so SQLite keeps scanning for `co`/`ew`.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        let ops = trigram_opclass(db).await?;
        for (name, table, column) in POSTGRES_INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} {ops})"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // The extension stays: other objects may use it.
        for (name, _, _) in POSTGRES_INDEXES {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}

/// (index, table, column) on PostgreSQL.
const POSTGRES_INDEXES: [(&str, &str, &str); 3] = [
    ("ix_resources_user_name_trgm", "resources", "user_name_ci"),
    (
        "ix_resources_display_name_trgm",
        "resources",
        "display_name_ci",
    ),
    (
        "ix_resource_values_norm_trgm",
        "resource_values",
        "value_norm",
    ),
];

/// Installs `pg_trgm` if needed and names its operator class schema-qualified: the extension
/// lives in one schema of the database, which need not be on this connection's search path
/// (each test database schema, or a tenant-per-schema deployment, shares one installation).
async fn trigram_opclass(db: &SchemaManagerConnection<'_>) -> Result<String, DbErr> {
    // Concurrent migrations of two schemas would race on `IF NOT EXISTS`; the lock is held
    // to the end of the migration's transaction.
    db.execute_unprepared("SELECT pg_advisory_xact_lock(7226531)")
        .await?;
    if let Err(err) = db
        .execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await
    {
        return Err(DbErr::Migration(format!(
            "the PostgreSQL extension pg_trgm is needed for substring-search indexes and could \
             not be created ({err}). Install the server's contrib modules (Debian/Ubuntu: \
             postgresql-contrib) and let a role with CREATE on the database run \
             `CREATE EXTENSION pg_trgm;`, then migrate again."
        )));
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT quote_ident(n.nspname) FROM pg_extension e \
             JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("pg_trgm is not installed".into()))?;
    let schema: String = row.try_get_by_index(0)?;
    Ok(format!("{schema}.gin_trgm_ops"))
}
