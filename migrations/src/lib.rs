//! scimgate's database schema, one migration per change, for SQLite and PostgreSQL alike.
//! Every table holding tenant data leads its primary key and indexes with `tenant_id`, so the
//! tables can be distributed by tenant later without a code change.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_tenants;
mod m20261122_000002_create_tokens;
mod m20261122_000003_create_resources;
mod m20261122_000004_create_group_members;
mod m20261122_000005_create_settings;
mod m20261122_000006_create_resource_values;
mod m20261122_000007_create_oauth_clients;
mod m20261122_000008_create_signing_keys;
mod m20261122_000009_add_client_policy;
mod m20261122_000010_create_trusted_issuers;
mod m20261122_000011_create_audit_log;
mod m20261122_000013_create_resource_counts;
mod m20261122_000014_extend_lookup_indexes;
mod m20261205_000015_add_token_claims_policy;
mod m20261205_000016_add_issuer_registrar;
mod m20261207_000017_create_events;
mod m20261207_000018_create_event_receivers;
mod m20261207_000019_create_webhooks;
mod m20261207_000020_shard_resource_counts;
mod m20261207_000021_create_trigram_indexes;
mod m20261207_000022_index_pending_deliveries_by_endpoint;
mod m20261207_000023_create_console_tables;
mod m20261207_000024_create_request_log;
mod m20261207_000025_create_lifecycle_tables;
mod m20261207_000026_add_guard_rails;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_tenants::Migration),
            Box::new(m20261122_000002_create_tokens::Migration),
            Box::new(m20261122_000003_create_resources::Migration),
            Box::new(m20261122_000004_create_group_members::Migration),
            Box::new(m20261122_000005_create_settings::Migration),
            Box::new(m20261122_000006_create_resource_values::Migration),
            Box::new(m20261122_000007_create_oauth_clients::Migration),
            Box::new(m20261122_000008_create_signing_keys::Migration),
            Box::new(m20261122_000009_add_client_policy::Migration),
            Box::new(m20261122_000010_create_trusted_issuers::Migration),
            Box::new(m20261122_000011_create_audit_log::Migration),
            Box::new(m20261122_000013_create_resource_counts::Migration),
            Box::new(m20261122_000014_extend_lookup_indexes::Migration),
            Box::new(m20261205_000015_add_token_claims_policy::Migration),
            Box::new(m20261205_000016_add_issuer_registrar::Migration),
            Box::new(m20261207_000017_create_events::Migration),
            Box::new(m20261207_000018_create_event_receivers::Migration),
            Box::new(m20261207_000019_create_webhooks::Migration),
            Box::new(m20261207_000020_shard_resource_counts::Migration),
            Box::new(m20261207_000021_create_trigram_indexes::Migration),
            Box::new(m20261207_000022_index_pending_deliveries_by_endpoint::Migration),
            Box::new(m20261207_000023_create_console_tables::Migration),
            Box::new(m20261207_000024_create_request_log::Migration),
            Box::new(m20261207_000025_create_lifecycle_tables::Migration),
            Box::new(m20261207_000026_add_guard_rails::Migration),
        ]
    }
}
