//! `scimgate webhook ...` through the real binary: create shows the secret once, list never
//! does, delete removes; an unknown event type or format is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Shared with cli_names.rs, which also opens the database directly.
#[allow(dead_code)]
mod support;

use support::CliDb;

#[test]
fn webhook_create_list_and_delete_show_the_secret_once() {
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);

    let created = db.scimgate(&[
        "webhook",
        "create",
        "--tenant",
        "acme",
        "--url",
        "http://127.0.0.1:9/in",
        "--events",
        "user.created, user.deleted",
    ]);
    assert!(created.success, "{}", created.stderr);
    let id = created.stdout.trim().to_owned();
    assert!(uuid::Uuid::try_parse(&id).is_ok(), "{id}");
    let secret = created
        .stderr
        .split_whitespace()
        .find(|word| word.starts_with("whsec_"))
        .expect("the secret on stderr")
        .to_owned();

    let listed = db.ok(&["webhook", "list", "--tenant", "acme"]);
    assert!(
        listed.contains(&id) && listed.contains("user.created,user.deleted"),
        "{listed}"
    );
    assert!(
        listed.contains("active") && !listed.contains(&secret),
        "{listed}"
    );

    db.ok(&["webhook", "delete", "--tenant", "acme", &id]);
    assert!(
        !db.ok(&["webhook", "list", "--tenant", "acme"])
            .contains(&id)
    );
}

#[test]
fn webhook_create_refuses_unknown_event_types_and_formats() {
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    for extra in [["--events", "user.exploded"], ["--format", "xml"]] {
        let mut args = vec![
            "webhook",
            "create",
            "--tenant",
            "acme",
            "--url",
            "https://hooks.example.com/",
        ];
        args.extend(extra);
        let run = db.scimgate(&args);
        assert!(!run.success, "{args:?} succeeded");
        assert!(run.stderr.contains(extra[1]), "{}", run.stderr);
    }
}
