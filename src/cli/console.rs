//! What every command shares: the status it ends with, how it prints, and the
//! rule pack it loads.

use super::args::PackArgs;
use crate::check::{self, Input, Options, Reviewed};
use crate::pack::{Pack, PackFiles, PackProblem};
use crate::report::{human, statistics};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit codes of the contract: 0 clean, 1 findings, 2 could not check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean = 0,
    Findings = 1,
    Unable = 2,
}

pub(crate) fn style() -> human::Style {
    style_for(true)
}

/// Colour only for a terminal that wants it, never in a file.
pub(crate) fn style_for(to_stdout: bool) -> human::Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    human::Style {
        color: to_stdout && std::io::stdout().is_terminal() && !no_color,
        ..human::Style::plain()
    }
}

/// A report written as it is laid out, to standard output or a file.
pub(crate) type WriteReport<'a> = dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a;

pub(crate) fn print(text: &str) {
    print_with(&|out: &mut dyn Write| out.write_all(text.as_bytes()));
}

pub(crate) fn print_with(write: &WriteReport) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`govlint … | head`) is not an error worth reporting.
    let _ = write(&mut stdout);
    let _ = stdout.flush();
}

pub(crate) fn print_error(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

pub(crate) fn complain(message: &str) -> Status {
    print_error(&format!("error: {message}\n"));
    Status::Unable
}

pub(crate) fn load_pack(args: &PackArgs) -> Result<Pack, Status> {
    let files = args
        .rules
        .clone()
        .map_or(PackFiles::Builtin, PackFiles::Disk);
    Pack::load(files).map_err(|problem| match problem {
        PackProblem::Unreadable(message) => complain(&message),
        PackProblem::Invalid(findings) => {
            print_error(&human::render_findings(&findings, style()));
            complain(&format!(
                "the rule pack is invalid ({}); nothing was checked",
                statistics::plural(findings.len(), "problem")
            ))
        }
    })
}

pub(crate) fn with_pack(args: &PackArgs, command: impl FnOnce(&Pack) -> Status) -> Status {
    match load_pack(args) {
        Ok(pack) => command(&pack),
        Err(status) => status,
    }
}

/// Write beside the target, then rename over it: a reader never sees half a report.
pub(crate) fn write_atomically(path: &Path, write: &WriteReport) -> Result<(), String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let fail = |error: std::io::Error| format!("cannot write `{}`: {error}", path.display());
    let mut file = temporary_beside(path, folder).map_err(fail)?;
    {
        let mut out = std::io::BufWriter::new(file.as_file_mut());
        write(&mut out).and_then(|()| out.flush()).map_err(fail)?;
    }
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|error| fail(error.error))?;
    Ok(())
}

/// `text` to `output` (atomically), else to standard output.
pub(crate) fn emit(output: Option<&PathBuf>, text: &str) -> Result<(), Status> {
    let write = |out: &mut dyn Write| out.write_all(text.as_bytes());
    match output {
        None => {
            print_with(&write);
            Ok(())
        }
        Some(path) => write_atomically(path, &write).map_err(|message| complain(&message)),
    }
}

/// The records at `path`, checked, with a `proposal` over them if one is given.
pub(crate) fn review(
    pack: &Pack,
    path: &PathBuf,
    proposal: Option<&PathBuf>,
    options: &Options,
) -> Result<Reviewed, Status> {
    let read = |path: &PathBuf| {
        check::read(path, &path.display().to_string(), &options.limits).map(Input::new)
    };
    let base = read(path).map_err(|message| complain(&message))?;
    Ok(match proposal {
        None => check::review(pack, base, options),
        Some(proposal) => {
            let proposal = read(proposal).map_err(|message| complain(&message))?;
            check::review_proposal(pack, base, proposal, options)
        }
    })
}

/// A temporary file in `folder` that will take `path`'s place: with the mode
/// and owner of the file it replaces, or, for a new file, the mode the user's
/// umask gives (a temporary file alone would be readable by its owner only).
fn temporary_beside(path: &Path, folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let file = tempfile::Builder::new()
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(folder)?;
        if let Ok(existing) = std::fs::metadata(path) {
            file.as_file().set_permissions(existing.permissions())?;
            // Only root may give a file away; anyone else's files are already theirs.
            let _ = std::os::unix::fs::fchown(
                file.as_file(),
                Some(existing.uid()),
                Some(existing.gid()),
            );
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let file = tempfile::NamedTempFile::new_in(folder)?;
        if let Ok(existing) = std::fs::metadata(path) {
            file.as_file().set_permissions(existing.permissions())?;
        }
        Ok(file)
    }
}
