//! Adapters of scimgate's domain ports: storage, caches and secret hashing.

pub mod auth;
pub mod cache;
pub mod db;
pub mod ratelimit;
pub mod sealing;
pub mod webhooks;
