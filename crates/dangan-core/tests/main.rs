//! dangan-core's integration tests, as one test binary: each file below is a module of it.
//!
//! One binary, not one per file: each binary links the whole core again (about 90 MB and a link
//! of several seconds each on two cores), and eighteen of them filled CI's disk. Run one file's
//! tests by its module name: `cargo test -p dangan-core --test core recorded_replies`.

// Tests fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

mod access;
mod appraisals;
mod arrivals;
mod audit;
mod complaints;
mod deadlines;
mod documents;
mod dossier;
mod dues;
mod files;
mod fuzz;
mod graduation;
mod packages;
mod recorded_replies;
mod roles;
mod sheets;
mod status;
mod store;
mod tidy;
mod transfers;
