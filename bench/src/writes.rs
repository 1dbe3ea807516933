//! The write and auth scenarios: PATCH of a big and a small group, PATCH/PUT/POST of users,
//! one /Bulk of 1 000 creates, and token verification on a 404. Their groups are created over
//! HTTP first; names carry a run id so a reused database never collides.

use anyhow::{Context, bail};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::load::{Body, Target};
use crate::scenarios::Scenario;
use crate::users::UserSpec;

pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// Members added per PATCH while filling the big group.
const FILL_CHUNK: u64 = 1_000;
/// Members of the big group (at most; all users when fewer).
pub const BIG_GROUP: u64 = 100_000;
const SMALL_GROUP: u64 = 10;
pub const POST_NAME: &str = "POST user (new userName)";
/// The /Bulk scenario's name starts with this.
pub const BULK_PREFIX: &str = "POST /Bulk, ";

/// Where the write scenarios send their requests.
#[derive(Clone)]
pub struct Setup {
    pub scim_url: String,
    pub token: String,
    pub salt: u64,
    pub users: u64,
    /// Unique per run: keeps created names apart from those of earlier runs.
    pub run_id: String,
    /// Creates in the measured /Bulk request (1 000; fewer in a smoke run).
    pub bulk_creates: u64,
}

fn add_members(ids: impl Iterator<Item = String>) -> String {
    let value: Vec<Value> = ids.map(|id| json!({ "value": id })).collect();
    json!({
        "schemas": [PATCH_OP],
        "Operations": [{ "op": "add", "path": "members", "value": value }],
    })
    .to_string()
}

async fn call(
    client: &Client,
    ctx: &Setup,
    method: Method,
    url: &str,
    body: String,
) -> anyhow::Result<Value> {
    let response = client
        .request(method.clone(), url)
        .bearer_auth(&ctx.token)
        .header(reqwest::header::CONTENT_TYPE, "application/scim+json")
        .body(body)
        .send()
        .await
        .with_context(|| format!("{method} {url}"))?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        bail!(
            "{method} {url}: {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Creates a group whose members are users `0..members`; returns its id.
async fn create_group(
    client: &Client,
    ctx: &Setup,
    name: &str,
    members: u64,
) -> anyhow::Result<String> {
    let groups_url = format!("{}/Groups", ctx.scim_url);
    let body = json!({ "schemas": [GROUP], "displayName": format!("{name} {}", ctx.run_id) });
    let created = call(client, ctx, Method::POST, &groups_url, body.to_string()).await?;
    let id = created
        .get("id")
        .and_then(Value::as_str)
        .context("the created group has no id")?
        .to_owned();
    let group_url = format!("{groups_url}/{id}");
    let mut start = 0;
    while start < members {
        let end = (start + FILL_CHUNK).min(members);
        let ids = (start..end).map(|i| UserSpec::new(ctx.salt, i).id().to_string());
        call(client, ctx, Method::PATCH, &group_url, add_members(ids)).await?;
        start = end;
    }
    Ok(id)
}

pub fn target(ctx: &Setup, method: Method, url: String, body: Body, expect: StatusCode) -> Target {
    Target {
        method,
        url,
        token: Some(ctx.token.clone()),
        body,
        expect: Some(expect),
        one_connection: false,
        creates_per_request: None,
    }
}

/// PATCH adding one member per request, users taken from `members` on (wrapping around: a
/// member added again is an idempotent insert).
fn patch_group(ctx: &Setup, name: String, group_id: &str, members: u64) -> Scenario {
    let (salt, users) = (ctx.salt, ctx.users.max(1));
    let body = Body::counted(move |n| {
        let index = (members + n) % users;
        add_members(std::iter::once(UserSpec::new(salt, index).id().to_string()))
    });
    Scenario {
        name,
        target: target(
            ctx,
            Method::PATCH,
            format!("{}/Groups/{group_id}", ctx.scim_url),
            body,
            StatusCode::NO_CONTENT,
        ),
    }
}

/// The two group PATCH scenarios (big first); creating the groups is part of the preparation.
pub async fn group_scenarios(client: &Client, ctx: &Setup) -> anyhow::Result<Vec<Scenario>> {
    let big = BIG_GROUP.min(ctx.users);
    let small = SMALL_GROUP.min(ctx.users);
    eprintln!("  creating groups of {big} and {small} members");
    let big_id = create_group(client, ctx, "bench big", big).await?;
    let small_id = create_group(client, ctx, "bench small", small).await?;
    Ok(vec![
        patch_group(
            ctx,
            format!("PATCH group +1 member ({big} members)"),
            &big_id,
            big,
        ),
        patch_group(
            ctx,
            format!("PATCH group +1 member ({small} members)"),
            &small_id,
            small,
        ),
    ])
}

/// A new user per request (`bench-<kind>-<run id>-<n>@example.com`, no `externalId`), for
/// `POST /Users`.
pub fn new_users(ctx: &Setup, kind: &'static str) -> Body {
    let run = ctx.run_id.clone();
    Body::counted(move |n| {
        let mut document = UserSpec::new(0, n).document();
        document["userName"] = json!(format!("bench-{kind}-{run}-{n}@example.com"));
        document.as_object_mut().map(|o| o.remove("externalId"));
        document.to_string()
    })
}

/// PATCH (replace title) and PUT of one fixed user, POST of new users, one /Bulk of creates and
/// the auth-only 404. Concurrent writes to one user answer 409 by design (optimistic
/// concurrency), so the fixed-user scenarios run on one connection.
pub fn user_scenarios(ctx: &Setup) -> Vec<Scenario> {
    let fixed = UserSpec::new(ctx.salt, ctx.users / 3);
    let user_url = format!("{}/Users/{}", ctx.scim_url, fixed.id());
    let users_url = format!("{}/Users", ctx.scim_url);
    let patch = Body::counted(|n| {
        json!({
            "schemas": [PATCH_OP],
            "Operations": [{ "op": "replace", "path": "title", "value": format!("Title {n}") }],
        })
        .to_string()
    });
    let document = fixed.document();
    let put = Body::counted(move |n| {
        let mut document = document.clone();
        document["title"] = json!(format!("Put title {n}"));
        document.to_string()
    });
    let post = new_users(ctx, "post");
    let run = ctx.run_id.clone();
    let bulk_creates = ctx.bulk_creates;
    let bulk = Body::counted(move |n| {
        let operations: Vec<Value> = (0..bulk_creates)
            .map(|i| {
                let mut document = UserSpec::new(0, i).document();
                document["userName"] = json!(format!("bench-bulk-{run}-{n}-{i}@example.com"));
                document.as_object_mut().map(|o| o.remove("externalId"));
                json!({ "method": "POST", "path": "/Users", "bulkId": format!("u{i}"), "data": document })
            })
            .collect();
        json!({ "schemas": [BULK_REQUEST], "Operations": operations }).to_string()
    });
    let missing = uuid::Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);
    vec![
        Scenario {
            name: "PATCH user (replace title)".into(),
            target: Target {
                one_connection: true,
                ..target(ctx, Method::PATCH, user_url.clone(), patch, StatusCode::OK)
            },
        },
        Scenario {
            name: "PUT user".into(),
            target: Target {
                one_connection: true,
                ..target(ctx, Method::PUT, user_url, put, StatusCode::OK)
            },
        },
        Scenario {
            name: POST_NAME.into(),
            target: target(
                ctx,
                Method::POST,
                users_url.clone(),
                post,
                StatusCode::CREATED,
            ),
        },
        Scenario {
            name: format!("{BULK_PREFIX}{} user creates", ctx.bulk_creates),
            target: Target {
                one_connection: true,
                creates_per_request: Some(ctx.bulk_creates),
                ..target(
                    ctx,
                    Method::POST,
                    format!("{}/Bulk", ctx.scim_url),
                    bulk,
                    StatusCode::OK,
                )
            },
        },
        Scenario {
            name: "auth: GET /Users/{missing id} (404)".into(),
            target: target(
                ctx,
                Method::GET,
                format!("{users_url}/{missing}"),
                Body::None,
                StatusCode::NOT_FOUND,
            ),
        },
    ]
}
