//! The built-in rule pack is compiled into the binary: rebuild when its files
//! change. Its YAML files are also written as JSON: the pack loads on every run,
//! and JSON reads several times faster. The YAML stays the source that reports,
//! `govlint explain` and `govlint test` read; the JSON holds the same values, in
//! the same order.

use std::error::Error;
use std::fs;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    for dir in ["rules", "schemas", "fixtures"] {
        println!("cargo::rerun-if-changed={dir}");
    }
    let out = Path::new(&std::env::var("OUT_DIR")?).join("builtin-rules");
    fs::create_dir_all(&out)?;
    for entry in fs::read_dir("rules")? {
        let path = entry?.path();
        if path.extension().is_none_or(|extension| extension != "yaml") {
            continue;
        }
        let text = fs::read_to_string(&path)?;
        // YAML 1.2 booleans, as govlint reads every file (`load::parser_options`).
        let options = serde_saphyr::options! { strict_booleans: true };
        let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let name = path.file_name().ok_or("a file has no name")?;
        fs::write(out.join(name), serde_json::to_string(&value)?)?;
    }
    Ok(())
}
