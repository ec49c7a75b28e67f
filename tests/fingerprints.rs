//! Baselines are persisted in users' repositories, and SARIF alerts are tracked by the
//! same fingerprint: the subject of every kind of finding, and so its fingerprint, must
//! not change from one version to the next. The expected values were computed by the
//! version before subjects became typed.

use std::path::PathBuf;

use creeplint::baseline::{self, Entry};
use creeplint::pipeline::{Options, run};

/// Rule, file, subject, occurrence, fingerprint: one finding of every subject shape.
const EXPECTED: &[(&str, &str, &str, usize, &str)] = &[
    (
        "aggressive-frequency",
        "tests/fixtures/aggressive-frequency/fires/campaigns.yaml",
        "personalization:catalog-mail over-cap",
        0,
        "3a719dc814a9a73f",
    ),
    (
        "aggressive-frequency",
        "tests/fixtures/aggressive-frequency/fires/campaigns.yaml",
        "personalization:flash-sale-sms uncapped",
        0,
        "e66f5801a1b54cfb",
    ),
    (
        "cross-context",
        "tests/fixtures/cross-context/fires/campaigns.yaml",
        "personalization:baby-ads data:predicted.expecting_parent",
        0,
        "21b1e01d7a2d6216",
    ),
    (
        "hidden-collection",
        "tests/fixtures/hidden-collection/fires/landing.yaml",
        "form:landing-signup field:clinic_code",
        0,
        "7df6bbdaf16aa1d9",
    ),
    (
        "inferred-data",
        "tests/fixtures/cross-context/fires/campaigns.yaml",
        "personalization:baby-ads data:predicted.expecting_parent",
        0,
        "f1df047615ad1a3a",
    ),
    (
        "invalid-allow",
        "examples/creepy-shop/campaigns.yaml",
        "no reason: sensitive-targeting",
        0,
        "90ee055639f055c5",
    ),
    (
        "invalid-file",
        "tests/fixtures/aggressive-frequency/quiet/campaigns.yaml",
        "duplicate personalization id `catalog-mail`",
        0,
        "a8b65ef7b1db929c",
    ),
    (
        "location-trigger",
        "tests/fixtures/cross-context/quiet/campaigns.yaml",
        "personalization:city-store-mail",
        0,
        "08fa37a6f85b3b59",
    ),
    (
        "message-reveals-tracking",
        "tests/fixtures/inferred-data/fires/campaigns.yaml",
        "personalization:premium-ad data:broker.income_band",
        0,
        "c2f046c86080b000",
    ),
    (
        "message-reveals-tracking",
        "tests/fixtures/location-trigger/fires/campaigns.yaml",
        "personalization:near-store-sms phrase:minutes from our store",
        0,
        "b46fee3ce816c940",
    ),
    (
        "message-reveals-tracking",
        "tests/fixtures/message-reveals-tracking/fires/campaigns.yaml",
        "personalization:noticed-shoes phrase:we noticed",
        0,
        "2364083af11456ff",
    ),
    (
        "message-reveals-tracking",
        "tests/fixtures/message-reveals-tracking/fires/campaigns.yaml",
        "personalization:zapatillas phrase:vimos que",
        0,
        "8c00669bcc06b242",
    ),
    (
        "message-reveals-tracking",
        "examples/creepy-shop/campaigns.yaml",
        "personalization:search-retargeting phrase:you searched",
        0,
        "fc8b786e2e5f8335",
    ),
    (
        "message-reveals-tracking",
        "tests/fixtures/message-reveals-tracking/fires/store.json",
        "personalization:store-coupon phrase:since you were near",
        0,
        "ba067360d3bd6af5",
    ),
    (
        "missing-purpose",
        "tests/fixtures/missing-purpose/fires/data.json",
        "data:loyalty.tier",
        0,
        "53ecb0ee7cce29d5",
    ),
    (
        "missing-purpose",
        "tests/fixtures/hidden-collection/fires/landing.yaml",
        "form:landing-signup field:clinic_code",
        0,
        "c84ebca093bbe3a5",
    ),
    (
        "missing-retention",
        "tests/fixtures/cross-context/fires/data.yaml",
        "data:broker.household_income",
        0,
        "219dafb9ec9326bb",
    ),
    (
        "missing-retention",
        "tests/fixtures/invalid-file/fires/duplicates.yaml",
        "form:signup field:email",
        1,
        "2ab815be6aec60fa",
    ),
    (
        "observed-data",
        "tests/fixtures/cross-context/fires/campaigns.yaml",
        "personalization:browsing-catalog data:browsing.categories_viewed",
        0,
        "d56f31479148d197",
    ),
    (
        "prechecked-consent",
        "tests/fixtures/prechecked-consent/fires/newsletter.json",
        "form:footer-newsletter field:store_alerts",
        0,
        "8eea5deff47d50b8",
    ),
    (
        "purpose-mismatch",
        "tests/fixtures/cross-context/quiet/campaigns.yaml",
        "personalization:viewed-categories-banner data:browsing.categories_viewed",
        0,
        "b913e17a98c3741d",
    ),
    (
        "required-without-need",
        "tests/fixtures/required-without-need/fires/checkout.yaml",
        "form:checkout field:how_did_you_hear",
        0,
        "a67fffc8da7538f9",
    ),
    (
        "sensitive-data",
        "tests/fixtures/cross-context/fires/data.yaml",
        "data:predicted.expecting_parent category:pregnancy",
        1,
        "5a2c8288cdd31775",
    ),
    (
        "sensitive-data",
        "tests/fixtures/hidden-collection/fires/landing.yaml",
        "form:landing-signup field:clinic_code category:health",
        0,
        "4929df1e14a472ab",
    ),
    (
        "sensitive-targeting",
        "tests/fixtures/cross-context/fires/campaigns.yaml",
        "personalization:baby-ads category:pregnancy data:predicted.expecting_parent",
        0,
        "072f8cc4dc27fe81",
    ),
    (
        "sensitive-targeting",
        "tests/fixtures/sensitive-targeting/fires/all.yaml",
        "personalization:category-email category:pregnancy value:maternity",
        0,
        "2cc67a6a6727d5cb",
    ),
    (
        "sensitive-targeting",
        "tests/fixtures/sensitive-targeting/fires/copy.yaml",
        "personalization:congrats-email category:pregnancy message",
        0,
        "b804d1bb009f392f",
    ),
    (
        "sensitive-targeting",
        "tests/fixtures/sensitive-targeting/fires/copy.yaml",
        "personalization:debt-banner category:financial-hardship explanation",
        0,
        "37b44613be120d67",
    ),
    (
        "sensitive-targeting",
        "tests/fixtures/sensitive-targeting/fires/all.yaml",
        "personalization:pharmacy-sms category:a visit to a sensitive place near:pharmacy",
        0,
        "b103c6f0c9a13a76",
    ),
    (
        "third-party-sharing",
        "tests/fixtures/prechecked-consent/quiet/forms.yaml",
        "form:checkout field:partners_opt_in",
        0,
        "ad07a1084468a507",
    ),
    (
        "third-party-sharing",
        "tests/fixtures/third-party-sharing/fires/audiences.yaml",
        "personalization:customer-match data:email",
        0,
        "d42f6a3610582f29",
    ),
    (
        "undeclared-data",
        "tests/fixtures/cross-context/fires/social.json",
        "personalization:follower-perks data:facebook_likes",
        0,
        "9f064a50234108a7",
    ),
    (
        "unexplained-personalization",
        "tests/fixtures/inferred-data/fires/campaigns.yaml",
        "personalization:lookalike-email",
        0,
        "eac3331b54aa0505",
    ),
    (
        "unused-data",
        "tests/fixtures/missing-purpose/fires/data.json",
        "data:loyalty.tier",
        0,
        "7334b3ad5c0825fb",
    ),
    (
        "unused-data",
        "tests/fixtures/prechecked-consent/fires/signup.yaml",
        "form:signup field:marketing_opt_in",
        0,
        "545a0129c1d4f15c",
    ),
    (
        "vague-purpose",
        "tests/fixtures/sensitive-data/fires/data.yaml",
        "data:crm.debt_flag",
        0,
        "dc33d5627aeb2c4a",
    ),
    (
        "vague-purpose",
        "tests/fixtures/vague-purpose/fires/forms.yaml",
        "form:contact",
        0,
        "39746d82e3995583",
    ),
    (
        "vague-purpose",
        "tests/fixtures/invalid-file/fires/duplicates.yaml",
        "form:signup field:email",
        1,
        "38a1931cac2a89b2",
    ),
];

/// The `invalid-allow` shapes that the fixtures do not produce, in `allows.yaml`.
const ALLOWS_EXPECTED: &[(&str, &str, &str, usize, &str)] = &[
    (
        "invalid-allow",
        "allows.yaml",
        "no rule",
        0,
        "4e0f1be981a67dd0",
    ),
    (
        "invalid-allow",
        "allows.yaml",
        "suppresses nothing: unused-data",
        0,
        "feb5cf7892ed6a7a",
    ),
    (
        "invalid-allow",
        "allows.yaml",
        "unknown rule: missing-purpse",
        0,
        "6759345123555d97",
    ),
];

const ALLOWS: &str = r#"kind: data
items:
  # creeplint: allow
  - id: loyalty.tier
    source: volunteered
    description: The loyalty tier the customer chose when joining, shown on their account page.
    uses: [account]
    retention: until account deletion
  # creeplint: allow missing-purpse -- reviewed
  - id: crm.segment
    source: volunteered
    description: The newsletter topics the customer picked, used to choose what we email.
    uses: [account]
    retention: until account deletion
  # creeplint: allow unused-data -- kept for the yearly review
  - id: crm.region
    source: volunteered
    description: The region the customer picked for shipping, used to show delivery times.
    uses: [account]
    retention: until account deletion
"#;

fn check(entries: &[Entry], expected: &[(&str, &str, &str, usize, &str)]) {
    let mut wrong = Vec::new();
    for &(rule, file, subject, occurrence, fingerprint) in expected {
        let found = entries.iter().find(|e| {
            e.rule == rule && e.file == file && e.subject == subject && e.occurrence == occurrence
        });
        match found {
            Some(e) if e.fingerprint() == fingerprint => {}
            Some(e) => wrong.push(format!(
                "{rule} {file} {subject:?}: fingerprint {} instead of {fingerprint}",
                e.fingerprint()
            )),
            None => wrong.push(format!(
                "{rule} {file} {subject:?} #{occurrence}: no such finding"
            )),
        }
    }
    assert!(wrong.is_empty(), "subjects changed:\n{}", wrong.join("\n"));
}

#[test]
fn fingerprints_of_every_subject_shape_do_not_change() {
    // Each folder is one project, as the expected values were computed.
    let mut entries = Vec::new();
    for path in ["tests/fixtures", "examples"] {
        let o = run(&[PathBuf::from(path)], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        entries.extend(baseline::entries(&o.sources, &o.findings));
    }
    check(&entries, EXPECTED);
}

#[test]
fn fingerprints_of_allow_problems_do_not_change() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("allows.yaml"), ALLOWS).unwrap_or_else(|e| panic!("{e}"));
    let o = run(&[dir.path().to_path_buf()], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    // The folder is a fresh temporary one: name the file as the expected values do.
    let entries: Vec<Entry> = baseline::entries(&o.sources, &o.findings)
        .into_iter()
        .map(|e| Entry {
            file: "allows.yaml".to_string(),
            ..e
        })
        .collect();
    check(&entries, ALLOWS_EXPECTED);
}
