//! Storage on sea-orm, the same code on SQLite and PostgreSQL.

pub mod audit_repo;
pub mod client_repo;
pub mod column_target;
pub mod connect;
pub mod document_writes;
pub mod entities;
pub mod errors;
pub mod explain;
pub mod filter_sql;
pub mod group_closure;
pub mod list_sql;
pub mod membership;
pub mod observe;
pub mod probe;
pub mod resource_counts;
pub mod resource_repo;
pub mod resource_rows;
pub mod seed;
pub mod settings_repo;
pub mod signing_key_repo;
pub mod sort_sql;
pub mod tenant_repo;
pub mod token_repo;
pub mod trusted_issuer_repo;
pub mod value_index;
pub mod visible_rows;

pub use audit_repo::SqlAuditLog;
pub use client_repo::SqlClientStore;
pub use connect::{DatabaseSettings, connect, ensure_sqlite_dir, migrate, pending_migrations};
pub use resource_repo::SqlResourceStore;
pub use sea_orm::{DatabaseConnection, DbErr};
pub use signing_key_repo::SqlSigningKeyStore;
pub use tenant_repo::SqlTenantStore;
pub use token_repo::SqlTokenStore;
pub use trusted_issuer_repo::SqlTrustedIssuerStore;
