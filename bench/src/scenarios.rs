//! What is measured: the static baseline and the SCIM reads an IdP or an app typically makes,
//! all aimed at one user in the middle of the tenant.

use anyhow::Context;
use reqwest::Url;

use crate::load::Target;
use crate::users::UserSpec;

/// One measured request.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub target: Target,
}

/// The user the lookups find: in the middle of the tenant.
pub fn target_user(salt: u64, users: u64) -> UserSpec {
    UserSpec::new(salt, users / 2)
}

fn with_params(users_url: &str, params: &[(&str, &str)]) -> anyhow::Result<String> {
    Ok(Url::parse_with_params(users_url, params)
        .with_context(|| format!("building a URL on {users_url}"))?
        .into())
}

/// `/healthz` of the same server: what a request costs without storage.
pub fn baseline(origin: &str) -> Scenario {
    Scenario {
        name: "GET /healthz (baseline)".into(),
        target: Target::get(format!("{origin}/healthz"), None),
    }
}

/// The filter scenarios: name and SCIM filter, all finding `user` (or a few users around it).
pub fn filters(user: &UserSpec) -> Vec<(String, String)> {
    let user_name = user.user_name();
    let (family, given) = (user.family_name(), user.given_name());
    vec![
        ("userName eq".into(), format!("userName eq \"{user_name}\"")),
        (
            "emails[value eq]".into(),
            format!("emails[value eq \"{}\"]", user.work_email()),
        ),
        (
            "externalId eq".into(),
            format!("externalId eq \"{}\"", user.external_id()),
        ),
        (
            "userName sw".into(),
            format!("userName sw \"user{}\"", user.index / 100),
        ),
        ("displayName co".into(), "displayName co \"son\"".into()),
        (
            "3-clause and/or".into(),
            format!(
                "(name.familyName eq \"{family}\" and name.givenName eq \"{given}\") \
                 or userName eq \"{user_name}\""
            ),
        ),
    ]
}

/// The SCIM scenarios against `users_url` (`.../t/bench/scim/v2/Users`).
pub fn scim(
    users_url: &str,
    token: &str,
    user: &UserSpec,
    users: u64,
) -> anyhow::Result<Vec<Scenario>> {
    let half = (users / 2).max(1).to_string();
    let mut list = Vec::new();
    for (name, filter) in filters(user) {
        list.push((name, with_params(users_url, &[("filter", &filter)])?));
    }
    list.push((
        "sortBy=userName, first 100".into(),
        with_params(users_url, &[("sortBy", "userName"), ("count", "100")])?,
    ));
    list.push((
        format!("startIndex={half}, 100"),
        with_params(users_url, &[("startIndex", &half), ("count", "100")])?,
    ));
    list.push((
        "GET /Users/{id}".into(),
        format!("{users_url}/{}", user.id()),
    ));
    Ok(list
        .into_iter()
        .map(|(name, url)| Scenario {
            name,
            target: Target::get(url, Some(token.to_owned())),
        })
        .collect())
}

/// The first cursor page (RFC 9865), `?cursor=&count=100`.
pub fn first_cursor_page(users_url: &str, token: &str) -> anyhow::Result<Scenario> {
    Ok(Scenario {
        name: "cursor, first 100".into(),
        target: Target::get(
            with_params(users_url, &[("cursor", ""), ("count", "100")])?,
            Some(token.to_owned()),
        ),
    })
}

/// The page a `nextCursor` leads to.
pub fn next_cursor_page(users_url: &str, token: &str, cursor: &str) -> anyhow::Result<Scenario> {
    Ok(Scenario {
        name: "cursor, second 100".into(),
        target: Target::get(
            with_params(users_url, &[("cursor", cursor), ("count", "100")])?,
            Some(token.to_owned()),
        ),
    })
}
