//! What every stage shares and which imports no stage: diagnostics and their two languages,
//! positions in text, the site's file walk, and the text formats of content (YAML, dates,
//! slugs, site paths, markup escaping).

pub mod date;
pub mod error;
pub mod fingerprint;
pub mod fs;
pub mod i18n;
pub mod layout;
pub mod markup;
pub mod position;
pub mod progress;
pub mod script_url;
pub mod site_path;
pub mod slug;
pub mod yaml;

/// The most items of a big parallel loop (files, pages, render jobs) one rayon job takes: items
/// differ in cost, and small jobs let both cores finish a loop together.
pub(crate) const PARALLEL_BATCH: usize = 32;

/// Whether `text` holds `needle`, searched many bytes at a time (`str::contains` goes about a
/// byte at a time): for the searches over every page's whole text.
pub fn holds(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// A small deterministic generator of numbers for tests of random inputs (no crate): the same
/// numbers for the same seed, so that a failing case can be run again.
#[cfg(test)]
pub(crate) struct TestRandom(u64);

#[cfg(test)]
impl TestRandom {
    /// A generator starting from `seed`.
    pub(crate) fn new(seed: u64) -> TestRandom {
        TestRandom(seed)
    }

    /// The next number, below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}
