//! Command line, and the plan it resolves to (defaults depend on the database and `--smoke`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;

/// Seeds a tenant with many users, starts the release `scimgate` binary on it and measures
/// req/s and latency of typical SCIM queries against `GET /healthz` of the same server.
#[derive(Debug, Parser)]
#[command(name = "scimgate-bench")]
pub struct Args {
    /// `sqlite://...` or `postgres://...`; default: a SQLite file in the output folder.
    #[arg(long, env = "BENCH_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Users of the measured tenant (default 1 000 000 on PostgreSQL, 100 000 on SQLite).
    #[arg(long)]
    pub users: Option<u64>,
    /// Users of a second tenant that only adds noise (default: users / 10).
    #[arg(long)]
    pub noise_users: Option<u64>,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Unmeasured seconds before each scenario.
    #[arg(long, default_value_t = 1)]
    pub warmup_secs: u64,
    /// Concurrent HTTP connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Output folder for report.md, report.json, server.log and the default SQLite file.
    #[arg(long, default_value = "bench/out")]
    pub out: PathBuf,
    /// Reuse the seeded database as it is (the user count is read from it).
    #[arg(long)]
    pub skip_seed: bool,
    /// The server binary to start.
    #[arg(long, default_value = "target/release/scimgate")]
    pub server_bin: PathBuf,
    /// Only the user write scenarios (with the create baseline): no cold start, reads, group
    /// PATCHes or change events.
    #[arg(long)]
    pub writes_only: bool,
    /// Only `/healthz` and the cached reads under concurrent creates (issue #14, item 4).
    #[arg(long, conflicts_with = "writes_only")]
    pub cached_reads_only: bool,
    /// Only `/healthz` and the change-event scenarios (webhook cost to `POST`, event lag,
    /// dispatcher throughput; issue #15).
    #[arg(long, conflicts_with_all = ["writes_only", "cached_reads_only"])]
    pub events_only: bool,
    /// Tiny run for CI: 1 000 users, 0.4 s per scenario, fresh SQLite file; fails on any error.
    #[arg(long)]
    pub smoke: bool,
}

/// What this run does, every default filled in.
#[derive(Debug, Clone)]
pub struct Plan {
    pub database_url: String,
    pub is_postgres: bool,
    /// The default SQLite file, which the bench may delete and recreate.
    pub own_sqlite_file: Option<PathBuf>,
    pub users: u64,
    pub noise_users: u64,
    pub duration: Duration,
    pub warmup: Duration,
    pub connections: usize,
    pub out: PathBuf,
    pub skip_seed: bool,
    pub server_bin: PathBuf,
    pub smoke: bool,
    pub writes_only: bool,
    pub cached_reads_only: bool,
    pub events_only: bool,
}

impl Args {
    pub fn plan(self) -> Plan {
        let root = workspace_root();
        let out = absolute(&root, &self.out);
        let is_postgres = self
            .database_url
            .as_deref()
            .is_some_and(|url| url.starts_with("postgres"));
        let users = match (self.smoke, self.users, is_postgres) {
            (_, Some(users), _) => users,
            (true, None, _) => 1_000,
            (false, None, true) => 1_000_000,
            (false, None, false) => 100_000,
        };
        let (own_sqlite_file, database_url) = match self.database_url {
            Some(url) => (None, url),
            None => {
                let name = if self.smoke {
                    "smoke.sqlite".to_owned()
                } else {
                    format!("bench-{users}.sqlite")
                };
                let file = out.join(name);
                let url = format!("sqlite://{}?mode=rwc", file.display());
                (Some(file), url)
            }
        };
        Plan {
            database_url,
            is_postgres,
            own_sqlite_file,
            users,
            noise_users: self.noise_users.unwrap_or(users / 10),
            duration: if self.smoke {
                // Long enough for hundreds of requests per scenario, short enough that the
                // whole smoke run stays near ten seconds in CI.
                Duration::from_millis(400)
            } else {
                Duration::from_secs(self.duration_secs)
            },
            warmup: Duration::from_secs(if self.smoke { 0 } else { self.warmup_secs }),
            connections: if self.smoke {
                8
            } else {
                self.connections.max(1)
            },
            out,
            skip_seed: self.skip_seed,
            server_bin: absolute(&root, &self.server_bin),
            smoke: self.smoke,
            writes_only: self.writes_only,
            cached_reads_only: self.cached_reads_only,
            events_only: self.events_only,
        }
    }
}

/// The workspace this bench was built in: relative defaults resolve against it, so the bench
/// runs the same from any folder.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn absolute(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}
