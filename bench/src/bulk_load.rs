//! The classic bulk-load trick for a fresh database: drop the secondary indexes (and on
//! PostgreSQL the value index's foreign key) of the two tables being filled, load, then
//! recreate them from the exact definitions the catalog held. Building an index once over
//! sorted data is far cheaper than maintaining it row by row.

use scimgate_infra::db::DatabaseConnection;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const TABLES: &str = "('resources', 'resource_values')";

/// What `drop_for_load` removed, as the statements that put it back.
pub struct Restore {
    statements: Vec<String>,
}

async fn strings(db: &DatabaseConnection, sql: &str) -> anyhow::Result<Vec<(String, String)>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    rows.into_iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Drops what slows a bulk load down and returns how to restore it.
pub async fn drop_for_load(db: &DatabaseConnection) -> anyhow::Result<Restore> {
    let mut statements = Vec::new();
    let mut drops = Vec::new();
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let foreign_keys = strings(
                db,
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE contype = 'f' AND conrelid = 'resource_values'::regclass",
            )
            .await?;
            for (name, definition) in foreign_keys {
                drops.push(format!(
                    "ALTER TABLE resource_values DROP CONSTRAINT {}",
                    quoted(&name)
                ));
                statements.push(format!(
                    "ALTER TABLE resource_values ADD CONSTRAINT {} {definition}",
                    quoted(&name)
                ));
            }
            let indexes = strings(
                db,
                &format!(
                    "SELECT indexname, indexdef FROM pg_indexes \
                     WHERE schemaname = current_schema() AND tablename IN {TABLES} \
                     AND indexname NOT IN (SELECT conname FROM pg_constraint)"
                ),
            )
            .await?;
            for (name, definition) in indexes {
                drops.push(format!("DROP INDEX {}", quoted(&name)));
                statements.insert(0, definition);
            }
        }
        _ => {
            let indexes = strings(
                db,
                &format!(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                     AND tbl_name IN {TABLES} AND sql IS NOT NULL"
                ),
            )
            .await?;
            for (name, definition) in indexes {
                drops.push(format!("DROP INDEX {}", quoted(&name)));
                statements.push(definition);
            }
            // The bench seeds SQLite through a single pooled connection, so this sticks.
            db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
            statements.push("PRAGMA foreign_keys = ON".into());
        }
    }
    for sql in drops {
        db.execute_unprepared(&sql).await?;
    }
    Ok(Restore { statements })
}

impl Restore {
    /// Recreates indexes first, then constraints (which validate every row once).
    pub async fn apply(self, db: &DatabaseConnection) -> anyhow::Result<()> {
        for sql in self.statements {
            eprintln!("  {}", sql.split(" ON ").next().unwrap_or(&sql));
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
