//! `docs/architecture.md` lists the built-in readers and the rules: this keeps both
//! lists equal to the registries, in order, so the doc cannot drift.

use creeplint::formats::Registry;
use creeplint::rules::RULES;

/// The entries of the bullet list between `<!-- NAME:start -->` and `<!-- NAME:end -->`:
/// for each bullet, the name in its first backticks and the text after it (continuation
/// lines joined with spaces).
fn entries(doc: &str, name: &str) -> Vec<(String, String)> {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let (Some(a), Some(b)) = (doc.find(&start), doc.find(&end)) else {
        panic!("docs/architecture.md lacks the {name} markers");
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for line in doc.get(a + start.len()..b).unwrap_or("").lines() {
        if let Some(rest) = line.strip_prefix("- `") {
            let Some((entry, text)) = rest.split_once('`') else {
                panic!("a {name} entry without a closing backtick: {line}");
            };
            out.push((entry.to_string(), text.to_string()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if !line.trim().is_empty() {
            panic!("the {name} list starts with text that is no entry: {line}");
        }
    }
    out
}

fn doc() -> String {
    match std::fs::read_to_string("docs/architecture.md") {
        Ok(t) => t,
        Err(e) => panic!("docs/architecture.md: {e}"),
    }
}

#[test]
fn the_documented_readers_are_the_builtin_registry_in_order() {
    let registry = Registry::builtin();
    let expected: Vec<String> = registry
        .readers()
        .iter()
        .map(|r| {
            let exts: Vec<String> = r.extensions().iter().map(|e| format!("`.{e}`")).collect();
            let names: Vec<String> = r.file_names().iter().map(|n| format!("`{n}`")).collect();
            format!(
                "- `{}` ({}): what it reads",
                r.name(),
                exts.into_iter().chain(names).collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    let documented = entries(&doc(), "readers");
    let names: Vec<&str> = documented.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        registry.names().collect::<Vec<_>>(),
        "docs/architecture.md lists other readers than formats::Registry::builtin(); the list should be:\n{}",
        expected.join("\n")
    );
    for (reader, (name, text)) in registry.readers().iter().zip(&documented) {
        for ext in reader.extensions() {
            assert!(
                text.contains(&format!("`.{ext}`")),
                "docs/architecture.md: reader `{name}` does not name its extension `.{ext}`: {text}"
            );
        }
        for file in reader.file_names() {
            assert!(
                text.contains(&format!("`{file}`")),
                "docs/architecture.md: reader `{name}` does not name its file name `{file}`: {text}"
            );
        }
    }
}

#[test]
fn the_documented_rules_are_the_rule_registry_in_order() {
    let expected: Vec<String> = RULES
        .iter()
        .map(|r| format!("- `{}` ({}, {})", r.name, r.severity, r.concern.title()))
        .collect();
    let documented: Vec<String> = entries(&doc(), "rules")
        .into_iter()
        .map(|(name, text)| format!("- `{name}`{text}"))
        .collect();
    assert_eq!(
        documented,
        expected,
        "docs/architecture.md lists the rules differently from rules::RULES; the list should be:\n{}",
        expected.join("\n")
    );
    // "Where a new rule goes" names the file: each rule is where the doc says.
    for rule in RULES {
        let file = format!("src/rules/{}.rs", rule.name.replace('-', "_"));
        assert!(
            std::path::Path::new(&file).is_file(),
            "rule `{}` is not in {file}, where docs/architecture.md says rules go",
            rule.name
        );
    }
}

#[test]
fn the_readme_links_the_architecture() {
    let readme = std::fs::read_to_string("README.md").unwrap_or_default();
    assert!(
        readme.contains("(docs/architecture.md)"),
        "README.md does not link docs/architecture.md"
    );
}
