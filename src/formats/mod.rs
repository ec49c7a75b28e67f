//! Readers: turn files into the model. A [`Registry`] of [`Reader`]s says which files a
//! folder walk reads; each file is read once as text and handed to the first reader that
//! recognises it, which returns its part of the model, its problems (with spans) and its
//! suppressions. Readers may then pair files; everything is merged in path order.
//! Nothing here knows about rules.

pub mod apple_privacy;
pub mod event_schema;
pub mod fides;
pub mod flagd;
pub mod html_form;
pub mod jsonschema_form;
mod mapped;
pub mod native;
pub mod overlay;
pub mod remote_config;
pub mod schema;
mod schema_walk;
pub mod settings;
pub mod targeting;
pub mod tree;
pub mod uischema;

use std::any::Any;
use std::path::{Path, PathBuf};

pub use crate::model::Problem;
use crate::model::{DataDecl, Form, Personalization, Project};
use crate::source::{FileId, Language, Loc, SourceFile, Sources, Span};
use crate::suppress::Allow;
pub use settings::ReaderSettings;

/// Files larger than this are not parsed: no form or rule file is anywhere near it.
pub const MAX_FILE_BYTES: u64 = crate::io::MAX_FILE_BYTES;

/// What one file contributes to the project.
#[derive(Debug, Default)]
pub struct FileModel {
    pub forms: Vec<Form>,
    pub data: Vec<DataDecl>,
    pub personalizations: Vec<Personalization>,
    /// Who answers for which item (`x-owner` and the like).
    pub owners: Vec<crate::model::Owner>,
}

impl FileModel {
    /// Give back the room the readers' lists grew into: a form keeps its fields for the
    /// whole run, and a `Vec` that doubled to 16 for 10 fields of about 700 bytes each
    /// held 4 KiB it never used. (A field's `uses` and `options`, a personalization's
    /// conditions and placeholders are boxed slices, exact already.) The file's own
    /// lists too: they wait for every other file to be read before they join the
    /// project's, and a form file's one form (200 bytes) had room for four (issue 14).
    pub fn shrink_to_fit(&mut self) {
        self.forms.shrink_to_fit();
        self.data.shrink_to_fit();
        self.personalizations.shrink_to_fit();
        self.owners.shrink_to_fit();
        for form in &mut self.forms {
            form.fields.shrink_to_fit();
            form.uses.shrink_to_fit();
        }
        for d in &mut self.data {
            d.uses.shrink_to_fit();
        }
    }

    /// The span of every item of the file (form, field, data item, personalization,
    /// condition), for comments that cover the item that starts on their next line.
    pub fn item_spans(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for form in &self.forms {
            out.push(form.item.span);
            out.extend(form.fields.iter().map(|f| f.item.span));
        }
        out.extend(self.data.iter().map(|d| d.item.span));
        for p in &self.personalizations {
            out.push(p.item.span);
            out.extend(p.conditions().map(|c| c.item().span));
        }
        out
    }
}

/// What a reader makes of one file.
#[derive(Debug, Default)]
pub struct FileRead {
    /// The file's language as the reader saw it (named in the human output).
    pub language: Language,
    pub model: FileModel,
    /// Problems with the file: `invalid-file` findings.
    pub problems: Vec<Problem>,
    /// The file's suppressions, read with the format's own syntax (comments, entries).
    pub allows: Vec<Allow>,
    /// Documents that are creeplint's (read or reported): a file with none is counted
    /// as skipped, and its suppressions are ignored.
    pub documents: usize,
    /// Whatever the reader keeps for its [`Reader::pair`] step (a uiSchema's hints
    /// waiting for their schema); dropped after pairing.
    pub pending: Option<Box<dyn Any + Send>>,
}

/// A read file, as the pairing step sees it.
#[derive(Debug)]
pub struct ReadFile {
    pub id: FileId,
    pub source: SourceFile,
    /// The name of the reader that read it; `None` when no reader claimed it.
    pub reader: Option<&'static str>,
    pub read: FileRead,
}

/// A format creeplint reads. A reader recognises its files, turns one file into its part
/// of the model with its problems and suppressions, and may pair files after every file
/// is read. It never sees rules, and rules never see it.
pub trait Reader: Send + Sync {
    /// A stable name, for listings and for [`ReadFile::reader`].
    fn name(&self) -> &'static str;
    /// Extensions walked in folders, lower case without the dot (`yaml`).
    fn extensions(&self) -> &'static [&'static str];
    /// Exact file names walked in folders whatever their extension
    /// (`PrivacyInfo.xcprivacy`).
    fn file_names(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether a folder walk reads a file that neither its name nor its extension gives
    /// away, from the shape of its path alone (Iglu registries keep schemas as
    /// `vendor/name/jsonschema/1-0-0`, with no extension). Never looks at the file:
    /// [`Reader::sniff`] decides afterwards, and a file it does not recognise is skipped.
    fn wants_path(&self, _path: &Path) -> bool {
        false
    }
    /// Whether a file is probably this format: a cheap look at the path and the start
    /// of the text, no parsing. The first reader that says yes reads the file.
    fn sniff(&self, path: &Path, text: &str) -> bool;
    /// For a file that cannot be read whole (too large, not UTF-8): where in its text
    /// (the start of it, or a lossy copy) it shows it is this format, so the problem is
    /// reported rather than the file skipped.
    fn marker(&self, _text: &str) -> Option<Span> {
        None
    }
    /// Read one file. Never fails: problems are data.
    fn read(&self, file: &SourceFile, id: FileId) -> FileRead;
    /// Read a file from its bytes, for formats that need not be text (a binary property
    /// list): the text to keep as the file's source (empty when there is none to point
    /// into) and what was read. Asked, before any UTF-8 decoding, of the readers that
    /// know the file's name or extension; `None` reads it as text.
    fn read_bytes(&self, _path: &Path, _bytes: &[u8], _id: FileId) -> Option<(String, FileRead)> {
        None
    }
    /// After every file is read (in parallel): pair files that belong together, e.g. a
    /// JSON Schema and its uiSchema, by moving model parts, problems or suppressions
    /// between them. Files are in path order; ids must not change.
    fn pair(&self, _files: &mut [ReadFile]) {}
    /// [`Reader::sniff`] with the configuration's reader settings (`forms:` globs, a
    /// `ui-schemas:` pairing); readers that take no settings keep the default.
    fn sniff_with(&self, path: &Path, text: &str, _settings: &ReaderSettings) -> bool {
        self.sniff(path, text)
    }
    /// [`Reader::read`] with the configuration's reader settings.
    fn read_with(&self, file: &SourceFile, id: FileId, _settings: &ReaderSettings) -> FileRead {
        self.read(file, id)
    }
    /// [`Reader::pair`] with the configuration's reader settings.
    fn pair_with(&self, files: &mut [ReadFile], _settings: &ReaderSettings) {
        self.pair(files)
    }
    /// Whether a personalization id of this format names one thing across the project
    /// (native files: a second one is a duplicate), or may repeat in other files by
    /// design (flagd layers flag sets, so the same flag key in two of them overrides).
    fn ids_are_project_wide(&self) -> bool {
        true
    }
    /// Whether this format's items may point into other files: a reader that pairs
    /// files ([`Reader::pair`]) or whose forms other files describe (the overlay of
    /// `FORM_ID.FIELD_ID` data items). `check` checks such files' items first, before it
    /// writes any finding, since their findings may belong to any file (issue 14:
    /// findings are written a batch of files at a time).
    fn links_files(&self) -> bool {
        false
    }
}

/// The readers of a run, asked in order.
#[derive(Clone)]
pub struct Registry {
    readers: Vec<&'static dyn Reader>,
    /// What the configuration tells readers, handed to every reader call.
    settings: ReaderSettings,
    /// Let go of each file's text once it is read ([`Registry::letting_go_of_texts`]).
    let_go: bool,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::builtin()
    }
}

/// Every built-in reader, most specific first: the native reader reads any YAML or JSON
/// file it is given, so readers of other YAML or JSON dialects go before it.
static BUILTIN: &[&dyn Reader] = &[
    &apple_privacy::ApplePrivacyReader,
    &fides::FidesReader,
    &event_schema::EventSchemaReader,
    &remote_config::RemoteConfigReader,
    &flagd::FlagdReader,
    &jsonschema_form::JsonSchemaFormReader,
    &html_form::HtmlFormReader,
    &native::NativeReader,
];

impl Registry {
    pub fn builtin() -> Self {
        Self {
            readers: BUILTIN.to_vec(),
            settings: ReaderSettings::default(),
            let_go: false,
        }
    }

    /// Add a reader, asked before the ones already registered (tests, embedders).
    pub fn with(mut self, reader: &'static dyn Reader) -> Self {
        self.readers.insert(0, reader);
        self
    }

    /// The same readers with the configuration's reader settings.
    pub fn with_settings(mut self, settings: ReaderSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Let go of each file's text as soon as it is read, unless its reader pairs it with
    /// other files afterwards ([`FileRead::pending`]): when the run's output writes
    /// positions only (`pipeline::Options::drop_texts`). The text of the declarations
    /// the rules quote is kept ([`crate::model::quoted_declarations`]). Each text is freed
    /// before the next file is read, so the reading threads reuse its memory instead of
    /// holding every text to the end of the run (issue 14).
    pub fn letting_go_of_texts(mut self, yes: bool) -> Self {
        self.let_go = yes;
        self
    }

    pub fn settings(&self) -> &ReaderSettings {
        &self.settings
    }

    pub fn readers(&self) -> &[&'static dyn Reader] {
        &self.readers
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.readers.iter().map(|r| r.name())
    }

    fn by_name_or_extension<'a>(
        &'a self,
        path: &'a Path,
    ) -> impl Iterator<Item = &'static dyn Reader> + 'a {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        self.readers.iter().copied().filter(move |r| {
            r.file_names().contains(&name)
                || (!ext.is_empty() && r.extensions().contains(&ext.as_str()))
                || (ext.is_empty() && r.wants_path(path))
        })
    }

    /// Whether a folder walk reads this file: some reader knows its name or extension,
    /// or the shape of its path ([`Reader::wants_path`]).
    pub fn wants(&self, path: &Path) -> bool {
        self.by_name_or_extension(path).next().is_some()
    }

    /// The reader of a file: the first that knows its name or extension and recognises
    /// the text; else (a file named on the command line) the first that recognises it.
    pub fn reader_for(&self, path: &Path, text: &str) -> Option<&'static dyn Reader> {
        let s = &self.settings;
        self.by_name_or_extension(path)
            .find(|r| r.sniff_with(path, text, s))
            .or_else(|| {
                self.readers
                    .iter()
                    .copied()
                    .find(|r| r.sniff_with(path, text, s))
            })
    }

    /// Where a file that cannot be read whole shows it is one of ours.
    fn marker(&self, path: &Path, text: &str) -> Option<Span> {
        self.by_name_or_extension(path)
            .find_map(|r| r.marker(text))
            .or_else(|| self.readers.iter().find_map(|r| r.marker(text)))
    }
}

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub project: Project,
    pub problems: Vec<Problem>,
    /// Every suppression: comments first, then entries, each in file order.
    pub allows: Vec<Allow>,
    /// Files read as creeplint's.
    pub files_checked: Vec<FileId>,
    /// Files with no document of creeplint's.
    pub skipped: usize,
    /// Every file's items, by file id: where they are in the project's lists.
    pub parts: Vec<FileParts>,
}

/// Where one file's items are in the project's lists, and whether they may point into
/// other files ([`Reader::links_files`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileParts {
    pub forms: std::ops::Range<u32>,
    pub data: std::ops::Range<u32>,
    pub personalizations: std::ops::Range<u32>,
    pub linked: bool,
}

/// A reader panicked: a bug in creeplint, reported (exit 2) rather than hidden.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("creeplint crashed while reading {path}: {message}; please report this bug with the file")]
pub struct ReaderPanic {
    pub path: String,
    pub message: String,
}

/// Read, parse and convert one file. Never fails: problems are returned as data.
pub fn read_file(path: PathBuf, file: FileId, readers: &Registry) -> ReadFile {
    let at = |span| Loc { file, span };
    let mut out = ReadFile {
        id: file,
        source: SourceFile::new(path.clone(), String::new()),
        reader: None,
        read: FileRead::default(),
    };
    let bytes = match crate::io::read_regular(&path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(crate::io::ReadError::TooLarge { size, head }) => {
            // Look only at the head to tell whether it is ours; never parse it.
            let head = String::from_utf8_lossy(&head).into_owned();
            if let Some(marker) = readers.marker(&path, &head) {
                out.source = SourceFile::new(path, head);
                out.read.documents = 1;
                out.read.problems.push(
                    Problem::new(
                        at(marker),
                        format!(
                            "this file is {:.1} MiB, over the {} MiB budget for a creeplint file",
                            size as f64 / 1_048_576.0,
                            MAX_FILE_BYTES / 1_048_576
                        ),
                    )
                    .help("split it into several files; creeplint reads every file of a folder"),
                );
            }
            return out;
        }
        Err(e) => {
            out.read.documents = 1;
            out.read.problems.push(
                Problem::new(at(Span::default()), format!("cannot read this file: {e}"))
                    .help("check that the file exists and that you may read it"),
            );
            return out;
        }
    };
    let from_bytes = readers
        .by_name_or_extension(&path)
        .find_map(|r| r.read_bytes(&path, &bytes, file).map(|got| (r, got)));
    if let Some((reader, (text, read))) = from_bytes {
        out.source = SourceFile::new(path, text);
        out.source.language = read.language;
        out.reader = Some(reader.name());
        out.read = read;
        return out;
    }
    let bytes = match crate::io::transcode(bytes) {
        Ok(b) => b,
        Err(bad) => {
            if readers.marker(&path, &bad.text).is_some() {
                out.source = SourceFile::new(path, bad.text);
                out.read.documents = 1;
                out.read.problems.push(
                    Problem::new(
                        at(Span::new(bad.at, '\u{fffd}'.len_utf8())),
                        format!("this file is not valid {}", bad.encoding),
                    )
                    .help("save the file as UTF-8"),
                );
            }
            return out;
        }
    };
    if let Some(bare) = crate::io::without_nuls(&bytes)
        && let Some(marker) = readers.marker(&path, &bare)
        && readers
            .marker(&path, &String::from_utf8_lossy(&bytes))
            .is_none()
    {
        out.source = SourceFile::new(path, bare);
        out.read.documents = 1;
        out.read.problems.push(
            Problem::new(
                at(marker),
                "this file holds NUL characters: it looks like UTF-16 without a byte-order mark",
            )
            .help("save the file as UTF-8 (or as UTF-16 with a byte-order mark)"),
        );
        return out;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            if readers.marker(&path, &lossy).is_some() {
                out.source = SourceFile::new(path, lossy);
                out.read.documents = 1;
                out.read.problems.push(
                    Problem::new(
                        at(Span::new(bad, '\u{fffd}'.len_utf8())),
                        "this file is not valid UTF-8",
                    )
                    .help("save the file as UTF-8"),
                );
            }
            return out;
        }
    };
    read_text(path, text, file, readers)
}

/// Read text already in memory (a file's, or standard input's for `check -`), shown
/// as `path`.
pub fn read_text(path: PathBuf, text: String, file: FileId, readers: &Registry) -> ReadFile {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let mut out = ReadFile {
        id: file,
        source: SourceFile::new(path, text),
        reader: None,
        read: FileRead::default(),
    };
    if let Some(reader) = readers.reader_for(&out.source.path, &out.source.text) {
        out.read = reader.read_with(&out.source, file, &readers.settings);
        out.read.model.shrink_to_fit();
        // Held until every file is read, like the model: without the room their
        // growth left (a list of one problem had room for four, 352 bytes a file at
        // the 2,000 forms, where each form has one).
        out.read.problems.shrink_to_fit();
        out.read.allows.shrink_to_fit();
        out.source.language = out.read.language;
        out.reader = Some(reader.name());
    }
    if readers.let_go && out.read.pending.is_none() {
        let model = &out.read.model;
        let source = &out.source;
        let keep = crate::model::quoted_declarations(&model.forms, &model.data, |loc| {
            (loc.file == file).then(|| source.slice(loc.span)).flatten()
        });
        out.source
            .let_go_of_text(keep.into_iter().map(|loc| loc.span));
    }
    out
}

/// Read every file (in parallel), let readers pair files, then merge in path order into
/// one project. A reader that panics stops the run with a [`ReaderPanic`].
pub fn load(paths: Vec<PathBuf>, readers: &Registry) -> Result<Loaded, ReaderPanic> {
    load_with_text(paths, None, readers, None, None)
}

/// Which of the forms' choices a run keeps, asked with the text of a choice's value and
/// of its label (`pipeline::Options::drop_choices` keeps those a rule can find a word
/// in). The rest are let go of as each file is read: a select's choices were the
/// largest part of the model no rule reads (200,000 lists of three, 25 MB at the
/// 50,001-file project; issue 14).
pub type ChoiceFilter<'f> = &'f (dyn Fn(&str) -> bool + Sync);

/// A [`ChoiceFilter`] asked once per text a reading thread meets: choices repeat from
/// form to form (`yes`, `no`, a list of countries). At most [`Choices::REMEMBERED`]
/// texts are remembered, so a project of distinct choices holds no more than that.
struct Choices<'f> {
    keep: ChoiceFilter<'f>,
    seen: std::collections::HashMap<crate::model::TextValue, bool, foldhash::fast::FixedState>,
}

impl<'f> Choices<'f> {
    const REMEMBERED: usize = 4096;

    fn new(keep: ChoiceFilter<'f>) -> Self {
        Self {
            keep,
            seen: Default::default(),
        }
    }

    fn keeps(&mut self, text: &crate::model::TextValue) -> bool {
        if let Some(&keep) = self.seen.get(text.as_str()) {
            return keep;
        }
        let keep = (self.keep)(text);
        if self.seen.len() >= Self::REMEMBERED {
            self.seen.clear();
        }
        self.seen.insert(text.clone(), keep);
        keep
    }

    /// Let go of the choices of `model`'s fields that neither by value nor by label are
    /// kept.
    fn apply(&mut self, model: &mut FileModel) {
        for field in model.forms.iter_mut().flat_map(|f| f.fields.iter_mut()) {
            field.retain_options(|o| {
                self.keeps(&o.value.value) || o.label.as_ref().is_some_and(|l| self.keeps(&l.value))
            });
        }
    }
}

/// `load`, plus one text already in memory (standard input for `check -`), shown as
/// the given path and read after the files; on at most `threads` threads (`None`: one
/// per core, up to 8).
pub fn load_with_text(
    paths: Vec<PathBuf>,
    text: Option<(PathBuf, String)>,
    readers: &Registry,
    threads: Option<std::num::NonZeroUsize>,
    choices: Option<ChoiceFilter<'_>>,
) -> Result<Loaded, ReaderPanic> {
    let mut results = read_all(paths, readers, threads, choices)?;
    // The files not sifted as they were read: those waiting for their pair (a JSON
    // Schema and its uiSchema, whose forms pairing makes), and standard input's.
    let mut unsifted: Vec<usize> = match choices {
        Some(_) => results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.read.pending.is_some())
            .map(|(i, _)| i)
            .collect(),
        None => Vec::new(),
    };
    if let Some((path, text)) = text {
        let id = FileId::new(results.len());
        unsifted.push(results.len());
        results.push(read_text(path, text, id, readers));
    }
    for reader in readers.readers() {
        reader.pair_with(&mut results, &readers.settings);
    }
    overlay::apply(&mut results);
    if let Some(keep) = choices {
        let mut choices = Choices::new(keep);
        for i in unsifted {
            if let Some(r) = results.get_mut(i) {
                choices.apply(&mut r.read.model);
            }
        }
    }
    // HTML and JSON Schema forms are not creeplint files: the same newsletter form in the
    // footer of every page is one form shown many times, not a duplicate id.
    let foreign: Vec<FileId> = results
        .iter()
        .filter(|r| overlay::is_foreign(r))
        .map(|r| r.id)
        .collect();
    let mut loaded = Loaded::default();
    // Personalizations whose ids may repeat across files (see `ids_are_project_wide`).
    let mut repeatable = std::collections::BTreeSet::new();
    // Where each file's items will be in the project's lists.
    let mut next = FileParts::default();
    loaded.parts.reserve_exact(results.len());
    for r in &results {
        let reader = r
            .reader
            .and_then(|name| readers.readers().iter().find(|x| x.name() == name));
        let model = &r.read.model;
        let after = |range: &mut std::ops::Range<u32>, n: usize| {
            let start = range.end;
            let end = start.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            *range = start..end;
        };
        after(&mut next.forms, model.forms.len());
        after(&mut next.data, model.data.len());
        after(&mut next.personalizations, model.personalizations.len());
        next.linked = reader.is_some_and(|x| x.links_files());
        if reader.is_some_and(|x| !x.ids_are_project_wide()) {
            let p = &next.personalizations;
            repeatable.extend(p.start as usize..p.end as usize);
        }
        loaded.parts.push(next.clone());
    }
    // Each file's forms, data items and personalizations join the project's as the lists
    // they were read into (`model::Items`): copied into one list per kind, every item was
    // held twice while a kind was filled, and the files' lists, once let go of, left
    // memory the allocator kept and did not use again (59 MiB at 50,001 files: issue
    // 14). The owners, a few per project, are copied into one list.
    let project = &mut loaded.project;
    move_lists(&mut results, &mut project.forms, |m| &mut m.forms);
    move_lists(&mut results, &mut project.data, |m| &mut m.data);
    move_lists(&mut results, &mut project.personalizations, |m| {
        &mut m.personalizations
    });
    move_each(&mut results, &mut project.owners, |m| &mut m.owners);
    let total = |n: fn(&ReadFile) -> usize| results.iter().map(n).sum::<usize>();
    loaded
        .problems
        .reserve_exact(total(|r| r.read.problems.len()));
    loaded.allows.reserve_exact(total(|r| {
        if r.read.documents == 0 {
            0
        } else {
            r.read.allows.len()
        }
    }));
    let mut entries = Vec::new();
    // The sources' list is the files' list, each entry made into its source where it
    // is (collecting a list's own iterator into a list of smaller entries reuses its
    // memory), and its spare end given back. A list of the sources made beside it held
    // both for a moment, at the heap's peak (8 MB and 18.8 MB at 50,001 files; issue
    // 14).
    let files: Vec<SourceFile> = results
        .into_iter()
        .map(|mut r| {
            r.source.reader = r.reader;
            let read = r.read;
            if read.documents == 0 {
                loaded.skipped += 1;
            } else {
                loaded.files_checked.push(r.id);
                // Comments first, then entries, as the pipeline has always applied them.
                for a in read.allows {
                    match a.written {
                        crate::suppress::Written::Comment => loaded.allows.push(a),
                        crate::suppress::Written::Entry => entries.push(a),
                    }
                }
            }
            loaded.problems.extend(read.problems);
            r.source
        })
        .collect();
    loaded.sources = Sources::from_files(files);
    loaded.allows.extend(entries);
    loaded
        .problems
        .extend(duplicate_ids(&loaded.project, &repeatable, &foreign));
    Ok(loaded)
}

/// Move the items of one kind (`list`) of every file into `all`, in file order, letting
/// go of each file's list as it is moved.
fn move_each<T>(
    results: &mut [ReadFile],
    all: &mut Vec<T>,
    list: fn(&mut FileModel) -> &mut Vec<T>,
) {
    all.reserve_exact(
        results
            .iter_mut()
            .map(|r| list(&mut r.read.model).len())
            .sum(),
    );
    for r in results {
        all.append(&mut std::mem::take(list(&mut r.read.model)));
    }
}

/// Move each file's list of one kind (`list`) into `all` as it is, in file order.
fn move_lists<T>(
    results: &mut [ReadFile],
    all: &mut crate::model::Items<T>,
    list: fn(&mut FileModel) -> &mut Vec<T>,
) {
    let (mut lists, mut items) = (0, 0);
    for r in results.iter_mut() {
        let n = list(&mut r.read.model).len();
        lists += usize::from(n > 0);
        items += n;
    }
    all.reserve_exact(lists, items);
    for r in results {
        all.push_list(std::mem::take(list(&mut r.read.model)));
    }
}

/// What a panic said, if it said anything printable.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a reader panicked".to_string())
}

/// Read one file, turning a panic into an error naming the file.
fn read_guarded(path: &Path, id: FileId, readers: &Registry) -> Result<ReadFile, ReaderPanic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_file(path.to_path_buf(), id, readers)
    }))
    .map_err(|payload| ReaderPanic {
        path: crate::source::display_path(path),
        message: panic_message(payload.as_ref()),
    })
}

/// Every file read, in path order, with ids by position: a panic in any reader is an
/// error for the whole run, never a silently missing file that shifts the ids after it.
fn read_all(
    paths: Vec<PathBuf>,
    readers: &Registry,
    limit: Option<std::num::NonZeroUsize>,
    choices: Option<ChoiceFilter<'_>>,
) -> Result<Vec<ReadFile>, ReaderPanic> {
    // A few files are read on this thread, without asking the system for its cores.
    let threads = if paths.len() < 16 {
        1
    } else {
        limit
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, |n| n.get())
            .min(8)
    };
    // Each thread reads its run of paths straight into its run of one list made at its
    // final size: a list of its own per thread, grown by doubling and then copied into
    // the joined list, held three lists of every file's entry at the join (43 MB of
    // entries at the 50,001-file project, the heap's peak; issue 14). One thread reads
    // the one part itself ([`crate::parallel::each_part`]). Each reading thread shares
    // the long texts its files repeat, and lets its pool go when its files are read; it
    // lets go of the choices the run does not keep as each file is read, so their
    // blocks are taken again by the next file's rather than left as holes.
    let mut slots: Vec<Option<ReadFile>> = Vec::new();
    slots.resize_with(paths.len(), || None);
    let chunk = paths.len().div_ceil(threads).max(1);
    let parts: Vec<_> = paths
        .chunks(chunk)
        .zip(slots.chunks_mut(chunk))
        .enumerate()
        .map(|(n, (paths, slots))| (n * chunk, paths, slots))
        .collect();
    let read = crate::parallel::each_part(parts, |(first, paths, slots)| {
        crate::model::pooled(|| {
            let mut choices = choices.map(Choices::new);
            for (i, (path, slot)) in paths.iter().zip(slots).enumerate() {
                let mut file = read_guarded(path, FileId::new(first + i), readers)?;
                // A file waiting for its pair is sifted once paired.
                if let Some(choices) = &mut choices
                    && file.read.pending.is_none()
                {
                    choices.apply(&mut file.read.model);
                }
                *slot = Some(file);
            }
            Ok(())
        })
    });
    for (part, read) in paths.chunks(chunk).zip(read) {
        read.unwrap_or_else(|payload| {
            Err(ReaderPanic {
                path: part
                    .first()
                    .map(|p| crate::source::display_path(p))
                    .unwrap_or_default(),
                message: panic_message(payload.as_ref()),
            })
        })?;
    }
    // Every slot is filled (a part that failed returned above). Collected in place: the
    // list keeps its memory as each entry moves out of its slot (`filter_map` does,
    // where `flatten` makes a new list).
    #[allow(clippy::filter_map_identity)]
    let files: Vec<ReadFile> = slots.into_iter().filter_map(|slot| slot).collect();
    // Parts are read in place, so positions are ids; check rather than trust it.
    if files.len() != paths.len()
        || files
            .iter()
            .enumerate()
            .any(|(i, f)| f.id != FileId::new(i))
    {
        return Err(ReaderPanic {
            path: String::new(),
            message: "files were read out of order".to_string(),
        });
    }
    Ok(files)
}

/// Ids that must be unique: forms and personalizations across the project, fields
/// within a form, data items across data files. Forms of `foreign` files (HTML, JSON
/// Schema) are left out: their readers name them and their fields.
fn duplicate_ids(
    project: &Project,
    repeatable: &std::collections::BTreeSet<usize>,
    foreign: &[FileId],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |what: &str, ids: Vec<&crate::model::Text>| {
        // Hashed: the problems come in the ids' order whatever the table's (a sorted map
        // compared whole ids a dozen times each, 1.4% of a project run, issue 14). The
        // table holds each id's place in `ids` (4 bytes a slot): a map of (id, place)
        // held 32 bytes a slot, 8.6 MB for the 133,000 data items of the 50,001-file
        // project, let go of before the rules and left as a hole glibc kept (issue 14).
        let hash = crate::model::id_hash;
        let mut seen: hashbrown::HashTable<u32> = hashbrown::HashTable::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let h = hash(id.as_str());
            let first = seen
                .find(h, |&j| {
                    ids.get(j as usize)
                        .is_some_and(|other| other.as_str() == id.as_str())
                })
                .and_then(|&j| ids.get(j as usize));
            match first {
                Some(first) => problems.push(
                    Problem::new(id.loc, format!("duplicate {what} id `{}`", id.value))
                        .label(first.loc, "first declared here")
                        .help(format!("give each {what} its own id")),
                ),
                None => {
                    let i = u32::try_from(i).unwrap_or(u32::MAX);
                    seen.insert_unique(h, i, |&j| {
                        ids.get(j as usize).map_or(0, |other| hash(other.as_str()))
                    });
                }
            }
        }
    };
    let own = || {
        project
            .forms
            .iter()
            .filter(|f| foreign.binary_search(&f.item.file).is_err())
    };
    check("form", own().map(|f| &f.id).collect());
    check("data item", project.data.iter().map(|d| &d.id).collect());
    check(
        "personalization",
        project
            .personalizations
            .iter()
            .enumerate()
            .filter(|(i, _)| !repeatable.contains(i))
            .map(|(_, p)| &p.id)
            .collect(),
    );
    for form in own() {
        check("field", form.fields.iter().map(|f| &f.id).collect());
    }
    problems
}

/// A scalar node's value for a condition or a default: `None` for null, a list or a
/// mapping.
pub fn node_scalar(node: &tree::Node) -> Option<crate::model::Scalar> {
    use crate::model::Scalar;
    match &node.value {
        tree::Value::Bool(b) => Some(Scalar::Bool(*b)),
        tree::Value::Int(i) => Some(Scalar::Num(*i as f64)),
        tree::Value::Float(f) => Some(Scalar::Num(*f)),
        tree::Value::Str(s) => Some(Scalar::Str(s.clone())),
        tree::Value::Null | tree::Value::Seq(_) | tree::Value::Map(_) => None,
    }
}

/// A node as a scalar with where it is written; anything but a scalar reads as null.
pub fn scalar(node: &tree::Node, file: FileId) -> crate::model::At<crate::model::Scalar> {
    crate::model::At {
        value: node_scalar(node).unwrap_or(crate::model::Scalar::Null),
        loc: Loc {
            file,
            span: node.span,
        },
    }
}

/// The `x-creeplint-allow` entries of an item written as a mapping (native files and
/// JSON Schema properties), each an allow covering `item`.
pub fn allow_entries(node: &tree::Node, item: Loc, src: &str, file: FileId) -> Vec<Allow> {
    node.get("x-creeplint-allow")
        .and_then(tree::Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let rule = node_text(entry.get("rule")?, src, file)?;
            let reason = entry.get("reason").and_then(|r| node_text(r, src, file));
            let at = Loc {
                file,
                span: entry.head_span(),
            };
            Some(crate::suppress::entry(item, rule, reason.as_ref(), at))
        })
        .collect()
}

/// A scalar node as text, pointing into the file exactly when it is written verbatim
/// (a plain or quoted string without escapes), so sub-ranges can be underlined. Every
/// reader of the spanned tree builds its texts through this one function.
pub fn node_text(node: &tree::Node, src: &str, file: FileId) -> Option<crate::model::Text> {
    use crate::model::TextValue;
    // A long string met before on this thread is shared ([`crate::model::pooled`]).
    let value = match &node.value {
        tree::Value::Str(s) => TextValue::pooled(s),
        _ => TextValue::from(node.scalar_compact()?),
    };
    let mut t = crate::model::Text::new(
        value,
        Loc {
            file,
            span: node.span,
        },
    );
    let raw = src.get(node.span.start()..node.span.end()).unwrap_or("");
    if raw == t.as_str() {
        t.set_verbatim_at(Some(node.span.start()));
    } else if raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
        && raw.get(1..raw.len() - 1) == Some(t.as_str())
    {
        t.set_verbatim_at(Some(node.span.start() + 1));
    }
    Some(t)
}
