//! `creeplint report`: the view model, escaping, the no-network rule, the Markdown size
//! limit, the command line, and the HTML page as a real browser shows it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use creeplint::output::report::{self, html, markdown};
use creeplint::{Options, Outcome, run};

const SHOP: &str = "tests/fixtures/report/shop";

fn outcome(path: &Path) -> Outcome {
    match run(&[path.to_path_buf()], &Options::default()) {
        Ok(o) => o,
        Err(e) => panic!("run failed: {e}"),
    }
}

fn shop() -> Outcome {
    outcome(Path::new(SHOP))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_creeplint"))
}

#[test]
fn the_view_model_holds_every_item_and_personalization() {
    let o = shop();
    let r = report::build(&o);
    let ids: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "colour",
            "email",
            "geo.position",
            "loyalty_tier",
            "phone",
            "predicted.expecting_parent"
        ]
    );
    let tier = r.items.iter().find(|i| i.id == "loyalty_tier");
    assert!(tier.is_some_and(|i| i.undeclared && i.used_by == ["gold-email"]));
    let geo = r.items.iter().find(|i| i.id == "geo.position");
    assert_eq!(geo.and_then(|i| i.location.as_deref()), Some("precise"));
    let p: Vec<&str> = r.personalizations.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        p,
        [
            "near-store-sms",
            "pregnancy-push",
            "gold-email",
            "colour-home"
        ]
    );
    let push = &r.personalizations[1];
    assert_eq!(push.counts.errors, 2);
    assert_eq!(push.rules, ["inferred-data", "sensitive-targeting"]);
    assert_eq!(push.frequency.as_deref(), Some("1/week"));
    assert!(r.personalizations[0].explanation.is_none());
    // 5 before `sensitive-use`: the pregnancy score is also declared for marketing.
    assert_eq!(r.total.errors, 6);
    assert!(
        // Before `sensitive-use`, the errors were spread evenly and the verdict started
        // with purposes; the pregnancy score declared for marketing now tips it.
        r.verdict
            .contains("What matters most is sensitive topics such as health, pregnancy"),
        "{}",
        r.verdict
    );
}

#[test]
fn html_escapes_text_from_the_checked_files() {
    let o = shop();
    let page = html::render(&report::build(&o));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Favourite colour"));
    assert!(
        !page.to_ascii_lowercase().contains("<script"),
        "a label became markup"
    );
    assert!(page.contains("Phone | mobile"));
}

#[test]
fn html_findings_show_the_file_with_the_line_marked() {
    let o = shop();
    let page = html::render(&report::build(&o));
    // missing-purpose on `phone`, signup.yaml line 14: two lines of context either side.
    let at = page
        .find("form <code>signup</code> asks for <code>phone</code>")
        .unwrap_or_else(|| panic!("finding missing"));
    let article = &page[at..];
    let article = &article[..article.find("</article>").unwrap_or(article.len())];
    assert!(article.contains("<span class=\"l\"><span class=\"ln\">&nbsp; 12</span>"));
    assert!(article.contains(
        "<span class=\"l hl\"><span class=\"ln\">&gt; 14</span>  - id: <mark>phone</mark></span>"
    ));
    assert!(article.contains("<span class=\"ln\">&nbsp; 16</span>"));
    assert!(article.contains("What to do instead:"));
}

/// Every `src=`, `href=` and `xlink:href=` value in the page.
fn attribute_values(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = page.to_ascii_lowercase();
    for attr in ["src=", "href="] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let start = from + i + attr.len();
            let rest = &page[start..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.to_string());
            from = start;
        }
    }
    out
}

#[test]
fn html_loads_nothing_from_the_network_and_runs_no_script() {
    let o = outcome(Path::new("tests/fixtures/report"));
    let page = html::render(&report::build(&o));
    let lower = page.to_ascii_lowercase();
    for value in attribute_values(&page) {
        let v = value.trim().to_ascii_lowercase();
        assert!(
            !(v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//")),
            "external reference {value}"
        );
    }
    for banned in [
        "<script", "@import", "url(", "<link", "<iframe", "<object", "<embed", " on",
    ] {
        let hit = match banned {
            // Event handler attributes: ` onload=` and the like, never in text we write.
            " on" => lower.match_indices(" on").any(|(i, _)| {
                lower[i + 3..]
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .is_some_and(|w| !w.is_empty() && lower[i + 3 + w.len()..].starts_with('='))
            }),
            _ => lower.contains(banned),
        };
        assert!(!hit, "the page contains {banned}");
    }
    assert!(page.contains("@media print"));
    assert!(page.contains("name=\"viewport\""));
    assert!(page.contains("overflow-x:auto"));
}

/// What the command line would find, fixed: a name, a reproducible date, a commit.
fn fixed_meta() -> report::Meta {
    report::Meta {
        project: Some("shop".into()),
        // SOURCE_DATE_EPOCH=1764547200
        date: report::meta::date(Some("1764547200")).ok(),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        branch: Some("main".into()),
        ..report::Meta::default()
    }
}

#[test]
fn markdown_report_snapshot() {
    let o = shop();
    let mut r = report::build(&o);
    r.meta = fixed_meta();
    let md = markdown::render(&r);
    insta::assert_snapshot!(md);
}

/// A project far too big for one comment: many items and personalizations.
fn big_project(dir: &Path) {
    let mut data = String::from("kind: data\nitems:\n");
    let mut pers = String::from("kind: personalization\npersonalizations:\n");
    for i in 0..600 {
        data.push_str(&format!(
            "  - id: predicted.score_{i}\n    source: inferred\n    description: A model score number {i} | with a pipe, kept for a long and winding reason that fills the cell\n    uses: [marketing]\n"
        ));
        pers.push_str(&format!(
            "  - id: campaign-{i}\n    use: marketing\n    when:\n      - data: predicted.score_{i}\n        gt: 0.5\n      - data: browsing.undeclared_{i}\n        exists: true\n    channel: email\n    message: Hello\n    frequency: 1/week\n"
        ));
    }
    let write = |name: &str, text: &str| {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            panic!("cannot write {name}: {e}");
        }
    };
    write("data.yaml", &data);
    write("campaigns.yaml", &pers);
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    big_project(dir.path());
    let o = outcome(dir.path());
    assert!(o.findings.len() > 1000, "{}", o.findings.len());
    let md = markdown::render(&report::build(&o));
    assert!(
        md.chars().count() < 60_000,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("more findings not shown"));
    assert!(md.contains("more data items not shown"));
    // The folded sections are still closed, so the comment renders.
    assert_eq!(
        md.matches("<details").count(),
        md.matches("</details>").count()
    );
    assert!(md.starts_with("## creeplint report"));
}

#[test]
fn cli_writes_the_report_whatever_the_findings() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let file = dir.path().join("report.html");
    let out = bin().args(["report", SHOP, "-o"]).arg(&file).output();
    let out = out.unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings at error make the status 1"
    );
    assert!(out.stdout.is_empty());
    let page = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(page.starts_with("<!DOCTYPE html>"));

    let out = bin()
        .args(["report", SHOP, "--format", "markdown", "--fail-on", "never"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("## creeplint report"));

    let out = bin()
        .args(["report", "tests/fixtures/report/does-not-exist"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(2));

    let out = bin()
        .args([
            "report",
            SHOP,
            "--rule",
            "missing-purpose",
            "--fail-on",
            "warning",
        ])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(1));
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    path.exists().then_some(path)
}

/// Run Chromium headless on a local file, killing it if it hangs.
fn headless(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> (bool, String) {
    let mut child = match Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(page)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start {}: {e}", browser.display()),
    };
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut out) = stdout {
            let _ = std::io::Read::read_to_string(&mut out, &mut s);
        }
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let ok = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break false;
            }
        }
    };
    (ok, reader.join().unwrap_or_default())
}

#[test]
fn a_real_browser_shows_the_verdict_the_chart_and_every_inventory_row() {
    let Some(browser) = chromium() else {
        // Written to the real stderr (not captured), so `cargo test` shows the skip.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED a_real_browser_shows_the_verdict_the_chart_and_every_inventory_row: Chromium is not installed (/usr/bin/chromium or $CHROMIUM); install it with ci/chromium.sh\n",
        );
        return;
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let o = shop();
    let r = report::build(&o);
    let file = dir.path().join("report.html");
    if let Err(e) = std::fs::write(&file, html::render(&r)) {
        panic!("write: {e}");
    }
    let (ok, dom) = headless(
        &browser,
        &dir.path().join("profile"),
        &["--dump-dom"],
        &file,
    );
    assert!(ok, "chromium --dump-dom failed");
    assert!(dom.contains("<h2>Verdict</h2>"), "no verdict in the DOM");
    assert!(
        dom.contains(&html::esc(&r.verdict)),
        "verdict sentence missing"
    );
    assert!(dom.contains("<svg"), "no chart");
    assert_eq!(dom.matches("<g class=\"bar\"").count(), r.by_concern.len());
    for item in &r.items {
        assert!(
            dom.contains(&format!(
                "<tr class=\"item\" data-id=\"{}\"",
                html::esc(&item.id)
            )),
            "inventory row {} missing",
            item.id
        );
    }
    for p in &r.personalizations {
        assert!(dom.contains(&format!(
            "<tr class=\"personalization\" data-id=\"{}\"",
            p.id
        )));
    }
    // The browser parsed the label as text: no script element came out of it.
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt; Favourite colour"));
    assert!(!dom.contains("<script"));

    // The same run photographs the creepy shop's report; the photograph replaces
    // docs/report.png (the README's and docs/report.md's) only when asked with
    // CREEPLINT_UPDATE_SCREENSHOT=1, so a test run leaves the work tree alone.
    let creepy = match creeplint::pipeline::run(
        &[std::path::PathBuf::from("examples/creepy-shop")],
        &creeplint::Options::default(),
    ) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let page = dir.path().join("creepy.html");
    let mut shown = report::build(&creepy);
    shown.meta = report::Meta {
        project: Some("creepy-shop".into()),
        date: report::meta::date(Some("1764547200")).ok(),
        ..report::Meta::default()
    };
    if let Err(e) = std::fs::write(&page, html::render(&shown)) {
        panic!("write: {e}");
    }
    let update = std::env::var_os("CREEPLINT_UPDATE_SCREENSHOT").is_some_and(|v| v == "1");
    let in_temp = dir.path().join("report.png");
    let shot = if update {
        std::path::Path::new("docs/report.png")
    } else {
        in_temp.as_path()
    };
    let (ok, _) = headless(
        &browser,
        &dir.path().join("profile2"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
        ],
        &page,
    );
    assert!(ok, "chromium --screenshot failed");
    let png = std::fs::read(shot).unwrap_or_default();
    assert!(png.starts_with(b"\x89PNG"), "no screenshot");
}

#[test]
fn the_inventory_uses_the_configured_terms() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let form = "kind: form\nid: checkup\nfields:\n  - id: glucose_level\n    label: Your latest reading\n    purpose: To adjust your meal plan.\n";
    std::fs::write(dir.path().join("form.yaml"), form).unwrap_or_else(|e| panic!("{e}"));
    let sensitive = |options: &Options| {
        let o = run(&[dir.path().to_path_buf()], options).unwrap_or_else(|e| panic!("{e}"));
        let r = report::build(&o);
        r.items
            .iter()
            .find(|i| i.id == "glucose_level")
            .map(|i| i.sensitive.clone())
    };
    assert_eq!(sensitive(&Options::default()), Some(Vec::new()));
    let mut options = Options::default();
    options
        .extra_terms
        .insert("health".into(), vec!["glucose".into()]);
    let with_terms = sensitive(&options).unwrap_or_default();
    assert_eq!(with_terms.len(), 1, "{with_terms:?}");
    assert!(with_terms[0].starts_with("health"), "{with_terms:?}");
}

#[test]
fn html_says_why_once_per_rule_and_orders_findings_by_severity() {
    let o = shop();
    let r = report::build(&o);
    let page = html::render(&r);
    let findings = &page[page.find("<section id=\"findings\">").unwrap_or(0)..];
    let mut rules: Vec<&str> = o.findings.iter().map(|f| f.rule.name()).collect();
    rules.sort_unstable();
    rules.dedup();
    // One explanation per rule (sensitive-data has two findings, missing-retention two).
    assert_eq!(findings.matches("Why it matters:").count(), rules.len());
    assert_eq!(o.findings.len(), 13);
    for rule in &rules {
        let intro = format!("<section class=\"rule\" id=\"rule-{rule}\">");
        assert_eq!(findings.matches(&intro).count(), 1, "{rule}");
        // The explanation comes before every finding of its rule, which links to it.
        let at = findings.find(&intro).unwrap_or(usize::MAX);
        let link = format!("<a href=\"#rule-{rule}\">");
        assert!(findings.find(&link).is_some_and(|l| l > at), "{rule}");
    }
    // Within each concern, errors, then warnings, then infos.
    for concern in findings.split("<h3 ").skip(1) {
        let rank: Vec<u8> = concern
            .match_indices("<article class=\"finding ")
            .map(|(i, m)| match &concern[i + m.len()..i + m.len() + 4] {
                "erro" => 0,
                "warn" => 1,
                _ => 2,
            })
            .collect();
        assert!(!rank.is_empty());
        assert!(rank.windows(2).all(|w| w[0] <= w[1]), "{rank:?}");
    }
    // Purpose: the missing-purpose error leads, before the two missing-retention infos.
    let purpose = findings.split("<h3 ").nth(1).unwrap_or("");
    assert!(purpose.starts_with("id=\"concern-purpose\""));
    let error = purpose
        .find("asks for <code>phone</code>")
        .unwrap_or(usize::MAX);
    let info = purpose.find("has no stated retention").unwrap_or(0);
    assert!(error < info);
}

/// Lays `page` out in headless Chromium in a frame `width` CSS pixels wide, and returns
/// what a script measured there, `|`-separated: `problem ...` entries for anything wider
/// than its box (the page, a table's scroll box, a cell or a column header out of view),
/// and `viewport`, `cells`, `stacked` (an inventory row's display), `font` (the body's
/// size) and `label` (the column name a cell shows on a phone). The report runs no
/// script; only this test page around it does.
fn layout(browser: &Path, dir: &Path, page: &str, width: u32) -> Vec<String> {
    const MEASURE: &str = r#"<script>
var f = document.getElementById('f');
f.addEventListener('load', function () {
  var d = f.contentDocument, w = d.defaultView, out = [];
  var vw = d.documentElement.clientWidth;
  out.push('viewport ' + vw);
  if (d.documentElement.scrollWidth > vw) out.push('problem page ' + d.documentElement.scrollWidth);
  d.querySelectorAll('.scroll').forEach(function (s, i) {
    if (s.scrollWidth > s.clientWidth + 1) out.push('problem scroll ' + i + ' ' + s.scrollWidth + ' over ' + s.clientWidth);
  });
  var cells = 0;
  d.querySelectorAll('table').forEach(function (t) {
    var box = (t.closest('.scroll') || d.body).getBoundingClientRect();
    var right = Math.min(box.right, vw) + 1;
    t.querySelectorAll('td').forEach(function (c) {
      cells++;
      var r = c.getBoundingClientRect();
      if (r.width < 1 || r.right > right) out.push('problem cell ' + (c.getAttribute('data-label') || '') + ' at ' + Math.round(r.right));
    });
    var row = t.querySelector('tbody tr');
    if (row && w.getComputedStyle(row).display === 'table-row') {
      t.querySelectorAll('th').forEach(function (h) {
        var r = h.getBoundingClientRect();
        if (r.width < 1 || r.right > right) out.push('problem column ' + h.textContent + ' at ' + Math.round(r.right));
      });
    }
  });
  out.push('cells ' + cells);
  var cell = d.querySelector('table.inventory td');
  out.push('stacked ' + w.getComputedStyle(cell.parentNode).display);
  out.push('font ' + w.getComputedStyle(d.body).fontSize);
  out.push('label ' + w.getComputedStyle(cell, '::before').content);
  document.body.setAttribute('data-measure', out.join('|'));
});
</script>"#;
    let wrapper = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" width=\"{width}\" height=\"900\" style=\"border:0\" srcdoc=\"{}\"></iframe>{MEASURE}</body></html>",
        html::esc(page)
    );
    let file = dir.join(format!("layout-{width}.html"));
    if let Err(e) = std::fs::write(&file, wrapper) {
        panic!("write: {e}");
    }
    let (ok, dom) = headless(
        browser,
        &dir.join(format!("profile-{width}")),
        &["--dump-dom", "--window-size=1400,1000"],
        &file,
    );
    assert!(ok, "chromium --dump-dom failed at {width} px");
    let Some(start) = dom.find("data-measure=\"") else {
        panic!("the measuring script did not run at {width} px");
    };
    let rest = &dom[start + "data-measure=\"".len()..];
    let value = &rest[..rest.find('"').unwrap_or(rest.len())];
    value
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .split('|')
        .map(str::to_string)
        .collect()
}

fn measured<'a>(m: &'a [String], key: &str) -> &'a str {
    m.iter()
        .find_map(|s| s.strip_prefix(key).map(str::trim))
        .unwrap_or_else(|| panic!("no {key} in {m:?}"))
}

#[test]
fn every_column_shows_at_1280_px_and_rows_become_cards_on_a_phone() {
    let Some(browser) = chromium() else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED every_column_shows_at_1280_px_and_rows_become_cards_on_a_phone: Chromium is not installed (/usr/bin/chromium or $CHROMIUM); install it with ci/chromium.sh\n",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    // The creepy shop: 28 data items, 19 personalizations, long ids and paths.
    let o = outcome(Path::new("examples/creepy-shop"));
    let page = html::render(&report::build(&o));

    let desktop = layout(&browser, dir.path(), &page, 1280);
    let problems: Vec<&String> = desktop
        .iter()
        .filter(|s| s.starts_with("problem"))
        .collect();
    assert!(problems.is_empty(), "at 1280 px: {problems:?}");
    // A page scrollbar may take its width; the frame is the desktop window.
    assert!(
        measured(&desktop, "viewport ")
            .parse::<u32>()
            .is_ok_and(|v| v >= 1260)
    );
    assert_eq!(measured(&desktop, "stacked "), "table-row");
    assert!(
        measured(&desktop, "cells ")
            .parse::<usize>()
            .is_ok_and(|n| n > 400)
    );

    let phone = layout(&browser, dir.path(), &page, 390);
    let problems: Vec<&String> = phone.iter().filter(|s| s.starts_with("problem")).collect();
    assert!(problems.is_empty(), "at 390 px: {problems:?}");
    assert!(
        measured(&phone, "viewport ")
            .parse::<u32>()
            .is_ok_and(|v| v <= 390)
    );
    // Each row is a card and each cell says which column it is.
    assert_eq!(measured(&phone, "stacked "), "block");
    assert_eq!(measured(&phone, "label "), "\"Id\"");
    let font = measured(&phone, "font ")
        .trim_end_matches("px")
        .parse::<f64>();
    assert!(font.is_ok_and(|f| f >= 14.0), "{phone:?}");
}

#[test]
fn the_report_names_the_project_date_and_commit() {
    let o = shop();
    let mut r = report::build(&o);
    r.meta = fixed_meta();
    let page = html::render(&r);
    assert!(page.contains("<title>creeplint report: shop</title>"));
    assert!(page.contains("<h1>creeplint report: shop</h1><p class=\"run\"><time datetime=\"2025-12-01\">2025-12-01</time> · commit <code>0123456789ab</code> on branch <code>main</code></p>"));
    // Without any of it, the page still says what it is.
    let page = html::render(&report::build(&o));
    assert!(page.contains("<h1>creeplint report</h1><p class=\"meta\">"));
}

/// `git rev-parse HEAD` of this repository, when git is installed and this is a clone.
fn git_head() -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn cli_dates_the_report_from_source_date_epoch_and_names_the_commit() {
    let out = bin()
        .args(["report", SHOP, "--format", "markdown", "--fail-on", "never"])
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    let second = md.lines().nth(2).unwrap_or("");
    assert!(second.starts_with("2025-12-01"), "{md}");
    match git_head() {
        // Read from .git without running git (this checkout may be a worktree).
        Some(head) => assert!(
            second.contains(&format!("commit `{}`", &head[..12])),
            "{second}"
        ),
        None => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                b"SKIPPED the commit part of cli_dates_the_report_from_source_date_epoch_and_names_the_commit: not a git checkout or git is not installed\n",
            );
        }
    }
    let out = bin()
        .args(["report", SHOP, "--format", "markdown"])
        .env("SOURCE_DATE_EPOCH", "last tuesday")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH is `last tuesday`"));
}

#[test]
fn owners_group_forms_data_and_personalizations_with_their_findings() {
    let o = shop();
    let r = report::build(&o);
    let row = |name: Option<&str>| {
        r.owners
            .iter()
            .find(|o| o.owner.as_deref() == name)
            .unwrap_or_else(|| panic!("no row for {name:?} in {:?}", r.owners))
    };
    let names: Vec<Option<&str>> = r.owners.iter().map(|o| o.owner.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("accounts-team"),
            Some("crm-team"),
            Some("growth-team"),
            None
        ]
    );
    // The form's owner owns its fields.
    let accounts = row(Some("accounts-team"));
    assert_eq!(accounts.forms, ["signup"]);
    assert_eq!(accounts.items, ["colour", "email", "phone"]);
    assert_eq!((accounts.counts.errors, accounts.counts.infos), (1, 1));
    // A personalization's own owner wins over the file's.
    let crm = row(Some("crm-team"));
    assert_eq!(crm.personalizations, ["gold-email"]);
    assert_eq!(crm.counts.warnings, 1);
    let growth = row(Some("growth-team"));
    assert_eq!(
        growth.personalizations,
        ["near-store-sms", "pregnancy-push", "colour-home"]
    );
    assert_eq!((growth.counts.errors, growth.counts.warnings), (4, 2));
    // data.yaml names no owner: its items and findings are nobody's.
    let nobody = row(None);
    assert_eq!(nobody.items, ["geo.position", "predicted.expecting_parent"]);
    assert_eq!(nobody.counts.total(), 4);
    let total: usize = r.owners.iter().map(|o| o.counts.total()).sum();
    assert_eq!(total, o.findings.len());

    let page = html::render(&r);
    assert!(page.contains("<section id=\"owners\"><h2>Owners</h2>"));
    assert!(
        page.contains("<td data-label=\"Owner\"><span class=\"undeclared\">no owner</span></td>")
    );
}

#[test]
fn owners_come_from_x_owner_json_schema_and_flag_metadata() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write(
        "data.yaml",
        "kind: data\nx-owner: data-team\nitems:\n  - id: visits\n    source: observed\n    description: Pages viewed\n    uses: [analytics]\n    retention: 1 year\n  - id: churn_score\n    source: inferred\n    description: Churn model\n    uses: [analytics]\n    retention: 1 year\n    x-owner: ml-team\n",
    );
    write(
        "newsletter.schema.json",
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "newsletter", "type": "object", "x-owner": "lifecycle",
  "x-purpose": "Send the newsletter", "x-uses": ["marketing"],
  "properties": {
    "email": {"type": "string", "format": "email", "x-purpose": "We send the newsletter here.", "x-uses": ["marketing"], "x-retention": "until you unsubscribe"},
    "company": {"type": "string", "x-purpose": "To tailor the newsletter.", "x-uses": ["personalization"], "x-retention": "until you unsubscribe", "x-owner": "sales"}
  }}"#,
    );
    write(
        "flags.flagd.json",
        r#"{"metadata": {"owner": "web-team"}, "flags": {
  "banner": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
    "metadata": {"explanation": "Shown to everyone.", "purpose": "Show the sale banner"}},
  "vip": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
    "metadata": {"owner": "vip-team", "explanation": "You are a VIP.", "purpose": "Show VIP perks"}}
}}"#,
    );
    let o = outcome(dir.path());
    let r = report::build(&o);
    let owned: Vec<(Option<&str>, Vec<&str>)> = r
        .owners
        .iter()
        .map(|row| {
            let mut all: Vec<&str> = row
                .forms
                .iter()
                .chain(&row.items)
                .chain(&row.personalizations)
                .map(String::as_str)
                .collect();
            all.sort_unstable();
            (row.owner.as_deref(), all)
        })
        .collect();
    assert_eq!(
        owned,
        [
            (Some("data-team"), vec!["visits"]),
            (Some("lifecycle"), vec!["email", "newsletter"]),
            (Some("ml-team"), vec!["churn_score"]),
            (Some("sales"), vec!["company"]),
            (Some("vip-team"), vec!["vip"]),
            (Some("web-team"), vec!["banner"]),
        ]
    );
}

#[test]
fn an_owner_that_is_not_a_name_is_an_invalid_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("data.yaml"),
        "kind: data\nitems:\n  - id: visits\n    source: observed\n    x-owner: [a, b]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = outcome(dir.path());
    let invalid: Vec<(usize, &str)> = o
        .findings
        .iter()
        .filter(|f| f.rule.name() == "invalid-file")
        .map(|f| (o.sources.line_col(f.primary.loc).line, &*f.message))
        .collect();
    // At the value of `x-owner`, line 5.
    assert_eq!(invalid, [(5, "expected a string, found a list")]);
    assert!(report::build(&o).owners.is_empty());
}

#[test]
fn a_baseline_marks_findings_new_or_unchanged_and_lists_the_fixed() {
    let o = shop();
    let all = creeplint::baseline::Baseline::from_findings(&o.sources, &o.findings);
    // Accepted on adoption: everything but the location-trigger error, plus a finding
    // since fixed.
    let mut accepted = all.clone();
    accepted.findings.retain(|e| e.rule != "location-trigger");
    accepted.findings.push(creeplint::baseline::Entry {
        rule: "missing-purpose".into(),
        file: "tests/fixtures/report/shop/signup.yaml".into(),
        subject: "signup fax".into(),
        occurrence: 0,
    });
    let mut r = report::build(&o);
    r.compare(&accepted, "creeplint-baseline.json", &o);
    let b = r.baseline.clone().unwrap_or_default();
    assert_eq!((b.new, b.unchanged, b.fixed.len()), (1, 12, 1));
    assert_eq!(b.fixed[0].subject, "signup fax");
    let new: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.new == Some(true))
        .map(|f| f.finding.rule.name())
        .collect();
    assert_eq!(new, ["location-trigger"]);

    let page = html::render(&r);
    assert!(page.contains("<h2>Compared with the baseline</h2>"));
    assert_eq!(
        page.matches("<span class=\"badge new\">new</span>").count(),
        1
    );
    assert!(page.contains("<td data-label=\"What\">signup fax</td>"));
    let md = markdown::render(&r);
    assert!(md.contains("**1 new**, 12 unchanged, 1 fixed since `creeplint-baseline.json`."));
    assert_eq!(md.matches("| error **new** | Location |").count(), 1);
    assert!(
        md.contains(
            "| `missing-purpose` | `tests/fixtures/report/shop/signup.yaml` | signup fax |"
        )
    );
    // Without a baseline nothing is marked.
    let plain = html::render(&report::build(&o));
    assert!(!plain.contains("badge new") && !plain.contains("id=\"baseline\""));
}

#[test]
fn cli_report_with_a_baseline_fails_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("baseline.json");
    let out = bin()
        .args(["check", SHOP, "--write-baseline"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0));
    let run = |baseline: &Path| {
        bin()
            .args(["report", SHOP, "--format", "markdown", "--baseline"])
            .arg(baseline)
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"))
    };
    // Every finding accepted: nothing new, so the errors do not fail the run.
    let out = run(&file);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("**0 new**, 13 unchanged, 0 fixed since"),
        "{md}"
    );
    // The location-trigger error left out of the baseline is new: status 1.
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let mut b = creeplint::baseline::Baseline::parse("b", &text).unwrap_or_default();
    b.findings.retain(|e| e.rule != "location-trigger");
    std::fs::write(&file, b.to_json()).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&file);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("**1 new**, 12 unchanged"));
    // A missing baseline cannot be compared with: status 2.
    let out = run(&dir.path().join("missing.json"));
    assert_eq!(out.status.code(), Some(2));
    // -o never overwrites the baseline it reads.
    let out = bin()
        .args(["report", SHOP, "--baseline"])
        .arg(&file)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reads it as the baseline"));
}

#[test]
fn markdown_places_link_to_the_line_when_the_repository_is_configured() {
    let o = shop();
    let mut r = report::build(&o);
    r.meta = report::Meta {
        repository: Some("https://github.com/org/creeplint".into()),
        root: std::fs::canonicalize(".").ok(),
        ..fixed_meta()
    };
    let md = markdown::render(&r);
    let commit = "0123456789abcdef0123456789abcdef01234567";
    assert!(md.contains(&format!(
        "| [`tests/fixtures/report/shop/campaigns.yaml:7`](https://github.com/org/creeplint/blob/{commit}/tests/fixtures/report/shop/campaigns.yaml#L7) |"
    )), "{md}");
    // The inventory's places too.
    assert!(md.contains(&format!(
        "form `signup` [`tests/fixtures/report/shop/signup.yaml:17`](https://github.com/org/creeplint/blob/{commit}/tests/fixtures/report/shop/signup.yaml#L17)"
    )));
    // Not configured: plain code, as before.
    r.meta.repository = None;
    assert!(!markdown::render(&r).contains("](https://"));
}

#[test]
fn cli_links_relative_to_the_configuration_outside_git() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"))
    };
    write(
        "creeplint.yaml",
        "project: Acme Shop\nrepository: https://git.example.com/acme/shop/\nbranch: trunk\n",
    );
    write(
        "forms/signup.yaml",
        "kind: form\nid: signup\npurpose: Create your account.\nuses: [account]\nfields:\n  - id: phone\n    type: phone\n",
    );
    let out = bin()
        .args([
            "report",
            "--format",
            "markdown",
            "--fail-on",
            "never",
            "forms",
        ])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.starts_with("## creeplint report: Acme Shop\n\n1970-01-01\n\n"),
        "{md}"
    );
    assert!(
        md.contains("[`forms/signup.yaml:6`](https://git.example.com/acme/shop/blob/trunk/forms/signup.yaml#L6)"),
        "{md}"
    );
}
