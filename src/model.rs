//! The project's data, whatever format it was read from: forms and their fields,
//! declared data items, personalizations and every data reference they make.
//! Rules read only this; readers only write it.

use std::collections::BTreeMap;
use std::fmt;

use crate::finding::Label;
use crate::source::{Loc, Span};

mod text;
pub use text::TextValue;
pub(crate) use text::pooled;

/// A string from a checked file, with where it was written. 32 bytes (issue 14): the
/// value is a [`TextValue`] (16 bytes), which holds a value of up to 15 bytes in place
/// (most ids, types and short labels) and a longer one in a block, shared with the texts
/// that hold the same value when the reading thread met it before (`model::pooled`);
/// where it is written verbatim is held as a 16-bit distance from the start of `loc`,
/// and whether it is, in a byte whose unused values let `Option<Text>` and [`Purpose`]
/// take no room of their own.
/// A `Box<str>` is as large as the value, but every value would be a block of its own:
/// at least 32 bytes with glibc's header and rounding, and a call to the allocator.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: TextValue,
    pub loc: Loc,
    /// How far after the start of `loc` the value starts in the source, when the bytes
    /// there are exactly `value` (a plain or simply quoted scalar), so a sub-range of the
    /// value can be pointed at precisely (read it with [`Text::verbatim_at`]).
    after: u16,
    verbatim: Verbatim,
}

/// Whether a [`Text`]'s value is written verbatim in its file (at `Text::after`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Verbatim {
    No,
    Yes,
}

impl Text {
    pub fn new(value: impl Into<TextValue>, loc: Loc) -> Self {
        Self {
            value: value.into(),
            loc,
            after: 0,
            verbatim: Verbatim::No,
        }
    }

    /// Where the value starts in the file when its bytes there are exactly the value.
    pub fn verbatim_at(&self) -> Option<usize> {
        (self.verbatim == Verbatim::Yes).then(|| self.loc.span.start() + usize::from(self.after))
    }

    /// Say where the value is written verbatim (`None`: it is not). An offset before the
    /// start of `loc`, or more than 65,535 bytes after it (a value is never preceded by
    /// that much of its own node), counts as not verbatim.
    pub fn set_verbatim_at(&mut self, at: Option<usize>) {
        let after = at
            .and_then(|a| a.checked_sub(self.loc.span.start()))
            .and_then(|a| u16::try_from(a).ok());
        (self.after, self.verbatim) = match after {
            Some(after) => (after, Verbatim::Yes),
            None => (0, Verbatim::No),
        };
    }

    /// The location of a byte range of the value: exact when the value is written verbatim
    /// in the file, else the whole value.
    pub fn sub_loc(&self, range: std::ops::Range<usize>) -> Loc {
        match self.verbatim_at() {
            Some(start) if range.end <= self.value.len() => Loc {
                file: self.loc.file,
                span: Span::new(start + range.start, range.end - range.start),
            },
            _ => self.loc,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// A problem with a file, at a place in it: becomes an `invalid-file` finding. Readers
/// write these; rules read them; neither knows the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
    /// What to do, shared with the problems that give the same advice (see
    /// [`Problem::help`]).
    pub help: Option<crate::finding::Help>,
    pub labels: Vec<Label>,
}

impl Problem {
    pub fn new(loc: Loc, message: impl Into<String>) -> Self {
        Self {
            loc,
            message: message.into(),
            help: None,
            labels: Vec::new(),
        }
    }
    /// Say what to do. The text is one block shared with the recent problems of this
    /// thread that say the same (a schema's advice repeats from file to file).
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(crate::finding::problem_help(&help.into()));
        self
    }
    pub fn label(mut self, loc: Loc, message: impl AsRef<str>) -> Self {
        self.labels.push(Label::new(loc, message));
        self
    }
}

/// The hash of an id wherever ids are hashed (the facts, the declarations grouped by
/// id, duplicate ids): fixed, so runs are alike.
pub(crate) fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(id)
}

/// Any value with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Where a piece of data comes from.
    Source {
        Volunteered = "volunteered",
        Observed = "observed",
        Inferred = "inferred",
        ThirdParty = "third-party",
        Device = "device",
    }
}

vocabulary! {
    /// What data is used for.
    Use {
        Account = "account",
        Transactional = "transactional",
        Security = "security",
        Legal = "legal",
        Analytics = "analytics",
        Personalization = "personalization",
        Marketing = "marketing",
        Advertising = "advertising",
        ThirdPartySharing = "third-party-sharing",
        Research = "research",
    }
}

vocabulary! {
    /// Where a personalization reaches the person.
    Channel {
        Web = "web",
        InApp = "in-app",
        Email = "email",
        Sms = "sms",
        Push = "push",
        Phone = "phone",
        Mail = "mail",
        Ad = "ad",
        SocialAd = "social-ad",
    }
}

vocabulary! {
    /// Special categories of data.
    Category {
        Health = "health",
        Pregnancy = "pregnancy",
        SexualOrientation = "sexual-orientation",
        SexLife = "sex-life",
        GenderIdentity = "gender-identity",
        Religion = "religion",
        PoliticalOpinion = "political-opinion",
        TradeUnion = "trade-union",
        Ethnicity = "ethnicity",
        Genetic = "genetic",
        Biometric = "biometric",
        CriminalRecord = "criminal-record",
        FinancialHardship = "financial-hardship",
        ImmigrationStatus = "immigration-status",
        PreciseLocation = "precise-location",
        Children = "children",
        // One of the special categories, not said which (Apple's `SensitiveInfo`).
        SpecialCategory = "special-category",
    }
}

vocabulary! {
    /// How precisely a location item places the person.
    Precision {
        Precise = "precise",
        Coarse = "coarse",
    }
}

/// What a field collects and how, whatever the format calls it: each reader maps its own
/// input types onto this set (the native `type: select` and `type: radio` are both a
/// [`FieldType::Choice`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldType {
    /// One line of free text.
    Text,
    /// Several lines of free text.
    LongText,
    Email,
    Phone,
    Url,
    Number,
    Date,
    /// A secret the person types, like a password.
    Secret,
    /// One of a list of options (a select, radio buttons).
    Choice,
    /// Any number of a list of options.
    MultiChoice,
    /// Yes or no (a checkbox, a switch).
    Boolean,
    File,
    /// Never shown to the person: filled in by the page.
    Hidden,
    Location,
}

impl FieldType {
    pub const ALL: &'static [FieldType] = &[
        FieldType::Text,
        FieldType::LongText,
        FieldType::Email,
        FieldType::Phone,
        FieldType::Url,
        FieldType::Number,
        FieldType::Date,
        FieldType::Secret,
        FieldType::Choice,
        FieldType::MultiChoice,
        FieldType::Boolean,
        FieldType::File,
        FieldType::Hidden,
        FieldType::Location,
    ];
    /// A format-neutral name, for messages and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "free text",
            FieldType::LongText => "long free text",
            FieldType::Email => "email address",
            FieldType::Phone => "phone number",
            FieldType::Url => "web address",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Secret => "secret",
            FieldType::Choice => "choice",
            FieldType::MultiChoice => "multiple choice",
            FieldType::Boolean => "yes or no",
            FieldType::File => "file",
            FieldType::Hidden => "hidden",
            FieldType::Location => "location",
        }
    }
    /// A way to reach the person directly.
    pub fn is_contact(self) -> bool {
        matches!(self, FieldType::Email | FieldType::Phone)
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Channel {
    /// Reaching out to the person, as opposed to showing something where they already are.
    pub fn is_outreach(self) -> bool {
        matches!(
            self,
            Channel::Email | Channel::Sms | Channel::Push | Channel::Phone | Channel::Mail
        )
    }
    pub fn is_ad(self) -> bool {
        matches!(self, Channel::Ad | Channel::SocialAd)
    }
    /// A verb phrase for messages: "`x` texts people ...".
    pub fn verb(self) -> &'static str {
        match self {
            Channel::Web => "personalizes the site for",
            Channel::InApp => "personalizes the app for",
            Channel::Email => "emails",
            Channel::Sms => "texts",
            Channel::Push => "sends push notifications to",
            Channel::Phone => "calls",
            Channel::Mail => "mails",
            Channel::Ad => "shows ads to",
            Channel::SocialAd => "shows social-network ads to",
        }
    }
}

impl Use {
    /// Uses a person can refuse without losing what they came for.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Use::Analytics
                | Use::Personalization
                | Use::Marketing
                | Use::Advertising
                | Use::ThirdPartySharing
                | Use::Research
        )
    }
}

/// A scalar value in a condition or a default.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Num(f64),
    /// Held in place when it is up to 24 bytes, as most compared values are
    /// (`in: [kitchen, garden]`): every condition is held for the whole run (issue 14).
    Str(compact_str::CompactString),
}

impl Scalar {
    pub fn text(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }
}

/// Whether and where a form or field says why it collects, in its own format's terms.
/// A format with no place for a purpose is not an author leaving one out: rules and
/// help texts say which of the two they saw, naming the key of the file's format.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// The format has no place for a purpose: nothing is stated, nothing was left out.
    NoSlot,
    /// The format has a place for it, `key` (`purpose`, `x-purpose`, `data-purpose`,
    /// `description`), and the author left it out.
    ///
    /// The key is held as a reference to its name (`key: &"purpose"`): 8 bytes rather
    /// than 16, in every field held for the whole run (issue 14).
    Missing { key: &'static &'static str },
    /// Written at `key`; possibly blank.
    Stated {
        key: &'static &'static str,
        text: Text,
    },
}

impl Purpose {
    /// What is written, blank or not.
    pub fn text(&self) -> Option<&Text> {
        match self {
            Purpose::Stated { text, .. } => Some(text),
            Purpose::NoSlot | Purpose::Missing { .. } => None,
        }
    }
    /// A purpose is written and not blank.
    pub fn is_stated(&self) -> bool {
        self.text().is_some_and(|t| !t.is_blank())
    }
    /// The key or attribute of the file's format that holds the purpose, if it has one.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Purpose::NoSlot => None,
            Purpose::Missing { key } | Purpose::Stated { key, .. } => Some(*key),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub id: Text,
    pub title: Option<Text>,
    pub purpose: Purpose,
    pub uses: Vec<At<Use>>,
    pub fields: Vec<Field>,
    /// The whole form, for suppressions that cover an item.
    pub item: Loc,
}

/// A form field. The parts most fields of real files have (id, label, type, required,
/// purpose, retention) are held inline; the uses and options, in one boxed
/// [`FieldLists`] when there are any (one use in place, more and the options as boxed
/// slices without spare room); the rest, which
/// most fields leave out, in one boxed [`FieldExtra`] (issue 14: 20,000 fields at 2,000
/// forms are held for the whole run). Read them with the methods of the same name
/// ([`Field::uses`], [`Field::options`], [`Field::help`], ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: Text,
    pub label: Option<Text>,
    /// The type (whether written or chosen by the reader) and whether the field is
    /// required, with where each is written: read with [`Field::field_type`],
    /// [`Field::type_declared`] and [`Field::required`].
    pub kind: FieldKind,
    pub purpose: Purpose,
    pub retention: Option<Text>,
    pub item: Loc,
    /// What few fields have; `None` when the field has none of it (see
    /// [`FieldExtra::boxed`]).
    pub extra: Option<Box<FieldExtra>>,
    /// The field's uses and options; `None` when it has neither (see
    /// [`FieldLists::boxed`]).
    pub lists: Option<Box<FieldLists>>,
}

/// A [`Field`]'s type and whether it is required, each with where it is written, in 28
/// bytes (issue 14). As an `At<FieldType>`, a `bool` and an `Option<At<bool>>` they took
/// 36 with their padding, and made every field 200 bytes instead of 192: a form's list
/// of fields is one block, and a block a size class larger (13 fields: 2,600 bytes, a
/// 3,072-byte block, against 2,496 in one of 2,560).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldKind {
    type_loc: Loc,
    required_loc: Loc,
    field_type: FieldType,
    /// False when the format leaves the type out (the reader chose a default).
    type_declared: bool,
    /// `None` when the format does not say.
    required: Option<bool>,
}

impl FieldKind {
    /// `field_type`, written in the file when `type_declared` (else chosen by the reader
    /// at its `loc`), and `required` as the file says it, when it does.
    pub fn new(field_type: At<FieldType>, type_declared: bool, required: Option<At<bool>>) -> Self {
        let (required, required_loc) = match required {
            Some(At { value, loc }) => (Some(value), loc),
            None => (None, field_type.loc),
        };
        Self {
            type_loc: field_type.loc,
            required_loc,
            field_type: field_type.value,
            type_declared,
            required,
        }
    }
}

/// The parts of a [`Field`] that most fields leave out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldExtra {
    pub default: Option<At<Scalar>>,
    pub sensitive: Option<At<Category>>,
    pub source: Option<At<Source>>,
    pub help: Option<Text>,
    /// The field's `autocomplete` token as written (HTML `autocomplete`, a uiSchema's
    /// `ui:autocomplete`): what a browser fills in.
    pub autocomplete: Option<Text>,
}

/// The lists of a [`Field`]: its declared uses (native `uses:`, `x-uses`, `data-uses`)
/// and its choices (a select, a radio group, an enum). Boxed apart from the field and
/// from [`FieldExtra`] (issue 14): many fields have neither (56 bytes fewer in each of
/// them), and a field that has them (a native form's select with its uses) pays for
/// this box and its choices only, not for the rarer extras too.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldLists {
    pub uses: UseList,
    /// Where `uses:` is written (for labels), when it is.
    pub uses_loc: Option<Loc>,
    pub options: Box<[FieldOption]>,
}

/// A field's declared uses, read as a slice (`&list[..]`, or through [`Field::uses`]).
/// One use, as most fields that declare any have (`uses: [account]`), is held in place;
/// a longer list in a boxed slice. A box of one use was a block of its own for every
/// such field (32 bytes with glibc's header, 6.4 MB at the 50,001-file project; issue
/// 14). The longer list is reached through one more box, a pointer where the slice's
/// box is two words: the list is 16 bytes, the size of the one use it holds in place,
/// and [`FieldLists`] 48 instead of 56 (a block of 48 bytes rather than 64 for every
/// field with uses or choices). Made from a `Vec` or a slice with `into()`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UseList(UseRepr);

#[derive(Debug, Clone, PartialEq, Default)]
enum UseRepr {
    #[default]
    None,
    One(At<Use>),
    Many(Box<Box<[At<Use>]>>),
}

impl std::ops::Deref for UseList {
    type Target = [At<Use>];
    fn deref(&self) -> &[At<Use>] {
        match &self.0 {
            UseRepr::None => &[],
            UseRepr::One(one) => std::slice::from_ref(one),
            UseRepr::Many(many) => many,
        }
    }
}

impl From<Vec<At<Use>>> for UseList {
    fn from(mut uses: Vec<At<Use>>) -> Self {
        Self(match uses.len() {
            0 => UseRepr::None,
            1 => uses.pop().map_or(UseRepr::None, UseRepr::One),
            _ => UseRepr::Many(Box::new(uses.into_boxed_slice())),
        })
    }
}

impl From<&[At<Use>]> for UseList {
    fn from(uses: &[At<Use>]) -> Self {
        Self(match uses {
            [] => UseRepr::None,
            [one] => UseRepr::One(one.clone()),
            many => UseRepr::Many(Box::new(many.into())),
        })
    }
}

impl FieldLists {
    /// Boxed for a [`Field`], or `None` when it holds nothing (no allocation).
    pub fn boxed(self) -> Option<Box<Self>> {
        (self != Self::default()).then(|| Box::new(self))
    }
}

impl FieldExtra {
    /// Boxed for a [`Field`], or `None` when it holds nothing (no allocation).
    pub fn boxed(self) -> Option<Box<Self>> {
        (self != Self::default()).then(|| Box::new(self))
    }
}

impl Field {
    /// What the field collects, and where the type is written (or, when the format
    /// leaves it out, where the reader chose it).
    pub fn field_type(&self) -> At<FieldType> {
        At {
            value: self.kind.field_type,
            loc: self.kind.type_loc,
        }
    }
    /// Change the type, where it is (a group of checkboxes read one by one is a
    /// multiple choice).
    pub fn set_field_type(&mut self, field_type: FieldType) {
        self.kind.field_type = field_type;
    }
    /// False when the format leaves the type out (the reader chose a default).
    pub fn type_declared(&self) -> bool {
        self.kind.type_declared
    }
    /// Whether the field is required, with where it says so; `None` when it does not.
    pub fn required(&self) -> Option<At<bool>> {
        self.kind.required.map(|value| At {
            value,
            loc: self.kind.required_loc,
        })
    }
    pub fn uses(&self) -> &[At<Use>] {
        self.lists.as_ref().map_or(&[], |l| &l.uses[..])
    }
    /// Where `uses:` is written (for labels), when it is.
    pub fn uses_loc(&self) -> Option<Loc> {
        self.lists.as_ref().and_then(|l| l.uses_loc)
    }
    pub fn default(&self) -> Option<&At<Scalar>> {
        self.extra.as_ref().and_then(|e| e.default.as_ref())
    }
    pub fn options(&self) -> &[FieldOption] {
        self.lists.as_ref().map_or(&[], |l| &l.options)
    }
    /// Add an option (HTML radios and checkboxes of one name, met one by one).
    pub fn push_option(&mut self, option: FieldOption) {
        let lists = self.lists_mut();
        let mut options = std::mem::take(&mut lists.options).into_vec();
        options.push(option);
        lists.options = options.into_boxed_slice();
    }
    /// Keep only the choices `keep` accepts, in their order; the lists' box goes when
    /// nothing is left in it (a field without uses or choices holds none).
    pub fn retain_options(&mut self, mut keep: impl FnMut(&FieldOption) -> bool) {
        let Some(lists) = self.lists.as_deref_mut() else {
            return;
        };
        if lists.options.is_empty() {
            return;
        }
        let mut options = std::mem::take(&mut lists.options).into_vec();
        options.retain(|o| keep(o));
        lists.options = options.into_boxed_slice();
        if *lists == FieldLists::default() {
            self.lists = None;
        }
    }
    /// The lists, to write them (allocated on first use).
    pub fn lists_mut(&mut self) -> &mut FieldLists {
        self.lists.get_or_insert_with(Box::default)
    }
    pub fn sensitive(&self) -> Option<&At<Category>> {
        self.extra.as_ref().and_then(|e| e.sensitive.as_ref())
    }
    pub fn source(&self) -> Option<&At<Source>> {
        self.extra.as_ref().and_then(|e| e.source.as_ref())
    }
    pub fn help(&self) -> Option<&Text> {
        self.extra.as_ref().and_then(|e| e.help.as_ref())
    }
    /// The `autocomplete` token as written, when the format has one.
    pub fn autocomplete(&self) -> Option<&Text> {
        self.extra.as_ref().and_then(|e| e.autocomplete.as_ref())
    }
    /// The extra parts, to write them (allocated on first use).
    pub fn extra_mut(&mut self) -> &mut FieldExtra {
        self.extra.get_or_insert_with(Box::default)
    }
    pub fn is_required(&self) -> bool {
        self.kind.required == Some(true)
    }
    pub fn is_hidden(&self) -> bool {
        self.kind.field_type == FieldType::Hidden
    }
    /// The field's own name: the last segment of a dotted id (`city` for
    /// `children.address.city`), where the id is a path through nested objects. Words
    /// of the parent segments describe the parent, not this field.
    pub fn name(&self) -> std::borrow::Cow<'_, Text> {
        match self.id.value.rsplit_once('.') {
            Some((_, last)) if !last.is_empty() => {
                std::borrow::Cow::Owned(Text::new(last, self.id.loc))
            }
            _ => std::borrow::Cow::Borrowed(&self.id),
        }
    }
    /// Visible fields are volunteered; hidden ones are observed unless they say otherwise.
    pub fn effective_source(&self) -> Source {
        match (self.source(), self.is_hidden()) {
            (Some(s), true) => s.value,
            (_, true) => Source::Observed,
            (_, false) => Source::Volunteered,
        }
    }
}

/// A choice of a field. The label is boxed (issue 14): most choices are written as their
/// value alone (`options: [kitchen, garden, toys]`), and a field's choices are held for
/// the whole run (40 bytes each rather than 64).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldOption {
    pub value: Text,
    pub label: Option<Box<Text>>,
}

/// A data item declared in a data file (or mapped from another format's declaration).
#[derive(Debug, Clone, PartialEq)]
pub struct DataDecl {
    pub id: Text,
    pub source: At<Source>,
    pub description: Option<Text>,
    pub uses: Vec<At<Use>>,
    pub uses_loc: Option<Loc>,
    pub sensitive: Option<At<Category>>,
    pub retention: Option<Text>,
    pub item: Loc,
    /// The declared uses are carried out by systems creeplint does not read (a Fides
    /// system, an SDK's privacy manifest): no personalization here is expected to read it.
    pub used_elsewhere: bool,
    /// What few items say (how precisely a location item places the person) and only
    /// some formats (Apple's tracking and fixed purposes, Fides' subjects and legal
    /// bases), boxed (issue 14); `None` when the item has none of it (see
    /// [`DataExtra::boxed`]). Read it with the methods of the same names
    /// ([`DataDecl::location`], [`DataDecl::tracking`], ...).
    pub extra: Option<Box<DataExtra>>,
}

/// The parts of a [`DataDecl`] few items or only some formats have. A location's
/// precision is here since only location items have one: in the item itself it made
/// every item 208 bytes instead of 192 (a data file's list of items is one block, a
/// size class larger for eight items: 1,792 bytes against 1,536; issue 14).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataExtra {
    /// How precisely the item places the person, when it is a location.
    pub location: Option<At<Precision>>,
    /// Where the declaration says the data is linked with other companies' data for
    /// advertising (tracking, in Apple's sense), when it says so.
    pub tracking: Option<Loc>,
    /// Purposes stated as a format's fixed categories rather than in words (Apple's
    /// `NSPrivacyCollectedDataTypePurposes`); `None` when `description` is the purpose.
    pub fixed_purpose: Option<FixedPurpose>,
    /// Whose data it is, as the declaration names them (Fides `data_subjects`:
    /// `customer`, `employee`), each once; empty when it does not say.
    pub subjects: std::sync::Arc<[Text]>,
    /// The legal bases the declaration states for processing it (Fides
    /// `legal_basis_for_processing`, `legal_basis` in fideslang 1.x), each once.
    /// Recorded and shown, not judged by any rule.
    pub legal_basis: std::sync::Arc<[Text]>,
}

impl DataExtra {
    /// Boxed for a [`DataDecl`], or `None` when it holds nothing (no allocation).
    pub fn boxed(self) -> Option<Box<Self>> {
        (self != Self::default()).then(|| Box::new(self))
    }
}

impl DataDecl {
    /// How precisely the item places the person, when it is a location.
    pub fn location(&self) -> Option<&At<Precision>> {
        self.extra.as_ref().and_then(|e| e.location.as_ref())
    }
    /// Where the declaration says the data is linked with other companies' data for
    /// advertising, when it says so.
    pub fn tracking(&self) -> Option<Loc> {
        self.extra.as_ref().and_then(|e| e.tracking)
    }
    /// Purposes stated as a format's fixed categories, when they are.
    pub fn fixed_purpose(&self) -> Option<&FixedPurpose> {
        self.extra.as_ref().and_then(|e| e.fixed_purpose.as_ref())
    }
    /// Whose data it is, as the declaration names them.
    pub fn subjects(&self) -> &[Text] {
        self.extra.as_ref().map_or(&[], |e| &e.subjects)
    }
    /// The legal bases the declaration states for processing it.
    pub fn legal_basis(&self) -> &[Text] {
        self.extra.as_ref().map_or(&[], |e| &e.legal_basis)
    }
    /// The extra parts, to write them (allocated on first use).
    pub fn extra_mut(&mut self) -> &mut DataExtra {
        self.extra.get_or_insert_with(Box::default)
    }
}

/// Purposes chosen from a fixed list: there is no text to judge, only whether any of
/// the chosen categories says what the data is for.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedPurpose {
    /// The key that holds the purposes, named in help texts.
    pub key: &'static str,
    /// Where the purposes are written, when they are.
    pub loc: Option<Loc>,
    /// Whether a category other than a catch-all ("Other") is chosen.
    pub says_something: bool,
    /// Whether the catch-all is chosen.
    pub catch_all: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Equals(At<Scalar>),
    NotEquals(At<Scalar>),
    In(Vec<At<Scalar>>),
    NotIn(Vec<At<Scalar>>),
    Contains(At<Scalar>),
    Matches(Text),
    Gt(At<f64>),
    Lt(At<f64>),
    Exists(At<bool>),
    /// Boxed: the largest test, and the rarest (issue 14: every condition is as large
    /// as its largest test).
    Near(Box<Near>),
    Trigger(Text),
}

impl Test {
    /// The values a condition compares against, for topic matching.
    pub fn values(&self) -> Vec<&At<Scalar>> {
        match self {
            Test::Equals(v) | Test::NotEquals(v) | Test::Contains(v) => vec![v],
            Test::In(vs) | Test::NotIn(vs) => vs.iter().collect(),
            _ => Vec::new(),
        }
    }
    /// Texts in the test itself that can name a topic (values, patterns, places, events).
    pub fn texts(&self) -> Vec<Text> {
        let mut out: Vec<Text> = self
            .values()
            .into_iter()
            .filter_map(|v| v.value.text().map(|t| Text::new(t, v.loc)))
            .collect();
        match self {
            Test::Matches(t) | Test::Trigger(t) => out.push(t.clone()),
            Test::Near(near) => out.push(near.place.clone()),
            _ => {}
        }
        out
    }
}

/// A `near` test: a place, and how close to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    pub place: Text,
    /// The distance in metres, with where it is written.
    pub within: Option<At<f64>>,
}

/// A condition of a personalization: the data it reads and how it tests it. Where the
/// test and the whole condition are written are held as places in the file of `data`
/// (a condition is written in one file): 96 bytes where two `Loc`s made it 104, and a
/// native personalization's two conditions a block of 192 bytes rather than 224
/// (issue 14). Read them with [`Condition::test_loc`] and [`Condition::item`].
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub data: Text,
    pub test: Test,
    test_span: Span,
    item_span: Span,
}

impl Condition {
    /// A condition on `data`, its test written at `test_loc` and the whole of it at
    /// `item`, both in `data`'s file.
    pub fn new(data: Text, test: Test, test_loc: Loc, item: Loc) -> Self {
        Self {
            data,
            test,
            test_span: test_loc.span,
            item_span: item.span,
        }
    }
    /// Where the test key and value are written (`near: stores`).
    pub fn test_loc(&self) -> Loc {
        Loc {
            file: self.data.loc.file,
            span: self.test_span,
        }
    }
    /// The whole condition, for suppressions that cover an item.
    pub fn item(&self) -> Loc {
        Loc {
            file: self.data.loc.file,
            span: self.item_span,
        }
    }
}

/// How a personalization reads a data item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefKind {
    /// In `when`, by condition index.
    Condition(usize),
    Message,
    Explanation,
}

/// A data reference of a personalization, as [`Personalization::refs`] gives it: a
/// condition's data, or a `{{placeholder}}` of its message or explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataRef<'a> {
    /// The id as written.
    pub id: &'a str,
    pub loc: Loc,
    pub kind: RefKind,
}

/// A `{{placeholder}}` of a personalization's message or explanation, as it is held.
/// A condition's reference is not held apart: it is the condition's `data`, read
/// through [`Personalization::refs`] (held twice, the references were a sixth of a
/// personalization's memory; issue 14). Nor is its id: it is read from the message
/// or explanation it is written in ([`Personalization::placeholder_id`]), where it
/// starts at `at` (24 bytes a placeholder; with the id held in place, 40).
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholder {
    /// Where the id starts in the value of the message (or the explanation), and its
    /// length in bytes.
    at: u32,
    len: u32,
    pub loc: Loc,
    /// In the explanation (else in the message).
    pub in_explanation: bool,
}

impl Placeholder {
    /// The placeholder whose id is the bytes `id` of the value of the message (or,
    /// `in_explanation`, of the explanation), written at `loc`. `None` past 4 GiB.
    pub fn new(id: std::ops::Range<usize>, loc: Loc, in_explanation: bool) -> Option<Self> {
        Some(Self {
            at: u32::try_from(id.start).ok()?,
            len: u32::try_from(id.len()).ok()?,
            loc,
            in_explanation,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frequency {
    pub count: u32,
    pub per: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Frequency {
    pub fn parse(s: &str) -> Option<Self> {
        let (n, per) = s.trim().split_once('/')?;
        let count = n.trim().parse().ok()?;
        let per = match per.trim() {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            _ => return None,
        };
        Some(Self { count, per })
    }
    /// Messages per 30 days, to compare caps with different periods.
    pub fn per_month(&self) -> f64 {
        let days = match self.per {
            Period::Day => 1.0,
            Period::Week => 7.0,
            Period::Month => 30.0,
        };
        f64::from(self.count) * 30.0 / days
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let per = match self.per {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        };
        write!(f, "{}/{per}", self.count)
    }
}

/// How a personalization's conditions combine. Leaves index
/// [`Personalization::when`]; the native format writes a list that must all hold
/// ([`Logic::Every`]), other formats write alternatives and negations.
#[derive(Debug, Clone, PartialEq)]
pub enum Logic {
    /// Every condition of `when` must hold: the native format's list, held without a
    /// list of its own (`All` of every condition was a block per personalization, for
    /// what `when` already says; issue 14).
    Every,
    All(Vec<Logic>),
    Any(Vec<Logic>),
    Not(Box<Logic>),
    Condition(usize),
}

/// A personalization's [`Logic`] as it is held: nothing for [`Logic::Every`] (the
/// native format's, and most personalizations'), else the tree in a block of its own.
/// 8 bytes where a `Logic` is 32, in every personalization held for the whole run
/// (issue 14). Reads as the `Logic` it holds (`Deref`), compares with one, and is made
/// from one with `into()`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeldLogic(Option<Box<Logic>>);

impl std::ops::Deref for HeldLogic {
    type Target = Logic;
    fn deref(&self) -> &Logic {
        static EVERY: Logic = Logic::Every;
        self.0.as_deref().unwrap_or(&EVERY)
    }
}

impl From<Logic> for HeldLogic {
    fn from(logic: Logic) -> Self {
        Self(match logic {
            Logic::Every => None,
            other => Some(Box::new(other)),
        })
    }
}

impl PartialEq<Logic> for HeldLogic {
    fn eq(&self, other: &Logic) -> bool {
        **self == *other
    }
}

/// The keys of a personalization written with a value the reader could not read, as
/// they are held: nothing when there are none, as in most personalizations, else a
/// list in a block of its own. 8 bytes where a boxed slice is 16 (issue 14). Reads as
/// the slice (`Deref`); made from a `Vec` with `into()`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keys(Option<Box<Box<[&'static str]>>>);

impl std::ops::Deref for Keys {
    type Target = [&'static str];
    fn deref(&self) -> &[&'static str] {
        self.0.as_deref().map_or(&[], |keys| keys)
    }
}

impl From<Vec<&'static str>> for Keys {
    fn from(keys: Vec<&'static str>) -> Self {
        Self((!keys.is_empty()).then(|| Box::new(keys.into_boxed_slice())))
    }
}

/// Whether the file names the channel or the reader assumed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelHow {
    /// Written in the file, at `loc`.
    Declared,
    /// Implied by the format (a feature flag shows in the app); `loc` is the item.
    Defaulted,
}

/// Where a personalization reaches the person, and how the reader knows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelInfo {
    pub value: Channel,
    pub loc: Loc,
    pub how: ChannelHow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Personalization {
    pub id: Text,
    /// Boxed, as `explanation`: present in few personalizations (issue 14).
    pub description: Option<Box<Text>>,
    pub use_: Option<At<Use>>,
    /// Every condition, in any branch of `logic`, in source order.
    pub when: Box<[Condition]>,
    /// How `when` combines.
    pub logic: HeldLogic,
    /// `None` when the format does not say and nothing can be assumed.
    pub channel: Option<ChannelInfo>,
    pub message: Option<Text>,
    pub explanation: Option<Box<Text>>,
    pub frequency: Option<At<Frequency>>,
    /// The `{{placeholders}}` of the message, then of the explanation, in source order
    /// (every data reference: [`Personalization::refs`]).
    pub placeholders: Box<[Placeholder]>,
    pub item: Loc,
    /// Keys written with a value the reader could not read (already an `invalid-file`
    /// problem at that value): a rule that judges a key's absence skips them, so one
    /// bad value gives one finding.
    pub unreadable: Keys,
}

impl Personalization {
    /// The id of placeholder `p` of this personalization, as written (empty when `p` is
    /// another's and does not fit in this one's texts).
    pub fn placeholder_id(&self, p: &Placeholder) -> &str {
        let text = if p.in_explanation {
            self.explanation.as_deref()
        } else {
            self.message.as_ref()
        };
        let start = p.at as usize;
        text.and_then(|t| t.value.get(start..start + p.len as usize))
            .unwrap_or_default()
    }

    /// Every condition in any branch (alternatives and negations included): what rules
    /// read when the question is "does this personalization read this data".
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.when.iter()
    }

    /// Every data reference, in source order: the conditions' data (of every branch),
    /// then the placeholders of the message and of the explanation.
    pub fn refs(&self) -> impl Iterator<Item = DataRef<'_>> + Clone {
        let conditions = self.when.iter().enumerate().map(|(i, c)| DataRef {
            id: c.data.as_str(),
            loc: c.data.loc,
            kind: RefKind::Condition(i),
        });
        let placeholders = self.placeholders.iter().map(|p| DataRef {
            id: self.placeholder_id(p),
            loc: p.loc,
            kind: if p.in_explanation {
                RefKind::Explanation
            } else {
                RefKind::Message
            },
        });
        conditions.chain(placeholders)
    }
}

/// A declaration of a data item, wherever it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeclRef {
    Field { form: usize, field: usize },
    Data(usize),
}

/// Who answers for an item (`x-owner`, a flag's `metadata.owner`): the form, field,
/// data item or personalization whose `item` span is `item`. Only reports read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub name: Text,
    pub item: Loc,
}

/// The project's data: every file's model merged into one picture.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub forms: Items<Form>,
    pub data: Items<DataDecl>,
    pub personalizations: Items<Personalization>,
    /// The owners items declare, each with its item (inherited ones included).
    pub owners: Vec<Owner>,
}

/// The project's items of one kind (forms, data items, personalizations) in file order,
/// numbered from 0 across files, held as the lists the files were read into (issue
/// 14). One list for the project meant a copy of every item made when the files were
/// read: the files' lists were let go of, but the allocator kept their memory for
/// blocks of their size, and nothing of that size came after (59 MiB resident at the
/// 50,001-file project, 1.2 KiB a file). Each item's list is noted (4 bytes an item), so
/// reading an item by its number is two reads; walking them all is walking each list.
#[derive(Debug, Clone)]
pub struct Items<T> {
    /// Each file's list, none empty.
    lists: Vec<Vec<T>>,
    /// The number of each list's first item.
    starts: Vec<usize>,
    /// The list of each item (a binary search of `starts` for every item read by its
    /// number was 0.4% of the instructions of a run); as long as the items.
    list_of: Vec<u32>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self {
            lists: Vec::new(),
            starts: Vec::new(),
            list_of: Vec::new(),
        }
    }
}

impl<T> Items<T> {
    pub fn len(&self) -> usize {
        self.list_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list_of.is_empty()
    }

    /// Room for `lists` more files' lists of `items` items in all, exactly.
    pub fn reserve_exact(&mut self, lists: usize, items: usize) {
        self.lists.reserve_exact(lists);
        self.starts.reserve_exact(lists);
        self.list_of.reserve_exact(items);
    }

    /// Add a file's list after the others (moved, not copied; an empty one adds nothing).
    pub fn push_list(&mut self, list: Vec<T>) {
        if list.is_empty() {
            return;
        }
        // Over four billion files: the items of the rest are not found by number.
        let at = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
        self.starts.push(self.len());
        self.list_of.extend(std::iter::repeat_n(at, list.len()));
        self.lists.push(list);
    }

    /// Add an item after the others.
    pub fn push(&mut self, item: T) {
        match self.lists.last_mut() {
            Some(last) => last.push(item),
            None => {
                self.starts.push(0);
                self.lists.push(vec![item]);
            }
        }
        let at = u32::try_from(self.lists.len() - 1).unwrap_or(u32::MAX);
        self.list_of.push(at);
    }

    /// The list that holds item `i`, and `i`'s place in it.
    fn find(&self, i: usize) -> Option<(usize, usize)> {
        let list = *self.list_of.get(i)? as usize;
        Some((list, i.checked_sub(*self.starts.get(list)?)?))
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        let (list, at) = self.find(i)?;
        self.lists.get(list)?.get(at)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let (list, at) = self.find(i)?;
        self.lists.get_mut(list)?.get_mut(at)
    }

    pub fn first(&self) -> Option<&T> {
        self.lists.first()?.first()
    }

    pub fn last(&self) -> Option<&T> {
        self.lists.last()?.last()
    }

    /// Every item, in order.
    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'_, Vec<T>>> {
        crate::work::add(crate::work::Kind::Items, self.len() as u64);
        self.lists.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> std::iter::Flatten<std::slice::IterMut<'_, Vec<T>>> {
        self.lists.iter_mut().flatten()
    }

    /// The items numbered `range` (those that exist), with their numbers, walking each
    /// file's list rather than finding every item.
    pub fn range(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, &T)> + Clone + '_ {
        let first = self.find(range.start).map_or(self.lists.len(), |(l, _)| l);
        let end = range.end.min(self.len());
        crate::work::add(
            crate::work::Kind::Items,
            end.saturating_sub(range.start) as u64,
        );
        self.lists
            .get(first..)
            .unwrap_or_default()
            .iter()
            .zip(self.starts.get(first..).unwrap_or_default())
            .take_while(move |(_, start)| **start < end)
            .flat_map(move |(list, &start)| {
                let from = range.start.saturating_sub(start);
                let to = end.saturating_sub(start).min(list.len());
                list.get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(move |(i, x)| (start + from + i, x))
            })
    }
}

impl<T> std::ops::Index<usize> for Items<T> {
    type Output = T;
    /// The item numbered `i`; panics when there is none, as a slice does.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("item {i} of {}", self.len()),
        }
    }
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(list: Vec<T>) -> Self {
        let mut items = Self::default();
        items.push_list(list);
        items
    }
}

impl<T> FromIterator<T> for Items<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> Extend<T> for Items<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.push_list(iter.into_iter().collect());
    }
}

impl<'a, T> IntoIterator for &'a Items<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> IntoIterator for Items<T> {
    type Item = T;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.lists.into_iter().flatten()
    }
}

/// What the project knows of one data id, merged over its declarations. Built when a
/// rule asks ([`Project::item_of`], [`Project::item_of_one`]), not held per item: most
/// ids have one declaration, whose view costs a few reads and no allocation, and a
/// list of 16,000 of these (144 bytes each) at 2,000 forms was 2.3 MB (issue 14).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo<'a> {
    pub id: &'a str,
    pub source: Source,
    /// Where the source was declared (a data item's `source:`, a hidden field's `source:`
    /// or `type: hidden`, or the field's id for a visible field).
    pub source_loc: Loc,
    pub decl: Loc,
    pub uses: Uses,
    pub uses_loc: Option<Loc>,
    pub sensitive: Option<At<Category>>,
    pub location: Option<At<Precision>>,
    pub description: Option<&'a Text>,
    pub field: Option<&'a Field>,
    pub data: Option<&'a DataDecl>,
}

/// Uses merged over declarations, each once, in the order first declared: packed in 64
/// bits (4 per use: its place in [`Use::ALL`] plus one, 0 for none), since there are
/// only ten uses. The facts of every id keep their uses (issue 14): a list per id cost
/// 24 bytes and an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Uses(u64);

impl Uses {
    /// Bits per use.
    const BITS: u32 = 4;

    /// Add `u` at the end, unless it is already there.
    pub fn push(&mut self, u: Use) {
        if self.contains(u) {
            return;
        }
        // Ten uses of 4 bits each fill 40 of the 64 bits: there is always room.
        let code = u as u64 + 1;
        let shift = self.len() as u32 * Self::BITS;
        if shift < u64::BITS {
            self.0 |= code << shift;
        }
    }

    pub fn contains(self, u: Use) -> bool {
        self.iter().any(|x| x == u)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        ((u64::BITS - self.0.leading_zeros()).div_ceil(Self::BITS)) as usize
    }

    /// The uses in the order first declared.
    pub fn iter(self) -> impl Iterator<Item = Use> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            let code = (rest & 0xF) as usize;
            rest >>= Self::BITS;
            code.checked_sub(1).and_then(|i| Use::ALL.get(i).copied())
        })
    }
}

impl Project {
    /// The span of every item (form, field, data item, personalization, condition),
    /// for suppressions that cover a whole item.
    pub fn item_locs(&self) -> Vec<Loc> {
        let mut out = Vec::new();
        for form in &self.forms {
            out.push(form.item);
            out.extend(form.fields.iter().map(|f| f.item));
        }
        out.extend(self.data.iter().map(|d| d.item));
        for p in &self.personalizations {
            out.push(p.item);
            out.extend(p.conditions().map(Condition::item));
        }
        out
    }

    /// Every declaration per data id, sorted by id.
    pub fn declarations(&self) -> BTreeMap<&str, Vec<DeclRef>> {
        let mut map: BTreeMap<&str, Vec<DeclRef>> = BTreeMap::new();
        for (i, d) in self.data.iter().enumerate() {
            map.entry(d.id.as_str()).or_default().push(DeclRef::Data(i));
        }
        for (fi, form) in self.forms.iter().enumerate() {
            for (i, f) in form.fields.iter().enumerate() {
                map.entry(f.id.as_str())
                    .or_default()
                    .push(DeclRef::Field { form: fi, field: i });
            }
        }
        map
    }

    pub fn field(&self, form: usize, field: usize) -> Option<&Field> {
        self.forms.get(form)?.fields.get(field)
    }

    /// The merged view of one id's declarations (as grouped by [`Project::declarations`]):
    /// a data file's declaration wins over form fields for source and location; uses
    /// are the union of every declaration.
    pub fn item_of(&self, decls: &[DeclRef]) -> Option<ItemInfo<'_>> {
        let data = decls.iter().find_map(|d| match d {
            DeclRef::Data(i) => self.data.get(*i),
            DeclRef::Field { .. } => None,
        });
        let fields: Vec<&Field> = decls
            .iter()
            .filter_map(|d| match d {
                DeclRef::Field { form, field } => self.field(*form, *field),
                DeclRef::Data(_) => None,
            })
            .collect();
        merged(data, &fields)
    }

    /// [`Project::item_of`] of an id with the one declaration `decl`, without
    /// allocating (most ids have one: this is built whenever a rule asks).
    pub fn item_of_one(&self, decl: DeclRef) -> Option<ItemInfo<'_>> {
        match decl {
            DeclRef::Data(i) => merged(Some(self.data.get(i)?), &[]),
            DeclRef::Field { form, field } => {
                merged(None, std::slice::from_ref(&self.field(form, field)?))
            }
        }
    }
}

/// The merged view of a data item's declaration `data` (if any) and its form fields.
fn merged<'a>(data: Option<&'a DataDecl>, fields: &[&'a Field]) -> Option<ItemInfo<'a>> {
    let mut uses = Uses::default();
    for u in data
        .iter()
        .flat_map(|d| d.uses.iter())
        .chain(fields.iter().flat_map(|f| f.uses().iter()))
    {
        uses.push(u.value);
    }
    if let Some(d) = data {
        return Some(ItemInfo {
            id: d.id.as_str(),
            source: d.source.value,
            source_loc: d.source.loc,
            decl: d.id.loc,
            uses,
            uses_loc: d.uses_loc,
            sensitive: d
                .sensitive
                .clone()
                .or_else(|| fields.iter().find_map(|f| f.sensitive().cloned())),
            location: d.location().cloned(),
            description: d.description.as_ref(),
            field: fields.first().copied(),
            data: Some(d),
        });
    }
    // Of several fields, the least volunteered one decides (a hidden copy of a
    // visible field is still collected without the person knowing).
    let field = fields.iter().copied().max_by_key(|f| {
        (
            f.effective_source() != Source::Volunteered,
            std::cmp::Reverse(f.id.loc),
        )
    })?;
    let source_loc = match (field.source(), field.is_hidden()) {
        (Some(s), true) => s.loc,
        (None, true) => field.kind.type_loc,
        _ => field.id.loc,
    };
    Some(ItemInfo {
        id: field.id.as_str(),
        source: field.effective_source(),
        source_loc,
        decl: field.id.loc,
        uses,
        uses_loc: field.uses_loc(),
        sensitive: fields.iter().find_map(|f| f.sensitive().cloned()),
        location: None,
        description: field.purpose.text(),
        field: Some(field),
        data: None,
    })
}

/// The term a file wrote for a declared value, `written` less its quotes, when it is
/// another word than the value's own name `value` (a format's term mapped onto it), on
/// one line: what the rules quote of a declaration ("`user.behavior.browsing_history`
/// here means `source: observed`").
pub fn term_written<'t>(written: &'t str, value: &str) -> Option<&'t str> {
    let term = written.trim_matches(|c| c == '"' || c == '\'');
    (!term.is_empty() && term != value && !term.contains('\n')).then_some(term)
}

/// The places in `forms` and `data` where a source, a location or a sensitive category
/// is written in another word than the value's name ([`term_written`]): what the rules
/// quote of the files, and all a run whose output writes positions only keeps of their
/// texts ([`crate::source::SourceFile::let_go_of_text`]). `written` gives the text at a
/// place, when it is still held.
pub fn quoted_declarations<'t, 'm>(
    forms: impl IntoIterator<Item = &'m Form>,
    data: impl IntoIterator<Item = &'m DataDecl>,
    written: impl Fn(Loc) -> Option<&'t str>,
) -> Vec<Loc> {
    let data = data.into_iter().flat_map(|d| {
        [
            Some((d.source.loc, d.source.value.as_str())),
            d.location().map(|l| (l.loc, l.value.as_str())),
            d.sensitive.as_ref().map(|s| (s.loc, s.value.as_str())),
        ]
    });
    let fields = forms
        .into_iter()
        .flat_map(|f| f.fields.iter())
        .map(|f| f.sensitive().map(|s| (s.loc, s.value.as_str())));
    data.chain(fields)
        .flatten()
        .filter(|&(loc, value)| written(loc).is_some_and(|w| term_written(w, value).is_some()))
        .map(|(loc, _)| loc)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    proptest::proptest! {
        /// Items held as files' lists (some empty) read as the one list they make: by
        /// number, in order, and by ranges of numbers (what a batch of files reads).
        #[test]
        fn items_read_as_one_list(
            lists in proptest::collection::vec(0usize..5, 0..8),
            a in 0usize..30,
            b in 0usize..30,
        ) {
            let mut items = Items::default();
            let mut flat = Vec::new();
            for (l, n) in lists.iter().enumerate() {
                let list: Vec<(usize, usize)> = (0..*n).map(|i| (l, i)).collect();
                flat.extend(list.iter().copied());
                items.push_list(list);
            }
            proptest::prop_assert_eq!(items.len(), flat.len());
            proptest::prop_assert_eq!(items.is_empty(), flat.is_empty());
            proptest::prop_assert_eq!(items.first(), flat.first());
            proptest::prop_assert_eq!(items.last(), flat.last());
            proptest::prop_assert!(items.iter().eq(flat.iter()));
            for i in 0..flat.len() + 2 {
                proptest::prop_assert_eq!(items.get(i), flat.get(i));
            }
            let (start, end) = (a.min(b), a.max(b));
            let want: Vec<(usize, &(usize, usize))> = flat
                .iter()
                .enumerate()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect();
            let got: Vec<(usize, &(usize, usize))> = items.range(start..end).collect();
            proptest::prop_assert_eq!(got, want);
            let owned: Vec<(usize, usize)> = items.clone().into_iter().collect();
            proptest::prop_assert_eq!(owned, flat.clone());
            items.push((99, 99));
            flat.push((99, 99));
            proptest::prop_assert_eq!(items.get(flat.len() - 1), flat.last());
            proptest::prop_assert_eq!(items.len(), flat.len());
        }
    }

    /// A file's list joins the project's as it is: no item is copied (the list's block
    /// is the one the file was read into), and an empty list adds no list.
    #[test]
    fn a_files_list_is_moved_not_copied() {
        let list = vec![1u64, 2, 3];
        let block = list.as_ptr();
        let mut items = Items::default();
        items.push_list(Vec::new());
        items.push_list(list);
        items.push_list(vec![4]);
        assert!(std::ptr::eq(&items[0], block));
        assert_eq!(items.lists.len(), 2);
        assert_eq!(items[3], 4);
        assert_eq!(items.get(4), None);
    }

    /// Every form field, data item and personalization is held for the whole run
    /// (20,000 fields at 2,000 forms): a member added to one of these costs that many
    /// times its size (issue 14). The bounds are today's sizes on 64-bit targets.
    #[test]
    fn the_model_stays_small() {
        let sizes = [
            ("Text", size_of::<Text>(), 32),
            ("Option<Text>", size_of::<Option<Text>>(), 32),
            ("At<FieldType>", size_of::<At<FieldType>>(), 16),
            ("Option<At<bool>>", size_of::<Option<At<bool>>>(), 16),
            (
                "Option<At<Category>>",
                size_of::<Option<At<Category>>>(),
                16,
            ),
            ("Option<At<Source>>", size_of::<Option<At<Source>>>(), 16),
            ("At<Use>", size_of::<At<Use>>(), 16),
            ("Purpose", size_of::<Purpose>(), 40),
            ("Field", size_of::<Field>(), 192),
            ("FieldExtra", size_of::<FieldExtra>(), 136),
            ("FieldLists", size_of::<FieldLists>(), 48),
            ("UseList", size_of::<UseList>(), 16),
            ("FieldOption", size_of::<FieldOption>(), 40),
            ("Form", size_of::<Form>(), 168),
            ("DataDecl", size_of::<DataDecl>(), 192),
            ("DataExtra", size_of::<DataExtra>(), 104),
            ("Personalization", size_of::<Personalization>(), 192),
            ("Placeholder", size_of::<Placeholder>(), 24),
            ("Condition", size_of::<Condition>(), 96),
            ("Test", size_of::<Test>(), 48),
            ("Uses", size_of::<Uses>(), 8),
            ("Problem", size_of::<Problem>(), 72),
        ];
        assert_sizes_within(&sizes);
    }

    /// Every type of `sizes` (name, size, bound) is within its bound; the ones over it
    /// are named together.
    pub(crate) fn assert_sizes_within(sizes: &[(&str, usize, usize)]) {
        let over: Vec<_> = sizes
            .iter()
            .filter(|(_, size, bound)| size > bound)
            .collect();
        assert!(over.is_empty(), "{over:?}");
    }

    /// A field's list of uses reads as the list it was made from, however it is held,
    /// and one made from a `Vec` equals one made from the same slice.
    #[test]
    fn a_use_list_reads_as_what_it_was_made_from() {
        let at = |value, offset| At {
            value,
            loc: Loc {
                file: crate::source::FileId::new(3),
                span: Span::new(offset, 5),
            },
        };
        let lists = [
            Vec::new(),
            vec![at(Use::Account, 10)],
            vec![at(Use::Marketing, 10), at(Use::Account, 20)],
            vec![
                at(Use::Marketing, 10),
                at(Use::Account, 20),
                at(Use::Legal, 30),
            ],
        ];
        for list in lists {
            let from_vec = UseList::from(list.clone());
            let from_slice = UseList::from(list.as_slice());
            assert_eq!(&from_vec[..], list.as_slice());
            assert_eq!(from_vec, from_slice);
            assert_eq!(from_vec == UseList::default(), list.is_empty());
        }
    }

    /// What is held packed reads back as it was written: a field's type and whether it
    /// is required, a condition's places, a personalization's logic and unreadable keys,
    /// and its placeholders' ids (read from the message or the explanation).
    #[test]
    fn packed_parts_read_back_as_written() {
        let file = crate::source::FileId::new(7);
        let loc = |offset, len| Loc {
            file,
            span: Span::new(offset, len),
        };
        let typed = At {
            value: FieldType::Email,
            loc: loc(10, 5),
        };
        let required = At {
            value: false,
            loc: loc(30, 5),
        };
        for (declared, required) in [(true, Some(required)), (false, None)] {
            let kind = FieldKind::new(typed.clone(), declared, required.clone());
            let field = Field {
                id: Text::new("email", loc(0, 5)),
                label: None,
                kind,
                purpose: Purpose::NoSlot,
                retention: None,
                item: loc(0, 40),
                extra: None,
                lists: None,
            };
            assert_eq!(field.field_type(), typed);
            assert_eq!(field.type_declared(), declared);
            assert_eq!(field.required(), required);
            assert!(!field.is_required());
        }

        let data = Text::new("cart.total", loc(100, 10));
        let test = Test::Gt(At {
            value: 50.0,
            loc: loc(116, 2),
        });
        let c = Condition::new(data.clone(), test.clone(), loc(112, 6), loc(98, 20));
        assert_eq!((&c.data, &c.test), (&data, &test));
        assert_eq!((c.test_loc(), c.item()), (loc(112, 6), loc(98, 20)));

        let any = Logic::Any(vec![
            Logic::Condition(0),
            Logic::Not(Box::new(Logic::Condition(1))),
        ]);
        let held: HeldLogic = any.clone().into();
        assert_eq!(held, any);
        assert_eq!(*held, any);
        let every: HeldLogic = Logic::Every.into();
        assert_eq!(every, HeldLogic::default());
        assert_eq!(*every, Logic::Every);

        assert!(Keys::from(Vec::new()).is_empty());
        assert_eq!(Keys::default(), Keys::from(Vec::new()));
        assert_eq!(
            &*Keys::from(vec!["frequency", "channel"]),
            ["frequency", "channel"]
        );

        // `Hi {{ name }}` and, in the explanation, `{{cart.total}}`: ids by their bytes.
        let message = Text::new("Hi {{ name }}", loc(200, 13));
        let explanation = Text::new("Because {{cart.total}}", loc(220, 22));
        let placeholders = [
            Placeholder::new(6..10, loc(206, 4), false),
            Placeholder::new(10..20, loc(230, 10), true),
        ];
        let p = Personalization {
            id: Text::new("cart-reminder", loc(180, 13)),
            description: None,
            use_: None,
            when: Box::new([c]),
            logic: held,
            channel: None,
            message: Some(message),
            explanation: Some(Box::new(explanation)),
            frequency: None,
            placeholders: placeholders.into_iter().flatten().collect(),
            item: loc(180, 70),
            unreadable: Keys::from(vec!["frequency"]),
        };
        let refs: Vec<(&str, Loc, RefKind)> = p.refs().map(|r| (r.id, r.loc, r.kind)).collect();
        assert_eq!(
            refs,
            [
                ("cart.total", loc(100, 10), RefKind::Condition(0)),
                ("name", loc(206, 4), RefKind::Message),
                ("cart.total", loc(230, 10), RefKind::Explanation),
            ]
        );
        assert!(p.unreadable.contains(&"frequency"));
    }

    /// A field keeps the choices asked for, in order; its lists' box goes only when it
    /// holds nothing else (no uses, nowhere `uses:` is written).
    #[test]
    fn a_field_keeps_the_choices_asked_for() {
        let loc = |offset| Loc {
            file: crate::source::FileId::new(0),
            span: Span::new(offset, 4),
        };
        let mut field = Field {
            id: Text::new("plan", loc(0)),
            label: None,
            kind: FieldKind::new(
                At {
                    value: FieldType::Choice,
                    loc: loc(10),
                },
                true,
                None,
            ),
            purpose: Purpose::NoSlot,
            retention: None,
            item: loc(0),
            extra: None,
            lists: None,
        };
        field.retain_options(|_| false);
        assert!(field.lists.is_none());
        for (n, value) in ["a", "b", "c", "d"].into_iter().enumerate() {
            field.push_option(FieldOption {
                value: Text::new(value, loc(20 + 5 * n)),
                label: None,
            });
        }
        field.retain_options(|o| o.value.as_str() != "b");
        let values = |f: &Field| {
            f.options()
                .iter()
                .map(|o| o.value.as_str().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(values(&field), ["a", "c", "d"]);
        let mut with_uses = field.clone();
        with_uses.lists_mut().uses = vec![At {
            value: Use::Account,
            loc: loc(40),
        }]
        .into();
        with_uses.retain_options(|_| false);
        assert!(with_uses.options().is_empty() && with_uses.uses().len() == 1);
        assert!(with_uses.lists.is_some());
        field.retain_options(|_| false);
        assert!(field.lists.is_none(), "an empty box kept");
    }

    /// Every use fits, each once, in the order first pushed.
    #[test]
    fn uses_keep_their_order_and_each_once() {
        let mut uses = Uses::default();
        assert!(uses.is_empty());
        let order: Vec<Use> = Use::ALL.iter().rev().copied().collect();
        for u in order.iter().chain(Use::ALL) {
            uses.push(*u);
        }
        assert_eq!(uses.iter().collect::<Vec<_>>(), order);
        assert_eq!(uses.len(), Use::ALL.len());
        assert!(Use::ALL.iter().all(|u| uses.contains(*u)));
        let mut two = Uses::default();
        two.push(Use::Marketing);
        two.push(Use::Account);
        two.push(Use::Marketing);
        assert_eq!(
            two.iter().collect::<Vec<_>>(),
            [Use::Marketing, Use::Account]
        );
        assert!(!two.contains(Use::Legal) && two.len() == 2);
    }
}
