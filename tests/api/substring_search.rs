//! `co`, `ew` (and `sw`) with literals a `LIKE` on a trigram index must not bend: LIKE
//! wildcards (`%`, `_`), the escape character `\`, a double quote, non-ASCII letters compared
//! case-insensitively, and literals of one or two characters, which no trigram index can
//! serve. On SQLite and PostgreSQL alike.

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, USER_SCHEMA, listed, spawn_tenant};

/// (userName, displayName, email, familyName) of each seeded user.
const USERS: [(&str, &str, &str, &str); 6] = [
    ("pct%done", "Percent Done", "pct%done@example.com", "Müller"),
    ("pctXdone", "Percent X", "PCTXDONE@example.com", "MÜLLERSON"),
    ("under_score", "Under_Score", "u_s@example.com", "Smith"),
    ("underXscore", "UnderXScore", "uxs@example.com", "Smyth"),
    (r"back\slash", r"Back\Slash", r"b\s@example.com", "Øre"),
    ("q\"uote", "Quote \"Q\"", "q@example.com", "øREsund"),
];

async fn seed(app: &TestApp, tenant: &TestTenant) -> Vec<String> {
    let mut ids = Vec::new();
    for (user_name, display, email, family) in USERS {
        let body = json!({
            "schemas": [USER_SCHEMA],
            "userName": user_name,
            "displayName": display,
            "name": {"familyName": family},
            "emails": [{"value": email, "type": "work"}],
        });
        let response = app.post(tenant, "/Users", &body).await;
        assert_eq!(response.status(), 201, "{user_name}");
        let created: Value = response.json().await.unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn found(app: &TestApp, tenant: &TestTenant, filter: &str) -> Vec<String> {
    let body = app
        .get_query_json(tenant, "/Users", &[("filter", filter)])
        .await;
    let mut names = listed(&body, "userName");
    assert_eq!(
        body["totalResults"],
        names.len(),
        "totalResults of {filter}"
    );
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn substring_searches_take_wildcards_escapes_and_unicode_literally() {
    let (app, tenant) = spawn_tenant("substrings").await;
    seed(&app, &tenant).await;
    let cases: [(&str, &[&str]); 22] = [
        // LIKE wildcards in the literal match only themselves.
        (r#"userName co "t%d""#, &["pct%done"]),
        (r#"userName co "%""#, &["pct%done"]),
        (r#"userName co "r_s""#, &["under_score"]),
        (r#"userName co "_""#, &["under_score"]),
        (r#"displayName co "ER_S""#, &["under_score"]),
        (r#"emails.value co "%DONE@""#, &["pct%done"]),
        (r#"emails.value ew "_s@example.com""#, &["under_score"]),
        // The escape character and a double quote.
        (r#"userName ew "k\\slash""#, &[r"back\slash"]),
        (r#"userName co "\\""#, &[r"back\slash"]),
        (r#"emails.value co "b\\s@""#, &[r"back\slash"]),
        (r#"displayName co "e \"q\"""#, &["q\"uote"]),
        (r#"userName co "q\"u""#, &["q\"uote"]),
        // Case-insensitive (caseExact=false), ASCII and not.
        (r#"userName co "TXD""#, &["pctXdone"]),
        (
            r#"emails.value ew "ONE@EXAMPLE.COM""#,
            &["pct%done", "pctXdone"],
        ),
        (r#"name.familyName co "üll""#, &["pct%done", "pctXdone"]),
        (r#"name.familyName ew "LER""#, &["pct%done"]),
        (r#"name.familyName co "øre""#, &[r"back\slash", "q\"uote"]),
        // One or two characters: no trigram, the plain comparison.
        (r#"name.familyName co "Ü""#, &["pct%done", "pctXdone"]),
        (
            r#"name.familyName ew "TH""#,
            &["under_score", "underXscore"],
        ),
        (r#"displayName co "x""#, &["pctXdone", "underXscore"]),
        // Prefixes, and negation of an indexed substring search.
        (r#"displayName sw "under""#, &["underXscore", "under_score"]),
        (
            r#"not (userName co "t%d") and userName sw "pct""#,
            &["pctXdone"],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            found(&app, &tenant, filter).await,
            sorted(expected),
            "{filter}"
        );
    }
}

#[tokio::test]
async fn substring_searches_follow_renames_and_deletes() {
    // A trigram index kept out of step would still find the old name or miss the new.
    let (app, tenant) = spawn_tenant("renames").await;
    let ids = seed(&app, &tenant).await;
    let replacement = json!({
        "schemas": [USER_SCHEMA],
        "userName": "renamed-user",
        "displayName": "Renamed Person",
        "name": {"familyName": "Newname"},
        "emails": [{"value": "fresh@example.org", "type": "work"}],
    });
    let response = app
        .put(&tenant, &format!("/Users/{}", ids[0]), &replacement)
        .await;
    assert_eq!(response.status(), 200);
    let response = app.delete(&tenant, &format!("/Users/{}", ids[2])).await;
    assert_eq!(response.status(), 204);
    let cases: [(&str, &[&str]); 8] = [
        (r#"userName co "t%d""#, &[]),
        (r#"userName co "amed-u""#, &["renamed-user"]),
        (r#"displayName co "med pers""#, &["renamed-user"]),
        (r#"emails.value ew "@example.org""#, &["renamed-user"]),
        (r#"emails.value co "%done""#, &[]),
        (r#"name.familyName co "wnam""#, &["renamed-user"]),
        (r#"name.familyName co "üll""#, &["pctXdone"]),
        (r#"userName co "r_s""#, &[]),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            found(&app, &tenant, filter).await,
            sorted(expected),
            "{filter}"
        );
    }
}
