//! Text as a CEL condition: compiled as a rule's `assert` is, and when it compiles,
//! evaluated under the evaluation budget with a small document bound as `doc`.
#![no_main]

use govlint::expr::{Expression, Scope, Val, with_budget};
use govlint::load::{Limits, Node, parse};
use govlint::base::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Fewer steps than the CLI's default keep executions fast; a condition that escapes
/// the budget escapes it whatever its size.
const STEPS: u64 = 1_000_000;

const DOC: &str = "\
format: 1
as_of: 2016-06
group: {id: ilgsse, name: ILGSSE, established: 2013-09}
members:
  - {id: FR, kind: state, joined: 2013-09}
  - {id: LU, kind: state, joined: 2014}
  - {id: x, kind: observer, joined: 2015-02-30}
presidencies:
  - {holder: FR, start: 2015, end: 2017}
  - {holder: LU, start: 2017-09, end: 2020-09, note: [1, 2.5, true, null]}
";

fn doc() -> &'static Node {
    static DOC_TREE: OnceLock<Node> = OnceLock::new();
    DOC_TREE.get_or_init(
        || match parse(&SourceFile::new("doc.yaml", DOC), &Limits::default()) {
            Ok(root) => root,
            Err(failure) => panic!("the fuzz document does not parse: {failure:?}"),
        },
    )
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expression) = Expression::compile(text) else {
        return;
    };
    let _ = expression.free_variables().count();
    let mut scope = Scope::root();
    scope.bind("doc", Val::document(doc()));
    scope.bind("as_of", Val::text("2016-06"));
    let item = scope.child();
    if let Ok(value) = with_budget(STEPS, || item.eval(&expression)) {
        let _ = value.display();
        let _ = value.kind();
        let _ = value.pointer();
        let _ = value.as_bool();
        let _ = value.into_items().map(Iterator::count);
    }
});
