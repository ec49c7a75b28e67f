//! Apple privacy manifests (`PrivacyInfo.xcprivacy`): each entry of
//! `NSPrivacyCollectedDataTypes` becomes a data item, its purposes its uses, and
//! tracking (linking the data with other companies' data for advertising) adds the
//! advertising and third-party-sharing uses. Property lists are parsed by the `plist`
//! crate; XML ones are also walked with `quick-xml` (the parser `plist` itself uses)
//! to keep the byte span of every value. Binary property lists have no text to point
//! into, so their findings point at the file.

use std::path::Path;

use quick_xml::events::Event;

use super::mapped::{Cx, add_uses};
use super::tree::{Key, Node, Value};
use super::{FileModel, Problem};
use crate::model::{At, Category, DataDecl, DataExtra, FixedPurpose, Precision, Source, Text, Use};
use crate::source::{FileId, Span};

/// The file extension of privacy manifests.
pub const EXTENSION: &str = "xcprivacy";

pub fn is_manifest(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// What one of Apple's collected data types is, in creeplint's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataType {
    /// The key without `NSPrivacyCollectedDataType`.
    pub name: &'static str,
    pub source: Source,
    pub sensitive: Option<Category>,
    pub location: Option<Precision>,
}

const fn t(name: &'static str, source: Source) -> DataType {
    DataType {
        name,
        source,
        sensitive: None,
        location: None,
    }
}

const fn ts(name: &'static str, source: Source, category: Category) -> DataType {
    DataType {
        name,
        source,
        sensitive: Some(category),
        location: None,
    }
}

use Source::{Device, Observed, Volunteered};

/// Every collected data type Apple defines (App Store privacy details), mapped.
pub const DATA_TYPES: &[DataType] = &[
    t("Name", Volunteered),
    t("EmailAddress", Volunteered),
    t("PhoneNumber", Volunteered),
    t("PhysicalAddress", Volunteered),
    t("OtherUserContactInfo", Volunteered),
    ts("Health", Volunteered, Category::Health),
    ts("Fitness", Device, Category::Health),
    t("PaymentInfo", Volunteered),
    ts("CreditInfo", Volunteered, Category::FinancialHardship),
    t("OtherFinancialInfo", Volunteered),
    DataType {
        name: "PreciseLocation",
        source: Device,
        sensitive: Some(Category::PreciseLocation),
        location: Some(Precision::Precise),
    },
    DataType {
        name: "CoarseLocation",
        source: Device,
        sensitive: None,
        location: Some(Precision::Coarse),
    },
    ts("SensitiveInfo", Volunteered, Category::SpecialCategory),
    t("Contacts", Device),
    t("EmailsOrTextMessages", Volunteered),
    t("PhotosorVideos", Volunteered),
    t("AudioData", Volunteered),
    t("GameplayContent", Volunteered),
    t("CustomerSupport", Volunteered),
    t("OtherUserContent", Volunteered),
    t("BrowsingHistory", Observed),
    t("SearchHistory", Observed),
    t("UserID", Observed),
    t("DeviceID", Device),
    t("PurchaseHistory", Observed),
    t("ProductInteraction", Observed),
    t("AdvertisingData", Observed),
    t("OtherUsageData", Observed),
    t("CrashData", Device),
    t("PerformanceData", Device),
    t("OtherDiagnosticData", Device),
    t("EnvironmentScanning", Device),
    t("Hands", Device),
    t("Head", Device),
    t("OtherDataTypes", Observed),
];

/// Apple's purposes (without `NSPrivacyCollectedDataTypePurpose`) and the uses they
/// state. `Other` states none: it says nothing about what the data is for.
pub const PURPOSES: &[(&str, &[Use])] = &[
    (
        "ThirdPartyAdvertising",
        &[Use::Advertising, Use::ThirdPartySharing],
    ),
    ("DeveloperAdvertising", &[Use::Advertising]),
    ("Analytics", &[Use::Analytics]),
    ("ProductPersonalization", &[Use::Personalization]),
    ("AppFunctionality", &[Use::Transactional]),
    ("Other", &[]),
];

/// What tracking adds: Apple defines it as linking the data with other companies'
/// data for targeted advertising or measurement, or sharing it with data brokers.
pub const TRACKING_USES: &[Use] = &[Use::Advertising, Use::ThirdPartySharing];

/// Binary manifests larger than this are not parsed.
pub const MAX_BINARY_BYTES: usize = 16 * 1024;

const TYPE_PREFIX: &str = "NSPrivacyCollectedDataType";
const PURPOSE_PREFIX: &str = "NSPrivacyCollectedDataTypePurpose";

pub fn data_type(key: &str) -> Option<&'static DataType> {
    let name = key.strip_prefix(TYPE_PREFIX)?;
    DATA_TYPES.iter().find(|d| d.name == name)
}

pub fn purpose(key: &str) -> Option<&'static [Use]> {
    let name = key.strip_prefix(PURPOSE_PREFIX)?;
    PURPOSES.iter().find(|(n, _)| *n == name).map(|(_, u)| *u)
}

/// The outcome of reading a manifest: the text kept as the file's source (empty for
/// a binary property list), its data items and problems.
pub struct Read {
    pub text: String,
    pub model: FileModel,
    pub problems: Vec<Problem>,
}

/// Apple privacy manifests, recognised by their extension and read from their bytes
/// (XML or binary property list).
pub struct ApplePrivacyReader;

impl super::Reader for ApplePrivacyReader {
    fn name(&self) -> &'static str {
        "apple-privacy"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &[EXTENSION]
    }

    fn sniff(&self, path: &Path, _text: &str) -> bool {
        is_manifest(path)
    }

    fn read(&self, source: &crate::source::SourceFile, file: FileId) -> super::FileRead {
        let (_, read) = self.read_all(&source.path, source.text.as_bytes(), file);
        read
    }

    fn read_bytes(
        &self,
        path: &Path,
        bytes: &[u8],
        id: FileId,
    ) -> Option<(String, super::FileRead)> {
        is_manifest(path).then(|| self.read_all(path, bytes, id))
    }
}

impl ApplePrivacyReader {
    fn read_all(&self, path: &Path, bytes: &[u8], file: FileId) -> (String, super::FileRead) {
        let binary = bytes.starts_with(b"bplist");
        let r = read(file, path, bytes);
        let source = crate::source::SourceFile::new(path.to_path_buf(), r.text.clone());
        let allows = if binary {
            Vec::new()
        } else {
            crate::suppress::comments(
                &source,
                file,
                &r.model.item_spans(),
                crate::suppress::CommentSyntax::Markup,
            )
        };
        let read = super::FileRead {
            language: if binary {
                crate::source::Language::Other("plist")
            } else {
                crate::source::Language::Xml
            },
            model: r.model,
            problems: r.problems,
            allows,
            documents: 1,
            pending: None,
        };
        (r.text, read)
    }
}

/// The prefix of this manifest's item ids: its file name without `PrivacyInfo`, or
/// else its folder's name (an app or SDK target), so two manifests of one project do
/// not declare the same id.
pub fn qualifier(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem
        .strip_suffix("PrivacyInfo")
        .unwrap_or(&stem)
        .trim_end_matches(['_', '-', '.', ' '])
        .to_string();
    if !stem.is_empty() {
        return stem;
    }
    path.parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "app".to_string())
}

/// Read one manifest from its bytes.
pub fn read(file: FileId, path: &Path, bytes: &[u8]) -> Read {
    let mut out = Read {
        text: String::new(),
        model: FileModel::default(),
        problems: Vec::new(),
    };
    let at_file = Span::new(0, 0);
    let cx_loc = |span| crate::source::Loc { file, span };
    let node = if bytes.starts_with(b"bplist") {
        // Xcode's binary manifests are a few hundred bytes; a large one can only nest
        // absurdly deep, and a deep `plist::Value` is dropped recursively.
        if bytes.len() > MAX_BINARY_BYTES {
            out.problems.push(
                Problem::new(
                    cx_loc(at_file),
                    format!(
                        "this binary property list is {} KiB, over the {} KiB a privacy manifest needs",
                        bytes.len() / 1024,
                        MAX_BINARY_BYTES / 1024
                    ),
                )
                .help("convert it with `plutil -convert xml1` and check what it holds"),
            );
            return out;
        }
        match plist::Value::from_reader(std::io::Cursor::new(bytes)) {
            Ok(v) => from_value(&v, at_file, 0),
            Err(e) => {
                out.problems.push(
                    Problem::new(
                        cx_loc(at_file),
                        format!("this binary property list cannot be read: {}", clean(&e)),
                    )
                    .help("save the manifest again from Xcode, or convert it with `plutil -convert xml1`"),
                );
                return out;
            }
        }
    } else {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t).to_string(),
            Err(e) => {
                out.text = String::from_utf8_lossy(bytes).into_owned();
                out.problems.push(
                    Problem::new(
                        cx_loc(Span::new(e.valid_up_to(), 0)),
                        "this privacy manifest is not valid UTF-8",
                    )
                    .help("save the manifest as UTF-8, as Xcode does"),
                );
                return out;
            }
        };
        out.text = text;
        let node = match xml_tree(&out.text) {
            Ok(n) => n,
            Err((offset, message)) => {
                out.problems.push(
                    Problem::new(cx_loc(Span::new(offset.min(out.text.len()), 0)), message).help(
                        "fix the property list: Xcode's property list editor shows the same error",
                    ),
                );
                return out;
            }
        };
        if let Err(e) = plist::Value::from_reader_xml(out.text.as_bytes()) {
            let offset = offset_of(&e).unwrap_or(0).min(out.text.len());
            out.problems.push(
                Problem::new(
                    cx_loc(Span::new(offset, 0)),
                    format!("this property list cannot be read: {}", clean(&e)),
                )
                .help("fix the property list: Xcode's property list editor shows the same error"),
            );
            return out;
        }
        node
    };
    let cx = Cx {
        file,
        text: &out.text,
    };
    read_manifest(
        cx,
        &qualifier(path),
        &node,
        &mut out.model,
        &mut out.problems,
    );
    out
}

/// plist's error texts are `Kind (offset N)`: the offset becomes the span.
fn offset_of(e: &plist::Error) -> Option<usize> {
    let s = e.to_string();
    let i = s.rfind("(offset ")?;
    s.get(i + 8..)?.trim_end_matches(')').parse().ok()
}

fn clean(e: &plist::Error) -> String {
    let s = e.to_string();
    let s = s
        .find(" (offset ")
        .map_or(s.as_str(), |i| &s[..i])
        .to_string();
    // `UnexpectedEventType { .. }` -> `unexpected event type`
    let head = s.split([' ', '{', '(']).next().unwrap_or("");
    let mut words = String::new();
    for (i, c) in head.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    match words.as_str() {
        "" => s,
        "io" | "unexpected eof" => "it is truncated or corrupt".to_string(),
        _ => words,
    }
}

fn from_value(v: &plist::Value, span: Span, depth: usize) -> Node {
    let value = if depth > super::tree::MAX_DEPTH {
        Value::Null
    } else {
        match v {
            plist::Value::Dictionary(d) => Value::Map(
                d.iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                span,
                                text: k.as_str().into(),
                            },
                            from_value(v, span, depth + 1),
                        )
                    })
                    .collect(),
            ),
            plist::Value::Array(a) => {
                Value::Seq(a.iter().map(|v| from_value(v, span, depth + 1)).collect())
            }
            plist::Value::Boolean(b) => Value::Bool(*b),
            plist::Value::String(s) => Value::Str(s.as_str().into()),
            plist::Value::Integer(i) => i.as_signed().map_or(Value::Null, Value::Int),
            plist::Value::Real(r) => Value::Float(*r),
            _ => Value::Null,
        }
    };
    Node { span, value }
}

/// One open element while walking the XML.
enum Frame {
    Dict {
        start: usize,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Scalar {
        tag: String,
        start: usize,
        text: String,
        content: Option<Span>,
    },
}

/// Walk an XML property list into the spanned tree (iteratively, with the tree's
/// depth budget), or say where it breaks.
fn xml_tree(text: &str) -> Result<Node, (usize, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            (
                before,
                format!("this property list is not well-formed XML: {e}"),
            )
        })?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(before);
        let node = match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name: String = e.name().as_ref().to_string();
                if stack.len() >= super::tree::MAX_DEPTH {
                    return Err((
                        before,
                        "this property list is nested too deeply".to_string(),
                    ));
                }
                match name.as_str() {
                    "plist" => {}
                    "dict" => stack.push(Frame::Dict {
                        start: before,
                        entries: Vec::new(),
                        key: None,
                    }),
                    "array" => stack.push(Frame::Array {
                        start: before,
                        items: Vec::new(),
                    }),
                    _ => stack.push(Frame::Scalar {
                        tag: name,
                        start: before,
                        text: String::new(),
                        content: None,
                    }),
                }
                continue;
            }
            Event::Empty(e) => {
                let span = Span::new(before, after - before);
                let value = match e.name().as_ref() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "dict" => Value::Map(Vec::new()),
                    "array" => Value::Seq(Vec::new()),
                    "string" | "key" => Value::Str(Default::default()),
                    _ => Value::Null,
                };
                if e.name().as_ref() == "key" {
                    if let Some(Frame::Dict { key, .. }) = stack.last_mut() {
                        *key = Some(Key {
                            span,
                            text: Default::default(),
                        });
                    }
                    continue;
                }
                Node { span, value }
            }
            Event::Text(t) => {
                if let Some(Frame::Scalar { text, content, .. }) = stack.last_mut() {
                    text.push_str(&t.xml10_content());
                    extend(content, before, after);
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(Frame::Scalar { text, content, .. }) = stack.last_mut() {
                    text.push_str(&t.into_inner());
                    extend(content, before, after);
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if let Some(Frame::Scalar { text, content, .. }) = stack.last_mut() {
                    let name = r.into_inner();
                    match quick_xml::escape::resolve_xml_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => text.push_str(&format!("&{name};")),
                    }
                    extend(content, before, after);
                }
                continue;
            }
            Event::End(e) => {
                if e.name().as_ref() == "plist" {
                    continue;
                }
                match stack.pop() {
                    Some(Frame::Dict { start, entries, .. }) => Node {
                        span: Span::new(start, after - start),
                        value: Value::Map(entries),
                    },
                    Some(Frame::Array { start, items }) => Node {
                        span: Span::new(start, after - start),
                        value: Value::Seq(items),
                    },
                    Some(Frame::Scalar {
                        tag,
                        start,
                        text,
                        content,
                    }) => {
                        let span = content.unwrap_or(Span::new(start, after - start));
                        if tag == "key" {
                            if let Some(Frame::Dict { key, .. }) = stack.last_mut() {
                                *key = Some(Key {
                                    span,
                                    text: text.into(),
                                });
                            }
                            continue;
                        }
                        let value = match tag.as_str() {
                            "integer" => text.trim().parse().map_or(Value::Null, Value::Int),
                            "real" => text.trim().parse().map_or(Value::Null, Value::Float),
                            _ => Value::Str(text.into()),
                        };
                        Node { span, value }
                    }
                    None => continue,
                }
            }
            _ => continue,
        };
        match stack.last_mut() {
            Some(Frame::Dict { entries, key, .. }) => {
                if let Some(k) = key.take() {
                    entries.push((k, node));
                }
            }
            Some(Frame::Array { items, .. }) => items.push(node),
            Some(Frame::Scalar { .. }) => {}
            None => root = root.or(Some(node)),
        }
    }
    root.ok_or((0, "this property list has no value".to_string()))
}

fn extend(content: &mut Option<Span>, start: usize, end: usize) {
    *content = Some(match *content {
        Some(c) => Span::new(c.start(), end.saturating_sub(c.start())),
        None => Span::new(start, end - start),
    });
}

fn read_manifest(
    cx: Cx<'_>,
    qualifier: &str,
    root: &Node,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
) {
    let Some(types) = root.get("NSPrivacyCollectedDataTypes") else {
        return;
    };
    let Some(entries) = types.as_seq() else {
        problems.push(
            Problem::new(
                cx.loc(types.span),
                "`NSPrivacyCollectedDataTypes` is not an array",
            )
            .help("list one dictionary per collected data type, as Xcode's template does"),
        );
        return;
    };
    for entry in entries {
        let Some(type_node) = entry.get("NSPrivacyCollectedDataType") else {
            problems.push(
                Problem::new(
                    cx.loc(entry.head_span()),
                    "this entry has no `NSPrivacyCollectedDataType`",
                )
                .help(
                    "name the collected data type, e.g. `NSPrivacyCollectedDataTypeEmailAddress`",
                ),
            );
            continue;
        };
        let Some(type_text) = cx.text(Some(type_node)) else {
            continue;
        };
        let Some(kind) = data_type(&type_text.value) else {
            let names = DATA_TYPES
                .iter()
                .map(|d| format!("{TYPE_PREFIX}{}", d.name))
                .collect::<Vec<_>>();
            let hint = crate::suggest::did_you_mean(&type_text.value, names.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "use one of Apple's collected data types, e.g. `NSPrivacyCollectedDataTypeEmailAddress`".to_string()
                });
            problems.push(
                Problem::new(
                    type_text.loc,
                    format!(
                        "`{}` is not one of Apple's collected data types",
                        type_text.value
                    ),
                )
                .help(hint),
            );
            continue;
        };
        let mut uses: Vec<At<Use>> = Vec::new();
        let purposes = entry.get("NSPrivacyCollectedDataTypePurposes");
        for p in purposes.and_then(Node::as_seq).unwrap_or_default() {
            let Some(pt) = cx.text(Some(p)) else { continue };
            match purpose(&pt.value) {
                Some(u) => add_uses(&mut uses, u, pt.loc),
                None => problems.push(
                    Problem::new(
                        pt.loc,
                        format!("`{}` is not one of Apple's purposes", pt.value),
                    )
                    .help(format!(
                        "use one of {}",
                        PURPOSES
                            .iter()
                            .map(|(n, _)| format!("`{PURPOSE_PREFIX}{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
            }
        }
        // `Other` maps to no use: a purpose is stated only by another category.
        let stated = !uses.is_empty();
        let tracking = entry
            .get("NSPrivacyCollectedDataTypeTracking")
            .filter(|t| t.as_bool() == Some(true))
            .map(|t| cx.loc(t.span));
        if let Some(loc) = tracking {
            add_uses(&mut uses, TRACKING_USES, loc);
        }
        let sensitive = kind.sensitive.map(|value| At {
            value,
            loc: type_text.loc,
        });
        let location = kind.location.map(|value| At {
            value,
            loc: type_text.loc,
        });
        out.data.push(DataDecl {
            id: Text::new(format!("{qualifier}.{}", kind.name), type_text.loc),
            source: At {
                value: kind.source,
                loc: type_text.loc,
            },
            description: None,
            uses,
            uses_loc: purposes.map(|p| cx.loc(p.span)),
            sensitive,
            retention: None,
            // From `<dict>` to `</dict>`, so a comment on the line before covers it.
            item: cx.loc(entry.span),
            // The app (or the SDK) uses it; its personalizations are not in this project.
            used_elsewhere: true,
            extra: DataExtra {
                location,
                tracking,
                fixed_purpose: Some(FixedPurpose {
                    key: "NSPrivacyCollectedDataTypePurposes",
                    loc: purposes.map(|p| cx.loc(p.span)),
                    says_something: stated,
                    catch_all: purposes
                        .and_then(Node::as_seq)
                        .unwrap_or_default()
                        .iter()
                        .any(|p| p.as_str() == Some("NSPrivacyCollectedDataTypePurposeOther")),
                }),
                subjects: Default::default(),
                legal_basis: Default::default(),
            }
            .boxed(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>NSPrivacyTracking</key>
	<true/>
	<key>NSPrivacyCollectedDataTypes</key>
	<array>
		<dict>
			<key>NSPrivacyCollectedDataType</key>
			<string>NSPrivacyCollectedDataTypeHealth</string>
			<key>NSPrivacyCollectedDataTypeLinked</key>
			<true/>
			<key>NSPrivacyCollectedDataTypeTracking</key>
			<false/>
			<key>NSPrivacyCollectedDataTypePurposes</key>
			<array>
				<string>NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising</string>
			</array>
		</dict>
		<dict>
			<key>NSPrivacyCollectedDataType</key>
			<string>NSPrivacyCollectedDataTypeDeviceID</string>
			<key>NSPrivacyCollectedDataTypeTracking</key>
			<true/>
			<key>NSPrivacyCollectedDataTypePurposes</key>
			<array>
				<string>NSPrivacyCollectedDataTypePurposeAnalytics</string>
			</array>
		</dict>
	</array>
</dict>
</plist>
"#;

    fn read_str(text: &str) -> Read {
        read(
            FileId(0),
            Path::new("Shop/PrivacyInfo.xcprivacy"),
            text.as_bytes(),
        )
    }

    #[test]
    fn entries_become_items_with_spans() {
        let r = read_str(MANIFEST);
        assert!(
            r.problems.is_empty(),
            "{:?}",
            r.problems.iter().map(|p| &p.message).collect::<Vec<_>>()
        );
        let ids: Vec<&str> = r.model.data.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["Shop.Health", "Shop.DeviceID"]);
        let health = &r.model.data[0];
        let span = health.id.loc.span;
        assert_eq!(
            &r.text[span.start()..span.end()],
            "NSPrivacyCollectedDataTypeHealth"
        );
        assert_eq!(
            health.sensitive.as_ref().map(|s| s.value),
            Some(Category::Health)
        );
        let uses: Vec<Use> = health.uses.iter().map(|u| u.value).collect();
        assert_eq!(uses, [Use::Advertising, Use::ThirdPartySharing]);
        let device = &r.model.data[1];
        assert_eq!(device.source.value, Source::Device);
        let uses: Vec<Use> = device.uses.iter().map(|u| u.value).collect();
        assert_eq!(
            uses,
            [Use::Analytics, Use::Advertising, Use::ThirdPartySharing]
        );
        let tracking = device.uses[1].loc.span;
        assert_eq!(&r.text[tracking.start()..tracking.end()], "<true/>");
    }

    #[test]
    fn binary_manifests_point_at_the_file() {
        let value = plist::Value::from_reader_xml(MANIFEST.as_bytes());
        let Ok(value) = value else {
            panic!("{value:?}")
        };
        let mut bytes = Vec::new();
        if let Err(e) = value.to_writer_binary(&mut bytes) {
            panic!("{e}");
        }
        let r = read(FileId(0), Path::new("PrivacyInfo.xcprivacy"), &bytes);
        assert!(r.problems.is_empty());
        assert_eq!(r.model.data.len(), 2);
        assert_eq!(r.model.data[0].id.loc.span, Span::new(0, 0));
        let broken = read(
            FileId(0),
            Path::new("PrivacyInfo.xcprivacy"),
            b"bplist00\x01\x02",
        );
        assert_eq!(broken.problems.len(), 1);
        assert_eq!(broken.problems[0].loc.span, Span::new(0, 0));
    }

    #[test]
    fn deep_binary_lists_are_read_within_the_depth_budget() {
        let mut v = plist::Value::Array(Vec::new());
        for _ in 0..2_000 {
            v = plist::Value::Array(vec![v]);
        }
        let mut bytes = Vec::new();
        if let Err(e) = v.to_writer_binary(&mut bytes) {
            panic!("{e}");
        }
        let r = read(FileId(0), Path::new("PrivacyInfo.xcprivacy"), &bytes);
        assert!(r.problems.is_empty() && r.model.data.is_empty());
        let big = [b"bplist00".as_slice(), &vec![0u8; MAX_BINARY_BYTES]].concat();
        let r = read(FileId(0), Path::new("PrivacyInfo.xcprivacy"), &big);
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("KiB"));
    }

    #[test]
    fn malformed_xml_is_a_problem_with_a_place() {
        let text = MANIFEST.replace("</array>\n</dict>", "</dict>\n</dict>");
        let r = read_str(&text);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(r.problems[0].loc.span.start() > 0);
        let deep = format!(
            "<plist>{}{}</plist>",
            "<array>".repeat(100),
            "</array>".repeat(100)
        );
        let r = read_str(&deep);
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("nested too deeply"));
        let typo = MANIFEST.replace("TypeHealth<", "TypeHelth<");
        let r = read_str(&typo);
        assert_eq!(r.problems.len(), 1);
        assert!(
            r.problems[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("NSPrivacyCollectedDataTypeHealth")
        );
    }

    #[test]
    fn qualifiers() {
        assert_eq!(qualifier(Path::new("App/PrivacyInfo.xcprivacy")), "App");
        assert_eq!(qualifier(Path::new("PrivacyInfo.xcprivacy")), "app");
        assert_eq!(
            qualifier(Path::new("x/Vendor__sdk__PrivacyInfo.xcprivacy")),
            "Vendor__sdk"
        );
    }
}
