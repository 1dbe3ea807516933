//! Rate limiting: in-process (governor) or shared by all replicas (Redis), with the Redis one
//! falling back to the in-process one while Redis is away.

pub mod fallback;
pub mod memory;
pub mod redis_gcra;
