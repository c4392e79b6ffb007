//! Where the shared server is and how to reach it safely: a `postgres://` URL, read as libpq reads
//! it, except that a TCP connection is always TLS with the certificate verified against the host
//! name (libpq's `verify-full`), whatever `sslmode` says. A Unix socket on the same machine needs
//! no TLS.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use openssl::ssl::{SslConnector, SslMethod};
use openssl::x509::X509;
use openssl::x509::store::X509StoreBuilder;
use postgres::config::{ChannelBinding, Host, SslMode};
use postgres::{Client, Config, NoTls};
use postgres_openssl::MakeTlsConnector;

use crate::{Error, Result};

/// A server's address, parsed; the password in it (the database owner's, for `server init`) is
/// never shown.
#[derive(Clone)]
pub struct ServerAddress {
    config: Config,
    /// The CA certificate(s) the server's certificate must chain to.
    root_cert: RootCert,
    shown: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum RootCert {
    /// `sslrootcert=FILE`.
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's trusted certificates.
    System,
    /// Not given: `~/.postgresql/root.crt`, as libpq.
    Default,
}

impl FromStr for ServerAddress {
    type Err = Error;

    fn from_str(url: &str) -> Result<ServerAddress> {
        let bad = |zh: String, en: String| Error::invalid("server", zh, en);
        let url = url.trim();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(bad(
                format!(
                    "服务器地址应以 postgres:// 开头，例如 postgres://db.example.edu.cn/dangan（而不是 {}）",
                    shown(url)
                ),
                format!(
                    "a server address starts with postgres://, e.g. postgres://db.example.edu.cn/dangan (not {})",
                    shown(url)
                ),
            ));
        }
        // sslmode and sslrootcert are ours to apply (the client library knows neither verify-full
        // nor sslrootcert); every other parameter is passed on.
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut root_cert = RootCert::Default;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => match value {
                    "require" | "verify-ca" | "verify-full" => {}
                    other => {
                        return Err(bad(
                            format!(
                                "Dangan 只以 TLS 连接服务器并核验其证书，sslmode={other} 不可用；请去掉它或写 sslmode=verify-full"
                            ),
                            format!(
                                "Dangan connects to a server only by TLS with its certificate verified: sslmode={other} is not accepted; leave it out or write sslmode=verify-full"
                            ),
                        ));
                    }
                },
                "sslrootcert" if value == "system" => root_cert = RootCert::System,
                "sslrootcert" => root_cert = RootCert::File(PathBuf::from(percent_decode(value))),
                _ => kept.push(pair),
            }
        }
        let rebuilt = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
        let config = Config::from_str(&rebuilt).map_err(|e| {
            bad(
                format!("服务器地址无法解析（{e}）：{}", shown(url)),
                format!("the server address cannot be read ({e}): {}", shown(url)),
            )
        })?;
        if config.get_hosts().is_empty() {
            return Err(bad(
                format!("服务器地址没有主机名：{}", shown(url)),
                format!("the server address names no host: {}", shown(url)),
            ));
        }
        if config.get_dbname().is_none() {
            return Err(bad(
                format!("服务器地址没有数据库名（postgres://主机/数据库）：{}", shown(url)),
                format!("the server address names no database (postgres://host/database): {}", shown(url)),
            ));
        }
        Ok(ServerAddress { config, root_cert, shown: shown(url) })
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl ServerAddress {
    /// Whether the address carries a password: the database owner's, for `server init` only. A
    /// user signs in with their own passphrase, so an address kept for signing in must not.
    pub fn carries_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// The database's name (the URL's path).
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// Connects as the URL's own user and password.
    pub(crate) fn connect_as_owner(&self) -> Result<Client> {
        self.connect(self.config.clone())
    }

    /// Connects as a Dangan user's login role with their passphrase.
    pub(crate) fn connect_as(&self, role: &str, passphrase: &str) -> Result<Client> {
        let mut config = self.config.clone();
        config.user(role).password(passphrase);
        self.connect(config)
    }

    fn connect(&self, mut config: Config) -> Result<Client> {
        // A server gone quiet (a PC woken from sleep, a network that changed) is noticed within a
        // minute or so rather than the system's hours, so nothing waits on a dead connection. The
        // URL's own connect and user timeouts win; the keepalives are always these. (The TCP user
        // timeout is Linux's: elsewhere the keepalives alone notice.)
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.keepalives_idle(std::time::Duration::from_secs(30));
        config.keepalives_interval(std::time::Duration::from_secs(10));
        config.keepalives_retries(3);
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(std::time::Duration::from_secs(60));
        }
        let mut client = self.connect_with(&mut config)?;
        // Dates read as text are ISO dates whatever the server's default style.
        client.batch_execute("SET datestyle = 'ISO, YMD'").map_err(|e| super::failure(e, self))?;
        Ok(client)
    }

    fn connect_with(&self, config: &mut Config) -> Result<Client> {
        if self.over_socket() {
            config.ssl_mode(SslMode::Disable);
            return config.connect(NoTls).map_err(|e| super::failure(e, self));
        }
        config.ssl_mode(SslMode::Require);
        // SCRAM bound to this TLS channel: a server that asks for the password in the clear (or
        // MD5), or a man in the middle, is refused rather than given the passphrase.
        config.channel_binding(ChannelBinding::Require);
        let connector = self.tls()?;
        config.connect(connector).map_err(|e| super::failure(e, self))
    }

    /// Whether every host is a Unix socket (a server on this machine).
    fn over_socket(&self) -> bool {
        self.config.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)))
    }

    /// TLS that verifies the server's certificate chain and its name (OpenSSL's connector does both
    /// by default: SSL_VERIFY_PEER and the host name check).
    fn tls(&self) -> Result<MakeTlsConnector> {
        let tls_failed = |what: String, e: openssl::error::ErrorStack| {
            Error::invalid(
                "server",
                format!("无法使用 TLS 证书（{what}）：{e}"),
                format!("cannot use the TLS certificate ({what}): {e}"),
            )
        };
        let mut builder =
            SslConnector::builder(SslMethod::tls_client()).map_err(|e| tls_failed("OpenSSL".into(), e))?;
        // The certificates given are the only ones trusted, as libpq's sslrootcert: not added to
        // the defaults the connector starts with.
        let only = |builder: &mut openssl::ssl::SslConnectorBuilder, path: &std::path::Path| -> Result<()> {
            let pem = std::fs::read(path).map_err(Error::io(path))?;
            let fail = |e| tls_failed(path.display().to_string(), e);
            let mut store = X509StoreBuilder::new().map_err(fail)?;
            for cert in X509::stack_from_pem(&pem).map_err(fail)? {
                store.add_cert(cert).map_err(fail)?;
            }
            builder.set_cert_store(store.build());
            Ok(())
        };
        match &self.root_cert {
            RootCert::File(path) => only(&mut builder, path)?,
            RootCert::System => {
                let probe = openssl_probe::probe();
                if let Some(file) = &probe.cert_file {
                    builder.set_ca_file(file).map_err(|e| tls_failed(file.display().to_string(), e))?;
                }
                if let Some(dir) = probe.cert_dir.first() {
                    builder
                        .load_verify_locations(None, Some(dir))
                        .map_err(|e| tls_failed(dir.display().to_string(), e))?;
                }
            }
            RootCert::Default => {
                let path = directories::BaseDirs::new()
                    .map(|d| d.home_dir().join(".postgresql").join("root.crt"))
                    .filter(|p| p.exists())
                    .ok_or_else(|| {
                        Error::invalid(
                            "server",
                            "服务器地址未给出 sslrootcert（签发服务器证书的 CA 证书文件），~/.postgresql/root.crt 也不存在；请在地址后加 ?sslrootcert=文件 或 ?sslrootcert=system",
                            "the server address gives no sslrootcert (the CA certificate that signed the server's) and ~/.postgresql/root.crt does not exist; add ?sslrootcert=FILE or ?sslrootcert=system",
                        )
                    })?;
                only(&mut builder, &path)?;
            }
        }
        Ok(MakeTlsConnector::new(builder.build()))
    }
}

/// The URL as it may be shown: a password, in the user part or as `password=` in the query,
/// replaced by `***`. The user part ends at the first `@`, as the client library reads it, so a
/// password holding `/` or `?` is still hidden.
pub(crate) fn shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (userinfo, after) = match rest.split_once('@') {
        Some((userinfo, after)) => (Some(userinfo), after),
        None => (None, rest),
    };
    let mut out = if scheme.is_empty() { String::new() } else { format!("{scheme}://") };
    if let Some(userinfo) = userinfo {
        match userinfo.split_once(':') {
            Some((user, _)) => out.push_str(&format!("{user}:***@")),
            None => out.push_str(&format!("{userinfo}@")),
        }
    }
    let (base, query) = after.split_once('?').map_or((after, None), |(b, q)| (b, Some(q)));
    out.push_str(base);
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| if pair.starts_with("password=") { "password=***".to_owned() } else { pair.to_owned() })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    // Not a URL at all (`host=… password=…`): nothing of it after a `password=` is shown.
    if scheme.is_empty()
        && let Some(i) = out.find("password=")
    {
        out.truncate(i + "password=".len());
        out.push_str("***");
    }
    out
}

/// `url` with a relative `sslrootcert=FILE` made absolute against the current folder (where it
/// was read from now), so that the address kept in an office's folder still finds its certificate
/// when the app starts from elsewhere.
pub(crate) fn with_absolute_root_cert(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else { return url.to_owned() };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("sslrootcert", value)) if value != "system" => {
                let path = PathBuf::from(percent_decode(value));
                match std::env::current_dir() {
                    Ok(dir) if path.is_relative() => format!("sslrootcert={}", percent_encode(&dir.join(path))),
                    _ => pair.to_owned(),
                }
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A path as a URL's query value: the characters that would end or split it escaped.
fn percent_encode(path: &std::path::Path) -> String {
    let mut out = String::new();
    for c in path.display().to_string().chars() {
        match c {
            '%' | '&' | '#' | '?' | '+' | ' ' | '=' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `%2F` and the like in a query value (a certificate path in a URL), as the text it encodes.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An address kept in an office's folder finds its certificate from wherever the app starts.
    #[test]
    fn a_relative_certificate_path_is_kept_absolute_and_reads_back_the_same() {
        let here = std::env::current_dir().unwrap();
        let kept = with_absolute_root_cert(
            "postgres://db.example.edu.cn/dangan?sslrootcert=certs/校园 CA.pem&connect_timeout=5",
        );
        let address: ServerAddress = kept.parse().unwrap();
        assert_eq!(address.root_cert, RootCert::File(here.join("certs/校园 CA.pem")), "{kept}");
        assert!(kept.ends_with("&connect_timeout=5"), "{kept}");
        for unchanged in [
            "postgres://db/dangan?sslrootcert=/etc/ca.pem",
            "postgres://db/dangan?sslrootcert=system",
            "postgres://db/dangan",
        ] {
            assert_eq!(with_absolute_root_cert(unchanged), unchanged);
        }
    }

    #[test]
    fn a_password_is_never_shown() {
        let address: ServerAddress =
            "postgres://owner:s3cret@db.example.edu.cn:5432/dangan?sslrootcert=/etc/ca.pem".parse().unwrap();
        assert_eq!(address.to_string(), "postgres://owner:***@db.example.edu.cn:5432/dangan?sslrootcert=/etc/ca.pem");
        assert_eq!(address.database(), "dangan");
        assert_eq!(address.root_cert, RootCert::File("/etc/ca.pem".into()));
    }

    #[test]
    fn a_password_holding_url_characters_or_given_as_a_parameter_is_hidden_too() {
        assert_eq!(shown("postgres://o:a/b?c@h/db"), "postgres://o:***@h/db");
        assert_eq!(
            shown("postgres://o@h/db?password=s3cret&sslmode=require"),
            "postgres://o@h/db?password=***&sslmode=require"
        );
        assert_eq!(shown("host=h password=s3cret dbname=x"), "host=h password=***");
        let err = "postgres://o:a/b@h".parse::<ServerAddress>().unwrap_err();
        assert!(!err.message(crate::Lang::En).contains("a/b"), "{err}");
    }

    #[test]
    fn tls_cannot_be_turned_off() {
        for mode in ["disable", "allow", "prefer"] {
            let err = format!("postgres://h/db?sslmode={mode}").parse::<ServerAddress>().unwrap_err();
            assert!(err.message(crate::Lang::En).contains(&format!("sslmode={mode} is not accepted")), "{mode}");
        }
        assert!("postgres://h/db?sslmode=verify-full".parse::<ServerAddress>().is_ok());
    }

    #[test]
    fn an_address_without_a_database_or_of_another_kind_is_refused() {
        let no_db = "postgres://db.example.edu.cn".parse::<ServerAddress>().unwrap_err();
        assert!(no_db.message(crate::Lang::En).contains("names no database"));
        let mysql = "mysql://db/dangan".parse::<ServerAddress>().unwrap_err();
        assert!(mysql.message(crate::Lang::En).contains("starts with postgres://"));
    }

    #[test]
    fn a_socket_folder_is_reached_without_tls() {
        let address: ServerAddress = "postgres:///dangan?host=%2Frun%2Fpostgresql".parse().unwrap();
        assert!(address.over_socket());
        let address: ServerAddress = "postgres://localhost:5433/dangan".parse().unwrap();
        assert!(!address.over_socket());
    }
}
