//! `SCIMGATE_AUTO_MIGRATE=false`: the real binary's `serve` refuses a schema that is behind and
//! names the command that fixes it, `migrate` still migrates, and `serve` then starts. The
//! Helm chart runs it this way, its migration Job owning the schema.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A fresh database (SQLite file, or a new PostgreSQL schema with `TEST_DATABASE_URL`).
fn database_env(dir: &TempDir) -> Vec<(&'static str, String)> {
    match std::env::var("TEST_DATABASE_URL") {
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
    }
}

/// `scimgate args...` on `env` alone (the caller's `SCIMGATE_*`, `OTEL_*`, `DATABASE_URL` and
/// `REDIS_URL` removed), auto-migration off, stderr lines sent to the returned channel.
fn start(dir: &TempDir, env: &[(&str, String)], args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scimgate"));
    command
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("SCIMGATE_")
            || name.starts_with("OTEL_")
            || name == "REDIS_URL"
            || name == "DATABASE_URL"
        {
            command.env_remove(&key);
        }
    }
    command
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("SCIMGATE_AUTO_MIGRATE", "false")
        .env("SCIMGATE_LISTEN", "127.0.0.1:0");
    let mut child = command.spawn().expect("scimgate starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits for the process to end (killing it after 20 s); its success and stderr.
fn finish(mut child: Child, lines: &mpsc::Receiver<String>) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr: Vec<String> = lines.try_iter().collect();
    let stderr = stderr.join("\n");
    let status = status.unwrap_or_else(|| panic!("still running after 20 s; stderr: {stderr}"));
    (status.success(), stderr)
}

#[test]
fn serve_refuses_a_schema_behind_and_starts_once_migrate_ran() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let env = database_env(&dir);

    // Act
    let (refused, refused_lines) = start(&dir, &env, &["serve"]);
    let (refused_ok, refused_stderr) = finish(refused, &refused_lines);
    let (migrate, migrate_lines) = start(&dir, &env, &["migrate"]);
    let (migrated_ok, migrate_stderr) = finish(migrate, &migrate_lines);
    let (mut served, served_lines) = start(&dir, &env, &["serve"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let listening = loop {
        match served_lines.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.contains("listening") => break true,
            Ok(line) => seen.push(line),
            Err(_) if served.try_wait().unwrap().is_some() || Instant::now() > deadline => {
                break false;
            }
            Err(_) => {}
        }
    };
    served.kill().ok();
    served.wait().unwrap();

    // Assert
    assert!(!refused_ok, "serve started on an unmigrated schema");
    assert!(
        refused_stderr.contains("schema is behind") && refused_stderr.contains("scimgate migrate"),
        "stderr names the fix: {refused_stderr}"
    );
    assert!(
        migrated_ok,
        "migrate with auto-migration off: {migrate_stderr}"
    );
    assert!(listening, "serve on a migrated schema: {}", seen.join("\n"));
}
