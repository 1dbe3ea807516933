//! Test-only crate: see `api/` for the end-to-end tests.
