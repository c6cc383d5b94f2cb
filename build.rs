//! The built-in rule pack is compiled into the binary; rebuild when its files change.
fn main() {
    for dir in ["rules", "schemas", "fixtures"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
