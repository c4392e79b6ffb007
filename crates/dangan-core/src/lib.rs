//! Dangan's core: the domain of the membership procedure, its validation rules, the encrypted
//! workspace, and roster import/export.
//!
//! Everything a user can do is a function here; the CLI (`dangan-cli`) and the desktop shell
//! (`src-tauri`) are thin layers over it. The core never depends on either, never opens a network
//! connection, and never hands out SQL: callers get typed values and a structured [`Error`].
//!
//! Start reading at [`Workspace`] (create, unlock, change the passphrase), then [`Store`] (what an
//! unlocked workspace can do), then [`domain`] (people, events, stages) and [`validate`].

pub mod access;
pub mod appraisal;
pub mod areas;
pub mod arrival;
pub mod attempts;
pub mod backup;
pub mod calendar;
pub mod checklist;
pub mod complaints;
pub mod deadlines;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod dossier;
pub mod dues;
pub mod dues_report;
mod error;
pub mod ics;
pub mod jobs;
pub mod keys;
pub mod late;
pub mod life_plan;
pub mod lists;
pub mod meeting_rules;
pub mod meetings;
pub mod names;
pub mod output;
pub mod package;
pub mod reminders;
pub mod roster;
pub mod rules;
pub mod server;
pub mod session;
pub mod statistics;
pub mod store;
pub mod study;
pub mod text;
pub mod training;
pub mod transfer;
pub mod transfer_request;
pub mod validate;
pub mod workdays;
pub mod workspace;

pub use error::{BridgeError, Error, ErrorDetails, ErrorKind, Result};
pub use session::Session;
pub use store::Store;
pub use text::{Lang, Text};
pub use workspace::Workspace;
