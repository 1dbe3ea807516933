//! A `redis-server` child process of the test, on a free 127.0.0.1 port, that the test can
//! kill and start again on the same port.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub struct RedisServer {
    port: u16,
    dir: TempDir,
    child: Option<Child>,
}

impl RedisServer {
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut server = Self {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        };
        server.restart().await;
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port, without persistence, and waits until it answers.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "redis-server is already running");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .args(["--enable-debug-command", "yes"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot start `redis-server` ({err}); this test needs it on PATH \
                     (Debian/Ubuntu: apt-get install redis-server)"
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers().await {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Makes the server answer nothing for `duration` (it runs `DEBUG SLEEP`): a slow Redis.
    /// Returns once it is frozen.
    pub async fn freeze(&self, duration: Duration) {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut connection = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis answers");
        tokio::spawn(async move {
            // The client stops waiting for the answer long before the server wakes up.
            redis::cmd("DEBUG")
                .arg("SLEEP")
                .arg(duration.as_secs_f64())
                .query_async::<()>(&mut connection)
                .await
                .ok();
        });
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.answers_within(Duration::from_millis(100)).await {
            assert!(Instant::now() < deadline, "redis-server did not freeze");
        }
    }

    /// Waits until the server answers again (after a freeze).
    pub async fn wait_until_answering(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers_within(Duration::from_millis(500)).await {
            assert!(Instant::now() < deadline, "redis-server did not thaw");
        }
    }

    async fn answers_within(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.answers())
            .await
            .unwrap_or(false)
    }

    /// Kills the server at once (SIGKILL): an outage, not a shutdown.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("redis-server killed");
            child.wait().expect("redis-server reaped");
        }
    }

    async fn answers(&self) -> bool {
        let Ok(client) = redis::Client::open(self.url()) else {
            return false;
        };
        let Ok(mut connection) = client.get_multiplexed_async_connection().await else {
            return false;
        };
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .is_ok()
    }

    /// How many connections listen on `channel`.
    pub async fn subscribers(&self, channel: &str) -> i64 {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut connection = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis answers");
        let (_, count): (String, i64) = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(channel)
            .query_async(&mut connection)
            .await
            .expect("PUBSUB NUMSUB");
        count
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}
