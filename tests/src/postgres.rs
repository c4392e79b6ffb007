//! A PostgreSQL cluster of the test's own: Debian's server binaries, run as an unprivileged user
//! (`initdb` refuses root: as root, the `postgres` user the package made), in a temporary folder,
//! listening on a free port of 127.0.0.1 with TLS on (a self-signed certificate for `localhost`)
//! and SCRAM-SHA-256 for every login. Stopped when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cluster superuser's password (the superuser is `postgres`).
pub const SUPERUSER_PASSWORD: &str = "superuser secret";

pub struct PgCluster {
    root: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// Run the server's own programs as this user (when the tests run as root).
    run_as: Option<&'static str>,
    /// The server's options, to start it again after [`PgCluster::stop`].
    options: String,
}

impl PgCluster {
    /// Starts a cluster, or says why it cannot (no PostgreSQL installed): `None` then, for the
    /// caller to report through [`crate::cannot_run`]. Without fsync: the tests need no durability.
    pub fn start() -> Option<PgCluster> {
        PgCluster::start_with(false)
    }

    /// A cluster that syncs every commit to disk, as a real server does (for the benchmark).
    pub fn start_durable() -> Option<PgCluster> {
        PgCluster::start_with(true)
    }

    fn start_with(durable: bool) -> Option<PgCluster> {
        let bin = server_bin_dir()?;
        let root = tempfile::Builder::new().prefix("dangan-pg").tempdir().expect("a temporary folder");
        let run_as = is_root().then_some("postgres");
        let dir = root.path();
        std::fs::write(dir.join("pwfile"), SUPERUSER_PASSWORD).expect("write the password file");
        self_signed_certificate(&dir.join("server.crt"), &dir.join("server.key"));
        if let Some(user) = run_as {
            run(Command::new("chmod").arg("755").arg(dir));
            run(Command::new("chown").arg("-R").arg(user).arg(dir));
        }
        run(as_user(run_as, bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-U", "postgres", "-A", "scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"])
            .arg(format!("--pwfile={}", dir.join("pwfile").display())));
        // Over TCP, TLS or nothing; the socket (for the superuser's own maintenance) asks for a
        // password too.
        std::fs::write(
            dir.join("data/pg_hba.conf"),
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\nhost all all 0.0.0.0/0 reject\n",
        )
        .expect("write pg_hba.conf");
        let port = free_port();
        std::fs::create_dir_all(dir.join("sock")).expect("the socket folder");
        if let Some(user) = run_as {
            run(Command::new("chown").arg("-R").arg(user).arg(dir));
        }
        let options = format!(
            "-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={dir}/server.crt \
             -c ssl_key_file={dir}/server.key -c fsync={fsync} -c max_connections=60",
            fsync = if durable { "on" } else { "off" },
            sock = dir.join("sock").display(),
            dir = dir.display(),
        );
        let cluster = PgCluster { root, bin, port, run_as, options };
        cluster.start_again();
        Some(cluster)
    }

    /// Starts the server (again, after [`PgCluster::stop`]) on the same data, port and options.
    pub fn start_again(&self) {
        run(as_user(self.run_as, self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.root.path().join("data"))
            .arg("-l")
            .arg(self.root.path().join("server.log"))
            .args(["-w", "-o", &self.options, "start"]));
    }

    /// The CA certificate a client trusts (the server's own, self-signed).
    pub fn root_cert(&self) -> PathBuf {
        self.root.path().join("server.crt")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL over TLS (verify-full against [`Self::root_cert`]), with or without credentials.
    pub fn url(&self, database: &str, credentials: Option<(&str, &str)>) -> String {
        let who = credentials.map(|(user, pass)| format!("{}:{}@", encode(user), encode(pass))).unwrap_or_default();
        format!(
            "postgres://{who}localhost:{}/{database}?hostaddr=127.0.0.1&sslrootcert={}",
            self.port,
            self.root_cert().display()
        )
    }

    /// Makes a database owned by a new login role with CREATEROLE (not a superuser), as a
    /// department's administrator would for Dangan; returns the URL naming that owner.
    pub fn create_owned_database(&self, database: &str, owner: &str, password: &str) -> String {
        let quoted = password.replace('\'', "''");
        self.superuser_sql("postgres", &format!("CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{quoted}'"));
        // Not in one string with the above: CREATE DATABASE refuses to run inside a transaction.
        self.superuser_sql("postgres", &format!("CREATE DATABASE {database} OWNER {owner}"));
        self.url(database, Some((owner, password)))
    }

    /// Runs SQL as the cluster's superuser; panics with the server's words if it fails.
    pub fn superuser_sql(&self, database: &str, sql: &str) -> String {
        let out = self.psql(database, "postgres", SUPERUSER_PASSWORD, sql);
        assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `psql` as a login role over TLS with verify-full, as a user at another PC would run it:
    /// unaligned, tuples only, stopping at the first error.
    pub fn psql(&self, database: &str, role: &str, password: &str, sql: &str) -> Output {
        self.psql_command(database, role, password).args(["-c", sql]).output().expect("psql runs")
    }

    /// The same as a command, for several statements from a file or run concurrently.
    pub fn psql_command(&self, database: &str, role: &str, password: &str) -> Command {
        let mut cmd = Command::new(self.bin.join("psql"));
        cmd.arg(format!(
            "host=localhost hostaddr=127.0.0.1 port={} dbname={database} user={role} sslmode=verify-full sslrootcert={}",
            self.port,
            self.root_cert().display()
        ))
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
        .env("PGPASSWORD", password)
        .env("PGCONNECT_TIMEOUT", "10");
        cmd
    }

    /// Stops the server at once, as a crash or a pulled cable would end it for its clients.
    pub fn stop(&self) {
        let _ = as_user(self.run_as, self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.root.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }

    /// Stops the server as an administrator would (`pg_ctl stop -m fast`): each session is told
    /// it is being ended, and its open transaction rolled back.
    pub fn stop_fast(&self) {
        let _ = as_user(self.run_as, self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.root.path().join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }

    /// The server's log, for a failing test to show.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, the newest), or
/// `DANGAN_PG_BIN`.
fn server_bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DANGAN_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A self-signed certificate for `localhost` (its name only: reaching the server by any other
/// name must fail verify-full) and its key, as files.
pub fn self_signed_certificate(cert: &Path, key: &Path) {
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost", "-keyout"])
        .arg(key)
        .arg("-out")
        .arg(cert));
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn as_user(user: Option<&str>, program: PathBuf) -> Command {
    match user {
        Some(user) => {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", user, "--"]).arg(program);
            cmd
        }
        None => Command::new(program),
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} did not start: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// Percent-encodes a URL's user or password.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Where a test may look at the cluster's files (certificates) by path.
pub fn path_of(cluster: &PgCluster, name: &str) -> PathBuf {
    cluster.root.path().join(name)
}
