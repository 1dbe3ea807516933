//! Deprovisioning policy (issue #17, item 2): a tenant's DELETE is hard (the default) or
//! soft; a soft-deleted resource leaves every SCIM answer, can be restored by the tenant
//! admin or the operator with its id and memberships, and is purged after its retention.

mod leaks;
mod policy;
mod purge;
mod restore;
pub(crate) mod support;
