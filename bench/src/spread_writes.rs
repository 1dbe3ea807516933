//! PATCH and PUT of users at full concurrency: each request writes a different seeded user
//! (the next index from a counter shared by the connections), as an IdP's sync does, so no two
//! requests in flight race for one user's version (which answers 409 by design).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::load::{Body, Target};
use crate::scenarios::Scenario;
use crate::users::UserSpec;
use crate::writes::{PATCH_OP, Setup};

pub const PATCH_NAME: &str = "PATCH user (replace title), a different user each";
pub const PUT_NAME: &str = "PUT user, a different user each";

/// The users written start past the middle third (the one-connection scenarios' user) and
/// wrap around at the tenant's end.
fn user(ctx: &Setup, n: u64) -> UserSpec {
    let users = ctx.users.max(1);
    UserSpec::new(ctx.salt, (users / 3 + 1 + n) % users)
}

fn target(
    ctx: &Setup,
    method: Method,
    body: impl Fn(u64) -> (String, String) + Send + Sync + 'static,
) -> Target {
    Target {
        method,
        // Each request names its own user in place of `{id}`.
        url: format!("{}/Users/{{id}}", ctx.scim_url),
        token: Some(ctx.token.clone()),
        body: Body::addressed(body),
        expect: Some(StatusCode::OK),
        one_connection: false,
        creates_per_request: None,
    }
}

pub fn scenarios(ctx: &Setup) -> Vec<Scenario> {
    let patch_ctx = ctx.clone();
    let patch = target(ctx, Method::PATCH, move |n| {
        let body = json!({
            "schemas": [PATCH_OP],
            "Operations": [{ "op": "replace", "path": "title", "value": format!("Spread {n}") }],
        });
        (user(&patch_ctx, n).id().to_string(), body.to_string())
    });
    let put_ctx = ctx.clone();
    let put = target(ctx, Method::PUT, move |n| {
        let spec = user(&put_ctx, n);
        let mut document = spec.document();
        document["title"] = json!(format!("Spread put {n}"));
        (spec.id().to_string(), document.to_string())
    });
    vec![
        Scenario {
            name: PATCH_NAME.into(),
            target: patch,
        },
        Scenario {
            name: PUT_NAME.into(),
            target: put,
        },
    ]
}
