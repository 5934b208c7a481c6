//! The shape of `src/`, checked from its text: the crate is a pipeline of stages, each a folder
//! (or `build.rs`) at the top of `src/`, and
//! - a module imports only from its own stage or an earlier one, in the order of [`STAGES`];
//! - no module imports from the crate root (`crate::Name` where `Name` is not a stage);
//! - no two modules depend on each other, directly or through others.
//!
//! A module depends on another when its code (outside comments and strings) names it or an
//! item in it: `crate::…`, `super::…`, `self::…`, or a child module by its bare name. A
//! parent's `mod child;` and its re-exports of a child's items (`pub use child::Item`) are not
//! dependencies of the parent (they make it the folder's map, which children may import
//! from), unless its own code uses a re-exported name (any identifier of that name counts,
//! even a local one).
//! Inline modules (`mod tests { … }`) are modules of their own, children of their file's.
//! `lib.rs`, `main.rs` and `fuzz.rs` stand outside the stages and may import from any;
//! `allocator.rs` is the binary's, not the library's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The stages, earliest first: each may import only from itself and the stages before it.
const STAGES: [&str; 12] = [
    "base",
    "config",
    "markdown",
    "content",
    "site",
    "output",
    "render",
    "generated",
    "tools",
    "build",
    "serve",
    "cli",
];

/// Top-level modules outside the pipeline, which import from any stage.
const EXEMPT: [&str; 3] = ["lib", "main", "fuzz"];

#[test]
fn stages_import_only_from_earlier_stages_and_no_modules_depend_on_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap();
            let name = relative.to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(path).unwrap())
        })
        .collect();
    assert!(sources.len() > 40, "src/ was not read: {sources:?}");
    let crate_ = Crate::read(&sources);
    assert!(crate_.modules.contains_key(&path("base::layout")));
    assert!(
        crate_.references.len() > 300,
        "{} references",
        crate_.references.len()
    );
    let problems = crate_.problems();
    assert!(
        problems.is_empty(),
        "the architecture of src/ is broken:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The checker, on made-up crates: each rule can fail, and comments and strings do not count.

fn check(files: &[(&str, &str)]) -> Vec<String> {
    let owned: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    Crate::read(&owned).problems()
}

#[test]
fn an_import_from_a_later_stage_is_refused() {
    let problems = check(&[
        ("base/mod.rs", "pub mod fs;"),
        ("base/fs.rs", "use crate::site::Page;\nfn f() {}"),
        ("site/mod.rs", "pub struct Page;"),
    ]);
    assert_eq!(
        problems,
        [
            "src/base/fs.rs:1: base::fs (stage base) imports crate::site::Page from the later stage site"
        ]
    );
    let problems = check(&[
        ("base/mod.rs", "pub fn f() { crate::cli::run(); }"),
        ("cli/mod.rs", "pub fn run() {}"),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        check(&[
            ("site/mod.rs", "use crate::base::fs::walk;"),
            ("base/mod.rs", "pub mod fs;"),
            ("base/fs.rs", ""),
        ])
        .is_empty()
    );
}

#[test]
fn an_import_from_the_crate_root_is_refused() {
    let problems = check(&[
        ("lib.rs", "pub mod base;\npub const BATCH: usize = 32;"),
        (
            "base/mod.rs",
            "fn f() -> usize { super::BATCH + crate::BATCH }",
        ),
    ]);
    assert_eq!(
        problems,
        [
            "src/base/mod.rs:1: base imports crate::BATCH from the crate root",
            "src/base/mod.rs:1: base imports crate::BATCH from the crate root"
        ]
    );
    // The exempt modules may.
    assert!(check(&[("fuzz.rs", "use crate::cli::run;"), ("cli/mod.rs", "")]).is_empty());
}

#[test]
fn modules_that_depend_on_each_other_are_refused() {
    let problems = check(&[
        (
            "site/mod.rs",
            "mod taxonomy;\npub struct Page;\nfn f() { taxonomy::index(); }",
        ),
        (
            "site/taxonomy.rs",
            "use crate::site::Page;\npub fn index() {}",
        ),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("a cycle: site, site::taxonomy"),
        "{problems:?}"
    );
    assert!(problems[0].contains("src/site/mod.rs:3"), "{problems:?}");
    assert!(
        problems[0].contains("src/site/taxonomy.rs:1"),
        "{problems:?}"
    );
    // Through a third module, and through `super::` and `self::`.
    let problems = check(&[
        ("output/mod.rs", "mod a;\nmod b;"),
        ("output/a.rs", "use super::b::B;\npub struct A;"),
        ("output/b.rs", "pub struct B(self::c::C);\nmod c;"),
        ("output/b/c.rs", "pub struct C(super::super::a::A);"),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("a cycle: output::a, output::b, output::b::c"),
        "{problems:?}"
    );
}

#[test]
fn a_folder_map_and_its_children_are_no_cycle() {
    let problems = check(&[
        (
            "site/mod.rs",
            "mod model;\nmod taxonomy;\npub use model::{Page, Site};\npub(crate) use taxonomy::index;",
        ),
        ("site/model.rs", "pub struct Page;\npub struct Site;"),
        (
            "site/taxonomy.rs",
            "use super::Page;\nuse crate::site::model::Site;\npub fn index() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { index(); super::super::Site; }\n}",
        ),
    ]);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn a_parent_that_uses_what_it_reexports_depends_on_it() {
    let problems = check(&[
        (
            "output/mod.rs",
            "mod stage;\npub use stage::Stage;\npub struct OutputFile;\n\npub fn keep(stage: Option<&Stage>) {}",
        ),
        (
            "output/stage.rs",
            "use super::OutputFile;\npub struct Stage;",
        ),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("a cycle: output, output::stage\n  src/output/mod.rs:5: output names crate::output::stage::Stage"),
        "{problems:?}"
    );
}

#[test]
fn comments_strings_and_doc_links_are_not_imports() {
    let problems = check(&[
        (
            "base/mod.rs",
            r##"//! See [`crate::cli::run`] and crate::serve.
/// Made by [`crate::site::assemble`].
/* a block comment naming crate::cli::run /* nested crate::cli */ */
const A: &str = "crate::cli::run";
const B: &str = r#"crate::cli::run " still a string"#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { x } // crate::cli
"##,
        ),
        ("cli/mod.rs", "pub fn run() {}"),
    ]);
    assert_eq!(problems, Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Reading the crate

/// A module's path from the crate root (`site::model`); empty for the root.
type ModPath = Vec<String>;

fn path(text: &str) -> ModPath {
    text.split("::").map(str::to_string).collect()
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "the crate root".to_string()
    } else {
        path.join("::")
    }
}

/// One path a module's code names that starts in the crate.
#[derive(Debug, Clone)]
struct Reference {
    from: ModPath,
    /// The path, from the crate root.
    to: ModPath,
    file: String,
    line: usize,
    /// A `pub use` (of any visibility).
    reexport: bool,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "src/{}:{}: {} names crate::{}",
            self.file,
            self.line,
            show(&self.from),
            self.to.join("::")
        )
    }
}

struct Crate {
    /// Every module, with its stage: the first part of its path (the crate root's is `lib`).
    modules: BTreeMap<ModPath, String>,
    references: Vec<Reference>,
}

impl Crate {
    /// Reads the files (path relative to `src/`, text).
    fn read(files: &[(String, String)]) -> Crate {
        let mut modules = BTreeMap::new();
        let mut parsed = Vec::new();
        for (file, text) in files {
            let Some(module) = file_module(file) else {
                continue;
            };
            let tokens = tokens(&blank_comments_and_literals(text));
            for inline in inline_modules(&module, &tokens) {
                modules.insert(inline, stage_of(file, &module));
            }
            modules.insert(module.clone(), stage_of(file, &module));
            parsed.push((file.clone(), module, tokens));
        }
        let mut references = Vec::new();
        for (file, module, tokens) in &parsed {
            references.extend(references_in(file, module, tokens, &modules));
        }
        Crate {
            modules,
            references,
        }
    }

    /// Every broken rule: each import across the stages on a line of its own, each cycle
    /// with the references that make it.
    fn problems(&self) -> Vec<String> {
        let mut problems = self.layer_problems();
        problems.extend(self.cycles());
        problems
    }

    /// Each import from a later stage or from the crate root.
    fn layer_problems(&self) -> Vec<String> {
        let rank = |stage: &str| STAGES.iter().position(|s| *s == stage);
        let mut problems = Vec::new();
        for r in &self.references {
            let stage = &self.modules[&r.from];
            let Some(own) = rank(stage) else {
                continue; // exempt
            };
            let place = format!("src/{}:{}: {}", r.file, r.line, show(&r.from));
            let import = format!("crate::{}", r.to.join("::"));
            match self.target(&r.to).first().map(|s| rank(s)) {
                Some(Some(theirs)) if theirs > own => problems.push(format!(
                    "{place} (stage {stage}) imports {import} from the later stage {}",
                    STAGES[theirs]
                )),
                Some(Some(_)) => {}
                _ => problems.push(format!("{place} imports {import} from the crate root")),
            }
        }
        problems
    }

    /// The module a path names, or is in: its longest prefix that is a module.
    fn target(&self, to: &[String]) -> ModPath {
        (0..=to.len())
            .rev()
            .map(|n| to[..n].to_vec())
            .find(|prefix| self.modules.contains_key(prefix))
            .unwrap_or_default()
    }

    /// The module-level dependencies: each edge with the first reference that makes it.
    fn edges(&self) -> BTreeMap<ModPath, BTreeMap<ModPath, &Reference>> {
        let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, &Reference>> = BTreeMap::new();
        for r in &self.references {
            let target = self.target(&r.to);
            let into_child = target.len() > r.from.len() && target.starts_with(&r.from);
            if target == r.from || (r.reexport && into_child) {
                continue;
            }
            edges
                .entry(r.from.clone())
                .or_default()
                .entry(target)
                .or_insert(r);
        }
        edges
    }

    /// Every group of modules that depend on each other (a strongly connected component of
    /// more than one module), with the references that join them.
    fn cycles(&self) -> Vec<String> {
        let edges = self.edges();
        let nodes: Vec<&ModPath> = self.modules.keys().collect();
        let index: BTreeMap<&ModPath, usize> =
            nodes.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let successors: Vec<Vec<usize>> = nodes
            .iter()
            .map(|m| {
                edges
                    .get(*m)
                    .into_iter()
                    .flat_map(|targets| targets.keys())
                    .filter_map(|t| index.get(t).copied())
                    .collect()
            })
            .collect();
        strongly_connected(&successors)
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let members: BTreeSet<&ModPath> = component.iter().map(|&i| nodes[i]).collect();
                let names: Vec<String> = members.iter().map(|m| show(m)).collect();
                let joins: Vec<String> = members
                    .iter()
                    .flat_map(|m| edges.get(*m).into_iter().flatten())
                    .filter(|(target, _)| members.contains(target))
                    .map(|(_, r)| format!("  {r}"))
                    .collect();
                format!("a cycle: {}\n{}", names.join(", "), joins.join("\n"))
            })
            .collect()
    }
}

/// Tarjan's algorithm, without recursion: the strongly connected components of a graph given
/// by each node's successors.
fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = successors.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, how many of its successors are done)
        let mut work = vec![(start, 0)];
        while let Some(&mut (v, ref mut done)) = work.last_mut() {
            if *done == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = successors[v].get(*done) {
                *done += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src/` holds; `None` for the binary's own crate: `main.rs` and
/// `allocator.rs`, its module.
fn file_module(file: &str) -> Option<ModPath> {
    let stem = file.strip_suffix(".rs")?;
    if stem == "main" || stem == "allocator" {
        return None;
    }
    let mut parts: ModPath = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") || parts == ["lib"] {
        parts.pop();
    }
    Some(parts)
}

/// The stage of a module (of file `file`): the first part of its path.
fn stage_of(file: &str, module: &[String]) -> String {
    let stage = module.first().cloned().unwrap_or_else(|| "lib".into());
    assert!(
        STAGES.contains(&stage.as_str()) || EXEMPT.contains(&stage.as_str()),
        "src/{file}: `{stage}` is neither a stage nor exempt; add it to STAGES in the right place"
    );
    stage
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// The text with comments, string and character literals replaced by spaces (line breaks
/// kept, so lines still count).
fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, chars: &[char]| {
        for c in chars {
            out.push(if *c == '\n' { '\n' } else { ' ' });
        }
    };
    while i < chars.len() {
        let rest = &chars[i..];
        let end = if rest.starts_with(&['/', '/']) {
            rest.iter().position(|c| *c == '\n').unwrap_or(rest.len())
        } else if rest.starts_with(&['/', '*']) {
            block_comment_len(rest)
        } else if rest[0] == '"' {
            string_len(rest)
        } else if rest[0] == 'r' && !ident_char_before(&chars, i) {
            raw_string_len(rest).unwrap_or(0)
        } else if rest[0] == '\'' {
            char_literal_len(rest).unwrap_or(0)
        } else {
            0
        };
        if end == 0 {
            out.push(rest[0]);
            i += 1;
        } else {
            blank(&mut out, &rest[..end]);
            i += end;
        }
    }
    out
}

fn ident_char_before(chars: &[char], i: usize) -> bool {
    // `br"…"` is a raw byte string: `b` is no identifier of its own.
    let before = |k: usize| i >= k && (chars[i - k].is_alphanumeric() || chars[i - k] == '_');
    before(1) && (chars[i - 1] != 'b' || before(2))
}

fn block_comment_len(rest: &[char]) -> usize {
    let mut depth = 0;
    let mut i = 0;
    while i < rest.len() {
        if rest[i..].starts_with(&['/', '*']) {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with(&['*', '/']) {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    rest.len()
}

fn string_len(rest: &[char]) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

/// `r"…"`, `r#"…"#` …; `None` when `r` starts something else (an identifier, `r#name`).
fn raw_string_len(rest: &[char]) -> Option<usize> {
    let hashes = rest[1..].iter().take_while(|c| **c == '#').count();
    if rest.get(1 + hashes) != Some(&'"') {
        return None;
    }
    let start = 2 + hashes;
    let closing: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    let found = (start..rest.len()).find(|&i| rest[i..].starts_with(&closing));
    Some(found.map_or(rest.len(), |i| i + closing.len()))
}

/// `'x'`, `'\n'`, `'\u{1F600}'`; `None` for a lifetime or label (`'a`).
fn char_literal_len(rest: &[char]) -> Option<usize> {
    match rest.get(1)? {
        // The escaped character may itself be a quote: `'\''`.
        '\\' => Some(rest.get(3..)?.iter().position(|c| *c == '\'')? + 4),
        _ if rest.get(2) == Some(&'\'') => Some(3),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// The identifiers, `::` and other punctuation of blanked text, each with its line.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Numbers are no identifiers; `r#type` is `type`.
            if !c.is_ascii_digit() {
                out.push((Token::Ident(word), line));
            }
        } else if chars[i..].starts_with(&[':', ':']) {
            out.push((Token::PathSep, line));
            i += 2;
        } else if c == '#'
            && out
                .last()
                .is_some_and(|(t, _)| *t == Token::Ident("r".into()))
        {
            out.pop();
            i += 1;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

fn ident(tokens: &[(Token, usize)], i: usize) -> Option<&str> {
    match tokens.get(i) {
        Some((Token::Ident(word), _)) => Some(word),
        _ => None,
    }
}

fn is(tokens: &[(Token, usize)], i: usize, token: Token) -> bool {
    tokens.get(i).is_some_and(|(t, _)| *t == token)
}

/// The inline modules (`mod name { … }`) of a file, by path.
fn inline_modules(module: &[String], tokens: &[(Token, usize)]) -> Vec<ModPath> {
    let mut found = Vec::new();
    walk_modules(module, tokens, |_, i, current| {
        if let Some(name) = inline_module_at(tokens, i) {
            let mut path = current.to_vec();
            path.push(name.to_string());
            found.push(path);
        }
    });
    found
}

/// The name of the inline module declared at token `i` (`mod name {`).
fn inline_module_at(tokens: &[(Token, usize)], i: usize) -> Option<&str> {
    (ident(tokens, i) == Some("mod") && is(tokens, i + 2, Token::Punct('{')))
        .then(|| ident(tokens, i + 1))
        .flatten()
}

/// Calls `visit(tokens, i, module)` for each token with the (inline) module it is in.
fn walk_modules(
    module: &[String],
    tokens: &[(Token, usize)],
    mut visit: impl FnMut(&[(Token, usize)], usize, &[String]),
) {
    // Each open inline module, with the brace depth inside it.
    let mut open: Vec<(ModPath, usize)> = vec![(module.to_vec(), 0)];
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let current = open.last().unwrap().0.clone();
        visit(tokens, i, &current);
        if let Some(name) = inline_module_at(tokens, i) {
            let mut path = current;
            path.push(name.to_string());
            depth += 1;
            open.push((path, depth));
            i += 3;
            continue;
        }
        match tokens[i].0 {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                if open.len() > 1 && open.last().unwrap().1 == depth {
                    open.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The paths into the crate that the code of a file names. A public `use` of a child's item
/// counts only when the module's own code uses the name it brings in.
fn references_in(
    file: &str,
    module: &[String],
    tokens: &[(Token, usize)],
    modules: &BTreeMap<ModPath, String>,
) -> Vec<Reference> {
    let mut found = Vec::new();
    // Each re-export of a descendant's item, with the name it brings in.
    let mut reexports: Vec<(String, Reference)> = Vec::new();
    // Each name the code of a module uses on its own (not after `::` or `.`), first line.
    let mut names: BTreeMap<(ModPath, String), usize> = BTreeMap::new();
    // Tokens already read as part of a `use` tree or a path.
    let mut read_up_to = 0;
    walk_modules(module, tokens, |tokens, i, current| {
        if i < read_up_to {
            return;
        }
        let line = tokens[i].1;
        let (paths, reexport) = if ident(tokens, i) == Some("use") {
            let mut paths = Vec::new();
            read_up_to = use_tree(tokens, i + 1, Vec::new(), &mut paths);
            (paths, visibility_before(tokens, i))
        } else if ident(tokens, i).is_some()
            && is(tokens, i + 1, Token::PathSep)
            && !(i > 0 && is(tokens, i - 1, Token::PathSep))
        {
            let mut path = Vec::new();
            let mut k = i;
            while let Some(word) = ident(tokens, k) {
                path.push(word.to_string());
                if !is(tokens, k + 1, Token::PathSep) {
                    break;
                }
                k += 2;
            }
            read_up_to = k + 1;
            // `Stage::open` uses the name `Stage`.
            names
                .entry((current.to_vec(), path[0].clone()))
                .or_insert(line);
            (vec![(path, None)], false)
        } else {
            if let Some(word) = ident(tokens, i) {
                let after_path = i > 0
                    && (is(tokens, i - 1, Token::PathSep) || is(tokens, i - 1, Token::Punct('.')));
                if !after_path {
                    names
                        .entry((current.to_vec(), word.to_string()))
                        .or_insert(line);
                }
            }
            (Vec::new(), false)
        };
        for (path, name) in paths {
            let Some(to) = resolve(&path, current, modules) else {
                continue;
            };
            let reference = Reference {
                from: current.to_vec(),
                to,
                file: file.to_string(),
                line,
                reexport,
            };
            match name {
                Some(name) if reexport => reexports.push((name, reference)),
                _ => found.push(reference),
            }
        }
    });
    for (name, mut reference) in reexports {
        if let Some(&line) = names.get(&(reference.from.clone(), name)) {
            // The module uses what it re-exports: a dependency like any import.
            reference.reexport = false;
            reference.line = line;
        }
        found.push(reference);
    }
    found
}

/// Whether the `use` at token `i` is public in some way (`pub use`, `pub(crate) use` …).
fn visibility_before(tokens: &[(Token, usize)], i: usize) -> bool {
    if i >= 1 && ident(tokens, i - 1) == Some("pub") {
        return true;
    }
    // pub ( crate ) use, pub ( in a :: b ) use
    if i >= 1 && is(tokens, i - 1, Token::Punct(')')) {
        let open = (0..i - 1).rev().find(|&k| is(tokens, k, Token::Punct('(')));
        return open.is_some_and(|k| k >= 1 && ident(tokens, k - 1) == Some("pub"));
    }
    false
}

/// Reads the use tree starting at token `i` (after `use`, or inside braces) under `prefix`,
/// adding each full path to `paths` with the name it brings in (none for a glob); returns the
/// index after the tree (after the `;` at the top level).
fn use_tree(
    tokens: &[(Token, usize)],
    mut i: usize,
    prefix: Vec<String>,
    paths: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    let mut path = prefix;
    if is(tokens, i, Token::PathSep) {
        i += 1; // `use ::std::…`
    }
    loop {
        match tokens.get(i) {
            Some((Token::Ident(word), _)) => {
                // `a::{self}` is `a`.
                if word != "self" || path.is_empty() {
                    path.push(word.clone());
                }
                i += 1;
                if is(tokens, i, Token::PathSep) {
                    i += 1;
                    continue;
                }
                let mut name = path.last().cloned();
                if ident(tokens, i) == Some("as") {
                    name = ident(tokens, i + 1).map(str::to_string);
                    i += 2;
                }
                paths.push((path.clone(), name));
            }
            Some((Token::Punct('*'), _)) => {
                paths.push((path.clone(), None));
                i += 1;
            }
            Some((Token::Punct('{'), _)) => {
                i += 1;
                while !is(tokens, i, Token::Punct('}')) && i < tokens.len() {
                    let next = use_tree(tokens, i, path.clone(), paths);
                    // Past a `,`, and past anything not read as a tree.
                    i = if is(tokens, next, Token::Punct(',')) || next == i {
                        next + 1
                    } else {
                        next
                    };
                }
                i += 1;
            }
            _ => {}
        }
        // The end of this tree: `,` or `}` inside braces, `;` at the top.
        if is(tokens, i, Token::Punct(';')) {
            return i + 1;
        }
        return i;
    }
}

/// The path from the crate root that `path`, written in module `current`, names; `None` when
/// it leaves the crate (`std::…`, another crate, a local name).
fn resolve(
    path: &[String],
    current: &[String],
    modules: &BTreeMap<ModPath, String>,
) -> Option<ModPath> {
    let (first, rest) = path.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => current.to_vec(),
        "super" => {
            let mut base = current.to_vec();
            base.pop();
            let mut rest = rest;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return Some(base);
        }
        child => {
            let mut candidate = current.to_vec();
            candidate.push(child.to_string());
            if !modules.contains_key(&candidate) {
                return None;
            }
            current.to_vec()
        }
    };
    if first != "crate" && first != "self" {
        base.push(first.clone());
    }
    base.extend(rest.iter().cloned());
    Some(base)
}
