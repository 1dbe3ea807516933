//! `scimgate issuer ...` through the real binary: create, list without the secret, delete,
//! and a refused endpoint. A fresh SQLite file (or PostgreSQL schema) per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Shared with cli_names.rs, which also opens the database directly.
#[allow(dead_code)]
mod support;

use support::CliDb;

#[test]
fn issuer_create_list_and_delete_never_show_the_secret() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let id = db.ok_with(
        &[
            "issuer",
            "create",
            "--tenant",
            "acme",
            "--issuer",
            "https://idp.example.com",
            "--audience",
            "api://scimgate",
            "--introspection-url",
            "https://idp.example.com/introspect",
            "--client-id",
            "scimgate",
            "--scopes",
            "scim:read",
        ],
        &[("SCIMGATE_INTROSPECTION_CLIENT_SECRET", "top-s3cret")],
    );
    let listed = db.ok(&["issuer", "list", "--tenant", "acme"]);

    // Assert
    let id = id.trim();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id:?}");
    assert!(listed.contains(id), "{listed}");
    assert!(listed.contains("introspection https://idp.example.com/introspect as scimgate"));
    assert!(!listed.contains("top-s3cret"), "{listed}");
    db.ok(&["issuer", "delete", "--tenant", "acme", id]);
    assert_eq!(db.ok(&["issuer", "list", "--tenant", "acme"]), "");
}

#[test]
fn issuer_with_a_plain_http_endpoint_is_refused() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    // Act
    let run = db.scimgate(&[
        "issuer",
        "create",
        "--tenant",
        "acme",
        "--issuer",
        "https://idp.example.com",
        "--audience",
        "api://scimgate",
        "--jwks-url",
        "http://idp.example.com/keys",
    ]);

    // Assert
    assert!(!run.success);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("https"), "{}", run.stderr);
}
