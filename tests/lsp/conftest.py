"""Shared by the end-to-end tests: the binary under test, the repository's
files, and helpers that wait for the server's diagnostics."""

import asyncio
import os
import pathlib

from lsprotocol import types

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("GOVLINT_BIN", str(REPO / "target" / "debug" / "govlint"))
SERVER = [BINARY, "server"]
REAL_RECORDS = REPO / "fixtures" / "ilgsse-vade-mecum.yaml"
# A presidency that lasts three years: an error with a safe fix.
FAILING = REPO / "fixtures" / "rules" / "presidency-term-length" / "fail.yaml"


def init_params(root: pathlib.Path, options=None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="records")],
        initialization_options=options,
    )


async def diagnostics_after(client, uri: str, send, timeout: float = 30.0):
    """The diagnostics the server publishes for `uri` after `send()`."""
    client.diagnostics.pop(uri, None)
    send()

    async def wait():
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]

    return await asyncio.wait_for(wait(), timeout)


async def open_document(client, path: pathlib.Path, text: str | None = None):
    text = path.read_text() if text is None else text
    uri = path.as_uri()
    diagnostics = await diagnostics_after(
        client,
        uri,
        lambda: client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=text
                )
            )
        ),
    )
    return uri, diagnostics


async def change_document(client, uri: str, text: str, version: int = 2):
    return await diagnostics_after(
        client,
        uri,
        lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        ),
    )


def apply_edits(text: str, edits) -> str:
    """`text` with LSP text edits applied (positions in UTF-16 units; ASCII here)."""
    lines = text.split("\n")

    def offset(position):
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def codes(diagnostics):
    return sorted({d.code for d in diagnostics})
