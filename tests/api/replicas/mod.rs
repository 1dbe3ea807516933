//! Several replicas on one database and one Redis that the test starts, stops and restarts
//! itself (`redis-server` must be on PATH; CI installs it).

mod invalidation;
mod outage;
pub(crate) mod redis_server;
pub(crate) mod support;
