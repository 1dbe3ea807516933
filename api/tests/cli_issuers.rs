//! `scimgate issuer ...` through the real binary: create, list without the secret, delete,
//! and a refused endpoint. A fresh SQLite file (or PostgreSQL schema) per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use tempfile::TempDir;

struct Db {
    dir: TempDir,
    env: Vec<(&'static str, String)>,
}

impl Db {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let env = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => vec![
                ("DATABASE_URL", url),
                (
                    "SCIMGATE_DATABASE_SCHEMA",
                    format!("t_{}", uuid::Uuid::now_v7().simple()),
                ),
            ],
            _ => vec![(
                "DATABASE_URL",
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("db.sqlite").display()
                ),
            )],
        };
        Self { dir, env }
    }

    /// Runs `scimgate args...` with this database and `extra` environment only.
    fn run(&self, args: &[&str], extra: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scimgate"));
        command.args(args).current_dir(self.dir.path());
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy();
            if name.starts_with("SCIMGATE_") || name == "REDIS_URL" || name == "DATABASE_URL" {
                command.env_remove(&key);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command.envs(extra.iter().copied());
        command.output().unwrap()
    }

    fn ok(&self, args: &[&str], extra: &[(&str, &str)]) -> String {
        let output = self.run(args, extra);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "scimgate {args:?} failed: {stderr}"
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

#[test]
fn issuer_create_list_and_delete_never_show_the_secret() {
    // Arrange
    let db = Db::new();
    db.ok(&["tenant", "create", "acme"], &[]);

    // Act
    let id = db.ok(
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
    let listed = db.ok(&["issuer", "list", "--tenant", "acme"], &[]);

    // Assert
    let id = id.trim();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id:?}");
    assert!(listed.contains(id), "{listed}");
    assert!(listed.contains("introspection https://idp.example.com/introspect as scimgate"));
    assert!(!listed.contains("top-s3cret"), "{listed}");
    db.ok(&["issuer", "delete", "--tenant", "acme", id], &[]);
    assert_eq!(db.ok(&["issuer", "list", "--tenant", "acme"], &[]), "");
}

#[test]
fn issuer_with_a_plain_http_endpoint_is_refused() {
    // Arrange
    let db = Db::new();
    db.ok(&["tenant", "create", "acme"], &[]);

    // Act
    let output = db.run(
        &[
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
        ],
        &[],
    );

    // Assert
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("https"), "{stderr}");
}
