//! The real `scimgate` binary: `migrate`, `tenant` and `token` against a fresh database per
//! test (a SQLite file, or a new PostgreSQL schema when `TEST_DATABASE_URL` is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Shared with cli_names.rs, which also opens the database directly.
#[allow(dead_code)]
mod support;

use support::{CliDb, Run};

/// `^scimgate_[0-9a-f]+_[A-Za-z0-9]+$`
fn is_token(text: &str) -> bool {
    let Some((id, secret)) = text
        .strip_prefix("scimgate_")
        .and_then(|rest| rest.split_once('_'))
    else {
        return false;
    };
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !secret.is_empty()
        && secret.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The id part of a token: between `scimgate_` and the next `_`.
fn token_id(token: &str) -> &str {
    token
        .strip_prefix("scimgate_")
        .and_then(|rest| rest.split('_').next())
        .expect("token id")
}

fn token_secret(token: &str) -> &str {
    token.rsplit('_').next().expect("token secret")
}

fn assert_failed(run: &Run, what: &str) {
    assert!(!run.success, "{what} should fail\nstdout: {}", run.stdout);
    assert!(
        run.stderr.contains("error"),
        "{what}: error on stderr, got {:?}",
        run.stderr
    );
}

#[test]
fn migrate_succeeds_on_a_fresh_database_and_again_on_a_migrated_one() {
    // Arrange
    let db = CliDb::new();

    // Act
    let first = db.scimgate(&["migrate"]);
    let second = db.scimgate(&["migrate"]);

    // Assert
    assert!(first.success, "first migrate: {}", first.stderr);
    assert!(second.success, "second migrate: {}", second.stderr);
    assert!(first.stdout.is_empty(), "stdout: {}", first.stdout);
}

#[test]
fn created_tenant_is_listed() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["migrate"]);

    // Act
    let created = db.ok(&["tenant", "create", "acme", "--name", "Acme"]);
    let listed = db.ok(&["tenant", "list"]);

    // Assert
    assert_eq!(created.trim(), "/t/acme/scim/v2");
    let line = listed
        .lines()
        .find(|line| line.split('\t').next() == Some("acme"))
        .unwrap_or_else(|| panic!("acme not listed in {listed:?}"));
    assert!(line.contains("Acme"), "name in {line:?}");
}

#[test]
fn tenant_with_bad_slug_is_refused() {
    // Arrange
    let db = CliDb::new();

    // Act
    let run = db.scimgate(&["tenant", "create", "Bad Slug"]);

    // Assert
    assert_failed(&run, "tenant create 'Bad Slug'");
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(db.ok(&["tenant", "list"]).trim().is_empty());
}

#[test]
fn token_create_prints_the_token_alone_on_stdout() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let stdout = db.ok(&[
        "token",
        "create",
        "--tenant",
        "acme",
        "--scopes",
        "scim:read",
        "--name",
        "ci",
    ]);

    // Assert
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line on stdout: {stdout:?}");
    assert!(is_token(lines[0]), "not a token: {:?}", lines[0]);
    assert_eq!(stdout, format!("{}\n", lines[0]), "nothing else on stdout");
}

#[test]
fn token_list_shows_id_name_and_scope_but_never_the_secret() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let token = db
        .ok(&[
            "token",
            "create",
            "--tenant",
            "acme",
            "--scopes",
            "scim:read",
            "--name",
            "ci",
        ])
        .trim()
        .to_owned();

    // Act
    let listed = db.ok(&["token", "list", "--tenant", "acme"]);

    // Assert
    let line = listed
        .lines()
        .find(|line| line.contains(token_id(&token)))
        .unwrap_or_else(|| panic!("token id not listed in {listed:?}"));
    let fields: Vec<&str> = line.split(['\t', ' ']).collect();
    assert!(fields.contains(&"ci"), "name in {line:?}");
    assert!(fields.contains(&"scim:read"), "scope in {line:?}");
    assert!(
        !line.contains("scim:write"),
        "only the given scope: {line:?}"
    );
    assert!(line.contains("active"), "status in {line:?}");
    assert!(
        !listed.contains(token_secret(&token)),
        "the secret leaks: {listed:?}"
    );
}

#[test]
fn revoked_token_is_listed_as_revoked() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let token = db
        .ok(&["token", "create", "--tenant", "acme"])
        .trim()
        .to_owned();
    let id = token_id(&token);

    // Act
    let revoke = db.scimgate(&["token", "revoke", id]);

    // Assert
    assert!(revoke.success, "revoke failed: {}", revoke.stderr);
    let listed = db.ok(&["token", "list", "--tenant", "acme"]);
    let line = listed
        .lines()
        .find(|line| line.contains(id))
        .unwrap_or_else(|| panic!("token not listed in {listed:?}"));
    assert!(line.contains("revoked"), "status in {line:?}");
}

#[test]
fn revoking_an_unknown_token_fails() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["migrate"]);

    // Act
    let run = db.scimgate(&["token", "revoke", "0123456789abcdef0123456789abcdef"]);

    // Assert
    assert_failed(&run, "revoking an unknown token");
}

#[test]
fn token_for_an_unknown_tenant_is_refused_on_stderr() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["migrate"]);

    // Act
    let run = db.scimgate(&["token", "create", "--tenant", "nobody"]);

    // Assert
    assert_failed(&run, "token create for an unknown tenant");
    assert!(run.stderr.contains("nobody"), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn token_expiry_accepts_a_duration() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let stdout = db.ok(&["token", "create", "--tenant", "acme", "--expires", "2h"]);

    // Assert
    let token = stdout.trim();
    assert!(is_token(token), "not a token: {stdout:?}");
    let listed = db.ok(&["token", "list", "--tenant", "acme"]);
    let line = listed
        .lines()
        .find(|line| line.contains(token_id(token)))
        .unwrap_or_else(|| panic!("token not listed in {listed:?}"));
    assert!(line.contains("expires"), "expiry in {line:?}");
}

#[test]
fn token_expiry_that_is_no_time_is_refused() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let run = db.scimgate(&[
        "token",
        "create",
        "--tenant",
        "acme",
        "--expires",
        "yesterday-ish",
    ]);

    // Assert
    assert_failed(&run, "--expires yesterday-ish");
    assert!(run.stderr.contains("--expires"), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(
        db.ok(&["token", "list", "--tenant", "acme"])
            .trim()
            .is_empty()
    );
}

#[test]
fn token_expiry_in_the_past_is_refused() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let run = db.scimgate(&[
        "token",
        "create",
        "--tenant",
        "acme",
        "--expires",
        "2020-01-01T00:00:00Z",
    ]);

    // Assert
    assert_failed(&run, "--expires in the past");
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

/// The tab-separated `token list` fields of the token with `id`.
fn listed_token(db: &CliDb, id: &str) -> Vec<String> {
    let listed = db.ok(&["token", "list", "--tenant", "acme"]);
    listed
        .lines()
        .find(|line| line.starts_with(id))
        .unwrap_or_else(|| panic!("token {id} not listed in {listed:?}"))
        .split('\t')
        .map(str::to_owned)
        .collect()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{text:?} is not JSON: {err}"))
}

#[test]
fn token_claims_and_policy_are_set_at_creation_and_changed_by_update() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let policy = serde_json::json!({
        "userFilter": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization eq \"{{claims.org}}\"",
        "readable": ["userName"],
    });
    let token = db
        .ok(&[
            "token",
            "create",
            "--tenant",
            "acme",
            "--claims",
            r#"{"org":"partner-a"}"#,
            "--policy",
            &policy.to_string(),
        ])
        .trim()
        .to_owned();
    let id = token_id(&token);

    // Act
    let created = listed_token(&db, id);
    let updated = db.scimgate(&[
        "token",
        "update",
        id,
        "--claims",
        r#"{"org":"partner-b"}"#,
        "--policy",
        r#"{"readable":["userName","emails"]}"#,
    ]);
    let after_update = listed_token(&db, id);
    let bad = db.scimgate(&[
        "token",
        "update",
        id,
        "--policy",
        r#"{"readable":["shoeSize"]}"#,
    ]);
    let removed = db.scimgate(&["token", "update", id, "--no-policy", "--name", "partner"]);
    let after_removal = listed_token(&db, id);
    let unknown = db.scimgate(&["token", "update", "0123456789abcdef", "--name", "x"]);

    // Assert
    assert!(is_token(&token), "not a token: {token:?}");
    assert_eq!(created[3], "active", "{created:?}");
    assert_eq!(json(&created[4]), serde_json::json!({"org": "partner-a"}));
    assert_eq!(json(&created[5]), policy);
    assert!(updated.success, "{}", updated.stderr);
    assert!(updated.stdout.is_empty(), "stdout: {}", updated.stdout);
    assert_eq!(
        json(&after_update[4]),
        serde_json::json!({"org": "partner-b"})
    );
    assert_eq!(
        json(&after_update[5]),
        serde_json::json!({"readable": ["userName", "emails"]}),
        "the policy is replaced as a whole"
    );
    assert_failed(&bad, "--policy naming an unknown attribute");
    assert!(removed.success, "{}", removed.stderr);
    assert_eq!(after_removal[1], "partner");
    assert_eq!(after_removal[5], "null", "{after_removal:?}");
    assert_eq!(
        json(&after_removal[4]),
        serde_json::json!({"org": "partner-b"}),
        "claims kept"
    );
    assert_failed(&unknown, "updating an unknown token");
}

#[test]
fn token_create_with_a_policy_that_does_not_parse_is_refused() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let run = db.scimgate(&[
        "token",
        "create",
        "--tenant",
        "acme",
        "--policy",
        r#"{"userFilter":"shoeSize gt \"{{claims.org}}\""}"#,
    ]);

    // Assert
    assert_failed(&run, "--policy with an unknown attribute");
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(
        db.ok(&["token", "list", "--tenant", "acme"])
            .trim()
            .is_empty()
    );
}

#[test]
fn client_create_prints_the_client_id_and_secret_lines_alone_on_stdout() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let stdout = db.ok(&[
        "client",
        "create",
        "--tenant",
        "acme",
        "--scopes",
        "scim:read",
        "--claims",
        r#"{"org":"partner-a"}"#,
        "--name",
        "partner-a",
    ]);

    // Assert
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "exactly two lines on stdout: {stdout:?}");
    let id = lines[0].strip_prefix("client_id=").expect("client_id line");
    let secret = lines[1]
        .strip_prefix("client_secret=")
        .expect("client_secret line");
    assert!(id.starts_with("sgc_"), "client id {id:?}");
    assert!(
        !secret.is_empty() && secret.bytes().all(|b| b.is_ascii_alphanumeric()),
        "secret {secret:?}"
    );
    let listed = db.ok(&["client", "list", "--tenant", "acme"]);
    let line = listed
        .lines()
        .find(|line| line.starts_with(id))
        .unwrap_or_else(|| panic!("client not listed in {listed:?}"));
    assert!(line.contains("partner-a"), "name and claims in {line:?}");
    assert!(line.contains("scim:read"), "scope in {line:?}");
    assert!(line.contains("active"), "status in {line:?}");
    assert!(!listed.contains(secret), "the secret leaks: {listed:?}");
}

#[test]
fn revoked_client_is_listed_as_revoked() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let created = db.ok(&["client", "create", "--tenant", "acme"]);
    let id = created
        .lines()
        .find_map(|line| line.strip_prefix("client_id="))
        .expect("client_id line")
        .to_owned();

    // Act
    let revoke = db.scimgate(&["client", "revoke", &id]);

    // Assert
    assert!(revoke.success, "revoke failed: {}", revoke.stderr);
    let listed = db.ok(&["client", "list", "--tenant", "acme"]);
    assert!(listed.contains("revoked"), "status in {listed:?}");
}

#[test]
fn client_update_changes_scopes_and_keeps_the_rest() {
    let db = CliDb::new();
    assert!(db.scimgate(&["tenant", "create", "acme"]).success);
    let created = db.scimgate(&[
        "client",
        "create",
        "--tenant",
        "acme",
        "--claims",
        r#"{"org":"a"}"#,
    ]);
    let id = created
        .stdout
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("client_id=");

    let updated = db.scimgate(&[
        "client",
        "update",
        id,
        "--scopes",
        "scim:read",
        "--no-policy",
    ]);
    let unknown = db.scimgate(&["client", "update", "sgc_0123abcd", "--scopes", "scim:read"]);
    let listed = db.scimgate(&["client", "list", "--tenant", "acme"]);

    assert!(updated.success, "{}", updated.stderr);
    assert!(updated.stdout.is_empty(), "{}", updated.stdout);
    assert_failed(&unknown, "unknown client");
    let line = listed.stdout.lines().find(|l| l.starts_with(id)).unwrap();
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields[2], "scim:read", "{line}");
    assert_eq!(fields[3], r#"{"org":"a"}"#, "{line}");
}

#[test]
fn client_claims_that_are_not_a_json_object_are_refused() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let run = db.scimgate(&["client", "create", "--tenant", "acme", "--claims", "org=a"]);

    // Assert
    assert_failed(&run, "--claims org=a");
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn key_rotate_succeeds_and_prints_nothing_on_stdout() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["migrate"]);

    // Act
    let run = db.scimgate(&["key", "rotate"]);

    // Assert
    assert!(run.success, "key rotate failed: {}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(
        run.stderr.contains("is now active"),
        "stderr: {}",
        run.stderr
    );
}
