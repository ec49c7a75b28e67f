//! Long texts that files repeat are held once (issue 14): while files are read, each
//! reading thread shares a text over 15 bytes from the second time it meets it, so a
//! purpose written for many fields, in many forms, is one block. Every text still reads
//! as written, and a text met once is a copy of its own. Two texts share a block when
//! their values are at one address.

use std::collections::HashMap;
use std::path::PathBuf;

use creeplint::model::Text;

use creeplint::formats::{Loaded, Registry, load};

const REPEATED: &str = "So we can deliver your order and contact you about it.";

/// `files` files written by `text` (numbered from 0, in that order) with the extension
/// `ext`, in a temporary folder, read as a check reads them. More than the 16 files read
/// on one thread: they are read on every core, each thread with its pool.
fn read(files: usize, ext: &str, text: fn(usize) -> String) -> (tempfile::TempDir, Loaded) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let paths: Vec<PathBuf> = (0..files)
        .map(|n| {
            let path = dir.path().join(format!("file-{n:02}.{ext}"));
            std::fs::write(&path, text(n)).expect("the file is written");
            path
        })
        .collect();
    let loaded = load(paths, &Registry::builtin()).expect("every file is read");
    (dir, loaded)
}

/// For each of `texts`, whether its value is a block no other of `texts` holds.
fn own<'a>(texts: impl IntoIterator<Item = &'a Text> + Clone) -> Vec<(&'a str, bool)> {
    let mut holders: HashMap<*const u8, usize> = HashMap::new();
    for t in texts.clone() {
        *holders.entry(t.as_str().as_ptr()).or_default() += 1;
    }
    texts
        .into_iter()
        .map(|t| (t.as_str(), holders.get(&t.as_str().as_ptr()) == Some(&1)))
        .collect()
}

fn form(n: usize) -> String {
    format!(
        "kind: form\n\
         id: order-{n}\n\
         purpose: Take an order and deliver it to the person who placed it.\n\
         fields:\n\
         \x20 - id: email_{n}\n\
         \x20   label: Email address\n\
         \x20   type: email\n\
         \x20   purpose: {REPEATED}\n\
         \x20 - id: phone_{n}\n\
         \x20   label: Phone number\n\
         \x20   type: tel\n\
         \x20   purpose: {REPEATED}\n\
         \x20 - id: note_{n}\n\
         \x20   label: Delivery note\n\
         \x20   type: textarea\n\
         \x20   purpose: Only form {n} asks this, to leave the parcel where you say.\n"
    )
}

#[test]
fn a_long_text_repeated_across_files_is_one_shared_block() {
    let files = 40;
    let (_dir, loaded) = read(files, "yaml", form);
    let purposes = own(loaded
        .project
        .forms
        .iter()
        .flat_map(|f| f.fields.iter())
        .filter_map(|f| f.purpose.text()));
    assert_eq!(purposes.len(), 3 * files);
    let (repeated, unique): (Vec<_>, Vec<_>) =
        purposes.iter().partition(|(text, _)| *text == REPEATED);
    assert_eq!(repeated.len(), 2 * files);
    // Each reading thread (at most 8) holds its first copy as its own, and shares it
    // from the second on.
    let copies = repeated.iter().filter(|(_, own)| *own).count();
    assert!((1..=8).contains(&copies), "{copies} copies of their own");
    // Met once each: never shared, and each reads as its form wrote it.
    for (n, (text, own)) in unique.iter().enumerate() {
        assert!(own, "{text}");
        assert_eq!(
            *text,
            format!("Only form {n} asks this, to leave the parcel where you say.")
        );
    }
    // The forms' own purposes, one a file and all alike, are shared too.
    let forms_own = own(loaded.project.forms.iter().filter_map(|f| f.purpose.text()))
        .iter()
        .filter(|(_, own)| *own)
        .count();
    assert!((1..=8).contains(&forms_own), "{forms_own}");
}

/// The footer's newsletter form, the same on every page of a site.
fn page(n: usize) -> String {
    format!(
        "<!doctype html>\n\
         <title>Page {n}</title>\n\
         <form id=\"newsletter\" data-purpose=\"{REPEATED}\">\n\
         \x20 <label for=\"e\">Email address for the monthly newsletter</label>\n\
         \x20 <input id=\"e\" name=\"email\" type=\"email\" data-purpose=\"{REPEATED}\">\n\
         </form>\n"
    )
}

#[test]
fn a_long_text_repeated_across_html_pages_is_one_shared_block() {
    let files = 40;
    let (_dir, loaded) = read(files, "html", page);
    let forms: Vec<_> = loaded.project.forms.iter().collect();
    assert_eq!(forms.len(), files);
    let texts: Vec<&Text> = forms
        .iter()
        .flat_map(|f| {
            f.purpose
                .text()
                .into_iter()
                .chain(f.fields.iter().filter_map(|x| x.purpose.text()))
                .chain(f.fields.iter().filter_map(|x| x.label.as_ref()))
        })
        .collect();
    // A purpose for each form and its field, and the field's label (40 bytes).
    assert_eq!(texts.len(), 3 * files);
    for t in &texts {
        assert!(
            t.as_str() == REPEATED || t.as_str() == "Email address for the monthly newsletter",
            "{}",
            t.as_str()
        );
    }
    let copies = own(texts.iter().copied())
        .iter()
        .filter(|(_, own)| *own)
        .count();
    // One copy of each of the two texts per reading thread, at most 8 threads.
    assert!((2..=16).contains(&copies), "{copies} copies of their own");
}
