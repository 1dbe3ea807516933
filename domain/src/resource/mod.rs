//! SCIM resources: the rules that turn client input into stored documents,
//! storage shapes and rendering.

pub mod canonical;
pub mod projection;
pub mod references;
pub mod render;
pub mod searchable;
pub mod stored;
