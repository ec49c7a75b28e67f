//! HTML forms: the example project, labels and spans, hidden fields, pre-ticked consent,
//! autocomplete, purposes from a data file, suppressions, lenient parsing.

mod common;

use common::{check, check_files, count, rows, text, with};
use creeplint::pipeline::{Options, run};

#[test]
fn the_html_example() {
    let o = check("examples/html-forms");
    insta::assert_snapshot!(rows(&o));
    // about.html has no form: skipped; the other three pages and the data file are read.
    assert_eq!(o.summary.files, 5);
    assert_eq!(o.summary.skipped, 1);
    let pre = with(&o, "prechecked-consent", "`offers`");
    assert_eq!(pre.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, pre[0].primary.loc), "checked");
    // A pre-selected payment method is not consent.
    assert!(with(&o, "prechecked-consent", "`method`").is_empty());
    let ac = with(&o, "autocomplete-mismatch", "`first_name`");
    assert_eq!(ac.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, ac[0].primary.loc), "family-name");
    assert_eq!(with(&o, "hidden-collection", "`visitor_id`").len(), 1);
    assert!(with(&o, "hidden-collection", "`utm_campaign`").is_empty());
    // The card fields' purposes come from privacy.yaml.
    assert!(
        with(&o, "missing-purpose", "`card_").is_empty(),
        "{}",
        rows(&o)
    );
    assert!(
        with(&o, "missing-purpose", "checkout.card").is_empty(),
        "{}",
        rows(&o)
    );
}

#[test]
fn spans_point_at_attributes_with_lines_and_columns() {
    let page = "<form id=\"f\">\n  <input type=\"hidden\" name=\"device_id\">\n</form>\n";
    let (_dir, o) = check_files(&[("p.html", page)]);
    let f = with(&o, "hidden-collection", "`device_id`");
    assert_eq!(f.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, f[0].primary.loc), "hidden");
    let lc = o.sources.line_col(f[0].primary.loc);
    assert_eq!((lc.line, lc.column), (2, 16));
    let missing = with(&o, "missing-purpose", "`device_id`");
    assert_eq!(missing.len(), 1);
    assert_eq!(text(&o, missing[0].primary.loc), "device_id");
    // The help speaks HTML.
    assert!(
        missing[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`data-purpose` attribute")),
        "{:?}",
        missing[0].help
    );
}

#[test]
fn prechecked_consent_from_a_wrapping_label() {
    let page = r#"<form id="news">
<label><input type="checkbox" name="partners" checked> Share my details with partners</label>
<label><input type="checkbox" name="remember" checked> Keep me signed in</label>
</form>"#;
    let (_dir, o) = check_files(&[("news.html", page)]);
    assert_eq!(count(&o, "prechecked-consent"), 1, "{}", rows(&o));
    assert_eq!(with(&o, "prechecked-consent", "`partners`").len(), 1);
}

#[test]
fn comment_allows_suppress_the_next_element() {
    let page = r#"<form id="quote" data-purpose="Gets you a quote" data-uses="transactional">
<!-- creeplint: allow hidden-collection, missing-purpose -- the agent id identifies our agent, not the visitor -->
<input type="hidden" name="agent_user_id" value="7">
<input type="hidden" name="visitor_user_id">
</form>"#;
    let (_dir, o) = check_files(&[("quote.html", page)]);
    assert!(
        with(&o, "hidden-collection", "`agent_user_id`").is_empty(),
        "{}",
        rows(&o)
    );
    assert_eq!(with(&o, "hidden-collection", "`visitor_user_id`").len(), 1);
    assert_eq!(o.summary.suppressed, 2);
    assert_eq!(count(&o, "invalid-allow"), 0, "{}", rows(&o));
}

#[test]
fn broken_markup_is_read_like_a_browser_would() {
    let page = "<form id=x><label>Email <input name=email type=email</label><select name=s><option selected>a";
    let (_dir, o) = check_files(&[("broken.html", page)]);
    assert_eq!(count(&o, "invalid-file"), 0, "{}", rows(&o));
    assert_eq!(o.project.forms.len(), 1);
    assert!(!o.project.forms[0].fields.is_empty());
}

#[test]
fn a_data_item_names_the_field_of_the_longest_form_id_and_the_last_form_of_that_id() {
    let form = |id: &str, fields: &[&str]| {
        let inputs: String = fields
            .iter()
            .map(|f| format!("  <label for=\"{f}\">{f}</label><input id=\"{f}\" name=\"{f}\">\n"))
            .collect();
        format!("<form id=\"{id}\" data-uses=\"marketing\">\n{inputs}</form>\n")
    };
    let a = form("signup", &["email", "address.city", "phone"]);
    let b = form("signup", &["email", "birthday"]);
    let c = form("signup.address", &["city"]) + &form("signup.", &["zip"]);
    let item = |id: &str, why: &str| {
        format!("  - id: {id}\n    source: volunteered\n    description: {why}\n")
    };
    let data = String::from("kind: data\nitems:\n")
        + &item("signup.email", "To send your receipt.")
        + &item("signup.address.city", "To deliver your order.")
        + &item("signup.phone", "To call you about a delivery.")
        + &item("signup..zip", "To work out shipping.")
        + &item("signup.nothing", "Never used.");
    let (_dir, o) = check_files(&[
        ("a.html", &a),
        ("b.html", &b),
        ("c.html", &c),
        ("privacy.yaml", &data),
    ]);
    let missing: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.rule == "missing-purpose")
        .map(|f| {
            format!(
                "{}: {}",
                o.sources
                    .display(f.primary.loc.file)
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                f.message
            )
        })
        .collect();
    // `signup.email` describes the last `signup` form's field (b.html), and
    // `signup.address.city` the `signup.address` form's (c.html), not a.html's
    // `address.city`; `signup..zip` is the `signup.` form's `zip`.
    assert_eq!(
        missing,
        [
            "a.html: form `signup` asks for `email` without saying why",
            "a.html: form `signup` asks for `address.city` without saying why",
            "b.html: form `signup` asks for `birthday` without saying why",
        ],
        "{}",
        rows(&o)
    );
    // Items that name a field are the field's purpose, not data items of their own.
    let items: Vec<&str> = o.project.data.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(items, ["signup.nothing"]);
}

#[test]
fn the_same_form_on_several_pages_and_repeated_names_are_not_errors() {
    let page = r#"<form id="newsletter"><input type="email" name="email" placeholder="Email"
  data-purpose="We send the monthly letter here." data-uses="marketing">
<input name="topics[]"><input name="topics[]"></form>"#;
    let (_dir, o) = check_files(&[("a.html", page), ("b/index.html", page)]);
    assert_eq!(count(&o, "invalid-file"), 0, "{}", rows(&o));
    assert_eq!(o.project.forms.len(), 2);
    let ids: Vec<&str> = o.project.forms[0]
        .fields
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(ids, ["email", "topics[]"]);
}

#[test]
fn pages_in_another_encoding_are_skipped_and_deep_nesting_is_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Latin-1 "Teléfono": not UTF-8.
    let mut latin1 = b"<form id=\"f\"><label for=\"t\">Tel\xe9fono</label><input id=\"t\" name=\"phone\" type=\"hidden\"></form>".to_vec();
    latin1.extend_from_slice(b"\n");
    std::fs::write(dir.path().join("latin1.html"), latin1).unwrap_or_else(|e| panic!("{e}"));
    let deep = format!(
        "<form id=\"deep\">{}<input type=\"hidden\" name=\"user_id\">{}</form>{}",
        "<div>".repeat(50_000),
        "</span>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    std::fs::write(dir.path().join("deep.html"), deep).unwrap_or_else(|e| panic!("{e}"));
    let mut wide = String::from("<form id=\"wide\">");
    for i in 0..3_000 {
        wide.push_str(&format!("<label for=\"i{i}\">Question {i}</label><input id=\"i{i}\" name=\"q{i}\" data-purpose=\"Survey answer number {i} for our research.\">"));
    }
    wide.push_str("</form>");
    std::fs::write(dir.path().join("wide.html"), wide).unwrap_or_else(|e| panic!("{e}"));
    let o = run(&[dir.path().to_path_buf()], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&o, "invalid-file"), 0, "{}", rows(&o));
    // Not UTF-8: skipped quietly, like any file creeplint cannot read as text.
    assert!(
        with(&o, "hidden-collection", "`phone`").is_empty(),
        "{}",
        rows(&o)
    );
    assert_eq!(o.summary.skipped, 1);
    assert_eq!(
        with(&o, "hidden-collection", "`user_id`").len(),
        1,
        "{}",
        rows(&o)
    );
}
