//! The HTML report: one self-contained page (inline CSS and SVG, no script, nothing
//! from the network) that prints well and reads on a phone. Written by hand so every
//! piece of text from the checked files goes through [`esc`].

use std::fmt::Write as _;

use super::{
    Concern, Counts, FindingView, ItemRow, PersonalizationRow, Report, SnippetLine, SourceView,
};

/// Escape text for HTML content and double- or single-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        esc_char(&mut out, c);
    }
    out
}

/// Push one character of text, escaped as [`esc`] does.
fn esc_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

/// Escaped text that may wrap after `.`, `_`, `/` and `:`: long ids and paths break
/// there instead of widening their column past the screen.
fn wbr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        esc_char(&mut out, c);
        if matches!(c, '.' | '_' | '/' | ':') {
            out.push_str("<wbr>");
        }
    }
    out
}

/// Escape text and turn `code` spans (backticks, as findings write ids) into `<code>`.
fn rich(s: &str) -> String {
    if s.matches('`').count() % 2 == 1 {
        return esc(s);
    }
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

const CSS: &str = r#"
:root{--error:#b3261e;--warning:#b86e00;--info:#1f5fa8;--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--bg:#fff;--soft:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main{max-width:1400px;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem;border-bottom:1px solid var(--line)}
h1{font-size:1.8rem;margin:.2rem 0}
h2{font-size:1.4rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
h4{font-size:1rem;margin:0 0 .3rem}
.meta,.note{color:var(--muted);font-size:.9rem}
.run{margin:.2rem 0;font-size:1rem}
.verdict{font-size:1.2rem;font-weight:600;padding:.8rem 1rem;border-left:6px solid var(--error);background:var(--soft)}
.verdict.clean{border-left-color:#2e7d32}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{flex:1 1 8rem;border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem}
.card .n{display:block;font-size:2rem;font-weight:700;line-height:1.1}
.card.error .n{color:var(--error)}.card.warning .n{color:var(--warning)}.card.info .n{color:var(--info)}
figure{margin:1rem 0}
figure .chart-wrap{overflow-x:auto}
figure svg{width:100%;min-width:520px;max-width:760px;height:auto;display:block}
figcaption{color:var(--muted);font-size:.9rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid var(--line)}
th{background:var(--soft)}
/* Long ids, paths and words wrap inside their cell: every column stays in view at 1280 px. */
table.stack td{overflow-wrap:break-word}
table.inventory td.wide,table.personalizations td.wide{min-width:11rem}
td.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
td.n,th.n{text-align:right}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);padding:0 .2em;border-radius:3px}
.badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;padding:.05rem .45rem;border-radius:999px;color:#fff;vertical-align:middle}
.badge.new{background:#6a1b9a}.card.new .n{color:#6a1b9a}.card.fixed .n{color:#2e7d32}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.info{background:var(--info)}
.src{display:inline-block;font-size:.8rem;padding:0 .4rem;border-radius:4px;border:1px solid var(--line);white-space:nowrap}
.src.volunteered{background:#e6f4ea}.src.observed{background:#fff4e0}.src.device{background:#fde7e7}
.src.inferred{background:#fce4ec}.src.third-party{background:#ede7f6}.src.unknown{background:#eceff1}
.undeclared{color:var(--error);font-weight:600}
.finding{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.8rem 0;break-inside:avoid}
.finding.error{border-left-color:var(--error)}.finding.warning{border-left-color:var(--warning)}.finding.info{border-left-color:var(--info)}
.finding p{margin:.4rem 0}
.label{font-weight:600}
pre.snippet{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.5rem 0;overflow-x:auto;font-size:.85rem;line-height:1.4;margin:.5rem 0}
pre.snippet code{display:block;background:none;padding:0;font-size:inherit}
pre.snippet span.l{display:block;padding:0 .8rem 0 0;white-space:pre}
pre.snippet span.l.hl{background:#fff1c2;font-weight:600}
pre.snippet .ln{display:inline-block;min-width:4.5em;padding-right:.8em;text-align:right;color:var(--muted);user-select:none}
pre.snippet mark{background:#ffd54f;text-decoration:underline wavy var(--error)}
ul.secondary{margin:.3rem 0;padding-left:1.2rem;font-size:.9rem;color:var(--muted)}
.rule{background:var(--soft);border-radius:6px;padding:.6rem 1rem;margin:1.2rem 0 .4rem}
.rule p{margin:.3rem 0}
@media (max-width:640px){body{font-size:15px}h1{font-size:1.4rem}.verdict{font-size:1.05rem}.card .n{font-size:1.5rem}}
/* On a phone each table row becomes a card, each cell under its column's name. */
@media screen and (max-width:700px){
 .scroll{border:none;overflow:visible}
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .7rem;padding:.3rem .7rem}
 table.stack td{border:none;padding:.2rem 0;min-width:0;text-align:left}
 table.stack td::before{content:attr(data-label);display:block;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
}
@media print{
 body{font-size:11pt;color:#000}
 header,main{max-width:none;padding:0}
 .scroll{overflow:visible;border:none}
 table{font-size:9pt}
 th,td{padding:.2rem .3rem}
 pre.snippet{white-space:pre-wrap}
 pre.snippet span.l{white-space:pre-wrap}
 h2{break-after:avoid}
 tr,.finding,figure{break-inside:avoid}
 .badge,.card,.src,pre.snippet span.l.hl,mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

/// Help lines are written without a final stop; the report strings them together.
fn sentence(s: &str) -> String {
    let s = s.trim();
    let mut out = String::new();
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    if !out.ends_with(['.', '!', '?', ':']) {
        out.push('.');
    }
    out
}

fn badge(s: &str) -> String {
    format!("<span class=\"badge {s}\">{s}</span>")
}

fn source_tag(s: &SourceView) -> String {
    format!(
        "<span class=\"src {}\">{}</span>",
        s.class(),
        esc(&s.text())
    )
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "<span class=\"note\">none</span>".to_string(), esc)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A horizontal stacked bar per concern: errors, warnings, infos.
fn chart(by: &[(Concern, Counts)]) -> String {
    const LABEL: f64 = 230.0;
    const BAR: f64 = 440.0;
    const ROW: f64 = 34.0;
    const TOP: f64 = 34.0;
    let max = by.iter().map(|(_, c)| c.total()).max().unwrap_or(0).max(1) as f64;
    let height = TOP + ROW * by.len() as f64 + 8.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 760 {height}\" role=\"img\" aria-labelledby=\"chart-title\" \
         font-family=\"system-ui,sans-serif\" font-size=\"14\"><title id=\"chart-title\">Findings by concern and severity</title>"
    );
    for (i, (name, colour)) in [
        ("errors", "#b3261e"),
        ("warnings", "#b86e00"),
        ("infos", "#1f5fa8"),
    ]
    .iter()
    .enumerate()
    {
        let x = LABEL + i as f64 * 110.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{colour}\"/><text x=\"{}\" y=\"18\" fill=\"#1d1d1f\">{name}</text>",
            x + 20.0
        );
    }
    for (i, (concern, c)) in by.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            "<g class=\"bar\" data-concern=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1d1d1f\">{}</text>",
            concern.slug(),
            LABEL - 10.0,
            y + 19.0,
            esc(concern.title())
        );
        let mut x = LABEL;
        for (n, colour, name) in [
            (c.errors, "#b3261e", "errors"),
            (c.warnings, "#b86e00", "warnings"),
            (c.infos, "#1f5fa8", "infos"),
        ] {
            if n == 0 {
                continue;
            }
            let w = (n as f64 / max * BAR).max(2.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"22\" fill=\"{colour}\"><title>{n} {name}</title></rect>",
                y + 4.0
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" fill=\"#1d1d1f\" font-weight=\"600\">{}</text></g>",
            x + 6.0,
            y + 19.0,
            c.total()
        );
    }
    s.push_str("</svg>");
    s
}

fn verdict(out: &mut String, r: &Report<'_>) {
    let clean = if r.total.errors == 0 { " clean" } else { "" };
    let _ = write!(
        out,
        "<section id=\"verdict\"><h2>Verdict</h2><p class=\"verdict{clean}\">{}</p><div class=\"cards\">",
        esc(&r.verdict)
    );
    for (n, class, word) in [
        (r.total.errors, "error", "error"),
        (r.total.warnings, "warning", "warning"),
        (r.total.infos, "info", "info"),
    ] {
        let words = if n == 1 {
            word.to_string()
        } else {
            format!("{word}s")
        };
        let _ = write!(
            out,
            "<div class=\"card {class}\"><span class=\"n\">{n}</span>{words}</div>"
        );
    }
    let _ = write!(
        out,
        "<div class=\"card\"><span class=\"n\">{}</span>data items</div><div class=\"card\"><span class=\"n\">{}</span>personalizations</div></div>",
        r.items.len(),
        r.personalizations.len()
    );
    let _ = write!(
        out,
        "<figure><div class=\"chart-wrap\">{}</div><figcaption>Findings by concern: errors must be fixed before shipping, warnings deserve a decision, infos are notes.</figcaption></figure>",
        chart(&r.by_concern)
    );
    out.push_str(
        "<div class=\"scroll\"><table class=\"concerns stack\"><thead><tr><th>Concern</th><th>What it is about</th><th class=\"n\">Errors</th><th class=\"n\">Warnings</th><th class=\"n\">Infos</th></tr></thead><tbody>",
    );
    for (c, n) in &r.by_concern {
        let title = if n.total() > 0 {
            format!("<a href=\"#concern-{}\">{}</a>", c.slug(), esc(c.title()))
        } else {
            esc(c.title())
        };
        let _ = write!(
            out,
            "<tr><td data-label=\"Concern\">{title}</td><td data-label=\"What it is about\">{}</td><td class=\"n\" data-label=\"Errors\">{}</td><td class=\"n\" data-label=\"Warnings\">{}</td><td class=\"n\" data-label=\"Infos\">{}</td></tr>",
            esc(c.plain()),
            n.errors,
            n.warnings,
            n.infos
        );
    }
    out.push_str("</tbody></table></div></section>");
}

fn counts_cell(c: &Counts) -> String {
    let mut parts = Vec::new();
    for (n, sev) in [
        (c.errors, "error"),
        (c.warnings, "warning"),
        (c.infos, "info"),
    ] {
        if n > 0 {
            parts.push(format!("{} {n}", badge(sev)));
        }
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(" ")
    }
}

fn baseline(out: &mut String, r: &Report<'_>) {
    let Some(b) = &r.baseline else {
        return;
    };
    let _ = write!(
        out,
        "<section id=\"baseline\"><h2>Compared with the baseline</h2><p class=\"note\">Against <code>{}</code>: new findings appeared since it was written, unchanged ones were already accepted there, fixed ones are gone.</p><div class=\"cards\">\
         <div class=\"card new\"><span class=\"n\">{}</span>new</div><div class=\"card\"><span class=\"n\">{}</span>unchanged</div><div class=\"card fixed\"><span class=\"n\">{}</span>fixed</div></div>",
        esc(&b.path),
        b.new,
        b.unchanged,
        b.fixed.len()
    );
    if !b.fixed.is_empty() {
        out.push_str(
            "<h3>Fixed since the baseline</h3><div class=\"scroll\"><table class=\"fixed stack\"><thead><tr><th>Rule</th><th>File</th><th>What</th></tr></thead><tbody>",
        );
        for e in &b.fixed {
            let _ = write!(
                out,
                "<tr class=\"fixed\"><td data-label=\"Rule\"><code>{}</code></td><td data-label=\"File\">{}</td><td data-label=\"What\">{}</td></tr>",
                esc(&e.rule),
                wbr(&e.file),
                esc(&e.subject)
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section>");
}

fn owners(out: &mut String, r: &Report<'_>) {
    out.push_str("<section id=\"owners\"><h2>Owners</h2>");
    if r.owners.is_empty() {
        out.push_str(
            "<p class=\"note\">No file names an owner. Add <code>x-owner: team-name</code> to a form, a field, a data item or a personalization, or once at the top of a file for everything in it (in a JSON Schema form too; a flag&#39;s <code>metadata.owner</code> in flagd), and this section says who answers for what.</p></section>",
        );
        return;
    }
    out.push_str(
        "<p class=\"note\">Who answers for each form, data item and personalization (<code>x-owner</code>), and the findings in what they own.</p>\
         <div class=\"scroll\"><table class=\"owners stack\"><thead><tr><th>Owner</th><th>Forms</th><th>Data items</th><th>Personalizations</th><th>Findings</th></tr></thead><tbody>",
    );
    let codes = |v: &[String]| {
        if v.is_empty() {
            opt(None)
        } else {
            v.iter()
                .map(|s| format!("<code>{}</code>", wbr(s)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    for o in &r.owners {
        let name = o.owner.as_deref().map_or_else(
            || "<span class=\"undeclared\">no owner</span>".to_string(),
            esc,
        );
        let _ = write!(
            out,
            "<tr class=\"owner\"><td data-label=\"Owner\">{name}</td><td data-label=\"Forms\">{}</td><td data-label=\"Data items\">{}</td><td data-label=\"Personalizations\">{}</td><td data-label=\"Findings\">{}</td></tr>",
            codes(&o.forms),
            codes(&o.items),
            codes(&o.personalizations),
            counts_cell(&o.counts)
        );
    }
    out.push_str("</tbody></table></div></section>");
}

fn item_row(out: &mut String, i: &ItemRow) {
    let id = if i.undeclared {
        format!(
            "{}<br><span class=\"undeclared\">undeclared</span>",
            wbr(&i.id)
        )
    } else {
        wbr(&i.id)
    };
    let origins = i
        .origins
        .iter()
        .map(|o| {
            format!(
                "{}<br><span class=\"note\">{}</span>",
                rich(&o.what),
                wbr(&o.place.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join("<br>");
    let list = |v: &[String]| {
        if v.is_empty() {
            opt(None)
        } else {
            v.iter().map(|s| rich(s)).collect::<Vec<_>>().join(", ")
        }
    };
    let used_by = if i.used_by.is_empty() {
        opt(None)
    } else {
        i.used_by
            .iter()
            .map(|p| format!("<code>{}</code>", wbr(p)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        "<tr class=\"item\" data-id=\"{}\"><td class=\"id\" data-label=\"Id\">{id}</td><td data-label=\"Label\">{}</td><td data-label=\"Where it comes from\">{origins}</td><td data-label=\"Source\">{}</td><td class=\"wide\" data-label=\"Stated purpose\">{}</td><td data-label=\"Uses\">{}</td><td data-label=\"Sensitive\">{}</td><td data-label=\"Location\">{}</td><td data-label=\"Retention\">{}</td><td data-label=\"Used by\">{used_by}</td></tr>",
        esc(&i.id),
        opt(i.label.as_deref()),
        source_tag(&i.source),
        opt(i.purpose.as_deref()),
        list(&i.uses),
        list(&i.sensitive),
        opt(i.location.as_deref()),
        opt(i.retention.as_deref()),
    );
}

fn inventory(out: &mut String, r: &Report<'_>) {
    out.push_str(
        "<section id=\"inventory\"><h2>Data inventory</h2><p class=\"note\">Every piece of data the forms and data files declare, and every undeclared id a personalization reads. \
         Volunteered data was typed or chosen by the person; observed, device, inferred and third-party data was not.</p>",
    );
    if r.items.is_empty() {
        out.push_str("<p>No data items.</p></section>");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"inventory stack\"><thead><tr><th>Id</th><th>Label</th><th>Where it comes from</th><th>Source</th><th>Stated purpose</th><th>Uses</th><th>Sensitive</th><th>Location</th><th>Retention</th><th>Used by</th></tr></thead><tbody>",
    );
    for i in &r.items {
        item_row(out, i);
    }
    out.push_str("</tbody></table></div></section>");
}

fn personalization_row(out: &mut String, p: &PersonalizationRow) {
    let reads = if p.reads.is_empty() {
        "<span class=\"note\">nothing (everyone)</span>".to_string()
    } else {
        p.reads
            .iter()
            .map(|r| format!("<code>{}</code> {}", wbr(&r.id), source_tag(&r.source)))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let explanation = match &p.explanation {
        Some(e) => format!("yes: {}", esc(e)),
        None => "<span class=\"undeclared\">no</span>".to_string(),
    };
    let mut findings = Vec::new();
    for (n, s) in [
        (p.counts.errors, "error"),
        (p.counts.warnings, "warning"),
        (p.counts.infos, "info"),
    ] {
        if n > 0 {
            findings.push(format!("{} {}", badge(s), n));
        }
    }
    let findings = if findings.is_empty() {
        "none".to_string()
    } else {
        format!(
            "{}<br><span class=\"note\">{}</span>",
            findings.join(" "),
            esc(&p.rules.join(", "))
        )
    };
    let _ = write!(
        out,
        "<tr class=\"personalization\" data-id=\"{}\"><td class=\"id\" data-label=\"Id\">{}<br><span class=\"note\">{}</span></td><td data-label=\"Channel\">{}</td><td class=\"wide\" data-label=\"Data it reads\">{reads}</td><td class=\"wide\" data-label=\"Explanation\">{explanation}</td><td data-label=\"Frequency cap\">{}</td><td data-label=\"Findings\">{findings}</td></tr>",
        esc(&p.id),
        wbr(&p.id),
        wbr(&p.place.to_string()),
        esc(&p.channel),
        p.frequency.as_deref().map_or_else(
            || "<span class=\"undeclared\">no cap</span>".to_string(),
            esc
        ),
    );
}

fn personalizations(out: &mut String, r: &Report<'_>) {
    out.push_str(
        "<section id=\"personalizations\"><h2>Personalizations</h2><p class=\"note\">What the product shows or sends, on which data, and what creeplint found in each.</p>",
    );
    if r.personalizations.is_empty() {
        out.push_str("<p>No personalizations.</p></section>");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"personalizations stack\"><thead><tr><th>Id</th><th>Channel</th><th>Data it reads</th><th>Explanation</th><th>Frequency cap</th><th>Findings</th></tr></thead><tbody>",
    );
    for p in &r.personalizations {
        personalization_row(out, p);
    }
    out.push_str("</tbody></table></div></section>");
}

fn snippet(out: &mut String, lines: &[SnippetLine]) {
    if lines.is_empty() {
        return;
    }
    out.push_str("<pre class=\"snippet\"><code>");
    for l in lines {
        let marker = if l.primary { "&gt;" } else { "&nbsp;" };
        let text = match l.mark {
            Some((a, b)) => {
                let before: String = l.text.chars().take(a).collect();
                let mid: String = l.text.chars().skip(a).take(b - a).collect();
                let after: String = l.text.chars().skip(b).collect();
                format!("{}<mark>{}</mark>{}", esc(&before), esc(&mid), esc(&after))
            }
            None => esc(&l.text),
        };
        let class = if l.primary { "l hl" } else { "l" };
        let _ = write!(
            out,
            "<span class=\"{class}\"><span class=\"ln\">{marker} {}</span>{text}</span>",
            l.number
        );
    }
    out.push_str("</code></pre>");
}

fn finding(out: &mut String, f: &FindingView<'_>) {
    let sev = f.finding.severity.as_str();
    let rule = f.finding.rule.name();
    let _ = write!(
        out,
        "<article class=\"finding {sev}\"><h4>{}{} {}</h4><p class=\"note\"><a href=\"#rule-{}\"><code>{}</code></a> · {} · confidence {}</p>",
        badge(sev),
        if f.new == Some(true) {
            " <span class=\"badge new\">new</span>"
        } else {
            ""
        },
        rich(&f.finding.message),
        esc(rule),
        esc(rule),
        esc(&f.place.to_string()),
        f.finding.confidence.as_str()
    );
    snippet(out, &f.snippet);
    let _ = write!(out, "<p>{}</p>", rich(&f.finding.primary.message));
    if !f.finding.secondary.is_empty() {
        out.push_str("<ul class=\"secondary\">");
        for l in &f.finding.secondary {
            let _ = write!(out, "<li>{}</li>", rich(&l.message));
        }
        out.push_str("</ul>");
    }
    if let Some(help) = &f.finding.help {
        let _ = write!(
            out,
            "<p><span class=\"label\">What to do instead:</span> {}</p>",
            rich(&sentence(help))
        );
    }
    out.push_str("</article>");
}

/// Why a rule's findings matter and what to do in general: once per rule, before the
/// rule's first finding.
fn rule_intro(out: &mut String, r: &Report<'_>, rule: &str, count: usize) {
    let _ = write!(
        out,
        "<section class=\"rule\" id=\"rule-{}\"><h4><code>{}</code> <span class=\"note\">({})</span></h4>",
        esc(rule),
        esc(rule),
        plural(count, "finding")
    );
    if let Some(doc) = r.rules.get(rule) {
        let _ = write!(
            out,
            "<p><span class=\"label\">Why it matters:</span> {}</p><p><span class=\"label\">What to do, in general:</span> {}</p>",
            esc(&doc.why),
            rich(&sentence(&doc.instead))
        );
    }
    out.push_str("</section>");
}

fn findings(out: &mut String, r: &Report<'_>) {
    out.push_str("<section id=\"findings\"><h2>Findings</h2>");
    let groups = r.findings_by_concern();
    if groups.is_empty() {
        out.push_str("<p>No findings.</p>");
    }
    let mut introduced: Vec<&str> = Vec::new();
    for (c, fs) in groups {
        let _ = write!(
            out,
            "<h3 id=\"concern-{}\">{} <span class=\"note\">({})</span></h3><p class=\"note\">{}</p>",
            c.slug(),
            esc(c.title()),
            plural(fs.len(), "finding"),
            esc(c.plain())
        );
        for f in &fs {
            let rule = f.finding.rule.name();
            if !introduced.contains(&rule) {
                introduced.push(rule);
                let count = r
                    .findings
                    .iter()
                    .filter(|x| x.finding.rule.name() == rule)
                    .count();
                rule_intro(out, r, rule, count);
            }
            finding(out, f);
        }
    }
    out.push_str("</section>");
}

/// The date, commit and branch of the run, when known.
fn run_line(out: &mut String, r: &Report<'_>) {
    let m = &r.meta;
    let mut parts = Vec::new();
    if let Some(d) = &m.date {
        parts.push(format!("<time datetime=\"{0}\">{0}</time>", esc(d)));
    }
    if let Some(c) = m.short_commit() {
        let branch = m
            .branch
            .as_deref()
            .map(|b| format!(" on branch <code>{}</code>", esc(b)))
            .unwrap_or_default();
        parts.push(format!("commit <code>{}</code>{branch}", esc(c)));
    }
    if !parts.is_empty() {
        let _ = write!(out, "<p class=\"run\">{}</p>", parts.join(" · "));
    }
}

/// The whole page.
pub fn render(r: &Report<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let title = match &r.meta.project {
        Some(p) => format!("creeplint report: {}", esc(p)),
        None => "creeplint report".to_string(),
    };
    let _ = write!(out, "<title>{title}</title><style>");
    out.push_str(CSS);
    let _ = write!(out, "</style></head><body><header><h1>{title}</h1>");
    run_line(&mut out, r);
    let _ = write!(
        out,
        "<p class=\"meta\">{} checked ({} skipped as not creeplint&#39;s): {}</p></header><main>",
        plural(r.summary.files, "file"),
        r.summary.skipped,
        r.files
            .iter()
            .map(|f| format!("<code>{}</code>", esc(f)))
            .collect::<Vec<_>>()
            .join(" ")
    );
    verdict(&mut out, r);
    baseline(&mut out, r);
    owners(&mut out, r);
    inventory(&mut out, r);
    personalizations(&mut out, r);
    findings(&mut out, r);
    out.push_str("</main></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>\"a\" & 'b'"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
    }

    #[test]
    fn backticks_become_code_and_stay_escaped() {
        assert_eq!(rich("`<b>` is new"), "<code>&lt;b&gt;</code> is new");
        assert_eq!(rich("odd ` tick"), "odd ` tick");
    }
}
