//! The hourly purge forgets console sessions a day after they ended or expired, and setup
//! links 90 days after they expired; newer ones stay.

use chrono::{Duration, Utc};
use scimgate_domain::console::SetupLink;
use scimgate_domain::ports::{ConsoleStore, NewSession};
use scimgate_domain::tenant::TenantId;
use scimgate_infra::db::SqlConsoleStore;
use uuid::Uuid;

use crate::helpers::spawn_app;

fn link(tenant: TenantId, hash: &str, expires_in: Duration) -> SetupLink {
    let now = Utc::now();
    SetupLink {
        id: Uuid::now_v7(),
        tenant_id: tenant,
        code_hash: hash.into(),
        created_by: "operator".into(),
        created: now - Duration::days(200),
        expires_at: now + expires_in,
        redeemed_at: None,
        revoked_at: None,
    }
}

#[tokio::test]
async fn the_purge_forgets_old_sessions_and_links_only() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let tenant = app
        .state
        .tenants
        .list(&scimgate_domain::service::admin::context::AdminContext::operator(None))
        .await
        .unwrap()[0]
        .id;
    let store = SqlConsoleStore::new(app.db.clone());
    let now = Utc::now();
    store
        .insert_link(&link(tenant, "old", -Duration::days(91)))
        .await
        .unwrap();
    store
        .insert_link(&link(tenant, "recent", -Duration::days(2)))
        .await
        .unwrap();
    store
        .insert_link(&link(tenant, "live", Duration::days(2)))
        .await
        .unwrap();
    // A session opened three days ago that expired two days ago, through the recent link
    // (usable then), and one opened now through the live link.
    let mut recent = link(tenant, "recent2", -Duration::days(1));
    recent.created = now - Duration::days(4);
    store.insert_link(&recent).await.unwrap();
    let old_session = NewSession {
        id: Uuid::now_v7(),
        secret_hash: "s-old".into(),
        created: now - Duration::days(3),
        expires_at: now - Duration::days(2),
    };
    assert!(
        store
            .redeem_link(tenant, "recent2", old_session)
            .await
            .unwrap()
            .is_some()
    );
    let live_session = NewSession {
        id: Uuid::now_v7(),
        secret_hash: "s-live".into(),
        created: now,
        expires_at: now + Duration::hours(8),
    };
    assert!(
        store
            .redeem_link(tenant, "live", live_session)
            .await
            .unwrap()
            .is_some()
    );

    // Act
    let purged = app.state.console.purge().await.unwrap();

    // Assert
    assert_eq!(
        purged, 2,
        "the expired session and the link expired 91 days ago"
    );
    assert!(store.find_session(tenant, "s-old").await.unwrap().is_none());
    assert!(
        store
            .find_session(tenant, "s-live")
            .await
            .unwrap()
            .is_some()
    );
    let kept: Vec<String> = store
        .list_links(tenant)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.code_hash)
        .collect();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(!kept.contains(&"old".to_owned()));
}
