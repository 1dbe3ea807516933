//! Several replicas on one database and one Redis that the test starts, stops and restarts
//! itself (`redis-server` must be on PATH; CI installs it).

mod invalidation;
mod outage;
mod redis_server;
mod support;
