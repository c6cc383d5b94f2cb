//! Where a pack's files come from: a folder on disk, or the built-in pack compiled
//! into the binary (so `govlint check` works from any folder).

use crate::base::source::read_regular_file;
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

static BUILTIN_RULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");
static BUILTIN_SCHEMAS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/schemas");
static BUILTIN_FIXTURES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures");
/// The built-in pack's files as JSON, written by `build.rs`, under the same names.
static BUILTIN_RULES_JSON: Dir<'_> = include_dir!("$OUT_DIR/builtin-rules");

pub const MANIFEST: &str = "pack.yaml";
/// The largest file a pack may hold (a rule, a schema, a fixture).
const MAX_PACK_FILE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub enum PackFiles {
    Disk(PathBuf),
    /// A folder on disk whose files an editor holds, some edited and not yet
    /// saved: each file is read as the editor has it, else from disk.
    Edited(PathBuf, Arc<Unsaved>),
    Builtin,
}

/// The texts an editor holds, by absolute path.
pub type Unsaved = BTreeMap<PathBuf, String>;

/// A file of the pack: the name to show in reports and its text.
pub struct PackFile {
    pub name: String,
    pub text: String,
    /// The same values as JSON, when the build wrote them (the built-in pack):
    /// what a definition is read from, since JSON reads several times faster.
    pub json: Option<&'static str>,
}

impl PackFiles {
    /// The name a file `relative` to the pack folder goes by in reports: its
    /// path, or its place in the built-in pack's sources.
    pub fn name_of(&self, relative: &str) -> String {
        match self {
            Self::Disk(root) | Self::Edited(root, _) => root.join(relative).display().to_string(),
            Self::Builtin => normalize(&Path::new("rules").join(relative)),
        }
    }

    /// Read `relative` (to the pack folder; `..` allowed).
    pub fn read(&self, relative: &str) -> Result<PackFile, String> {
        let name = self.name_of(relative);
        if let Self::Edited(root, unsaved) = self
            && let Some(text) = unsaved.get(&lexically_normal(&root.join(relative)))
        {
            return Ok(PackFile {
                name,
                text: text.clone(),
                json: None,
            });
        }
        match self {
            Self::Disk(root) | Self::Edited(root, _) => {
                let path = root.join(relative);
                let bytes = read_regular_file(
                    &path,
                    MAX_PACK_FILE_BYTES,
                    "a pack file holds one rule, schema or fixture: split it",
                )?;
                String::from_utf8(bytes)
                    .map(|text| PackFile {
                        name: name.clone(),
                        text,
                        json: None,
                    })
                    .map_err(|_| format!("`{name}` is not UTF-8 text: save it as UTF-8"))
            }
            Self::Builtin => builtin_file(&name)
                .map(|text| PackFile {
                    name: name.clone(),
                    text: text.to_owned(),
                    json: BUILTIN_RULES_JSON
                        .get_file(relative)
                        .and_then(|file| file.contents_utf8()),
                })
                .ok_or_else(|| format!("the built-in pack has no file `{name}`")),
        }
    }

    /// A file `relative` to the pack folder as the folder names it: `a/./b/../c`
    /// as `a/c`; a built-in file by its place in the built-in pack's sources.
    pub fn shown(&self, relative: &str) -> String {
        match self {
            Self::Disk(_) | Self::Edited(..) => tidy(Path::new(relative)),
            Self::Builtin => normalize(&Path::new("rules").join(relative)),
        }
    }

    /// The pack an `extends: BASE` names: `builtin`, or a folder relative to this pack.
    pub fn extended(&self, base: &str) -> Self {
        match (base, self) {
            ("builtin", _) => Self::Builtin,
            (folder, Self::Disk(root)) => Self::Disk(root.join(folder)),
            (folder, Self::Edited(root, unsaved)) => {
                Self::Edited(root.join(folder), Arc::clone(unsaved))
            }
            (folder, Self::Builtin) => Self::Disk(PathBuf::from(folder)),
        }
    }

    /// Whether files read from here are checked against their schemas when a pack
    /// loads. The built-in pack's are not: they are compiled into the binary, and
    /// the test suite checks them (`built_in_files_pass_their_schemas`).
    pub fn needs_checking(&self) -> bool {
        self.folder().is_some()
    }

    /// The pack's folder, for a pack on disk.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Self::Disk(root) | Self::Edited(root, _) => Some(root),
            Self::Builtin => None,
        }
    }

    /// A name for the pack folder, the same for every rule read from it.
    pub fn identity(&self) -> std::sync::Arc<str> {
        match self {
            Self::Disk(root) | Self::Edited(root, _) => root.display().to_string().into(),
            Self::Builtin => "builtin".into(),
        }
    }

    /// The rule files: every `*.yaml` in the pack folder but the manifest and the
    /// files it names (`named`), sorted. Folders are not read.
    pub fn rule_files(&self, named: &[&str]) -> Result<Vec<String>, String> {
        let mut names: Vec<String> = match self {
            Self::Disk(root) | Self::Edited(root, _) => std::fs::read_dir(root)
                .map_err(|error| {
                    format!("cannot read the rule folder `{}`: {error}", root.display())
                })?
                .filter_map(Result::ok)
                // A folder is never a rule, whatever its name (`old.yaml/`).
                .filter(|entry| !entry.path().is_dir())
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect(),
            Self::Builtin => BUILTIN_RULES
                .files()
                .filter_map(|file| file.path().to_str().map(str::to_owned))
                .collect(),
        };
        names.retain(|name| {
            name.ends_with(".yaml")
                && name != MANIFEST
                && !named
                    .iter()
                    .any(|named| Path::new(named) == Path::new(name))
        });
        names.sort();
        Ok(names)
    }
}

fn builtin_file(path: &str) -> Option<&'static str> {
    let (top, rest) = path.split_once('/')?;
    let dir = match top {
        "rules" => &BUILTIN_RULES,
        "schemas" => &BUILTIN_SCHEMAS,
        "fixtures" => &BUILTIN_FIXTURES,
        _ => return None,
    };
    dir.get_file(rest).and_then(|file| file.contents_utf8())
}

/// `/p/a/./b/../c` as `/p/a/c`, without touching the file system: how an
/// editor names the file a pack reaches by `../`.
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `a/./b/../c` as `a/c`, keeping the `..` that leave the folder (`../x`).
fn tidy(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir if parts.last().is_some_and(|last| last != "..") => {
                parts.pop();
            }
            Component::ParentDir => parts.push("..".to_owned()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// `a/b/../c` as `a/c`, with forward slashes, without touching the file system.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_edited_folder_reads_what_the_editor_holds_before_the_disk() {
        let root = tempfile::tempdir().unwrap();
        let pack = root.path().join("pack");
        std::fs::create_dir_all(&pack).unwrap();
        std::fs::create_dir_all(root.path().join("schemas")).unwrap();
        for (file, text) in [
            ("pack/typed.yaml", "on disk"),
            ("pack/saved.yaml", "on disk"),
            ("schemas/s.json", "on disk"),
        ] {
            std::fs::write(root.path().join(file), text).unwrap();
        }
        let unsaved: Unsaved = [
            (pack.join("typed.yaml"), "as typed".to_owned()),
            (root.path().join("schemas/s.json"), "as typed".to_owned()),
        ]
        .into_iter()
        .collect();
        let files = PackFiles::Edited(pack.clone(), Arc::new(unsaved));
        let text = |files: &PackFiles, name: &str| files.read(name).unwrap().text;
        assert_eq!(text(&files, "typed.yaml"), "as typed");
        assert_eq!(text(&files, "saved.yaml"), "on disk");
        // A file reached by `../` is the same file as the editor's.
        assert_eq!(text(&files, "../schemas/s.json"), "as typed");
        assert_eq!(text(&files.extended("../schemas"), "s.json"), "as typed");
        assert_eq!(text(&PackFiles::Disk(pack), "typed.yaml"), "on disk");
    }
}
