//! Connection health and the request log: SCIM calls of a tenant's tokens show (after the
//! buffer is written) with status and scimType but no query string or body, only to that
//! tenant, kept to the configured bound; a full buffer drops records and counts them.

use reqwest::Method;
use scimgate_infra::db::entities::request_log;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::support::sign_in;
use crate::helpers::{TestApp, TestTenant, spawn_app, spawn_configured, user};

/// A word that cannot occur in a console page by chance (nor in hex ids).
const PROBE: &str = "quokkazz";

/// The public id of a `scimgate_<id>_<secret>` token.
fn token_id(tenant: &TestTenant) -> &str {
    tenant.token.split('_').nth(1).unwrap()
}

/// The log's rows on the page (one method cell each).
fn rows(html: &str) -> usize {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .iter()
        .map(|method| html.matches(&format!("<td>{method}</td>")).count())
        .sum()
}

async fn stored(app: &TestApp, slug: &str) -> u64 {
    let tenant = app
        .state
        .tenants
        .get(
            &scimgate_domain::service::admin::context::AdminContext::operator(None),
            &scimgate_domain::tenant::TenantSlug::parse(slug).unwrap(),
        )
        .await
        .unwrap();
    request_log::Entity::find()
        .filter(request_log::Column::TenantId.eq(tenant.id.0))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_scim_call_shows_in_the_log_with_its_status_and_scim_type_but_no_query_or_body() {
    // Arrange
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let before = session.page(&app, "/console/t/acme").await;
    let name = format!("{PROBE}@example.com");
    app.create_user(&acme, &name).await;
    let taken = app.post(&acme, "/Users", &user(&name)).await;
    assert_eq!(taken.status(), 409);
    let filter = format!("/Users?filter=userName%20eq%20%22{PROBE}%22");
    assert_eq!(app.get(&acme, &filter).await.status(), 200);

    // Act
    let log = session.page(&app, "/console/t/acme/requests").await;
    let overview = session.page(&app, "/console/t/acme").await;

    // Assert
    assert!(before.contains("has not called yet"), "{before}");
    assert_eq!(rows(&log), 3, "{log}");
    assert!(log.contains("<code>/Users</code>"), "{log}");
    assert!(log.contains("409") && log.contains("<code>uniqueness</code>"));
    assert!(log.contains(token_id(&acme)), "the caller");
    assert!(
        !log.contains(PROBE),
        "a value or query string leaked: {log}"
    );
    assert!(!log.contains("filter"), "a query string leaked");
    assert!(overview.contains("Last request from a provisioning client"));
    assert!(
        overview.contains("<strong>3</strong>requests (24 h)"),
        "{overview}"
    );
    assert!(
        overview.contains("<strong>33.3 %</strong>error rate"),
        "{overview}"
    );
}

#[tokio::test]
async fn a_tenant_never_sees_another_tenants_requests() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let beta = app.tenant("beta").await;
    let session = sign_in(&app, "acme").await;
    assert_eq!(app.get(&beta, "/Users").await.status(), 200);
    assert_eq!(app.get(&beta, "/Groups/nope").await.status(), 404);

    // Act
    let log = session.page(&app, "/console/t/acme/requests").await;
    let cross = session.get(&app, "/console/t/beta/requests").await;

    // Assert
    assert_eq!(rows(&log), 0);
    assert!(log.contains("No request recorded yet"));
    assert!(!log.contains(token_id(&beta)));
    assert_eq!(cross.status(), 404);
    assert_eq!(stored(&app, "beta").await, 2);
}

#[tokio::test]
async fn the_log_keeps_only_the_newest_records_of_each_tenant() {
    // Arrange: a bound of 3; two group reads, written out, then three user reads.
    let app = spawn_configured(|s| s.console.request_log_keep = 3).await;
    let acme = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    for _ in 0..2 {
        assert_eq!(app.get(&acme, "/Groups").await.status(), 200);
    }
    session.page(&app, "/console/t/acme/requests").await;
    assert_eq!(stored(&app, "acme").await, 2);
    for _ in 0..3 {
        assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    }

    // Act
    let log = session.page(&app, "/console/t/acme/requests").await;

    // Assert
    assert_eq!(stored(&app, "acme").await, 3);
    assert_eq!(rows(&log), 3);
    assert!(
        !log.contains("<code>/Groups</code>"),
        "the oldest were pruned"
    );
}

#[tokio::test]
async fn a_full_buffer_drops_records_and_counts_them_without_failing_requests() {
    // Arrange
    let app = spawn_configured(|s| s.console.request_log_buffer = 2).await;
    let acme = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;

    // Act
    for _ in 0..5 {
        assert_eq!(app.get(&acme, "/Users").await.status(), 200);
    }
    let log = session.page(&app, "/console/t/acme/requests").await;
    let metrics = app
        .client
        .request(Method::GET, format!("{}/metrics", app.origin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // Assert
    assert_eq!(rows(&log), 2);
    let dropped = metrics
        .lines()
        .find(|line| {
            line.starts_with("scimgate_request_log_dropped_total{")
                && line.contains(r#"reason="buffer_full""#)
        })
        .unwrap_or_else(|| panic!("{metrics}"));
    assert!(dropped.ends_with(" 3"), "{dropped}");
}
