//! A static file server for www/ (tiny_http), used by `serve`, `test` and `bench`.

use std::fs;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread;

use anyhow::{Context, Result};

/// A few workers so the browser's parallel requests (html, js, css, wasm) do not queue.
const N_WORKERS: usize = 4;

pub(crate) struct StaticServer {
    pub(crate) addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl StaticServer {
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub(crate) fn join(mut self) {
        for worker in std::mem::take(&mut self.workers) {
            let _ = worker.join();
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        // Each call wakes one worker blocked in `incoming_requests`, which then ends.
        for _ in 0..N_WORKERS {
            self.server.unblock();
        }
    }
}

/// Serves `www/` on 127.0.0.1:`port` (0 picks a free port) from background threads.
pub(crate) fn serve_www(root: &Path, port: u16) -> Result<StaticServer> {
    let www = root.join("www").canonicalize().context("cannot find www/")?;
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|err| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {err}"))?;
    let addr = server.server_addr().to_ip().context("the server has no IP address")?;
    let server = Arc::new(server);
    let workers = (0..N_WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let www = www.clone();
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let _ = respond(&www, request);
                }
            })
        })
        .collect();
    Ok(StaticServer { addr, server, workers })
}

/// The page's Content-Security-Policy, sent as a header too (www/index.html carries the same
/// as a meta tag, for static hosts that send none). No `frame-ancestors`: course pages embed
/// the page in iframes.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

fn respond(www: &Path, request: tiny_http::Request) -> std::io::Result<()> {
    use tiny_http::{Header, Method, Response};
    let header = |name: &str, value: &str| Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header");
    fn with_policy<R: std::io::Read>(response: Response<R>) -> Response<R> {
        let header =
            |name: &str, value: &str| Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header");
        response
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("Content-Security-Policy", CSP))
            .with_header(header("X-Content-Type-Options", "nosniff"))
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("method not allowed\n").with_status_code(405);
        return request.respond(with_policy(response));
    }
    match resolve(www, request.url()) {
        Some(path) => {
            let file = fs::File::open(&path)?;
            let response = Response::from_file(file).with_header(header("Content-Type", mime_type(&path)));
            request.respond(with_policy(response))
        }
        None => {
            let response = Response::from_string("not found\n")
                .with_status_code(404)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"));
            request.respond(with_policy(response))
        }
    }
}

/// Maps a request URL to a file inside `www`, or `None` for anything missing or outside it.
fn resolve(www: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path)?;
    let mut file = www.to_path_buf();
    for component in Path::new(&path).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::RootDir | Component::CurDir => {}
            Component::ParentDir | Component::Prefix(_) => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // Canonicalising also catches symlinks that lead out of www/.
    let file = file.canonicalize().ok()?;
    (file.starts_with(www) && file.is_file()).then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    let decoded = String::from_utf8(decoded).ok()?;
    (!decoded.contains(['\0', '\\'])).then_some(decoded)
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt" | "ts" | "ftl") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
