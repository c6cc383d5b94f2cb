//! `govlint new rule ID --rules DIR`: write the files `scaffold` makes, never
//! over an existing one, creating the pack (extending the built-in one) if the
//! folder has none.

use super::args::PackArgs;
use super::console::{Status, complain, load_pack, print};
use super::scaffold;
use std::path::{Path, PathBuf};

pub fn command(folder: &Path, id: &str) -> Status {
    let manifest = folder.join("pack.yaml");
    let mut written: Vec<PathBuf> = Vec::new();
    if !manifest.exists() {
        if let Err(message) = write_new(&manifest, &new_manifest(folder)) {
            return complain(&message);
        }
        written.push(manifest);
    }
    let pack = match load_pack(&PackArgs {
        rules: Some(folder.to_path_buf()),
    }) {
        Ok(pack) => pack,
        Err(status) => return status,
    };
    let files = match scaffold::new_rule(&pack, id) {
        Ok(files) => files,
        Err(message) => return complain(&message),
    };
    if let Some(existing) = files.iter().find(|file| folder.join(&file.path).exists()) {
        return complain(&format!(
            "`{}` exists already; choose another id or remove it",
            folder.join(&existing.path).display()
        ));
    }
    for file in files {
        let path = folder.join(&file.path);
        if let Err(message) = write_new(&path, &file.text) {
            return complain(&message);
        }
        written.push(path);
    }
    let list: Vec<String> = written
        .iter()
        .map(|path| format!("  {}\n", path.display()))
        .collect();
    print(&format!(
        "wrote\n{}next: govlint test --rules {}\n",
        list.concat(),
        folder.display()
    ));
    Status::Clean
}

/// A manifest for a new pack named after its folder, starting from the built-in pack.
fn new_manifest(folder: &Path) -> String {
    // A folder not made yet has no canonical path: its own name then.
    let base = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf())
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = base
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    let name = if name.is_empty() { "my-pack" } else { name };
    format!(
        "# A rule pack, from `govlint new rule`: the built-in pack's rules, schema and\n\
         # settings, and this folder's rules and overrides (docs/rule-language.md).\n\
         name: {name}\ntitle: The rules of {name}\nextends: builtin\n"
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create `{}`: {error}", parent.display()))?;
    }
    std::fs::write(path, text)
        .map_err(|error| format!("cannot write `{}`: {error}", path.display()))
}
