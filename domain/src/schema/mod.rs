//! Schema registry: attribute definitions of the core User and Group schemas, the
//! EnterpriseUser extension and the resource types that combine them.

pub mod attribute;
pub mod common;
pub mod enterprise_user;
pub mod group;
pub mod kind;
pub mod registry;
pub mod relation;
pub mod render;
pub mod service_provider_config;
pub mod user;

pub use attribute::{AttributeDef, AttributeType, Mutability, Returned, SchemaDef, Uniqueness};
pub use registry::{ResourceTypeDef, SchemaExtension, SchemaRegistry};
