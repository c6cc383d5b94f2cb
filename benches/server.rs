//! `cargo bench --bench server`: how long the editor waits for findings. The
//! real binary runs `govlint server`, spoken to over pipes as an editor does;
//! each sample is the time from sending `textDocument/didChange` to receiving
//! that document's `textDocument/publishDiagnostics` (the debounce included).
//! Writes its section of `benches/results.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

// Shared with the other benchmark, which uses the rest of it.
#[allow(dead_code)]
mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use support::ms;
use support::synthetic::{self, Size};

const SECTION: &str = "## Language server";
const SAMPLES: usize = 15;

struct Client {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Client {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_govlint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            input,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
        }
    }

    fn receive(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Wait for the diagnostics of `uri`, returning how many there were.
    fn diagnostics(&self, uri: &str) -> usize {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().len();
            }
        }
    }
}

/// The latencies of `SAMPLES` edits of `text`: fastest and median.
fn latencies(client: &mut Client, uri: &str, text: &str) -> (Duration, Duration, usize) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let mut findings = client.diagnostics(uri);
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|round| {
            // An edit as typing makes one: a comment line grows.
            let edited = format!("{text}# edit {round}\n");
            let started = Instant::now();
            client.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": round + 2},
                    "contentChanges": [{"text": edited}]
                }),
            );
            findings = client.diagnostics(uri);
            started.elapsed()
        })
        .collect();
    samples.sort();
    (samples[0], samples[SAMPLES / 2], findings)
}

fn main() {
    let folder = tempfile::tempdir().unwrap();
    let root = format!("file://{}", folder.path().display());
    let mut client = Client::start();
    let initialized = client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    assert!(initialized["result"]["capabilities"].is_object());
    client.notify("initialized", json!({}));

    let real = std::fs::read_to_string("fixtures/ilgsse-vade-mecum.yaml").unwrap();
    let (large, _) = synthetic::snapshot(Size {
        members: 3_500,
        years: 350,
        events_per_year: 20,
        violations: 0,
    });
    let mut out = format!(
        "{SECTION}\n\n`govlint server` over pipes, release build: from sending `didChange` to receiving \
         `publishDiagnostics`, {SAMPLES} edits each (the {} ms debounce included).\n\n\
         | records | bytes | findings | fastest | median | goal | met |\n|---|---:|---:|---:|---:|---|---|\n",
        govlint::server::settings::Settings::default().debounce_ms
    );
    for (name, text, goal) in [
        ("fixtures/ilgsse-vade-mecum.yaml", real.as_str(), 50.0),
        ("generated", large.as_str(), 300.0),
    ] {
        let uri = format!("{root}/{}.yaml", name.replace('/', "-"));
        let (fastest, median, findings) = latencies(&mut client, &uri, text);
        let met = median.as_secs_f64() * 1000.0 <= goal;
        out.push_str(&format!(
            "| {name} | {} | {findings} | {} ms | {} ms | ≤ {goal} ms | {} |\n",
            text.len(),
            ms(fastest),
            ms(median),
            if met { "yes" } else { "no" }
        ));
    }
    let shutdown = client.request("shutdown", json!(null));
    assert!(shutdown.get("error").is_none());
    client.notify("exit", json!(null));
    let _ = client.child.wait();

    print!("{out}");
    if std::env::args().any(|arg| arg == "--bench") {
        let path = "benches/results.md";
        let results = std::fs::read_to_string(path).unwrap_or_default();
        std::fs::write(path, support::with_section(&results, SECTION, &out)).unwrap();
    }
}
