//! The real `scimgate` binary against a private database: a SQLite file in a temp folder, or
//! a new PostgreSQL schema when `TEST_DATABASE_URL` is set.

use std::process::Command;
use std::time::Duration;

use scimgate_infra::db::{DatabaseConnection, DatabaseSettings};
use tempfile::TempDir;

/// What a finished command left behind.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

pub struct CliDb {
    dir: TempDir,
    url: String,
    schema: Option<String>,
}

impl CliDb {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, schema) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                (url, Some(format!("t_{}", uuid::Uuid::now_v7().simple())))
            }
            _ => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("db.sqlite").display()
                ),
                None,
            ),
        };
        Self { dir, url, schema }
    }

    /// Runs `scimgate args...` with only this database configured: every other `SCIMGATE_*`,
    /// `DATABASE_URL` and `REDIS_URL` of the caller's environment is removed.
    pub fn scimgate(&self, args: &[&str]) -> Run {
        self.scimgate_with(args, &[])
    }

    /// [`Self::scimgate`] with `extra` environment variables set (a secret the CLI reads from
    /// the environment, for one).
    pub fn scimgate_with(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scimgate"));
        command.args(args).current_dir(self.dir.path());
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy();
            if name.starts_with("SCIMGATE_") || name == "REDIS_URL" || name == "DATABASE_URL" {
                command.env_remove(&key);
            }
        }
        command.env("DATABASE_URL", &self.url);
        if let Some(schema) = &self.schema {
            command.env("SCIMGATE_DATABASE_SCHEMA", schema);
        }
        command.envs(extra.iter().copied());
        let output = command.output().expect("scimgate runs");
        Run {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, &[])
    }

    /// [`Self::ok`] with `extra` environment variables set.
    pub fn ok_with(&self, args: &[&str], extra: &[(&str, &str)]) -> String {
        let run = self.scimgate_with(args, extra);
        assert!(
            run.success,
            "scimgate {args:?} failed\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    /// The same database, opened directly (run `migrate` first).
    pub async fn connect(&self) -> DatabaseConnection {
        scimgate_infra::db::connect(&DatabaseSettings {
            url: self.url.clone(),
            schema: self.schema.clone(),
            max_connections: 1,
            acquire_timeout: Duration::from_secs(5),
        })
        .await
        .expect("database opens")
    }
}
