//! The shared server (issue 20) on a real PostgreSQL cluster: `dangan server init`, users signing
//! in as login roles of their own, the row-level policies holding for raw SQL through psql, the
//! audit log written by the server in one chain under concurrent writers, and clear refusals.
//!
//! It skips itself unless DANGAN_SERVER_TEST=1: `cargo xtask test` sets it once Debian's
//! `postgresql` package is installed. Each test starts its own cluster (`dangan_tests::postgres`).

#![allow(clippy::unwrap_used)]

mod appraisal;
mod arrivals;
mod complaints;
mod documents;
mod dues;
mod files;
mod holidays;
mod import;
mod meetings;
mod members;
mod moves;
mod owed;
mod rules;
mod schema;
mod security;
mod set_aside;
mod setup;
mod statistics;
mod status;
mod transfers;
mod upload;
mod versions;

use dangan_tests::postgres::PgCluster;

fn cluster() -> Option<PgCluster> {
    if std::env::var_os("DANGAN_SERVER_TEST").is_none() {
        eprintln!("skipped: set DANGAN_SERVER_TEST=1 with PostgreSQL installed (cargo xtask test does)");
        return None;
    }
    let cluster = PgCluster::start();
    if cluster.is_none() {
        dangan_tests::cannot_run("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin)");
    }
    cluster
}
