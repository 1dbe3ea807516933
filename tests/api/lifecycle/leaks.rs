//! A soft-deleted user is gone from every SCIM answer: its URL, listings, filters, `.search`
//! at both levels, Bulk operations naming it, and its groups' members.

use serde_json::json;

use super::support::{archived_ids, soft_delete};
use crate::helpers::{
    BULK_REQUEST, SEARCH_REQUEST, assert_scim_error, bulk_statuses, id, listed, member_ids,
    spawn_tenant,
};

#[tokio::test]
async fn a_soft_deleted_user_leaves_every_scim_answer() {
    // Arrange: ada and bob in group eng, then ada soft-deleted.
    let (app, acme) = spawn_tenant("acme").await;
    soft_delete(&app, "acme", 30).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let bob = id(&app.create_user(&acme, "bob").await);
    let eng = id(&app.create_group(&acme, "eng", &[&ada, &bob]).await);

    // Act
    let deleted = app.delete(&acme, &format!("/Users/{ada}")).await;

    // Assert
    assert_eq!(deleted.status(), 204);
    assert_eq!(archived_ids(&app, "acme").await, std::slice::from_ref(&ada));
    let gone = app.get(&acme, &format!("/Users/{ada}")).await;
    assert_scim_error(gone, 404, None).await;
    let users = app.get_json(&acme, "/Users").await;
    assert_eq!(listed(&users, "id"), std::slice::from_ref(&bob));
    assert_eq!(users["totalResults"], 1);
    let by_name = app
        .get_query_json(&acme, "/Users", &[("filter", "userName eq \"ada\"")])
        .await;
    assert_eq!(by_name["totalResults"], 0);
    let by_email = app
        .get_query_json(&acme, "/Users", &[("filter", "emails.value co \"ada@\"")])
        .await;
    assert_eq!(by_email["totalResults"], 0);
    let by_group = format!("groups.value eq \"{eng}\"");
    let members = app
        .get_query_json(&acme, "/Users", &[("filter", &by_group)])
        .await;
    assert_eq!(listed(&members, "id"), std::slice::from_ref(&bob));
    let search = json!({"schemas": [SEARCH_REQUEST], "filter": "userName eq \"ada\""});
    for path in ["/Users/.search", "/.search"] {
        let found = app.post_json(&acme, path, &search).await;
        assert_eq!(found["totalResults"], 0, "{path}: {found}");
    }
    let group = app.get_json(&acme, &format!("/Groups/{eng}")).await;
    assert_eq!(member_ids(&group), std::slice::from_ref(&bob));
    let with_ada = format!("members.value eq \"{ada}\"");
    let groups = app
        .get_query_json(&acme, "/Groups", &[("filter", &with_ada)])
        .await;
    assert_eq!(groups["totalResults"], 0);
    let bulk = json!({"schemas": [BULK_REQUEST], "Operations": [
        {"method": "PATCH", "path": format!("/Users/{ada}"),
         "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations": [{"op": "replace", "path": "title", "value": "x"}]}},
        {"method": "PUT", "path": format!("/Users/{ada}"),
         "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada"}},
        {"method": "DELETE", "path": format!("/Users/{ada}")},
        {"method": "PATCH", "path": format!("/Groups/{eng}"),
         "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations": [{"op": "add", "path": "members", "value": [{"value": ada}]}]}},
    ]});
    let answer = app.post_json(&acme, "/Bulk", &bulk).await;
    assert_eq!(bulk_statuses(&answer), ["404", "404", "404", "400"]);
    // The archive still holds it once: the failed Bulk writes touched nothing.
    assert_eq!(archived_ids(&app, "acme").await, [ada]);
}

#[tokio::test]
async fn a_soft_deleted_group_leaves_its_members_groups() {
    // Arrange
    let (app, acme) = spawn_tenant("acme").await;
    soft_delete(&app, "acme", 7).await;
    let ada = id(&app.create_user(&acme, "ada").await);
    let eng = id(&app.create_group(&acme, "eng", &[&ada]).await);

    // Act
    let deleted = app.delete(&acme, &format!("/Groups/{eng}")).await;

    // Assert
    assert_eq!(deleted.status(), 204);
    let user = app.get_json(&acme, &format!("/Users/{ada}")).await;
    assert!(user.get("groups").is_none_or(|g| g == &json!([])), "{user}");
    let groups = app.get_json(&acme, "/Groups").await;
    assert_eq!(groups["totalResults"], 0);
    let by_name = app
        .get_query_json(&acme, "/Groups", &[("filter", "displayName eq \"eng\"")])
        .await;
    assert_eq!(by_name["totalResults"], 0);
}
