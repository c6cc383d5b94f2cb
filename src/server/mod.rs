//! `govlint server`: findings in the editor as records are typed, over the
//! Language Server Protocol on stdio. The stage owns the protocol loop, the
//! open documents and their last findings, the debounce, and the mapping of
//! findings, fixes and the records to the protocol's diagnostics, code
//! actions, hovers and outlines. The pack is loaded once, and again only when
//! one of its files is saved or the settings change.
//!
//! May import every stage but `cli`.

// A `Uri` caches its parsed parts inside, which clippy takes for a mutable
// key; its hash and equality are those of its text, which never changes.
#![allow(clippy::mutable_key_type)]

pub mod actions;
pub mod complete;
pub mod diagnose;
pub mod hover;
pub mod navigate;
pub mod records;
pub mod settings;
pub mod text;

use crate::base::finding::Finding;
use crate::pack::{Pack, PackFiles, PackProblem, Unsaved, lexically_normal};
use diagnose::{Base, Publishing};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
    Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, InitializeParams, MessageType,
    PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use settings::Settings;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use text::{Lines, path_of};

/// An open document: its text as last sent, and what its last check found.
pub struct Open {
    /// The name its findings carry (its path).
    pub name: String,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// The server's state between messages.
pub struct Server {
    pub settings: Settings,
    /// The pack, or why it could not be loaded (shown on every snapshot).
    pub pack: Result<Pack, PackProblem>,
    pub documents: HashMap<Uri, Open>,
    /// Documents changed since their last check.
    dirty: BTreeSet<Uri>,
    /// Pack files that were last given diagnostics (to clear them once mended).
    pack_problems: BTreeSet<Uri>,
    /// The workspace folder, that relative paths in the settings start from.
    root: Option<PathBuf>,
}

/// Serve one client over stdin and stdout until it exits.
pub fn serve() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        references_provider: Some(lsp_types::OneOf::Left(true)),
        document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![":".to_owned(), " ".to_owned()]),
            ..lsp_types::CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|error| error.to_string())?;
    let initialize = connection
        .initialize(capabilities)
        .map_err(|error| format!("the editor did not start the protocol: {error}"))?;
    let params: InitializeParams = serde_json::from_value(initialize)
        .map_err(|error| format!("the editor's initialize request is malformed: {error}"))?;
    let root = workspace_root(&params);
    let (settings, problems) = Settings::resolve(root.as_deref(), params.initialization_options);
    let mut server = Server::new(settings);
    server.root = root;
    for problem in problems {
        server.tell(&connection, MessageType::WARNING, problem);
    }
    server.publish_pack_problems(&connection);
    server.run(&connection)?;
    drop(connection);
    threads
        .join()
        .map_err(|error| format!("the connection to the editor failed: {error}"))
}

#[allow(deprecated)] // `root_uri` is what older clients send instead of folders.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| path_of(&folder.uri))
        .or_else(|| params.root_uri.as_ref().and_then(path_of))
}

impl Server {
    pub fn new(settings: Settings) -> Self {
        let pack = load_pack(&settings, Unsaved::new());
        Self {
            settings,
            pack,
            documents: HashMap::new(),
            dirty: BTreeSet::new(),
            pack_problems: BTreeSet::new(),
            root: None,
        }
    }

    fn run(&mut self, connection: &Connection) -> Result<(), String> {
        loop {
            let debounce = Duration::from_millis(self.settings.debounce_ms);
            // While a document waits for its check, a pause in the messages
            // (typing stopped) is what lets it run.
            let message = if self.dirty.is_empty() {
                connection.receiver.recv().ok()
            } else {
                match connection.receiver.recv_timeout(debounce) {
                    Ok(message) => Some(message),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.check_dirty(connection);
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => None,
                }
            };
            let Some(message) = message else {
                return Ok(());
            };
            match message {
                Message::Request(request) => {
                    if connection
                        .handle_shutdown(&request)
                        .map_err(|error| error.to_string())?
                    {
                        return Ok(());
                    }
                    // Answers are given on the documents as they now read.
                    self.check_dirty(connection);
                    let id = request.id.clone();
                    // A request that fails outright gets an error; the server goes on.
                    let response =
                        diagnose::guarded(|| self.answer(request)).unwrap_or_else(|why| {
                            Response::new_err(
                                id,
                                lsp_server::ErrorCode::InternalError as i32,
                                format!("govlint server could not answer: {why}"),
                            )
                        });
                    send(connection, Message::Response(response));
                }
                Message::Notification(notification) => self.notice(connection, notification),
                Message::Response(_) => {}
            }
        }
    }

    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                params(request).map(|params| serde_json::to_value(actions::actions(self, &params)))
            }
            HoverRequest::METHOD => {
                params(request).map(|params| serde_json::to_value(hover::hover(self, &params)))
            }
            GotoDefinition::METHOD => {
                params(request).map(|params: lsp_types::GotoDefinitionParams| {
                    let place = params.text_document_position_params;
                    serde_json::to_value(self.at(&place, |uri, text, offset| {
                        navigate::definition(uri, text, offset)
                    }))
                })
            }
            References::METHOD => params(request).map(|params: lsp_types::ReferenceParams| {
                let declaration = params.context.include_declaration;
                serde_json::to_value(
                    self.at(&params.text_document_position, |uri, text, offset| {
                        navigate::references(uri, text, offset, declaration)
                    }),
                )
            }),
            Completion::METHOD => params(request).map(|params: lsp_types::CompletionParams| {
                let place = params.text_document_position;
                let items = match (&self.pack, self.documents.get(&place.text_document.uri)) {
                    (Ok(pack), Some(open)) => {
                        complete::complete(&open.text, place.position, pack.structure.schema())
                    }
                    _ => Vec::new(),
                };
                serde_json::to_value(items)
            }),
            DocumentSymbolRequest::METHOD => {
                params(request).map(|params: lsp_types::DocumentSymbolParams| {
                    let symbols = self
                        .documents
                        .get(&params.text_document.uri)
                        .map(|open| navigate::symbols(&open.text));
                    serde_json::to_value(symbols)
                })
            }
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("govlint server does not answer `{}`", request.method),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Ok(Err(error)) | Err(error) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                error.to_string(),
            ),
        }
    }

    /// `answer` for the open document and the offset a request points at.
    fn at<T>(
        &self,
        place: &lsp_types::TextDocumentPositionParams,
        answer: impl FnOnce(&Uri, &str, usize) -> T,
    ) -> Option<T> {
        let uri = &place.text_document.uri;
        let open = self.documents.get(uri)?;
        let offset = Lines::new(&open.text).offset(place.position);
        Some(answer(uri, &open.text, offset))
    }

    fn notice(&mut self, connection: &Connection, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    notification_params::<lsp_types::DidOpenTextDocumentParams>(notification)
                {
                    let uri = params.text_document.uri;
                    self.documents.insert(
                        uri.clone(),
                        Open {
                            name: name_of(&uri),
                            text: params.text_document.text,
                            findings: Vec::new(),
                        },
                    );
                    // A newly opened document is checked at once: no typing to wait for.
                    self.check(connection, &uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    notification_params::<lsp_types::DidChangeTextDocumentParams>(notification)
                {
                    let uri = params.text_document.uri;
                    // Whole-text sync: the last change is the text.
                    if let (Some(open), Some(change)) = (
                        self.documents.get_mut(&uri),
                        params.content_changes.into_iter().last(),
                    ) {
                        open.text = change.text;
                        self.dirty.insert(uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    notification_params::<lsp_types::DidCloseTextDocumentParams>(notification)
                {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.dirty.remove(&uri);
                    if self.is_pack_document(&uri) {
                        // Its unsaved text is gone: the pack is read from disk again.
                        self.reload(connection);
                    } else {
                        publish(connection, uri, Vec::new());
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) =
                    notification_params::<lsp_types::DidSaveTextDocumentParams>(notification)
                    && self.is_pack_document(&params.text_document.uri)
                {
                    self.reload(connection);
                }
            }
            DidChangeConfiguration::METHOD => {
                if let Ok(params) =
                    notification_params::<lsp_types::DidChangeConfigurationParams>(notification)
                {
                    // Editors send their whole settings, or only govlint's.
                    let ours = match params.settings.get("govlint") {
                        Some(settings) => settings.clone(),
                        None => params.settings,
                    };
                    let (settings, problems) = Settings::resolve(self.root.as_deref(), Some(ours));
                    for problem in problems {
                        self.tell(connection, MessageType::WARNING, problem);
                    }
                    self.settings = settings;
                    self.reload(connection);
                }
            }
            _ => {}
        }
    }

    /// Load the pack again, its files as the editor holds them, show its
    /// problems, and check every open snapshot again.
    fn reload(&mut self, connection: &Connection) {
        self.pack = load_pack(&self.settings, self.unsaved_pack_files());
        self.publish_pack_problems(connection);
        let snapshots: Vec<Uri> = (self.documents.keys())
            .filter(|uri| !self.is_pack_document(uri))
            .cloned()
            .collect();
        for uri in snapshots {
            self.dirty.remove(&uri);
            self.check(connection, &uri);
        }
    }

    fn check_dirty(&mut self, connection: &Connection) {
        for uri in std::mem::take(&mut self.dirty) {
            self.check(connection, &uri);
        }
    }

    /// Whether a document is a file of the pack (a rule, an override, the manifest).
    fn is_pack_document(&self, uri: &Uri) -> bool {
        path_of(uri).is_some_and(|path| self.settings.is_pack_file(&path))
    }

    /// The pack's files open in the editor, as typed.
    fn unsaved_pack_files(&self) -> Unsaved {
        (self.documents.iter())
            .filter(|(uri, _)| self.is_pack_document(uri))
            .filter_map(|(uri, open)| Some((lexically_normal(&path_of(uri)?), open.text.clone())))
            .collect()
    }

    /// Check one open document and publish what it found: a snapshot against
    /// the pack; a file of the pack by loading the pack as typed, which checks
    /// its conditions and every open snapshot against them.
    pub fn check(&mut self, connection: &Connection, uri: &Uri) {
        if self.is_pack_document(uri) {
            self.reload(connection);
            return;
        }
        let path = path_of(uri);
        let name = name_of(uri);
        let base = path.as_ref().and_then(|path| self.base_of(path));
        let Some(open) = self.documents.get(uri) else {
            return;
        };
        let (findings, diagnostics) = match &self.pack {
            Ok(pack) => {
                let findings = diagnose::check_text(pack, &self.settings, &name, &open.text, base);
                let lines = Lines::new(&open.text);
                let publishing = Publishing {
                    uri,
                    name: &name,
                    lines: &lines,
                    settings: &self.settings,
                    pack: Some(pack),
                };
                let diagnostics = findings
                    .iter()
                    .filter_map(|finding| publishing.diagnostic(finding))
                    .collect();
                (findings, diagnostics)
            }
            Err(problem) => (Vec::new(), vec![pack_missing(problem)]),
        };
        if let Some(open) = self.documents.get_mut(uri) {
            open.findings = findings;
        }
        publish(connection, uri.clone(), diagnostics);
    }

    /// The records a proposal at `path` is checked against, from the editor if
    /// open there, else from disk.
    fn base_of(&self, path: &Path) -> Option<Base> {
        let base = self.settings.base_of(path)?;
        let open = text::uri_of(&base)
            .and_then(|uri| self.documents.get(&uri))
            .map(|open| open.text.clone());
        let name = base.display().to_string();
        Some(match open {
            Some(text) => Ok((name, text)),
            None => std::fs::read_to_string(&base)
                .map(|text| (name, text))
                .map_err(|error| format!("{}: {error}", base.display())),
        })
    }

    /// Give each file of the pack its problems, and clear the mended ones.
    fn publish_pack_problems(&mut self, connection: &Connection) {
        let mut now: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
        if let Err(problem @ PackProblem::Unreadable(_)) = &self.pack
            && let Some(rules) = &self.settings.rules
            && let Some(uri) = text::uri_of(&rules.join("pack.yaml"))
        {
            now.entry(uri).or_default().push(pack_missing(problem));
        }
        if let Err(PackProblem::Invalid(findings)) = &self.pack {
            for finding in findings {
                let path = Path::new(finding.location.source.name());
                let path = match &self.settings.rules {
                    Some(rules) if path.is_relative() => rules.join(path),
                    _ => path.to_path_buf(),
                };
                let Some(uri) = text::uri_of(&path) else {
                    continue;
                };
                let text = finding.location.source.text();
                let lines = Lines::new(text);
                let publishing = Publishing {
                    uri: &uri,
                    name: finding.location.source.name(),
                    lines: &lines,
                    settings: &self.settings,
                    pack: None,
                };
                if let Some(diagnostic) = publishing.diagnostic(finding) {
                    now.entry(uri).or_default().push(diagnostic);
                }
            }
        }
        // An open file of the pack hears that it has no problem, as any document does.
        let open_pack_files: Vec<Uri> = (self.documents.keys())
            .filter(|uri| self.is_pack_document(uri))
            .cloned()
            .collect();
        for clean in std::mem::take(&mut self.pack_problems)
            .into_iter()
            .chain(open_pack_files)
        {
            if !now.contains_key(&clean) {
                publish(connection, clean, Vec::new());
            }
        }
        for (uri, diagnostics) in now {
            self.pack_problems.insert(uri.clone());
            publish(connection, uri, diagnostics);
        }
    }

    fn tell(&self, connection: &Connection, kind: MessageType, message: String) {
        send(
            connection,
            Message::Notification(Notification::new(
                ShowMessage::METHOD.to_owned(),
                ShowMessageParams { typ: kind, message },
            )),
        );
    }
}

/// The name a document's findings carry: its path, or its URI when it has none.
fn name_of(uri: &Uri) -> String {
    path_of(uri).map_or_else(
        || uri.as_str().to_owned(),
        |path| path.display().to_string(),
    )
}

/// The pack folder the settings name, its files as the editor holds them.
fn pack_files(settings: &Settings, unsaved: Unsaved) -> PackFiles {
    match settings.rules.clone() {
        None => PackFiles::Builtin,
        Some(folder) if unsaved.is_empty() => PackFiles::Disk(folder),
        Some(folder) => PackFiles::Edited(folder, Arc::new(unsaved)),
    }
}

/// The pack the settings name, or why it cannot be used.
fn load_pack(settings: &Settings, unsaved: Unsaved) -> Result<Pack, PackProblem> {
    diagnose::guarded(|| Pack::load(pack_files(settings, unsaved))).unwrap_or_else(|why| {
        Err(PackProblem::Unreadable(format!(
            "loading it failed ({why})"
        )))
    })
}

/// The diagnostic every snapshot gets while the pack cannot be loaded.
fn pack_missing(problem: &PackProblem) -> Diagnostic {
    let why = match problem {
        PackProblem::Unreadable(message) => message.clone(),
        PackProblem::Invalid(findings) => format!(
            "{} problem(s) in its files, the first: {}",
            findings.len(),
            findings
                .first()
                .map(|finding| format!("{}: {}", finding.location.source.name(), finding.message))
                .unwrap_or_default()
        ),
    };
    Diagnostic {
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(lsp_types::NumberOrString::String(
            crate::base::engine_rules::PACK_RULE.to_owned(),
        )),
        source: Some("govlint".to_owned()),
        message: format!(
            "the rule pack cannot be used, so nothing was checked: {why}\nhelp: mend the pack, or correct `rules` in the settings"
        ),
        ..Diagnostic::default()
    }
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, serde_json::Error> {
    serde_json::from_value(request.params)
}

fn notification_params<P: serde::de::DeserializeOwned>(
    notification: Notification,
) -> Result<P, serde_json::Error> {
    serde_json::from_value(notification.params)
}

fn publish(connection: &Connection, uri: Uri, diagnostics: Vec<Diagnostic>) {
    send(
        connection,
        Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            },
        )),
    );
}

/// Send a message; a closed connection ends the loop on its next receive.
fn send(connection: &Connection, message: Message) {
    let _ = connection.sender.send(message);
}
