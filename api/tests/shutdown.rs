//! Graceful shutdown of the real `scimgate serve`: on SIGTERM it stops accepting, lets the
//! request in flight finish, then exits cleanly. SQLite only: this is about the server, not
//! the storage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const ADMIN_KEY: &str = "shutdown-test-key";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `scimgate serve` on `port` with only a fresh SQLite file and the admin key configured.
fn serve(dir: &std::path::Path, port: u16) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scimgate"));
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("SCIMGATE_") || name.starts_with("OTEL_") || name.ends_with("_URL") {
            command.env_remove(&key);
        }
    }
    let database = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite").display());
    command
        .arg("serve")
        .current_dir(dir)
        .env("DATABASE_URL", database)
        .env("SCIMGATE_LISTEN", format!("127.0.0.1:{port}"))
        .env("SCIMGATE_ADMIN_KEY", ADMIN_KEY)
        .env("SCIMGATE_SHUTDOWN_TIMEOUT_SECS", "20")
        .stdout(Stdio::null())
        .stderr(File::create(dir.join("stderr.log")).unwrap())
        .spawn()
        .expect("scimgate starts")
}

fn connect_within(port: u16, limit: Duration) -> TcpStream {
    let deadline = Instant::now() + limit;
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => return stream,
            Err(err) if Instant::now() > deadline => panic!("scimgate never listened: {err}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn exit_within(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn sigterm(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = serve(dir.path(), port);
    let mut stream = connect_within(port, Duration::from_secs(60));
    let body = br#"{"slug":"acme","name":"Acme"}"#;
    let (first, rest) = body.split_at(10);

    // A request whose body is still on its way when the signal arrives.
    write!(
        stream,
        "POST /admin/v1/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ADMIN_KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    sigterm(&child);
    std::thread::sleep(Duration::from_millis(500));
    let still_serving = child.try_wait().unwrap().is_none();
    stream.write_all(rest).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = exit_within(&mut child, Duration::from_secs(15));
    if status.is_none() {
        child.kill().unwrap();
    }

    let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    assert!(still_serving, "exited with a request in flight\n{log}");
    assert!(response.starts_with("HTTP/1.1 201"), "{response}\n{log}");
    assert!(status.is_some_and(|s| s.success()), "{status:?}\n{log}");
    assert!(log.contains("SIGTERM"), "{log}");
}
