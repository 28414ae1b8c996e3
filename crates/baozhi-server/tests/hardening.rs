//! The server under hostile clients: silent and half-sent connections are
//! closed after the header read timeout and do not keep others out, the
//! number of connections is capped, and only requests naming this server
//! in their `Host` are answered (DNS rebinding).

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use baozhi_server::Config;
use common::{get, raw, TempDir};

/// A server of the test archive with `config`; the directory lives as long
/// as the server (the process).
fn server(name: &str, config: Config) -> SocketAddr {
    let dir = Box::leak(Box::new(TempDir::for_process(name)));
    common::start_with(common::archive(dir.path()), config)
}

fn short_timeouts(header_read: Duration, max_connections: usize) -> Config {
    Config {
        header_read_timeout: header_read,
        idle_timeout: Duration::from_secs(30),
        max_connections,
        ..Config::default()
    }
}

/// Whether the server has closed `stream`, waiting up to `wait` for it:
/// the end of the stream (after whatever answer it wrote) or a reset.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(e) => matches!(
            e.kind(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
        ),
    }
}

/// Whether `stream` is still open right now (nothing to read yet).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let open = matches!((&*stream).read(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    open
}

#[test]
fn silent_and_half_sent_connections_are_closed_and_block_nobody() {
    let timeout = Duration::from_secs(2);
    let addr = server("hardening-idle", short_timeouts(timeout, 64));
    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = Vec::new();
    for i in 0..40 {
        let mut s = TcpStream::connect(addr).unwrap();
        if i % 2 == 1 {
            // Half a request: the request line and part of the headers.
            s.write_all(format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nAcc").as_bytes())
                .unwrap();
        }
        idle.push(s);
    }
    // A normal request is answered while they are all open.
    let r = get(addr, "/api/stats");
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["articles"], 3);
    assert!(
        opened.elapsed() < timeout,
        "the normal request took {:?}, longer than the header read timeout",
        opened.elapsed()
    );
    let open = idle.iter().filter(|s| still_open(s)).count();
    assert_eq!(
        open, 40,
        "the idle connections were open during the request"
    );

    // All of them are closed once the header read timeout is over.
    for (i, s) in idle.iter_mut().enumerate() {
        assert!(
            closed_within(s, Duration::from_secs(10)),
            "connection {i} still open after {:?}",
            opened.elapsed()
        );
    }
    let took = opened.elapsed();
    assert!(
        took >= timeout - Duration::from_millis(200) && took < Duration::from_secs(10),
        "closed after {took:?}, the timeout is {timeout:?}"
    );
}

#[test]
fn a_kept_alive_connection_is_closed_when_no_request_follows() {
    let addr = server(
        "hardening-keepalive",
        short_timeouts(Duration::from_secs(1), 64),
    );
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .unwrap();
    // Read the answer (its head, then Content-Length bytes).
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let (head_end, length) = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed before answering");
        got.extend_from_slice(&buf[..n]);
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            assert!(head.starts_with("http/1.1 200"), "{head}");
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .expect("a content-length")
                .trim()
                .parse()
                .unwrap();
            break (end + 4, length);
        }
    };
    while got.len() < head_end + length {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    let answered = Instant::now();
    assert!(still_open(&s), "kept alive after the answer");
    assert!(closed_within(&mut s, Duration::from_secs(10)));
    assert!(
        answered.elapsed() < Duration::from_secs(8),
        "{:?}",
        answered.elapsed()
    );
}

#[test]
fn connections_past_the_cap_wait_for_a_place() {
    let timeout = Duration::from_millis(1500);
    let addr = server("hardening-cap", short_timeouts(timeout, 4));
    let opened = Instant::now();
    let mut silent: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    // Every place is taken: the request waits until the silent ones are
    // closed, then it is answered.
    let r = get(addr, "/api/stats");
    assert_eq!(r.status, 200, "{r:?}");
    let waited = opened.elapsed();
    assert!(
        waited >= timeout - Duration::from_millis(300),
        "answered after {waited:?}: the cap of 4 connections did not hold"
    );
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    for s in &mut silent {
        assert!(closed_within(s, Duration::from_secs(1)));
    }
    // With places free again, answers come at once.
    let again = Instant::now();
    assert_eq!(get(addr, "/api/stats").status, 200);
    assert!(again.elapsed() < timeout, "{:?}", again.elapsed());
}

fn assert_refused_host(r: &common::Response) {
    assert_eq!(r.status, 421, "{r:?}");
    let message = r.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("--allow-host"), "{message}");
    // The refusal carries the security headers too.
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{r:?}");
    assert!(!r.body.contains("\"articles\""), "{r:?}");
}

#[test]
fn only_hosts_naming_this_server_are_answered() {
    let addr = server("hardening-host", Config::default());
    let port = addr.port();
    let stats = |host: &str| {
        raw(
            addr,
            &format!("GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost.:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = stats(&host);
        assert_eq!(r.status, 200, "{host}: {r:?}");
        assert_eq!(r.json()["articles"], 3);
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        // Our names, another port (the rebinding page's own port).
        format!("localhost:{}", if port == 1 { 2 } else { port - 1 }),
        "localhost".to_string(),
        format!("10.1.2.3:{port}"),
        format!("localhost:{port}x"),
        format!("[::1:{port}"),
    ] {
        assert_refused_host(&stats(&host));
    }
    // The reader's page is refused as well, not only the API.
    let r = raw(
        addr,
        &format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_refused_host(&r);
    // An absolute request target names the host too.
    let r = raw(
        addr,
        &format!(
            "GET http://evil.example:{port}/api/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_refused_host(&r);
    // HTTP/1.1 must name a host; HTTP/1.0 (no browser) need not.
    let r = raw(addr, "GET /api/stats HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400, "{r:?}");
    assert!(r.json()["error"].as_str().unwrap().contains("Host"));
    let r = raw(addr, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 200, "{r:?}");
}

#[test]
fn allowed_host_names_are_answered_with_any_port() {
    let config = Config {
        allow_hosts: vec![baozhi_server::host_name("Archive.Example.").unwrap()],
        ..Config::default()
    };
    let addr = server("hardening-allow", config);
    let stats = |host: &str| {
        raw(
            addr,
            &format!("GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        "archive.example",
        "ARCHIVE.example:8443",
        "archive.example.",
    ] {
        assert_eq!(stats(host).status, 200, "{host}");
    }
    assert_eq!(stats(&format!("localhost:{}", addr.port())).status, 200);
    assert_refused_host(&stats("other.example"));
    assert_refused_host(&stats("sub.archive.example"));
}
