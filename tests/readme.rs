//! The README's rule table is generated from the rule data: this keeps it true.

#[test]
fn readme_rule_table_matches_the_rules() {
    let readme = std::fs::read_to_string("README.md").unwrap_or_default();
    let start = "<!-- rules:start -->\n";
    let end = "<!-- rules:end -->";
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the rules markers");
    };
    let current = &readme[a + start.len()..b];
    let expected = creeplint::output::rules::markdown_table();
    if current != expected {
        if std::env::var_os("CREEPLINT_BLESS").is_some() {
            let updated = format!("{}{}{}", &readme[..a + start.len()], expected, &readme[b..]);
            let _ = std::fs::write("README.md", updated);
        } else {
            panic!(
                "the README rule table is out of date; run `CREEPLINT_BLESS=1 cargo test --test readme`:\n{expected}"
            );
        }
    }
}
