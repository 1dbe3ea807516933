//! Implementations of the domain's `Cache` port: in-process alone (no Redis), or in-process in
//! front of Redis with invalidation across replicas.

mod degraded;
mod invalidation;
pub mod memory;
pub mod metered;
mod pending;
pub mod redis_cache;
pub mod two_level;

pub use memory::MemoryCache;
pub use redis_cache::RedisCache;
pub use two_level::TwoLevelCache;
