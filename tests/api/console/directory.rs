//! The read-only users and groups pages: search, detail, empty states, tenant isolation.

use super::support::sign_in;
use crate::helpers::spawn_app;

#[tokio::test]
async fn users_and_groups_are_searchable_and_readable_in_the_console() {
    // Arrange
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let beta = app.tenant("beta").await;
    let session = sign_in(&app, "acme").await;
    let empty = session.page(&app, "/console/t/acme/users").await;
    let ada = app.create_user(&tenant, "ada@example.com").await;
    app.create_user(&tenant, "grace@example.com").await;
    let other = app.create_user(&beta, "eve@example.com").await;
    let ada_id = ada["id"].as_str().unwrap();
    let group = app
        .create_group(&tenant, "Engineers \"core\"", &[ada_id])
        .await;
    let group_id = group["id"].as_str().unwrap();

    // Act
    let all = session.page(&app, "/console/t/acme/users").await;
    let searched = session.page(&app, "/console/t/acme/users?q=ADA").await;
    let quoted = session
        .page(&app, "/console/t/acme/groups?q=%22core%22")
        .await;
    let none = session.page(&app, "/console/t/acme/users?q=nobody").await;
    let detail = session
        .page(&app, &format!("/console/t/acme/users/{ada_id}"))
        .await;
    let group_page = session
        .page(&app, &format!("/console/t/acme/groups/{group_id}"))
        .await;

    // Assert
    assert!(empty.contains("Nothing provisioned yet"));
    assert!(all.contains("ada@example.com") && all.contains("grace@example.com"));
    assert!(!all.contains("eve@example.com"), "another tenant's user");
    assert!(searched.contains("ada@example.com") && !searched.contains("grace@example.com"));
    assert!(quoted.contains("Engineers &quot;core&quot;"), "{quoted}");
    assert!(none.contains("Nothing matches"));
    assert!(detail.contains("ada@example.com") && detail.contains("Engineers"));
    assert!(group_page.contains("Member users"));
    assert!(group_page.contains(&format!("/console/t/acme/users/{ada_id}")));
    let other_id = other["id"].as_str().unwrap();
    let cross = session
        .get(&app, &format!("/console/t/acme/users/{other_id}"))
        .await;
    assert_eq!(cross.status(), 404, "beta's user through acme's session");
    let long = "x".repeat(300);
    let refused = session
        .get(&app, &format!("/console/t/acme/users?q={long}"))
        .await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn the_audit_log_pages_back_to_the_console_sign_in() {
    // Arrange: the sign-in first, then more entries than one page holds.
    let app = spawn_app().await;
    let tenant = app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    for n in 0..51 {
        app.create_user(&tenant, &format!("user{n}@example.com"))
            .await;
    }

    // Act
    let newest = session.page(&app, "/console/t/acme/audit").await;
    let marker = "/console/t/acme/audit?cursor=";
    let at = newest.find(marker).expect("an older page");
    let href = &newest[at..][..newest[at..].find('"').unwrap()];
    let older = session.page(&app, href).await;

    // Assert
    assert_eq!(newest.matches("user.create").count(), 50);
    assert!(!newest.contains("console.session.start"));
    assert!(older.contains("console.session.start") && older.contains("setup-link:"));
    assert!(!older.contains(marker), "the last page links no further");
    let bad = session.get(&app, "/console/t/acme/audit?cursor=nope").await;
    assert_eq!(bad.status(), 400);
}
