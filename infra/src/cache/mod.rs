//! Implementations of the domain's `Cache` port: one in-process, one shared through Redis.

pub mod memory;
pub mod metered;
pub mod redis_cache;

pub use memory::MemoryCache;
pub use redis_cache::RedisCache;
