//! Two partners share groups: partner A (claim `org=a`, an OAuth client) and partner B
//! (`org=b`, an opaque token) each see only their own users and the groups named `shared…` or
//! `<org>-…`. Members, memberships and member filters outside a partner's rows must be as
//! absent as the rows themselves, and its member writes must leave them alone.

mod bulk;
mod equivalence;
mod filters;
mod reads;
mod writes;

use reqwest::Method;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::helpers::{ENTERPRISE, GROUP_SCHEMA, TestApp, TestTenant, USER_SCHEMA, status_json};
use crate::oauth::support::{TestClient, access_token};

/// Users of `{{claims.org}}`; groups named `shared…` or `{{claims.org}}-…`.
pub fn partner_policy() -> Value {
    json!({
        "userFilter": format!("{ENTERPRISE}:organization eq \"{{{{claims.org}}}}\""),
        "groupFilter": "displayName sw \"shared\" or displayName sw \"{{claims.org}}-\"",
    })
}

/// The tenant as everyone involved sees it, and the ids of its resources by name.
///
/// | group      | members            | A sees        | B sees      |
/// |------------|--------------------|---------------|-------------|
/// | `a-team`   | a2                 | a2            | (hidden)    |
/// | `b-team`   | b2, a3             | (hidden)      | b2          |
/// | `shared`   | a1, b1, a-team, b-team | a1, a-team | b1, b-team |
/// | `shared-b` | b1, b-team         | none          | b1, b-team  |
/// | `b-secret` | a1, a4             | (hidden)      | none        |
///
/// Users a1–a4 have `org=a`, b1 and b2 `org=b`. Through b-team, a3 is in `shared` and
/// `shared-b` for A too, and b2 in `shared` and `shared-b` for B.
pub struct World {
    pub operator: TestTenant,
    pub a: TestTenant,
    pub b: TestTenant,
    pub ids: BTreeMap<&'static str, String>,
}

impl World {
    /// The id of the resource named `name`.
    pub fn id(&self, name: &str) -> &str {
        &self.ids[name]
    }

    /// The names of the resources whose ids are given.
    pub fn names<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        ids.into_iter()
            .map(|id| {
                self.ids
                    .iter()
                    .find(|(_, v)| v.as_str() == id)
                    .map(|(k, _)| (*k).to_owned())
                    .unwrap_or_else(|| format!("unknown {id}"))
            })
            .collect()
    }
}

pub fn org_user(user_name: &str, org: &str) -> Value {
    json!({"schemas": [USER_SCHEMA, ENTERPRISE], "userName": user_name,
           ENTERPRISE: {"organization": org}})
}

pub fn group_of(name: &str, members: &[&str]) -> Value {
    let members: Vec<Value> = members.iter().map(|id| json!({"value": id})).collect();
    json!({"schemas": [GROUP_SCHEMA], "displayName": name, "members": members})
}

/// Builds the world of [`World`]; a new app per test keeps each one's database fresh.
pub async fn world(app: &TestApp) -> World {
    let operator = app.tenant("acme").await;
    let a = partner_a(app, &operator).await;
    let b = partner_b(app, &operator).await;
    let mut ids = BTreeMap::new();
    for (name, org) in [
        ("a1", "a"),
        ("a2", "a"),
        ("a3", "a"),
        ("a4", "a"),
        ("b1", "b"),
        ("b2", "b"),
    ] {
        let (status, user) =
            status_json(app.post_request(&operator, "/Users", &org_user(name, org))).await;
        assert_eq!(status, 201, "{user}");
        ids.insert(name, user["id"].as_str().unwrap().to_owned());
    }
    for (name, members) in [
        ("a-team", &["a2"][..]),
        ("b-team", &["b2", "a3"]),
        ("shared", &["a1", "b1", "a-team", "b-team"]),
        ("shared-b", &["b1", "b-team"]),
        ("b-secret", &["a1", "a4"]),
    ] {
        let members: Vec<&str> = members.iter().map(|m| ids[m].as_str()).collect();
        let (status, group) =
            status_json(app.post_request(&operator, "/Groups", &group_of(name, &members))).await;
        assert_eq!(status, 201, "{group}");
        ids.insert(name, group["id"].as_str().unwrap().to_owned());
    }
    World {
        operator,
        a,
        b,
        ids,
    }
}

/// Partner A: an OAuth client of the tenant with claim `org=a`, holding a JWT.
async fn partner_a(app: &TestApp, operator: &TestTenant) -> TestTenant {
    let (status, created) =
        status_json(app.operator(Method::POST, "/tenants/acme/clients").json(
            &json!({"name": "partner-a", "claims": {"org": "a"}, "policy": partner_policy()}),
        ))
        .await;
    assert_eq!(status, 201, "{created}");
    let client = TestClient {
        id: created["clientId"].as_str().unwrap().to_owned(),
        secret: created["clientSecret"].as_str().unwrap().to_owned(),
    };
    TestTenant {
        slug: operator.slug.clone(),
        token: access_token(app, &client).await,
        base: operator.base.clone(),
    }
}

/// Partner B: an opaque token with claim `org=b`.
async fn partner_b(app: &TestApp, operator: &TestTenant) -> TestTenant {
    app.token_for(
        operator,
        &json!({"name": "partner-b", "claims": {"org": "b"}, "policy": partner_policy()}),
    )
    .await
}

/// The ids of `resource`'s `members` (or `groups`), none when the attribute is absent.
pub fn related<'a>(resource: &'a Value, attribute: &str) -> Vec<&'a str> {
    resource[attribute]
        .as_array()
        .map(|items| items.iter().filter_map(|m| m["value"].as_str()).collect())
        .unwrap_or_default()
}

/// The names of the members of the group `name`, as `who` reads it with a GET.
pub async fn members_seen(
    app: &TestApp,
    world: &World,
    who: &TestTenant,
    name: &str,
) -> BTreeSet<String> {
    let (status, group) =
        status_json(app.get_request(who, &format!("/Groups/{}", world.id(name)))).await;
    assert_eq!(status, 200, "{group}");
    world.names(related(&group, "members"))
}

/// Names as a set, for comparing with what a view shows.
pub fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}
