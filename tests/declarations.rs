//! Data declarations in other tools' formats (Fides, Apple privacy manifests, Snowplow
//! and Segment event schemas): `sensitive-use`, recognition without noise, malformed
//! files, and personalizations that read data declared only there.

mod common;

use std::path::PathBuf;

use common::{at, count, file_of, fires, lint, quiet, rows, text, with};
use creeplint::{Confidence, Severity};

#[test]
fn sensitive_use() {
    let o = fires("sensitive-use");
    // native item and field, Fides system, Apple entry by purpose and by tracking
    assert_eq!(count(&o, "sensitive-use"), 5, "{}", rows(&o));
    insta::assert_snapshot!(rows(&o));
    for f in &o.findings {
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.confidence, Confidence::High);
    }
    let fides = &with(
        &o,
        "sensitive-use",
        "audience_builder.user.health_and_medical",
    )[0];
    assert_eq!(
        text(&o, fides.primary.loc),
        "marketing.advertising.third_party.targeted"
    );
    assert_eq!(
        &*fides.primary.message,
        "declared for advertising, third-party-sharing"
    );
    let apple = &with(&o, "sensitive-use", "`App.Health`")[0];
    assert_eq!(
        text(&o, apple.primary.loc),
        "NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising"
    );
    let tracked = &with(&o, "sensitive-use", "`App.SensitiveInfo`")[0];
    assert_eq!(text(&o, tracked.primary.loc), "<true/>");
    assert!(tracked.message.contains("special category data"));
    let native = &with(&o, "sensitive-use", "`conditions.chronic`")[0];
    assert_eq!(text(&o, native.primary.loc), "advertising");
    assert_eq!(&*native.secondary[0].message, "health data");
    // service-only uses, precise location for ads, marketing on data that is not sensitive
    quiet("sensitive-use");
}

#[test]
fn tracked_data_in_a_manifest_is_cross_context() {
    let o = lint(&["sensitive-use/fires/App"], &["cross-context"]);
    assert_eq!(count(&o, "cross-context"), 1, "{}", rows(&o));
    let f = &o.findings[0];
    assert_eq!(
        &*f.message,
        "`App.SensitiveInfo` is tracked: linked with other companies' data to follow people across apps and sites"
    );
    assert_eq!(text(&o, f.primary.loc), "<true/>");
    assert_eq!(at(&o, f.primary.loc), "32:4");
}

#[test]
fn files_that_only_look_alike_are_skipped_quietly() {
    // Compose and Kubernetes files, `dataset:`/`system:` lists without fides keys, an
    // API JSON Schema, an ESLint config with `rules`, a Snowplow event instance (not a
    // schema), a plan of another kind, an Info.plist (not a privacy manifest).
    let o = lint(&["declarations/lookalikes"], &[]);
    assert!(o.findings.is_empty(), "{}", rows(&o));
    assert_eq!(o.summary.files, 7, "Info.plist is not even read");
    assert_eq!(o.summary.skipped, 7);
    assert!(o.project.data.is_empty());
}

#[test]
fn malformed_declarations_are_invalid_files_with_a_place() {
    let o = lint(&["declarations/malformed"], &[]);
    assert_eq!(count(&o, "invalid-file"), 5, "{}", rows(&o));
    insta::assert_snapshot!(rows(&o));
    let place = |name: &str| {
        let f = o
            .findings
            .iter()
            .find(|f| file_of(&o, f.primary.loc).ends_with(name))
            .unwrap_or_else(|| panic!("no finding in {name}:\n{}", rows(&o)));
        (
            at(&o, f.primary.loc),
            f.primary.loc.span.len,
            f.message.clone(),
        )
    };
    // a binary property list has no text: the finding points at the file
    let (where_, len, message) = place("Binary/PrivacyInfo.xcprivacy");
    assert_eq!((where_.as_str(), len), ("1:1", 0));
    assert!(message.contains("binary property list"), "{message}");
    assert_eq!(place("Broken/PrivacyInfo.xcprivacy").0, "9:3");
    let (typo, _, message) = place("Typo/PrivacyInfo.xcprivacy");
    assert_eq!(typo, "8:12");
    assert!(message.contains("NSPrivacyCollectedDataTypeEmailAdress"));
    assert_eq!(place("systems.yml").0, "7:17");
    assert_eq!(place("plan.json").0, "4:5");
}

#[test]
fn personalizations_read_data_declared_in_other_formats() {
    let o = lint(&["declarations/cross"], &[]);
    insta::assert_snapshot!(rows(&o));
    // Fides: health category -> sensitive-targeting, pointing at the category
    let health = with(&o, "sensitive-targeting", "`condition-offers`");
    let declared = health
        .iter()
        .flat_map(|f| f.secondary.iter())
        .find(|l| file_of(&o, l.loc).ends_with("shop_db.yml"))
        .expect("a label at the Fides declaration");
    assert_eq!(text(&o, declared.loc), "user.health_and_medical");
    // Fides: behaviour -> observed-data
    let viewed = &with(&o, "observed-data", "`viewed-again`")[0];
    assert_eq!(
        text(&o, viewed.secondary[0].loc),
        "user.behavior.browsing_history"
    );
    // Snowplow enrichment bought from another company -> inferred-data
    let broker = &with(&o, "inferred-data", "`premium-ads`")[0];
    assert!(
        broker
            .primary
            .message
            .contains("obtained from another company")
    );
    assert!(file_of(&o, broker.secondary[0].loc).ends_with("person_enrichment.json"));
    // Apple: collected for analytics only -> purpose-mismatch for marketing
    let reorder = &with(&o, "purpose-mismatch", "`reorder-push`")[0];
    let collected = reorder
        .secondary
        .iter()
        .find(|l| &*l.message == "collected for analytics")
        .expect("a label at the manifest's purposes");
    assert!(file_of(&o, collected.loc).ends_with("ShopApp/PrivacyInfo.xcprivacy"));
    assert!(text(&o, collected.loc).contains("NSPrivacyCollectedDataTypePurposeAnalytics"));
    // Purchase history is the person's own record (issue 12): not observed-data.
    assert_eq!(count(&o, "observed-data"), 1);
    assert_eq!(count(&o, "undeclared-data"), 0);
}

/// The real public files of `../shared/corpus/` (when present): every file is
/// recognised and read without an `invalid-file`.
#[test]
fn corpus_files_are_read() {
    let root = PathBuf::from("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    for (folder, files) in [("fides", 6), ("apple-privacy", 5), ("event-schemas", 6)] {
        let o = match creeplint::pipeline::run(&[root.join(folder)], &Default::default()) {
            Ok(o) => o,
            Err(e) => panic!("{folder}: {e}"),
        };
        assert_eq!(o.summary.files, files, "{folder}");
        assert_eq!(o.summary.skipped, 0, "{folder}: a file was not recognised");
        assert_eq!(count(&o, "invalid-file"), 0, "{folder}:\n{}", rows(&o));
        assert!(!o.project.data.is_empty(), "{folder}");
    }
}

/// One example project per format: what each README promises is what creeplint says.
#[test]
fn example_projects() {
    for (dir, rules) in [
        (
            "fides-pharmacy",
            &[
                "sensitive-use",
                "sensitive-targeting",
                "purpose-mismatch",
                "observed-data",
                "sensitive-data",
                "missing-retention",
            ][..],
        ),
        (
            "ios-fitness-app",
            &[
                "sensitive-use",
                "cross-context",
                "missing-purpose",
                "location-trigger",
                "sensitive-data",
                "missing-retention",
            ],
        ),
        (
            "event-tracking",
            &[
                "sensitive-use",
                "inferred-data",
                "cross-context",
                "sensitive-targeting",
                "sensitive-data",
                "missing-retention",
            ],
        ),
    ] {
        let path = PathBuf::from("examples").join(dir);
        let o = match creeplint::pipeline::run(&[path], &Default::default()) {
            Ok(o) => o,
            Err(e) => panic!("{dir}: {e}"),
        };
        assert_eq!(o.summary.skipped, 0, "{dir}");
        assert_eq!(count(&o, "invalid-file"), 0, "{dir}:\n{}", rows(&o));
        for rule in rules {
            assert!(
                count(&o, rule) > 0,
                "{dir}: {rule} does not fire:\n{}",
                rows(&o)
            );
        }
        insta::assert_snapshot!(dir, rows(&o));
    }
}

/// The mapping tables in `docs/declarations.md` are generated from the readers'
/// tables: this keeps them true (`CREEPLINT_BLESS=1` rewrites them).
#[test]
fn docs_mapping_tables_match_the_readers() {
    use creeplint::formats::{apple_privacy, fides};
    let opt = |c: Option<String>| c.unwrap_or_default();
    let uses = |u: &[creeplint::model::Use]| {
        if u.is_empty() {
            "(none)".to_string()
        } else {
            u.iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut expected = String::from(
        "<!-- mappings:start -->\n#### Fides data categories\n\n| fideslang category (and below) | source | sensitive | location |\n|---|---|---|---|\n",
    );
    for (key, m) in fides::CATEGORIES {
        expected.push_str(&format!(
            "| `{key}` | `{}` | {} | {} |\n",
            m.source,
            opt(m.sensitive.map(|c| format!("`{c}`"))),
            opt(m.location.map(|p| format!("`{p}`")))
        ));
    }
    expected.push_str(
        "\n#### Fides data uses\n\n| fideslang data use (and below) | uses |\n|---|---|\n",
    );
    for (key, u) in fides::USES {
        expected.push_str(&format!("| `{key}` | {} |\n", uses(u)));
    }
    expected.push_str(
        "\n#### Fides data subjects\n\n| fideslang data subject | sensitive |\n|---|---|\n| one the `children` word list names (`child`, `children`, `teenager`, `student_under_13`, …) | `children` |\n",
    );
    for key in fides::CHILD_SUBJECTS {
        expected.push_str(&format!("| `{key}` | `children` |\n"));
    }
    expected.push_str(
        "| any other (`customer`, `employee`, `patient`, …) | (shown in the inventory) |\n",
    );
    expected.push_str("\n#### Apple collected data types\n\n| `NSPrivacyCollectedDataType…` | source | sensitive | location |\n|---|---|---|---|\n");
    for t in apple_privacy::DATA_TYPES {
        expected.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            t.name,
            t.source,
            opt(t.sensitive.map(|c| format!("`{c}`"))),
            opt(t.location.map(|p| format!("`{p}`")))
        ));
    }
    expected.push_str(
        "\n#### Apple purposes\n\n| `NSPrivacyCollectedDataTypePurpose…` | uses |\n|---|---|\n",
    );
    for (key, u) in apple_privacy::PURPOSES {
        expected.push_str(&format!("| `{key}` | {} |\n", uses(u)));
    }
    expected.push_str(&format!(
        "| `NSPrivacyCollectedDataTypeTracking: true` | {} |\n<!-- mappings:end -->",
        uses(apple_privacy::TRACKING_USES)
    ));
    let path = "docs/declarations.md";
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    let (Some(a), Some(b)) = (
        doc.find("<!-- mappings:start -->"),
        doc.find("<!-- mappings:end -->"),
    ) else {
        panic!("{path} lacks the mappings markers");
    };
    let current = &doc[a..b + "<!-- mappings:end -->".len()];
    if current != expected {
        if std::env::var_os("CREEPLINT_BLESS").is_some() {
            let updated = format!(
                "{}{}{}",
                &doc[..a],
                expected,
                &doc[b + "<!-- mappings:end -->".len()..]
            );
            let _ = std::fs::write(path, updated);
        } else {
            panic!(
                "{path}: the mapping tables are out of date; run `CREEPLINT_BLESS=1 cargo test --test declarations`:\n{expected}"
            );
        }
    }
}

#[test]
fn binary_manifests_are_read_and_point_at_the_file() {
    let o = lint(&["declarations/binary"], &[]);
    assert_eq!(count(&o, "invalid-file"), 0, "{}", rows(&o));
    let f = &with(&o, "sensitive-use", "`HealthKitAds.Health`")[0];
    assert_eq!(at(&o, f.primary.loc), "1:1");
    assert_eq!(f.primary.loc.span.len, 0);
    assert_eq!(
        &*f.primary.message,
        "declared for advertising, third-party-sharing"
    );
}

#[test]
fn the_report_inventory_names_each_items_format_and_file() {
    let o = lint(&["declarations/cross"], &[]);
    let r = creeplint::output::report::build(&o);
    let origin = |id: &str| {
        let row = r
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("no row for {id}"));
        row.origins
            .iter()
            .map(|o| o.what.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(origin("shop_db.customers.conditions"), ["Fides manifest"]);
    assert_eq!(
        origin("ShopApp.PurchaseHistory"),
        ["Apple privacy manifest"]
    );
    assert_eq!(origin("person.income_band"), ["event schema"]);
}

#[test]
fn allow_comments_work_in_fides_yaml_and_xml_manifests() {
    let o = lint(&["declarations/allows"], &["sensitive-use"]);
    assert_eq!(o.summary.suppressed, 2, "{}", rows(&o));
    assert_eq!(count(&o, "sensitive-use"), 1, "{}", rows(&o));
    assert_eq!(with(&o, "sensitive-use", "`App.SensitiveInfo`").len(), 1);
    let reasons: Vec<&str> = o.suppressed.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "reviewed: ads are contextual only",
            "reviewed by legal: contextual ads only"
        ]
    );
}

#[test]
fn x_creeplint_allow_entries_work_on_event_schema_properties() {
    // An Iglu property nested in an object, a Segment event property inside the
    // `properties` envelope, and an identify trait.
    let o = lint(
        &["declarations/event-allows"],
        &["sensitive-data", "missing-purpose"],
    );
    assert_eq!(o.summary.suppressed, 3, "{}", rows(&o));
    assert_eq!(count(&o, "invalid-allow"), 0, "{}", rows(&o));
    assert_eq!(
        with(&o, "sensitive-data", "`quiz_answer.answers.pregnant`").len(),
        1,
        "{}",
        rows(&o)
    );
    assert_eq!(
        with(&o, "missing-purpose", "`traits.email`").len(),
        1,
        "{}",
        rows(&o)
    );
    assert_eq!(o.findings.len(), 2, "{}", rows(&o));
    let mut reasons: Vec<&str> = o.suppressed.iter().map(|s| s.reason.as_str()).collect();
    reasons.sort_unstable();
    assert_eq!(
        reasons,
        [
            "reviewed: asked with explicit consent on the quiz's first page",
            "reviewed: asked with explicit consent on the quiz's first page",
            "the sign-up form that asks for it says why: a birthday discount"
        ]
    );
}

#[test]
fn iglu_schemas_without_an_extension_are_found_by_their_registry_path() {
    // `schemas/<vendor>/<name>/jsonschema/<M-R-A>`: a schema, a broken one and a plain
    // JSON Schema in that shape; a `LICENSE`, a `Makefile`, `releases/1-0-0` and
    // `bin/jsonschema`, which have no extension either, are not even read.
    let o = lint(&["declarations/iglu-registry"], &[]);
    assert_eq!(o.summary.files, 3, "{}", rows(&o));
    assert_eq!(
        o.summary.skipped, 1,
        "the plain JSON Schema is skipped quietly"
    );
    let mut ids: Vec<&str> = o.project.data.iter().map(|d| d.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["link_click.element_id", "link_click.target_url"]);
    let file = o
        .project
        .data
        .first()
        .map(|d| file_of(&o, d.id.loc))
        .unwrap_or_default();
    assert!(
        file.ends_with("schemas/com.acme.shop/link_click/jsonschema/1-0-0"),
        "{file}"
    );
    // The broken schema is recognised by its text and reported where it breaks.
    assert_eq!(o.findings.len(), 1, "{}", rows(&o));
    let f = &o.findings[0];
    assert_eq!(f.rule, "invalid-file");
    assert!(file_of(&o, f.primary.loc).ends_with("search/jsonschema/1-0-0"));
    assert_eq!(at(&o, f.primary.loc), "12:23");
}

#[test]
fn only_the_newest_version_of_an_iglu_schema_is_read() {
    // `checkout` at 1-0-0, 1-0-2 and 1-0-10 (path order puts the newest in the middle:
    // SchemaVer is compared number by number), and one version of `search`. The older
    // versions repeat the newest one's ids, hold an `x-source` that is not a source and
    // an allow on a property the newest one dropped: read, they would give duplicate
    // ids, an `invalid-file` error and allows that suppress nothing.
    let o = lint(&["declarations/iglu-versions"], &[]);
    assert_eq!(o.summary.files, 4, "{}", rows(&o));
    assert_eq!(o.summary.skipped, 2, "the two older versions of `checkout`");
    assert!(o.findings.is_empty(), "{}", rows(&o));
    assert_eq!(o.summary.suppressed, 0);
    let mut items: Vec<(&str, &str)> = o
        .project
        .data
        .iter()
        .map(|d| (d.id.as_str(), file_of(&o, d.id.loc)))
        .collect();
    items.sort_unstable();
    let ids: Vec<&str> = items.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "checkout.coupon_code",
            "checkout.delivery.post_code",
            "checkout.order_total",
            "search.query"
        ]
    );
    for (id, file) in &items {
        let want = if id.starts_with("checkout.") {
            "checkout/jsonschema/1-0-10"
        } else {
            "search/jsonschema/1-0-0"
        };
        assert!(file.ends_with(want), "{id} read from {file}");
    }
}

#[test]
fn a_schema_of_the_same_name_by_another_vendor_is_not_a_version() {
    // `com.partner.pay/checkout` 2-0-0 is another schema: it does not make
    // `com.acme.shop/checkout` 1-0-10 old, and the id both give (`checkout.order_total`)
    // is still a duplicate.
    let o = lint(
        &["declarations/iglu-versions", "declarations/iglu-vendors"],
        &[],
    );
    assert_eq!(o.summary.skipped, 2, "{}", rows(&o));
    assert!(
        o.project
            .data
            .iter()
            .any(|d| d.id.as_str() == "checkout.delivery.post_code")
    );
    assert_eq!(o.findings.len(), 1, "{}", rows(&o));
    let dup = &with(
        &o,
        "invalid-file",
        "duplicate data item id `checkout.order_total`",
    );
    assert_eq!(dup.len(), 1, "{}", rows(&o));
    let mut files = vec![file_of(&o, dup[0].primary.loc)];
    files.extend(dup[0].secondary.iter().map(|l| file_of(&o, l.loc)));
    assert_eq!(files.len(), 2, "{files:?}");
    for want in [
        "com.acme.shop/checkout/jsonschema/1-0-10",
        "com.partner.pay/checkout/jsonschema/2-0-0",
    ] {
        assert!(files.iter().any(|f| f.ends_with(want)), "{files:?}");
    }
}

#[test]
fn fides_data_subjects_legal_basis_and_retention() {
    let o = lint(&["declarations/fides-subjects"], &[]);
    // A declaration whose data subjects are children makes its email children's data,
    // in the system and in the dataset fields it names; marketing on it is an error.
    for id in [
        "club_mailer.user.contact.email",
        "kids_club.members.email",
        "kids_club.loans.borrower_email",
    ] {
        let used = with(&o, "sensitive-use", &format!("`{id}`"));
        assert_eq!(used.len(), 1, "{id}\n{}", rows(&o));
        assert_eq!(
            &*used[0].message,
            format!("data item `{id}` holds children data and is declared for marketing")
        );
        let data = &with(&o, "sensitive-data", &format!("`{id}`"))[0];
        assert_eq!(text(&o, data.primary.loc), "child");
    }
    // Retentions are declared everywhere (field, collection, declaration, system), and
    // the dataset's fideslang default "No retention or erasure policy" is not one.
    assert_eq!(count(&o, "missing-retention"), 0, "{}", rows(&o));
    let retention = |id: &str| {
        o.project
            .data
            .iter()
            .find(|d| d.id.as_str() == id)
            .and_then(|d| d.retention.as_ref())
            .map(|r| r.value.clone())
    };
    assert_eq!(
        retention("kids_club.members.email").as_deref(),
        Some("until the membership ends")
    );
    assert_eq!(
        retention("kids_club.members.reading_level").as_deref(),
        Some("1 school year")
    );
    assert_eq!(
        retention("kids_club.loans.borrower_email").as_deref(),
        Some("until the parent unsubscribes")
    );
    assert_eq!(
        retention("loan_reminders.user.contact.email").as_deref(),
        Some("3 months after the book is returned")
    );
    // The report's inventory says whose data it is and on what legal basis.
    let r = creeplint::output::report::build(&o);
    let origin = |id: &str| -> Vec<String> {
        r.items
            .iter()
            .filter(|i| i.id == id)
            .flat_map(|i| i.origins.iter().map(|o| o.what.clone()))
            .collect()
    };
    assert_eq!(
        origin("club_mailer.user.contact.email"),
        ["Fides manifest (data subjects: child, customer; legal basis: Consent)"]
    );
    assert_eq!(
        origin("loan_reminders.user.contact.email"),
        ["Fides manifest (data subjects: customer; legal basis: Contract)"]
    );
    assert_eq!(
        origin("kids_club.members.reading_level"),
        ["Fides manifest"]
    );
}
