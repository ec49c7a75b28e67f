//! JSON Schema forms: recognition, nesting, `$ref` cycles, uiSchema pairing, consent,
//! autocomplete, purposes from a data file, malformed files.

mod common;

use common::{check, check_files, count, rows, text, with};
use creeplint::pipeline::Outcome;

fn field_ids(o: &Outcome, form: &str) -> Vec<String> {
    o.project
        .forms
        .iter()
        .find(|f| f.id.as_str() == form)
        .map(|f| f.fields.iter().map(|x| x.id.as_str().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn the_jsonschema_example() {
    let o = check("examples/jsonschema-forms");
    insta::assert_snapshot!(rows(&o));
    // The API schema is skipped; the uiSchema is read with its schema (6 files, 1 skipped).
    assert_eq!(o.summary.files, 6);
    assert!(!o.findings.iter().any(|f| {
        o.sources
            .display(f.primary.loc.file)
            .ends_with("api/job.schema.json")
    }));
    assert_eq!(o.summary.skipped, 1);
    // Nesting, `$ref`, `ui:order`, a conditional field, and the recursive reference read once.
    assert_eq!(
        field_ids(&o, "apply"),
        [
            "applicant.firstName",
            "applicant.email",
            "applicant.gender",
            "applicant.address.city",
            "applicant.address.postalCode",
            "hasReference",
            "referrerId",
            "consentToShare",
            "reference.name",
        ]
    );
    let hidden = with(&o, "hidden-collection", "`referrerId`");
    assert_eq!(hidden.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, hidden[0].primary.loc), "\"hidden\"");
    assert!(
        o.sources
            .display(hidden[0].primary.loc.file)
            .ends_with("apply.uischema.json")
    );
    let ac = with(&o, "autocomplete-mismatch", "`applicant.firstName`");
    assert_eq!(ac.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, ac[0].primary.loc), "family-name");
    assert_eq!(with(&o, "prechecked-consent", "`partnerOffers`").len(), 1);
    // `const: true` must be ticked to submit: not pre-ticked.
    assert!(with(&o, "prechecked-consent", "`terms`").is_empty());
    assert!(with(&o, "prechecked-consent", "`consentToShare`").is_empty());
    // The feedback form's purposes come from overlay.yaml.
    assert!(
        with(&o, "missing-purpose", "feedback").is_empty(),
        "{}",
        rows(&o)
    );
}

const SCHEMA: &str = r#"{"title": "Signup", "type": "object",
  "properties": {"email": {"type": "string", "format": "email", "title": "Email"}}}"#;

#[test]
fn recognised_by_place_by_ui_schema_or_by_x_keys_and_skipped_otherwise() {
    let (_d, o) = check_files(&[("forms/signup.json", SCHEMA)]);
    assert_eq!(field_ids(&o, "signup"), ["email"]);
    let (_d, o) = check_files(&[
        ("signup.schema.json", SCHEMA),
        ("signup.uischema.json", "{}"),
    ]);
    assert_eq!(field_ids(&o, "signup"), ["email"]);
    let (_d, o) = check_files(&[("schema.json", SCHEMA), ("uischema.json", "{}")]);
    assert_eq!(o.project.forms.len(), 1, "{}", rows(&o));
    let x = SCHEMA.replace(
        "\"title\": \"Email\"",
        "\"title\": \"Email\", \"x-purpose\": \"Receipts\"",
    );
    let (_d, o) = check_files(&[("signup.json", &x)]);
    assert_eq!(field_ids(&o, "signup"), ["email"]);
    let (_d, o) = check_files(&[("signup.json", SCHEMA)]);
    assert!(o.project.forms.is_empty());
    assert_eq!(o.summary.skipped, 1);
    assert!(o.findings.is_empty(), "{}", rows(&o));
}

#[test]
fn json_forms_uischema_labels_and_autocomplete() {
    let ui = r##"{"type": "VerticalLayout", "elements": [
  {"type": "Control", "scope": "#/properties/email", "label": "Date of birth", "options": {"autocomplete": "email"}}]}"##;
    let (_d, o) = check_files(&[("schema.json", SCHEMA), ("uischema.json", ui)]);
    let f = with(&o, "autocomplete-mismatch", "`email`");
    assert_eq!(f.len(), 1, "{}", rows(&o));
    assert!(f[0].message.contains("date of birth"), "{}", f[0].message);
}

#[test]
fn an_unparsable_form_is_an_invalid_file_with_a_span() {
    let broken = "{\"type\": \"object\", \"properties\": {\"email\": {\"type\": \"string\"}}";
    let (_d, o) = check_files(&[("forms/signup.json", broken)]);
    let bad = o
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-file")
        .collect::<Vec<_>>();
    assert_eq!(bad.len(), 1, "{}", rows(&o));
    assert!(bad[0].message.starts_with("JSON"), "{}", bad[0].message);
    // The same broken text outside `forms/` is not a form: skipped quietly.
    let (_d, o) = check_files(&[("signup.json", broken)]);
    assert!(o.findings.is_empty(), "{}", rows(&o));
}

#[test]
fn a_dangling_ref_is_reported_where_it_is_written() {
    let schema = r##"{"type": "object", "properties": {"a": {"$ref": "#/definitions/nope"}}}"##;
    let (_d, o) = check_files(&[("forms/a.json", schema)]);
    let bad = o
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-file")
        .collect::<Vec<_>>();
    assert_eq!(bad.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, bad[0].primary.loc), "\"#/definitions/nope\"");
}

#[test]
fn refs_into_many_definitions_are_looked_up_by_key() {
    // 40 definitions, looked up by key past a few, and a pointer through one of them;
    // a missing one is reported.
    let mut definitions: Vec<String> = (0..40)
        .map(|i| format!(r#""def_{i}": {{"type": "string", "title": "Answer {i}"}}"#))
        .collect();
    definitions.push(
        r#""group": {"type": "object", "properties": {"inner": {"type": "string", "title": "Inner"}}}"#
            .into(),
    );
    let mut properties: Vec<String> = (0..40)
        .map(|i| format!(r##""q{i}": {{"$ref": "#/definitions/def_{i}"}}"##))
        .collect();
    properties.push(r##""deep": {"$ref": "#/definitions/group/properties/inner"}"##.into());
    properties.push(r##""lost": {"$ref": "#/definitions/def_99"}"##.into());
    let schema = format!(
        r#"{{"type": "object", "title": "Survey", "properties": {{{}}}, "definitions": {{{}}}}}"#,
        properties.join(", "),
        definitions.join(", ")
    );
    let (_d, o) = check_files(&[("forms/survey.json", &schema)]);
    let form = o
        .project
        .forms
        .iter()
        .find(|f| f.id.as_str() == "survey")
        .unwrap_or_else(|| panic!("{}", rows(&o)));
    let label = |id: &str| {
        form.fields
            .iter()
            .find(|f| f.id.as_str() == id)
            .and_then(|f| f.label.as_ref())
            .map(|l| l.as_str().to_owned())
    };
    assert_eq!(label("q3").as_deref(), Some("Answer 3"));
    assert_eq!(label("q39").as_deref(), Some("Answer 39"));
    assert_eq!(label("deep").as_deref(), Some("Inner"));
    let bad = with(&o, "invalid-file", "def_99");
    assert_eq!(bad.len(), 1, "{}", rows(&o));
    assert_eq!(text(&o, bad[0].primary.loc), "\"#/definitions/def_99\"");
}

#[test]
fn x_creeplint_allow_on_a_property() {
    let schema = r#"{"type": "object", "properties": {
  "nickname": {"type": "string",
    "x-creeplint-allow": [{"rule": "missing-purpose", "reason": "the label says it is shown on your profile"}]},
  "city": {"type": "string"}}}"#;
    let (_d, o) = check_files(&[("forms/a.json", schema)]);
    assert_eq!(count(&o, "missing-purpose"), 1, "{}", rows(&o));
    let city = with(&o, "missing-purpose", "`city`");
    assert_eq!(city.len(), 1);
    assert!(
        city[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`\"x-purpose\": ")),
        "{:?}",
        city[0].help
    );
    assert_eq!(o.summary.suppressed, 1);
    assert_eq!(count(&o, "invalid-allow"), 0, "{}", rows(&o));
}

/// A nested field is read by its own name and label: the fields under a child's object
/// are not each children's data (the child's own questions are), and the options of a
/// relationship question ("Son", "Grandchild") name a kinship, not a category.
#[test]
fn nested_fields_are_read_by_their_own_name() {
    let schema = r#"{
  "type": "object",
  "properties": {
    "caregiver": {
      "type": "object",
      "properties": {
        "vetRelationship": {
          "type": "string",
          "title": "Relationship to the veteran",
          "enum": ["Spouse", "Son", "Daughter", "Grandchild", "Friend"]
        }
      }
    },
    "childrenToAdd": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "address": {
            "type": "object",
            "properties": {"city": {"type": "string", "title": "City"}}
          },
          "supportingDocument": {
            "type": "object",
            "properties": {"size": {"type": "integer"}}
          },
          "childDateOfBirth": {"type": "string", "format": "date"},
          "birthDate": {"type": "string", "title": "Child's date of birth", "format": "date"}
        }
      }
    },
    "ageGroup": {
      "type": "string",
      "title": "Who is the account for?",
      "enum": ["Adult", "Teenager"]
    }
  }
}"#;
    let (_dir, o) = check_files(&[("forms/dependents.schema.json", schema)]);
    let found: Vec<String> = with(&o, "sensitive-data", "")
        .iter()
        .map(|f| f.message.to_string())
        .collect();
    assert_eq!(
        found,
        [
            "form `dependents` collects children data in `childrenToAdd.childDateOfBirth`",
            "form `dependents` collects children data in `childrenToAdd.birthDate`",
            "form `dependents` collects children data in `ageGroup`",
        ],
        "{}",
        rows(&o)
    );
    // the child's date of birth by its label; the city and the upload size are quiet
    let dob = with(&o, "sensitive-data", "`childrenToAdd.birthDate`");
    assert_eq!(text(&o, dob[0].primary.loc), "Child");
    // the missing-retention reason reads the same own names
    assert!(with(&o, "missing-retention", "`childrenToAdd.address.city`").is_empty());
    assert!(with(&o, "missing-retention", "`caregiver.vetRelationship`").is_empty());
}
