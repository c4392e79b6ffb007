//! Long work as one kind of job: an import, an export, a batch of dossiers, a backup, a restore,
//! and every later batch. Each reports the one [`Progress`] type and stops when told; a shell that
//! runs several at once (the app) keeps them in [`Jobs`], where each has an id to cancel it by.
//!
//! The work itself takes `impl FnMut(Progress) -> ControlFlow<()>`: called as it goes, and
//! `ControlFlow::Break` stops it with [`crate::Error::Cancelled`], leaving what that job promises
//! (an import saves nothing, an export writes no file, a dossier batch keeps the files written).

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

/// How far a job has come: `done` of `total` units (`total` 0 while not known yet).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
    pub unit: Unit,
    /// Waiting for another writer (an import in another window, a `dangan` run) to finish.
    pub waiting: bool,
}

impl Progress {
    pub fn new(done: u64, total: u64, unit: Unit) -> Progress {
        Progress { done, total, unit, waiting: false }
    }

    /// Waiting for the workspace, nothing done yet.
    pub fn waiting(total: u64, unit: Unit) -> Progress {
        Progress { done: 0, total, unit, waiting: true }
    }
}

/// What a job counts, so a shell can say "3,000 / 100,000 rows" or "12 MB / 40 MB".
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Rows of a roster read or written.
    Rows,
    /// Dossiers printed.
    Dossiers,
    /// Bytes of a backup written.
    Bytes,
    /// Checks of a restore done (reading, unlocking, verifying, moving into place).
    Steps,
    /// Transfer letters issued or printed.
    Letters,
}

/// A job's id, unique among the jobs of one [`Jobs`].
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(#[cfg_attr(feature = "typescript", ts(type = "number"))] pub u64);

/// A job's progress as a shell passes it on: which job, and how far.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JobProgress {
    pub job: JobId,
    #[serde(flatten)]
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub progress: Progress,
}

/// The jobs running, by id, each with its cancel flag. Cloning shares the same set.
#[derive(Debug, Clone, Default)]
pub struct Jobs(Arc<Mutex<Running>>);

#[derive(Debug, Default)]
struct Running {
    next: u64,
    flags: HashMap<JobId, Arc<AtomicBool>>,
}

impl Jobs {
    /// Registers a new job; it leaves the set when the returned [`Job`] is dropped.
    pub fn start(&self) -> Job {
        let cancelled = Arc::new(AtomicBool::new(false));
        let mut running = self.running();
        running.next += 1;
        let id = JobId(running.next);
        running.flags.insert(id, cancelled.clone());
        Job { id, cancelled, jobs: self.clone() }
    }

    /// Asks a job to stop. False when no such job runs (it has finished, or never was).
    pub fn cancel(&self, id: JobId) -> bool {
        match self.running().flags.get(&id) {
            Some(flag) => {
                flag.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Asks every running job to stop (the workspace is being locked).
    pub fn cancel_all(&self) {
        for flag in self.running().flags.values() {
            flag.store(true, Ordering::SeqCst);
        }
    }

    /// How many jobs run now.
    pub fn len(&self) -> usize {
        self.running().flags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn running(&self) -> MutexGuard<'_, Running> {
        // A panic elsewhere while holding the lock leaves the map as it was: still usable.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A sheet's rows counted off to a job's report as they are checked (at the start, every
/// [`RowCount::EVERY`] rows and at the last), stopping the work with [`crate::Error::Cancelled`]
/// once the job is told to: a sheet is recorded whole or not at all, so stopping saves nothing.
pub struct RowCount<'a> {
    report: &'a mut dyn FnMut(Progress) -> ControlFlow<()>,
    total: u64,
    /// It said the rows wait for another writer: the next count is said whatever it is, so the
    /// shell stops saying "waiting" at once, not a hundred rows on.
    waited: bool,
}

impl<'a> RowCount<'a> {
    /// Rows between two reports: a few reports a second, not one per row.
    pub const EVERY: u64 = 100;

    /// Counting `total` rows; says at once that none is done.
    pub fn start(total: usize, report: &'a mut dyn FnMut(Progress) -> ControlFlow<()>) -> crate::Result<Self> {
        let mut count = RowCount { report, total: total as u64, waited: false };
        count.tell(0)?;
        Ok(count)
    }

    /// `done` rows are through (none is said once, by `start`).
    pub fn at(&mut self, done: usize) -> crate::Result<()> {
        let done = done as u64;
        let due = done > 0 && (done.is_multiple_of(Self::EVERY) || done == self.total);
        if std::mem::take(&mut self.waited) || due { self.tell(done) } else { Ok(()) }
    }

    /// The `written`th of the rows checked is being written (a sheet written after all its rows
    /// were checked): every [`RowCount::EVERY`], the count is said again, all rows through, and a
    /// cancel asked meanwhile is heard.
    pub fn writing(&mut self, written: usize) -> crate::Result<()> {
        let written = written as u64;
        if written > 0 && written.is_multiple_of(Self::EVERY) { self.tell(self.total) } else { Ok(()) }
    }

    /// Another writer holds the workspace and the rows wait for it: says so (with none done), and
    /// whether the job was told to stop meanwhile.
    pub(crate) fn waiting(&mut self) -> ControlFlow<()> {
        self.waited = true;
        (self.report)(Progress::waiting(self.total, Unit::Rows))
    }

    fn tell(&mut self, done: u64) -> crate::Result<()> {
        match (self.report)(Progress::new(done, self.total, Unit::Rows)) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(crate::Error::Cancelled),
        }
    }
}

/// One running job. Dropping it takes it out of its [`Jobs`].
#[derive(Debug)]
pub struct Job {
    id: JobId,
    cancelled: Arc<AtomicBool>,
    jobs: Jobs,
}

impl Job {
    pub fn id(&self) -> JobId {
        self.id
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// The callback the work takes: passes each report on to `report` with this job's id, and
    /// says stop once the job is cancelled. `report` is told at once that the job has begun, so
    /// the id reaches the shell before any work is done.
    pub fn reporter(
        &self,
        unit: Unit,
        mut report: impl FnMut(JobProgress) + Send + 'static,
    ) -> impl FnMut(Progress) -> ControlFlow<()> + Send + 'static {
        let (job, cancelled) = (self.id, self.cancelled.clone());
        report(JobProgress { job, progress: Progress::new(0, 0, unit) });
        move |progress| {
            report(JobProgress { job, progress });
            if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.jobs.running().flags.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_cancelled_by_its_id_and_no_other() {
        let jobs = Jobs::default();
        let (first, second) = (jobs.start(), jobs.start());
        assert_ne!(first.id(), second.id());
        assert!(jobs.cancel(second.id()));
        assert!(!first.is_cancelled() && second.is_cancelled());
    }

    #[test]
    fn the_reporter_says_stop_once_cancelled_and_names_its_job() {
        let jobs = Jobs::default();
        let job = jobs.start();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let mut report = job.reporter(Unit::Rows, move |p| sink.lock().unwrap().push(p));
        assert_eq!(report(Progress::new(1, 10, Unit::Rows)), ControlFlow::Continue(()));
        jobs.cancel(job.id());
        assert_eq!(report(Progress::new(2, 10, Unit::Rows)), ControlFlow::Break(()));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3, "the start, then each report");
        assert!(seen.iter().all(|p| p.job == job.id()));
        assert_eq!((seen[0].progress.done, seen[0].progress.total), (0, 0));
    }

    #[test]
    fn a_finished_job_leaves_the_set_and_cannot_be_cancelled() {
        let jobs = Jobs::default();
        let id = jobs.start().id();
        assert!(jobs.is_empty());
        assert!(!jobs.cancel(id));
    }

    #[test]
    fn progress_crosses_the_bridge_flat_with_its_job() {
        let json = serde_json::to_value(JobProgress { job: JobId(7), progress: Progress::new(3, 9, Unit::Bytes) });
        assert_eq!(
            json.unwrap(),
            serde_json::json!({ "job": 7, "done": 3, "total": 9, "unit": "bytes", "waiting": false })
        );
    }
}
