//! Where the numbers come from: cores, CPU, memory, database version, commit.

use std::path::Path;
use std::process::Command;

use scimgate_infra::db::DatabaseConnection;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    /// 1, 5 and 15 minute load averages when measuring started: other work on the machine
    /// skews every number.
    pub load_average: Option<String>,
    pub commit: Option<String>,
}

fn first_field(file: &str, key: &str) -> Option<String> {
    std::fs::read_to_string(file)
        .ok()?
        .lines()
        .find(|line| line.starts_with(key))
        .and_then(|line| line.split_once(':'))
        .map(|(_, value)| value.trim().to_owned())
}

fn git_commit(root: &Path) -> Option<String> {
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let commit = run(&["rev-parse", "--short", "HEAD"])?;
    let dirty = run(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{commit} (with uncommitted changes)")
    } else {
        commit
    })
}

pub fn describe(root: &Path) -> Machine {
    Machine {
        cores: std::thread::available_parallelism().map_or(1, usize::from),
        cpu: first_field("/proc/cpuinfo", "model name"),
        memory: first_field("/proc/meminfo", "MemTotal"),
        load_average: std::fs::read_to_string("/proc/loadavg")
            .ok()
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
        commit: git_commit(root),
    }
}

/// `SQLite 3.x` or `PostgreSQL 15.x (...)`.
pub async fn database_version(db: &DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let (sql, prefix) = match backend {
        DbBackend::Postgres => ("SELECT current_setting('server_version')", "PostgreSQL "),
        _ => ("SELECT sqlite_version()", "SQLite "),
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .ok()
        .flatten();
    row.and_then(|r| r.try_get_by_index::<String>(0).ok())
        .map_or_else(|| "unknown".into(), |v| format!("{prefix}{v}"))
}
