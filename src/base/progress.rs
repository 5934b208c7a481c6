//! How far a build has got: its phases, their timing and the items done in the current one.
//!
//! The build's threads update it; the command line draws a progress bar from it on a
//! terminal, and the summary prints the time of each phase.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A phase of a build, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Loading the configuration and comparing the inputs with the last build's.
    Inputs,
    /// Finding, reading and parsing the content files.
    Read,
    /// Sections, URLs, listings.
    Assemble,
    /// Each page's final HTML: links resolved, shortcodes rendered.
    Finish,
    /// The values templates see.
    Views,
    /// Rendering templates.
    Render,
    /// Feeds, sitemap, redirects and copied files.
    Generate,
    /// Writing the output folder.
    Write,
}

impl Phase {
    /// Its name in the summary and the progress bar.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Inputs => "inputs",
            Phase::Read => "read",
            Phase::Assemble => "assemble",
            Phase::Finish => "finish",
            Phase::Views => "views",
            Phase::Render => "render",
            Phase::Generate => "generate",
            Phase::Write => "write",
        }
    }
}

/// The progress of one build.
#[derive(Debug)]
pub struct Progress {
    started: Instant,
    phases: Mutex<Vec<(Phase, Instant)>>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            started: Instant::now(),
            phases: Mutex::new(Vec::new()),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }
}

impl Progress {
    /// Marks the start of `phase`, which has `total` items (0 when not counted).
    pub fn start(&self, phase: Phase, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.lock().push((phase, Instant::now()));
    }

    /// Sets how many items the current phase has, once it knows.
    pub fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// One more item of the current phase is done.
    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The current phase, items done and items in it.
    pub fn current(&self) -> Option<(Phase, usize, usize)> {
        let phase = self.lock().last()?.0;
        Some((
            phase,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        ))
    }

    /// Time since the build started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How long each phase took (the last one until now).
    pub fn timings(&self) -> Vec<(Phase, Duration)> {
        let phases = self.lock();
        let ends = phases
            .iter()
            .skip(1)
            .map(|(_, at)| *at)
            .chain(std::iter::once(Instant::now()));
        phases
            .iter()
            .zip(ends)
            .map(|((phase, start), end)| (*phase, end.duration_since(*start)))
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Phase, Instant)>> {
        self.phases.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_timed_in_order_and_counted() {
        let progress = Progress::default();
        assert_eq!(progress.current(), None);
        progress.start(Phase::Read, 3);
        progress.step();
        progress.step();
        assert_eq!(progress.current(), Some((Phase::Read, 2, 3)));
        std::thread::sleep(Duration::from_millis(5));
        progress.start(Phase::Render, 0);
        assert_eq!(progress.current(), Some((Phase::Render, 0, 0)));
        let timings = progress.timings();
        assert_eq!(
            timings.iter().map(|t| t.0).collect::<Vec<_>>(),
            [Phase::Read, Phase::Render]
        );
        assert!(timings[0].1 >= Duration::from_millis(5));
        assert!(progress.elapsed() >= timings[0].1);
    }
}
