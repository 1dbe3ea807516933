//! Holes a security review found in how policies guard writes: a PUT or Bulk by a caller that
//! may not write `members` (`members_unwritable`), a row filter naming a resource's relations
//! (`relation_rows`), and a `manager.value` outside the caller's rows (`manager_rows`).

mod manager_rows;
mod members_unwritable;
mod relation_rows;

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, status_json};

/// An opaque token of tenant `acme` (which must exist) holding `policy`.
pub async fn token_with(app: &TestApp, operator: &TestTenant, policy: Value) -> TestTenant {
    app.token_for(operator, &json!({"name": "restricted", "policy": policy}))
        .await
}

/// The ids of the members of the group at `path`, as `who` reads it.
pub async fn member_ids(app: &TestApp, who: &TestTenant, path: &str) -> BTreeSet<String> {
    let (status, group) = status_json(app.get_request(who, path)).await;
    assert_eq!(status, 200, "{group}");
    ids(&group["members"])
}

/// The `value`s of a member list.
pub fn ids(members: &Value) -> BTreeSet<String> {
    members
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|m| m["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub use crate::helpers::id;
