//! End-to-end tests of the real `dangan` binary on temporary workspaces.

// Tests fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod accounts;
mod appraisal;
mod backup;
mod complaints;
mod deadlines;
mod documents;
mod dossier;
mod dues;
mod durability;
mod files;
mod hostile;
mod import;
mod meetings;
mod members;
mod outputs;
mod remind;
mod statistics;
mod status;
mod steps;
mod training;
mod transfer;
mod workspace;
