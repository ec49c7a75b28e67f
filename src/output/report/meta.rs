//! What the top of a report says about the run: the project's name, the date, and the
//! commit when the checked files are in a git repository. Gathered once by the command
//! line; tests build it by hand or with a fixed `SOURCE_DATE_EPOCH`, so reports are
//! reproducible.

use std::path::{Path, PathBuf};

/// The run a report describes. Every part is optional: a report without a repository
/// or a name still renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The project's name: the configuration's `project:`, else a folder's name.
    pub project: Option<String>,
    /// The day of the run (UTC), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The commit checked out, in full.
    pub commit: Option<String>,
    /// The branch checked out, when not detached.
    pub branch: Option<String>,
    /// The git work tree's root, which link paths are relative to.
    pub root: Option<PathBuf>,
    /// The configuration's `repository:`, without a final `/`.
    pub repository: Option<String>,
    /// The configuration's `branch:`, for links when the commit is unknown.
    pub link_branch: Option<String>,
    /// The configuration's folder: link paths are relative to it outside git.
    pub config_root: Option<PathBuf>,
}

impl Meta {
    /// Everything that can be found for a run over `paths` with `config`.
    /// `source_date_epoch` is the `SOURCE_DATE_EPOCH` variable (seconds since 1970,
    /// the reproducible-builds convention): it fixes the date when set.
    pub fn detect(
        paths: &[PathBuf],
        config: Option<&crate::config::Config>,
        source_date_epoch: Option<&str>,
    ) -> Result<Meta, String> {
        let first = paths.first().map_or(Path::new("."), PathBuf::as_path);
        let start = std::fs::canonicalize(first).unwrap_or_else(|_| first.to_path_buf());
        let start = if start.is_file() {
            start.parent().map(Path::to_path_buf).unwrap_or(start)
        } else {
            start
        };
        let git = Git::find(&start);
        let head = git.as_ref().and_then(Git::head);
        let config_folder = config
            .and_then(|c| c.path.as_deref())
            .and_then(|p| std::fs::canonicalize(p).ok())
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let project = config
            .and_then(|c| c.project.clone())
            .or_else(|| config_folder.as_deref().and_then(folder_name))
            .or_else(|| git.as_ref().and_then(|g| folder_name(&g.work_tree)))
            .or_else(|| folder_name(&start));
        Ok(Meta {
            project,
            date: Some(date(source_date_epoch)?),
            commit: head.as_ref().map(|h| h.commit.clone()),
            branch: head.and_then(|h| h.branch),
            root: git.map(|g| g.work_tree),
            repository: config.and_then(|c| c.repository.clone()),
            link_branch: config.and_then(|c| c.branch.clone()),
            config_root: config_folder,
        })
    }

    /// The web address of a file's line in the configured repository:
    /// `<repository>/blob/<commit, else branch, else HEAD>/<path>#L<line>`, the path
    /// relative to the git work tree (else the configuration's folder). `None` without
    /// a `repository:` or when the file is outside the repository.
    pub fn link(&self, file: &Path, line: usize) -> Option<String> {
        let repository = self.repository.as_deref()?;
        let at = self
            .commit
            .as_deref()
            .or(self.link_branch.as_deref())
            .unwrap_or("HEAD");
        let relative = match self.root.as_deref().or(self.config_root.as_deref()) {
            Some(root) => {
                let full = std::fs::canonicalize(file).ok()?;
                let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
                full.strip_prefix(root).ok()?.to_path_buf()
            }
            None if file.is_relative() => file.to_path_buf(),
            None => return None,
        };
        let mut path = String::new();
        for part in relative.components() {
            match part {
                std::path::Component::Normal(p) => {
                    if !path.is_empty() {
                        path.push('/');
                    }
                    let p = p.to_string_lossy();
                    path.extend(percent_encoding::utf8_percent_encode(&p, SEGMENT));
                }
                std::path::Component::CurDir => {}
                _ => return None,
            }
        }
        if path.is_empty() {
            return None;
        }
        let at: String = at
            .split('/')
            .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/");
        Some(format!("{repository}/blob/{at}/{path}#L{line}"))
    }

    /// The commit, shortened to 12 characters as people quote it.
    pub fn short_commit(&self) -> Option<&str> {
        self.commit.as_deref().map(|c| c.get(..12).unwrap_or(c))
    }
}

/// What a path segment of a link escapes: everything but letters, digits and
/// `-._~` (RFC 3986 unreserved), so no `|`, `)` or space can end a Markdown cell or link.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn folder_name(p: &Path) -> Option<String> {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
}

/// The UTC day of `SOURCE_DATE_EPOCH` when given, else of now.
pub fn date(source_date_epoch: Option<&str>) -> Result<String, String> {
    let seconds = match source_date_epoch.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<i64>().map_err(|_| {
            format!(
                "SOURCE_DATE_EPOCH is `{s}`, not a number of seconds since 1970-01-01 (unset it to use today's date)"
            )
        })?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    let at = time::OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|_| format!("SOURCE_DATE_EPOCH `{seconds}` is out of range"))?;
    Ok(at.date().to_string())
}

/// A git repository around the checked files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Git {
    pub work_tree: PathBuf,
    /// `.git`, or the folder a `.git` file points at (a worktree, a submodule).
    pub git_dir: PathBuf,
}

/// What is checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub commit: String,
    pub branch: Option<String>,
}

/// Git's files are small; anything larger is not what we look for.
const MAX_GIT_FILE: u64 = 1 << 20;

fn read(path: &Path) -> Option<String> {
    crate::io::read_regular_text(path, MAX_GIT_FILE).ok()
}

fn is_hash(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Git {
    /// The repository `start` (a folder) is in, if any.
    pub fn find(start: &Path) -> Option<Git> {
        start.ancestors().find_map(|dir| {
            let dot = dir.join(".git");
            if dot.is_dir() {
                return Some(Git {
                    work_tree: dir.to_path_buf(),
                    git_dir: dot,
                });
            }
            // A worktree or submodule: `.git` is a file saying `gitdir: PATH`.
            let text = read(&dot)?;
            let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
            Some(Git {
                work_tree: dir.to_path_buf(),
                git_dir: dir.join(target),
            })
        })
    }

    /// The commit and branch checked out: read from `HEAD` and the refs, else asked of
    /// `git rev-parse` when git is installed; `None` when neither works.
    pub fn head(&self) -> Option<Head> {
        self.read_head().or_else(|| self.ask_git())
    }

    fn read_head(&self) -> Option<Head> {
        let head = read(&self.git_dir.join("HEAD"))?;
        let head = head.trim();
        if is_hash(head) {
            return Some(Head {
                commit: head.to_string(),
                branch: None,
            });
        }
        let name = head.strip_prefix("ref:")?.trim();
        if !name.starts_with("refs/") || name.split('/').any(|p| p == ".." || p.is_empty()) {
            return None;
        }
        // A worktree keeps its HEAD; branches live in the main repository's folder.
        let common = match read(&self.git_dir.join("commondir")) {
            Some(c) => self.git_dir.join(c.trim()),
            None => self.git_dir.clone(),
        };
        let loose = [&self.git_dir, &common]
            .into_iter()
            .filter_map(|d| read(&d.join(name)))
            .map(|s| s.trim().to_string())
            .find(|s| is_hash(s));
        let commit = loose.or_else(|| {
            read(&common.join("packed-refs"))?.lines().find_map(|l| {
                let (hash, refname) = l.split_once(' ')?;
                (refname.trim() == name && is_hash(hash)).then(|| hash.to_string())
            })
        })?;
        Some(Head {
            commit,
            branch: name.strip_prefix("refs/heads/").map(str::to_string),
        })
    }

    /// `git rev-parse` for what the files do not say simply (reftable, a ref that is a
    /// symbolic link): quietly nothing when git is not installed or fails.
    fn ask_git(&self) -> Option<Head> {
        let run = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .arg("-C")
                .arg(&self.work_tree)
                .args(args)
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        let commit = run(&["rev-parse", "--verify", "-q", "HEAD"]).filter(|c| is_hash(c))?;
        let branch = run(&["symbolic-ref", "-q", "--short", "HEAD"]).filter(|b| !b.is_empty());
        Some(Head { commit, branch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_source_date_epoch() {
        assert_eq!(date(Some("0")).ok().as_deref(), Some("1970-01-01"));
        assert_eq!(date(Some("1764547200")).ok().as_deref(), Some("2025-12-01"));
        assert!(date(Some("yesterday")).is_err_and(|e| e.contains("SOURCE_DATE_EPOCH")));
        assert!(date(None).is_ok_and(|d| d.len() == 10));
    }

    const A: &str = "0123456789abcdef0123456789abcdef01234567";
    const B: &str = "89abcdef0123456789abcdef0123456789abcdef";

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn head_of(start: &Path) -> Option<Head> {
        Git::find(start).and_then(|g| g.read_head())
    }

    #[test]
    fn reads_the_commit_from_head_and_refs_without_git() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let repo = dir.path().join("shop");
        let forms = repo.join("forms");
        std::fs::create_dir_all(&forms).unwrap_or_else(|e| panic!("{e}"));
        // A loose branch.
        write(&repo.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(&repo.join(".git/refs/heads/main"), &format!("{A}\n"));
        let head = head_of(&forms);
        assert_eq!(head.as_ref().map(|h| h.commit.as_str()), Some(A));
        assert_eq!(head.and_then(|h| h.branch).as_deref(), Some("main"));
        // A packed branch.
        write(&repo.join(".git/HEAD"), "ref: refs/heads/release/1.0\n");
        write(
            &repo.join(".git/packed-refs"),
            &format!(
                "# pack-refs with: peeled fully-peeled sorted\n{A} refs/heads/main\n{B} refs/heads/release/1.0\n^{A}\n"
            ),
        );
        let head = head_of(&forms);
        assert_eq!(head.as_ref().map(|h| h.commit.as_str()), Some(B));
        assert_eq!(head.and_then(|h| h.branch).as_deref(), Some("release/1.0"));
        // Detached.
        write(&repo.join(".git/HEAD"), &format!("{B}\n"));
        assert_eq!(
            head_of(&forms).map(|h| (h.commit, h.branch)),
            Some((B.to_string(), None))
        );
        // A ref that escapes the repository is not followed.
        write(&repo.join(".git/HEAD"), "ref: refs/../../etc/passwd\n");
        assert_eq!(head_of(&forms), None);
        // An unborn branch: no commit.
        write(&repo.join(".git/HEAD"), "ref: refs/heads/new\n");
        assert_eq!(head_of(&forms), None);
        // The project is named after the repository's folder.
        let meta = Meta::detect(std::slice::from_ref(&forms), None, Some("0")).unwrap_or_default();
        assert_eq!(meta.project.as_deref(), Some("shop"));
        assert_eq!(meta.date.as_deref(), Some("1970-01-01"));
    }

    #[test]
    fn reads_a_worktree_through_its_git_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let main = dir.path().join("main");
        let wt = dir.path().join("feature");
        write(&main.join(".git/refs/heads/feature"), &format!("{B}\n"));
        write(
            &main.join(".git/worktrees/feature/HEAD"),
            "ref: refs/heads/feature\n",
        );
        write(&main.join(".git/worktrees/feature/commondir"), "../..\n");
        write(&wt.join(".git"), "gitdir: ../main/.git/worktrees/feature\n");
        let head = head_of(&wt);
        assert_eq!(head.as_ref().map(|h| h.commit.as_str()), Some(B));
        assert_eq!(head.and_then(|h| h.branch).as_deref(), Some("feature"));
    }

    #[test]
    fn links_point_at_the_commit_else_the_branch() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let file = root.join("forms/sign up|v2.yaml");
        write(&file, "kind: form\n");
        let mut meta = Meta {
            root: Some(root.clone()),
            ..Meta::default()
        };
        assert_eq!(meta.link(&file, 3), None, "no repository configured");
        meta.repository = Some("https://github.com/org/shop".into());
        assert_eq!(
            meta.link(&file, 3).as_deref(),
            Some("https://github.com/org/shop/blob/HEAD/forms/sign%20up%7Cv2.yaml#L3")
        );
        meta.link_branch = Some("release/2.0".into());
        assert_eq!(
            meta.link(&file, 3).as_deref(),
            Some("https://github.com/org/shop/blob/release/2.0/forms/sign%20up%7Cv2.yaml#L3")
        );
        meta.commit = Some(A.into());
        assert_eq!(
            meta.link(&file, 12).as_deref(),
            Some(
                format!("https://github.com/org/shop/blob/{A}/forms/sign%20up%7Cv2.yaml#L12")
                    .as_str()
            )
        );
        // A file outside the repository gets no link.
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let other = outside.path().join("x.yaml");
        write(&other, "");
        assert_eq!(meta.link(&other, 1), None);
    }

    #[test]
    fn the_configured_name_wins_then_the_configuration_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let project = dir.path().join("acme");
        let forms = project.join("forms");
        std::fs::create_dir_all(&forms).unwrap_or_else(|e| panic!("{e}"));
        let mut config = crate::config::Config::default();
        config.path = Some(project.join("creeplint.yaml"));
        write(&project.join("creeplint.yaml"), "");
        let name = |c: &crate::config::Config| {
            Meta::detect(std::slice::from_ref(&forms), Some(c), Some("0"))
                .ok()
                .and_then(|m| m.project)
        };
        assert_eq!(name(&config).as_deref(), Some("acme"));
        config.project = Some("Acme Shop".into());
        assert_eq!(name(&config).as_deref(), Some("Acme Shop"));
        // No configuration, no repository: the checked folder.
        let meta = Meta::detect(std::slice::from_ref(&forms), None, Some("0")).unwrap_or_default();
        assert_eq!(meta.project.as_deref(), Some("forms"));
    }
}
