//! A file as it was at a git revision, read with the `git` command of the
//! machine (the repository's own configuration, credentials and worktrees
//! apply, and no git library is linked in for one read).

use std::path::Path;
use std::process::Command;

/// The content of `path` at `revision` in the repository that holds it:
/// `Ok(None)` when the file did not exist then.
///
/// # Errors
/// The path is outside a git repository, the revision is unknown, or git
/// could not be run; each message says what to do.
pub fn read_at(path: &Path, revision: &str) -> Result<Option<Vec<u8>>, String> {
    if revision.starts_with('-') {
        return Err(format!(
            "`{revision}` is not a revision: it reads as an option"
        ));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("`{}` is not a file", path.display()))?
        .to_string_lossy();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(folder)
            .args(args)
            .output()
            .map_err(|error| format!("cannot run git to read `{revision}`: {error}"))
    };
    if !git(&["rev-parse", "--git-dir"])?.status.success() {
        return Err(format!(
            "`{}` is not in a git repository, so it has no revision `{revision}`; \
             compare with --proposal FILE instead",
            path.display()
        ));
    }
    let commit = format!("{revision}^{{commit}}");
    if !git(&["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(format!(
            "unknown revision `{revision}` in the repository of `{}`: name a commit, \
             a branch or a tag (`git log` lists them; a shallow clone may lack it)",
            path.display()
        ));
    }
    // `./` makes the path relative to the folder, not to the repository's root.
    let object = format!("{revision}:./{name}");
    if !git(&["cat-file", "-e", &object])?.status.success() {
        return Ok(None);
    }
    let shown = git(&["cat-file", "blob", &object])?;
    if shown.status.success() {
        Ok(Some(shown.stdout))
    } else {
        Err(format!(
            "git could not read `{object}`: {}",
            String::from_utf8_lossy(&shown.stderr).trim()
        ))
    }
}
