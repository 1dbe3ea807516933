//! Guard rails (issue #17, item 4): a tenant's verified domains refuse Users outside them on
//! every kind of write, and its seat limit caps active users, exactly, under concurrency.

mod domains;
mod seats;
mod support;
