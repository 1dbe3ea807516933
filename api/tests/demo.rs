//! First start without configuration: the real binary creates the `demo` tenant, prints its
//! base URL and a working token exactly once, and never does so when a database is configured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `scimgate serve` in `dir` with a clean environment plus `extra`; stderr lines arrive on
/// the returned channel.
fn serve(
    dir: &std::path::Path,
    port: u16,
    extra: &[(&str, String)],
) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scimgate"));
    command
        .arg("serve")
        .current_dir(dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
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
    command.env("SCIMGATE_LISTEN", format!("127.0.0.1:{port}"));
    command.envs(extra.iter().map(|(k, v)| (k, v)));
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

fn get(port: u16, path: &str, token: Option<&str>) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn wait_ready(port: u16) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if get(port, "/healthz", None).is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("scimgate did not become ready");
}

/// The printed base URL and token, if the server printed them within a few seconds.
fn printed_credentials(lines: &mpsc::Receiver<String>) -> (Option<String>, Option<String>) {
    let (mut base, mut token) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && token.is_none() {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            if let Some(rest) = line.split("SCIM base URL:").nth(1) {
                base = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.split("Bearer token:").nth(1) {
                token = Some(rest.trim().to_owned());
            }
        }
    }
    (base, token)
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn first_start_prints_a_working_demo_token_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();

    let (child, lines) = serve(dir.path(), port, &[]);
    wait_ready(port);
    let (base, token) = printed_credentials(&lines);
    let token = token.expect("a token is printed on first start");
    let users = get(port, "/t/demo/scim/v2/Users", Some(&token)).unwrap();
    stop(child);

    assert_eq!(
        base.as_deref(),
        Some(format!("http://127.0.0.1:{port}/t/demo/scim/v2").as_str())
    );
    assert!(users.starts_with("HTTP/1.1 200"), "{users}");
    assert!(dir.path().join("data/scimgate.sqlite").exists());

    let (again, lines) = serve(dir.path(), port, &[]);
    wait_ready(port);
    let (_, second_token) = printed_credentials(&lines);
    let still_valid = get(port, "/t/demo/scim/v2/Users", Some(&token)).unwrap();
    stop(again);
    assert_eq!(second_token, None, "the token is shown only once");
    assert!(still_valid.starts_with("HTTP/1.1 200"));
}

#[test]
fn a_configured_database_gets_no_demo_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("prod.sqlite").display()
    );

    let (child, lines) = serve(dir.path(), port, &[("DATABASE_URL", url)]);
    wait_ready(port);
    let (_, token) = printed_credentials(&lines);
    let probe = get(port, "/t/demo/scim/v2/ServiceProviderConfig", None).unwrap();
    stop(child);

    assert_eq!(token, None);
    assert!(
        probe.starts_with("HTTP/1.1 200"),
        "discovery still answers: {probe}"
    );
}
