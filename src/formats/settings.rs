//! What the configuration tells readers: which JSON Schemas are forms (`forms:` globs)
//! and which uiSchema goes with which schema (`ui-schemas:`). The pipeline hands these to
//! the [`super::Registry`], which passes them to every reader call; readers that need
//! none ignore them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::glob::Glob;
use crate::io::absolute;

/// Reader settings from `creeplint.yaml`. Paths are relative to the configuration
/// file's folder (`base`), or to the current folder without a configuration file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReaderSettings {
    /// The folder relative paths start from.
    pub base: PathBuf,
    /// `forms:`: JSON Schemas matching one of these are forms.
    pub form_globs: Vec<Glob>,
    /// `ui-schemas:`: a schema's uiSchema, as absolute paths, resolved once from the
    /// configured pairs (relative to `base`): each file was compared with every pair,
    /// both resolved again each time (4,000 configured pairs took 60 seconds, issue 14).
    /// A schema written twice keeps its first pair.
    ui_for: HashMap<PathBuf, PathBuf>,
    /// The configured uiSchemas, as absolute paths.
    ui_files: HashSet<PathBuf>,
}

impl ReaderSettings {
    /// Settings whose relative paths start from `base`; `ui_schemas` maps a schema to
    /// its uiSchema, both relative to `base`.
    pub fn new(
        base: PathBuf,
        form_globs: Vec<Glob>,
        ui_schemas: BTreeMap<PathBuf, PathBuf>,
    ) -> Self {
        let mut ui_for = HashMap::with_capacity(ui_schemas.len());
        let mut ui_files = HashSet::with_capacity(ui_schemas.len());
        for (schema, ui) in &ui_schemas {
            let ui = absolute(&base.join(ui));
            ui_files.insert(ui.clone());
            ui_for.entry(absolute(&base.join(schema))).or_insert(ui);
        }
        Self {
            base,
            form_globs,
            ui_for,
            ui_files,
        }
    }

    /// Settings from a configuration, relative to its file's folder.
    pub fn from_config(config: &crate::config::Config) -> Self {
        let base = config
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Self::new(
            base,
            config.forms.clone(),
            config
                .ui_schemas
                .iter()
                .map(|(schema, ui)| (PathBuf::from(schema), PathBuf::from(ui)))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.form_globs.is_empty() && self.ui_for.is_empty()
    }

    /// A path relative to `base`, with `/` separators (`forms/signup.json`), when it
    /// lies under it.
    fn relative(&self, path: &Path) -> Option<String> {
        let path = absolute(path);
        let base = absolute(&self.base);
        let rest = path.strip_prefix(&base).ok()?;
        let parts: Vec<String> = rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// Whether a `forms:` glob names this file.
    pub fn is_form(&self, path: &Path) -> bool {
        if self.form_globs.is_empty() {
            return false;
        }
        self.relative(path)
            .is_some_and(|rel| self.form_globs.iter().any(|g| g.matches(&rel)))
    }

    /// The uiSchema configured for a schema, as an absolute path ([`absolute`]).
    pub fn ui_schema_for(&self, schema: &Path) -> Option<PathBuf> {
        if self.ui_for.is_empty() {
            return None;
        }
        self.ui_for.get(&absolute(schema)).cloned()
    }

    /// Whether the configuration names this file as a uiSchema.
    pub fn is_ui_schema(&self, path: &Path) -> bool {
        !self.ui_files.is_empty() && self.ui_files.contains(&absolute(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ReaderSettings {
        ReaderSettings::new(
            PathBuf::from("project"),
            vec![Glob::new("schemas/*.json")],
            [(
                PathBuf::from("schemas/signup.json"),
                PathBuf::from("layout/signup-layout.json"),
            )]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn paths_are_relative_to_the_configuration_folder() {
        let s = settings();
        assert!(s.is_form(Path::new("project/schemas/signup.json")));
        assert!(s.is_form(Path::new("./project/x/../schemas/signup.json")));
        assert!(!s.is_form(Path::new("schemas/signup.json")));
        assert!(!s.is_form(Path::new("project/api/signup.json")));
        assert_eq!(
            s.ui_schema_for(Path::new("project/schemas/signup.json")),
            Some(absolute(Path::new("project/layout/signup-layout.json")))
        );
        assert!(s.is_ui_schema(Path::new("./project/layout/signup-layout.json")));
        assert!(!s.is_ui_schema(Path::new("project/schemas/signup.json")));
        assert!(ReaderSettings::default().is_empty());
    }
}
