//! The release `scimgate` binary as a child process on a free 127.0.0.1 port. Dropping the
//! handle kills it, so every exit path of the bench (errors included) stops the server.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// How long the server may take to answer `/healthz` after start.
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Server {
    child: Child,
    pub origin: String,
    pub log: PathBuf,
    /// The operator key (`SCIMGATE_ADMIN_KEY`) this process was started with: the event
    /// scenarios create their tenant and webhooks through the admin API.
    pub admin_key: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already gone is fine; nothing else to do about a failure while stopping.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Starts `binary` on `database_url`, logging to `log_name` in `out`, and waits until
/// `/healthz` answers 200.
pub async fn start(
    binary: &Path,
    database_url: &str,
    out: &Path,
    log_name: &str,
) -> anyhow::Result<Server> {
    if !binary.is_file() {
        bail!(
            "no server binary at {}: build it with `cargo build --release -p scimgate-api`",
            binary.display()
        );
    }
    let port = free_port()?;
    let log = out.join(log_name);
    let log_file = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    // Random per process (a UUIDv7 carries 74 random bits); the server listens on 127.0.0.1.
    let admin_key = format!("bench-{}", uuid::Uuid::now_v7().simple());
    let mut command = Command::new(binary);
    // Only what is set here configures the server: no config file, Redis, rate limits or
    // other settings leak in from the caller's environment.
    for (key, _) in std::env::vars_os() {
        let key_text = key.to_string_lossy();
        if key_text.starts_with("SCIMGATE_") || key_text == "REDIS_URL" {
            command.env_remove(&key);
        }
    }
    let child = command
        .env("DATABASE_URL", database_url)
        .env("SCIMGATE_LISTEN", format!("127.0.0.1:{port}"))
        .env("SCIMGATE_DEMO", "false")
        .env("SCIMGATE_ADMIN_KEY", &admin_key)
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let mut server = Server {
        child,
        origin: format!("http://127.0.0.1:{port}"),
        log,
        admin_key,
    };
    server.wait_ready().await?;
    Ok(server)
}

/// What the server process used, read from `/proc` (Linux only).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Usage {
    /// Peak resident set size (`VmHWM`), KiB.
    pub peak_rss_kib: Option<u64>,
    /// User plus system CPU time, seconds.
    pub cpu_secs: Option<f64>,
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

impl Server {
    /// Peak RSS and CPU time so far; `None` fields where `/proc` cannot tell.
    pub fn usage(&self) -> Usage {
        let pid = self.child.id();
        let peak_rss_kib = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            });
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th
        // fields of the whole line, i.e. the 12th and 13th after it.
        let cpu_secs = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let rest = &stat[stat.rfind(')')? + 1..];
                let fields: Vec<&str> = rest.split_whitespace().collect();
                let utime: f64 = fields.get(11)?.parse().ok()?;
                let stime: f64 = fields.get(12)?.parse().ok()?;
                Some((utime + stime) / clock_ticks())
            });
        Usage {
            peak_rss_kib,
            cpu_secs,
        }
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let url = format!("{}/healthz", self.origin);
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited with {status} before answering; see {}",
                    self.log.display()
                );
            }
            if let Ok(response) = client.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!(
            "the server did not answer {url} within {START_TIMEOUT:?}; see {}",
            self.log.display()
        )
    }
}
