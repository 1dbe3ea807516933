//! sea-orm entities, in the shape `sea-orm-cli generate entity` writes for the migrations.

pub mod archived_resources;
pub mod audit_log;
pub mod console_sessions;
pub mod console_setup_links;
pub mod event_receiver_acks;
pub mod event_receivers;
pub mod event_sequences;
pub mod events;
pub mod group_members;
pub mod oauth_clients;
pub mod request_log;
pub mod resource_count_shards;
pub mod resource_values;
pub mod resources;
pub mod settings;
pub mod signing_keys;
pub mod tenant_lifecycle;
pub mod tenants;
pub mod tokens;
pub mod trusted_issuers;
pub mod webhook_attempts;
pub mod webhook_deliveries;
pub mod webhooks;
