//! Unit tests of the resource service on an in-memory store: what a client relies on when
//! writers race, when a precondition or a unique value is in the way, and when a policy
//! narrows what a caller sees and writes. The SQL stores are held to the same port by the
//! HTTP tests; here the service's own decisions are pinned, fast and without a database.

mod fixture;
mod memory_rows;
mod memory_store;
mod policy;
mod preconditions;
mod races;
