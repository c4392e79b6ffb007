//! Long work in a terminal (an import, a batch of dossiers): a progress bar, and Ctrl+C to cancel.
//! Both draw on standard error and only in a terminal, so a script's output stays clean.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner for work whose length is not known yet; it keeps moving by itself.
pub fn spinner(message: &str) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(message.to_owned());
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    spinner
}

/// A job's progress callback, as the commands' per-engine traits pass it on.
pub type Report<'a> = &'a mut dyn FnMut(dangan_core::jobs::Progress) -> ControlFlow<()>;

/// Runs a sheet's import (`work`) with a bar its rows move and Ctrl+C stopping it (then nothing
/// is recorded: a sheet is taken whole or not at all).
pub fn counted<T>(cancels: &str, work: impl FnOnce(Report<'_>) -> dangan_core::Result<T>) -> dangan_core::Result<T> {
    let bar = Progress::new(0, cancels);
    let result = work(&mut |p| bar.report(p));
    bar.finish();
    result
}

/// A bar of `len` steps, and whether Ctrl+C was pressed since it was made. What a cancel means
/// (a rollback, or the files written so far staying) is the work's own to say.
pub struct Progress {
    bar: ProgressBar,
    cancelled: Arc<AtomicBool>,
}

impl Progress {
    pub fn new(len: u64, message: &str) -> Progress {
        let cancelled = Arc::new(AtomicBool::new(false));
        {
            let cancelled = cancelled.clone();
            let _ = ctrlc::set_handler(move || cancelled.store(true, Ordering::SeqCst));
        }
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(message.to_owned());
        Progress { bar, cancelled }
    }

    /// Moves the bar to `done`; `Break` once Ctrl+C was pressed.
    pub fn at(&self, done: u64) -> ControlFlow<()> {
        self.bar.set_position(done);
        if self.cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }

    /// Moves the bar as the work reports, its length as the work counts it; `Break` once Ctrl+C
    /// was pressed.
    pub fn report(&self, progress: dangan_core::jobs::Progress) -> ControlFlow<()> {
        self.bar.set_length(progress.total);
        self.at(progress.done)
    }

    /// Takes the bar off the terminal.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
