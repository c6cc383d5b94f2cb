"""`govlint server` driven over stdio by pytest-lsp (a real LSP client on pygls)."""

import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import (
    FAILING,
    REAL_RECORDS,
    SERVER,
    apply_edits,
    change_document,
    codes,
    diagnostics_after,
    init_params,
    open_document,
)


@pytest.fixture
def workspace(tmp_path):
    shutil.copy(REAL_RECORDS, tmp_path / "records.yaml")
    shutil.copy(FAILING, tmp_path / "failing.yaml")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, workspace):
    await lsp_client.initialize_session(init_params(workspace))
    yield
    await lsp_client.shutdown_session()


def error_of(diagnostics, rule):
    found = [d for d in diagnostics if d.code == rule]
    assert found, f"no {rule} among {codes(diagnostics)}"
    return found[0]


async def test_the_real_records_have_no_error(client: LanguageClient, workspace):
    _, diagnostics = await open_document(client, workspace / "records.yaml")
    assert diagnostics, "the real records have 'not recorded' warnings"
    assert all(d.severity == types.DiagnosticSeverity.Warning for d in diagnostics)
    assert all(d.source == "govlint" and d.code for d in diagnostics)
    assert any("verdict: not recorded" in d.message for d in diagnostics)


async def test_a_failing_file_gets_its_error_and_an_edit_mends_it(client, workspace):
    path = workspace / "failing.yaml"
    text = path.read_text()
    uri, diagnostics = await open_document(client, path)
    term = error_of(diagnostics, "presidency-term-length")
    assert term.severity == types.DiagnosticSeverity.Error
    line = text.split("\n")[term.range.start.line]
    assert "end: 2020-09" in line
    assert "clause: " in term.message and "verdict: contradiction" in term.message
    # Typing the right end removes the error; with the term over in 2019, no
    # presidency is recorded for 2020, nor one taking over in 2019 (as
    # `govlint check` says too).
    mended = await change_document(client, uri, text.replace("end: 2020-09", "end: 2019-09"))
    expected = (set(codes(diagnostics)) - {"presidency-term-length"}) | {
        "presidency-current",
        "presidency-succession",
    }
    assert codes(mended) == sorted(expected)
    # The file on disk is untouched: the server checks the editor's text.
    assert path.read_text() == text


async def test_the_safe_fix_is_the_preferred_quick_fix(client, workspace):
    path = workspace / "failing.yaml"
    text = path.read_text()
    uri, diagnostics = await open_document(client, path)
    term = error_of(diagnostics, "presidency-term-length")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=term.range,
            context=types.CodeActionContext(diagnostics=[term]),
        )
    )
    preferred = [a for a in actions if a.is_preferred]
    assert len(preferred) == 1, [a.title for a in actions]
    fixed = apply_edits(text, preferred[0].edit.changes[uri])
    assert "{holder: LU, start: 2017-09, end: 2019-09}" in fixed
    after = await change_document(client, uri, fixed)
    assert "presidency-term-length" not in codes(after)

    # Waiving it instead keeps the finding, as a hint.
    waive = [a for a in actions if a.title.startswith("Waive presidency-term-length")]
    assert len(waive) == 1 and not waive[0].is_preferred
    waived_text = apply_edits(text, waive[0].edit.changes[uri])
    assert 'reason: "TODO' in waived_text and "expires: " in waived_text
    waived = await change_document(client, uri, waived_text, version=3)
    hint = error_of(waived, "presidency-term-length")
    assert hint.severity == types.DiagnosticSeverity.Hint


async def test_bad_input_while_typing_keeps_the_server_answering(client, workspace):
    path = workspace / "failing.yaml"
    uri, _ = await open_document(client, path)
    # Half-written YAML.
    half = await change_document(client, uri, "format: 1\nmembers:\n  - {id: FR, name: [\n")
    assert codes(half) == ["yaml-syntax"]
    # Not UTF-8 cannot be sent; a file of 100 MB can.
    big = workspace / "big.yaml"
    _, diagnostics = await open_document(client, big, "x: " + "a" * (100 * 1024 * 1024) + "\n")
    assert codes(diagnostics) == ["input-limit"]
    assert "over the editor's limit" in diagnostics[0].message
    # Still answering, and still checking.
    mended = await change_document(client, uri, path.read_text(), version=5)
    assert "presidency-term-length" in codes(mended)


async def test_a_proposal_reports_only_what_it_introduces(client, workspace):
    records = workspace / "records.yaml"
    proposal = workspace / "records.proposal.yaml"
    # A member with an unknown category: a structure error the records lack.
    text = "members:\n  - {id: DE, name: Germany, category: partner}\n"
    _, diagnostics = await open_document(client, proposal, text)
    assert codes(diagnostics) == ["schema"], [d.message for d in diagnostics]
    assert diagnostics[0].range.start.line == 1
    # Alone (named otherwise), the same text has far more to say.
    _, alone = await open_document(client, workspace / "fragment.yaml", text)
    assert len(alone) > len(diagnostics)
    assert records.exists()


@pytest.fixture
def broken_pack(tmp_path):
    pack = tmp_path / "no-such-pack"
    shutil.copy(REAL_RECORDS, tmp_path / "records.yaml")
    return tmp_path, pack


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def unknown_pack_client(lsp_client: LanguageClient, broken_pack):
    root, pack = broken_pack
    await lsp_client.initialize_session(init_params(root, {"rules": str(pack)}))
    yield
    await lsp_client.shutdown_session()


async def test_an_unknown_pack_is_reported_on_the_records(unknown_pack_client, broken_pack):
    root, _ = broken_pack
    _, diagnostics = await open_document(unknown_pack_client, root / "records.yaml")
    assert codes(diagnostics) == ["rule-pack"]
    assert "the rule pack cannot be used" in diagnostics[0].message


def position_of(text: str, needle: str, nth: int = 0) -> types.Position:
    """The position of the `nth` occurrence of `needle` (ASCII text)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def place(uri, position):
    return dict(text_document=types.TextDocumentIdentifier(uri=uri), position=position)


async def test_hover_definition_and_references_of_a_member(client, workspace):
    path = workspace / "records.yaml"
    text = path.read_text()
    uri, _ = await open_document(client, path)
    holder = position_of(text, "holder: FR")
    on_id = types.Position(line=holder.line, character=holder.character + len("holder: "))

    hover = await client.text_document_hover_async(types.HoverParams(**place(uri, on_id)))
    assert "**FR**, the record at `/members/3`" in hover.contents.value
    assert "name: `France`" in hover.contents.value

    definition = await client.text_document_definition_async(
        types.DefinitionParams(**place(uri, on_id))
    )
    member = position_of(text, "{id: FR, name: France")
    assert definition.range.start.line == member.line

    references = await client.text_document_references_async(
        types.ReferenceParams(
            **place(uri, on_id), context=types.ReferenceContext(include_declaration=True)
        )
    )
    lines = sorted(location.range.start.line for location in references)
    assert lines == [member.line, holder.line]


async def test_hover_on_a_date_and_on_a_finding(client, workspace):
    path = workspace / "records.yaml"
    text = path.read_text()
    uri, diagnostics = await open_document(client, path)
    adopted = position_of(text, "2015-09")
    hover = await client.text_document_hover_async(types.HoverParams(**place(uri, adopted)))
    assert "some day from 2015-09-01 to 2015-09-30" in hover.contents.value

    finding = next(d for d in diagnostics if d.code == "member-declaration-signed")
    hover = await client.text_document_hover_async(
        types.HoverParams(**place(uri, finding.range.start))
    )
    assert "member-declaration-signed (error)" in hover.contents.value
    assert "Clause" in hover.contents.value


async def test_the_outline_lists_the_records(client, workspace):
    path = workspace / "records.yaml"
    uri, _ = await open_document(client, path)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    by_name = {symbol.name: symbol for symbol in symbols}
    assert [child.name for child in by_name["members"].children][:2] == ["CO", "CR"]
    assert [child.name for child in by_name["presidencies"].children] == ["FR 2015–2017"]
    assert [child.name for child in by_name["events"].children] == ["unga70-high-level-event"]


async def test_completion_of_member_ids_enum_values_and_field_names(client, workspace):
    path = workspace / "records.yaml"
    text = path.read_text()
    uri, _ = await open_document(client, path)

    async def labels(new_text, needle):
        await change_document(client, uri, new_text)
        position = position_of(new_text, needle)
        position.character += len(needle)
        items = await client.text_document_completion_async(
            types.CompletionParams(**place(uri, position))
        )
        items = items.items if hasattr(items, "items") else items
        return [item.label for item in items]

    holder = text.replace("  - holder: FR\n", "  - holder: \n")
    ids = await labels(holder, "  - holder: ")
    assert ids[:3] == ["CO", "CR", "EC"] and "SN" in ids and "ILGSSE" not in ids

    category = text.replace("{id: CO, name: Colombia, category: member_state}", "{id: CO, name: Colombia, category: }")
    assert await labels(category, "Colombia, category: ") == [
        "member_state",
        "observer",
        "international_organization",
        "civil_society_organization",
    ]

    field = text.replace("    start: 2015\n", "    start: 2015\n    ro\n")
    names = await labels(field, "    ro")
    assert "roadmap" in names and "holder" not in names and "start" not in names


@pytest.fixture
def own_pack(tmp_path):
    shutil.copytree(REAL_RECORDS.parents[1] / "rules", tmp_path / "rules")
    shutil.copytree(REAL_RECORDS.parents[1] / "schemas", tmp_path / "schemas")
    shutil.copy(REAL_RECORDS, tmp_path / "records.yaml")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def pack_client(lsp_client: LanguageClient, own_pack):
    # The pack named by the project file, relative to the workspace.
    (own_pack / ".govlint.json").write_text('{"rules": "rules"}')
    await lsp_client.initialize_session(init_params(own_pack))
    yield
    await lsp_client.shutdown_session()


async def test_saving_a_broken_rule_shows_its_error_and_rechecks_the_records(
    pack_client, own_pack
):
    records_uri, before = await open_document(pack_client, own_pack / "records.yaml")
    assert "rule-pack" not in codes(before)
    rule = own_pack / "rules" / "presidency-term-length.yaml"
    good = rule.read_text()
    broken = good.replace("assert: same_date(", "assert: ((same_date(")
    assert broken != good
    rule_uri = rule.as_uri()
    pack_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=rule_uri, language_id="yaml", version=1, text=good
            )
        )
    )

    def save(text):
        # As an editor saves: the text typed, then written and saved.
        pack_client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=rule_uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        rule.write_text(text)
        pack_client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=rule_uri))
        )

    # Typing in the records does not read the pack again: a rule file broken
    # on disk but not saved in the editor changes nothing.
    rule.write_text(broken)
    records_text = (own_pack / "records.yaml").read_text()
    typed = await change_document(pack_client, records_uri, records_text + "# typing\n")
    assert codes(typed) == codes(before)

    after = await diagnostics_after(pack_client, records_uri, lambda: save(broken))
    assert codes(after) == ["rule-pack"]
    problems = pack_client.diagnostics[rule_uri]
    assert codes(problems) == ["rule-pack"]
    line = broken.split("\n")[problems[0].range.start.line]
    assert "assert: ((same_date(" in line
    assert problems[0].range.start.character == line.index("((")

    mended = await diagnostics_after(pack_client, records_uri, lambda: save(good))
    assert codes(mended) == codes(before)
    assert list(pack_client.diagnostics[rule_uri]) == []


async def test_a_rule_file_gets_its_errors_while_it_is_typed(pack_client, own_pack):
    rule = own_pack / "rules" / "presidency-term-length.yaml"
    good = rule.read_text()
    uri, diagnostics = await open_document(pack_client, rule)
    assert list(diagnostics) == []
    # A field the rule files' schema does not know, at its line.
    unknown = good.replace("params:\n", "parms:\n", 1)
    problems = await change_document(pack_client, uri, unknown)
    assert codes(problems) == ["rule-pack"]
    line = unknown.split("\n")[problems[0].range.start.line]
    assert line.startswith("parms:") or "parms" in problems[0].message
    # Half-written YAML.
    problems = await change_document(pack_client, uri, good + "checks: [\n", version=3)
    assert codes(problems) == ["rule-pack"]
    # Nothing was saved: the file on disk is as it was.
    assert rule.read_text() == good


async def test_a_rule_as_typed_is_checked_and_judges_the_open_records(pack_client, own_pack):
    records_uri, before = await open_document(pack_client, own_pack / "records.yaml")
    assert "presidency-term-length" not in codes(before)
    rule = own_pack / "rules" / "presidency-term-length.yaml"
    good = rule.read_text()
    rule_uri, _ = await open_document(pack_client, rule)

    # A field the records' schema does not have: refused at its place, with
    # "did you mean", before the file is saved.
    misspelt = good.replace("same_date(term.end, expected_end)", "same_date(term.edn, expected_end)")
    assert misspelt != good
    problems = await change_document(pack_client, rule_uri, misspelt)
    assert codes(problems) == ["rule-pack"]
    assert "did you mean `end`?" in problems[0].message
    line = misspelt.split("\n")[problems[0].range.start.line]
    assert line[problems[0].range.start.character :].startswith(".edn")
    assert codes(pack_client.diagnostics[records_uri]) == ["rule-pack"]

    # An amended parameter, unsaved: the open records are judged by it at once.
    amended = good.replace("term_years: 2", "term_years: 3", 1)
    assert amended != good
    judged = await diagnostics_after(
        pack_client,
        records_uri,
        lambda: pack_client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=rule_uri, version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=amended)],
            )
        ),
    )
    assert "presidency-term-length" in codes(judged)
    assert list(pack_client.diagnostics[rule_uri]) == []

    # Closed without saving: the pack is read from disk again.
    closed = await diagnostics_after(
        pack_client,
        records_uri,
        lambda: pack_client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=rule_uri))
        ),
    )
    assert codes(closed) == codes(before)
    assert rule.read_text() == good


async def test_changed_settings_apply_to_the_open_records(client, workspace):
    uri, diagnostics = await open_document(client, workspace / "records.yaml")
    assert {d.severity for d in diagnostics} == {types.DiagnosticSeverity.Warning}
    strict = await diagnostics_after(
        client,
        uri,
        lambda: client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"govlint": {"denyWarnings": True}})
        ),
    )
    assert codes(strict) == codes(diagnostics)
    assert {d.severity for d in strict} == {types.DiagnosticSeverity.Error}
