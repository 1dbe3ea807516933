//! Sharing the console: a session makes a setup link for a colleague (shown once, audited as
//! the session), lists and revokes links; CSRF guards both writes.

use reqwest::Method;

use super::support::{code_of, copyable_value, redeem, sign_in};
use crate::helpers::{spawn_app, status_json};

#[tokio::test]
async fn a_session_shares_access_with_a_link_of_its_own_tenant_and_can_revoke_it() {
    // Arrange
    let app = spawn_app().await;
    app.tenant("acme").await;
    let session = sign_in(&app, "acme").await;
    let csrf = session.csrf(&app).await;

    // Act
    let refused = session.post(&app, "/console/t/acme/access", &[]).await;
    let created = session
        .post(&app, "/console/t/acme/access", &[("csrf", &csrf)])
        .await;
    assert_eq!(created.status(), 200);
    let url = copyable_value(&created.text().await.unwrap(), "new-link");
    let second = session
        .post(&app, "/console/t/acme/access", &[("csrf", &csrf)])
        .await;
    let second_url = copyable_value(&second.text().await.unwrap(), "new-link");
    let (_, listed) = status_json(app.operator(Method::GET, "/tenants/acme/setup-links")).await;
    let second_id = listed["setupLinks"][0]["id"].as_str().unwrap().to_owned();
    let revoked = session
        .post(
            &app,
            &format!("/console/t/acme/access/{second_id}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;

    // Assert
    assert_eq!(refused.status(), 403);
    assert!(
        url.starts_with(&format!("{}/console/setup/", app.origin)),
        "{url}"
    );
    assert_eq!(revoked.status(), 303);
    let page = session.page(&app, "/console/t/acme/access").await;
    assert!(
        page.contains("revoked") && page.contains("console:"),
        "{page}"
    );
    assert!(!page.contains(&code_of(&url)), "codes are shown once");
    let colleague = redeem(&app, &code_of(&url)).await;
    assert_eq!(
        colleague.status(),
        303,
        "the colleague's link opens the console"
    );
    assert_eq!(
        redeem(&app, &code_of(&second_url)).await.status(),
        404,
        "revoked"
    );
    let (_, audit) = status_json(app.operator(Method::GET, "/tenants/acme/audit")).await;
    let by_session = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"] == "setup_link.create"
                && e["actor"].as_str().unwrap().starts_with("console:")
        })
        .count();
    assert_eq!(by_session, 2);
}
