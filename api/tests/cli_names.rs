//! Names the operator reads in CLI tables: the CLI refuses unprintable names as the admin API
//! does, and every list command escapes what it prints, so a name stored before names were
//! checked can neither forge rows or columns nor send escape sequences to the terminal.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::Utc;
use scimgate_domain::oauth::client::ClientId;
use scimgate_domain::ports::{ClientStore, TenantStore, TokenStore};
use scimgate_domain::tenant::{Tenant, TenantId, TenantSlug};
use scimgate_domain::token::TokenId;
use scimgate_infra::db::{SqlClientStore, SqlTenantStore, SqlTokenStore};
use support::CliDb;

/// A terminal escape that clears the screen, a forged row and column, a C1 control and a
/// bidirectional override.
const HOSTILE: &str = "okta\u{1b}[2J\nforged\trow\u{9b}31m\u{202e}nimda";

fn assert_printable_table(stdout: &str, columns: usize) {
    for line in stdout.lines() {
        assert_eq!(line.split('\t').count(), columns, "columns of {line:?}");
        assert!(
            !line
                .chars()
                .any(|c| c != '\t' && (c.is_control() || c == '\u{202e}')),
            "unprintable character in {line:?}"
        );
    }
}

#[test]
fn unprintable_names_are_refused_by_every_command_that_sets_one() {
    // Arrange
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let token = db.ok(&["token", "create", "--tenant", "acme"]);
    let token_id = token
        .trim()
        .strip_prefix("scimgate_")
        .and_then(|rest| rest.split('_').next())
        .expect("token id")
        .to_owned();
    let client = db.ok(&["client", "create", "--tenant", "acme"]);
    let client_id = client
        .lines()
        .find_map(|line| line.strip_prefix("client_id="))
        .expect("client id")
        .to_owned();

    for args in [
        vec!["tenant", "create", "evil", "--name", HOSTILE],
        vec!["token", "create", "--tenant", "acme", "--name", HOSTILE],
        vec!["token", "update", &token_id, "--name", HOSTILE],
        vec!["client", "create", "--tenant", "acme", "--name", HOSTILE],
        vec!["client", "update", &client_id, "--name", HOSTILE],
    ] {
        // Act
        let run = db.scimgate(&args);

        // Assert
        assert!(!run.success, "{args:?} succeeded: {}", run.stdout);
        assert!(
            run.stderr.contains("control characters") && run.stderr.contains("U+001B"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(db.ok(&["tenant", "list"]).lines().count(), 1);
    assert_eq!(
        db.ok(&["token", "list", "--tenant", "acme"])
            .lines()
            .count(),
        1
    );
}

#[tokio::test]
async fn list_tables_escape_names_stored_before_names_were_checked() {
    // Arrange: a tenant, token and client whose names were written straight to the database.
    let db = CliDb::new();
    db.ok(&["tenant", "create", "acme"]);
    let token = db.ok(&["token", "create", "--tenant", "acme"]);
    let token_id = TokenId::parse(
        token
            .trim()
            .strip_prefix("scimgate_")
            .and_then(|rest| rest.split('_').next())
            .expect("token id"),
    )
    .unwrap();
    let client = db.ok(&["client", "create", "--tenant", "acme"]);
    let client_id = ClientId::parse(
        client
            .lines()
            .find_map(|line| line.strip_prefix("client_id="))
            .expect("client id"),
    )
    .unwrap();
    let conn = db.connect().await;
    SqlTenantStore::new(conn.clone())
        .insert(&Tenant {
            id: TenantId(uuid::Uuid::now_v7()),
            slug: TenantSlug::parse("legacy").unwrap(),
            name: HOSTILE.into(),
            created: Utc::now(),
        })
        .await
        .unwrap();
    let tokens = SqlTokenStore::new(conn.clone());
    let mut record = tokens.find(&token_id).await.unwrap().expect("token row");
    record.name = HOSTILE.into();
    assert!(tokens.update(&record).await.unwrap());
    let clients = SqlClientStore::new(conn.clone());
    let mut stored = clients.find(&client_id).await.unwrap().expect("client row");
    stored.name = HOSTILE.into();
    assert!(clients.update(&stored).await.unwrap());
    conn.close().await.unwrap();

    // Act
    let tenants = db.ok(&["tenant", "list"]);
    let token_table = db.ok(&["token", "list", "--tenant", "acme"]);
    let client_table = db.ok(&["client", "list", "--tenant", "acme"]);

    // Assert: one line per row, the usual columns, the name escaped and still recognisable.
    let escaped = "okta\\u{1b}[2J\\nforged\\trow\\u{9b}31m\\u{202e}nimda";
    assert_eq!(tenants.lines().count(), 2, "{tenants:?}");
    assert_printable_table(&tenants, 3);
    assert!(tenants.contains(escaped), "{tenants:?}");
    assert_eq!(token_table.lines().count(), 1, "{token_table:?}");
    assert_printable_table(&token_table, 6);
    assert!(token_table.contains(escaped), "{token_table:?}");
    assert_eq!(client_table.lines().count(), 1, "{client_table:?}");
    assert_printable_table(&client_table, 5);
    assert!(client_table.contains(escaped), "{client_table:?}");
}
