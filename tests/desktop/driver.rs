//! tauri-driver and one WebDriver session with the app, with the few waits and actions the
//! scenario needs. Elements are found by their `data-testid`; every wait has a deadline, and a
//! wait that times out saves a screenshot of what the window showed instead.

use std::fs::File;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;

/// How long any one step may take: unlocking derives a key, and a cold WebKit start is slow.
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);
const PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;

/// tauri-driver, with WebKitWebDriver behind it. Stopped with SIGTERM when dropped, also when the
/// test panics: a killed driver leaves WebKitWebDriver holding its port.
pub struct TauriDriver {
    child: Child,
}

/// The app's today (`DANGAN_TODAY`) in every test that drives it, so that what is overdue does
/// not depend on the day the test runs.
pub const TODAY: &str = "2026-11-24";

impl TauriDriver {
    /// Starts tauri-driver (`$TAURI_DRIVER`, else `tauri-driver` on the PATH) with the app's
    /// workspace in its environment, which WebKitWebDriver passes on to each app it launches.
    /// Its output goes to `log`, not to the test's own output, which a lingering child would
    /// otherwise hold open.
    pub async fn start(workspace: &Path, log: &Path) -> TauriDriver {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        for port in [PORT, NATIVE_PORT] {
            assert!(
                !accepts(port),
                "port {port} is already taken: is another tauri-driver or WebKitWebDriver running?"
            );
        }
        let out = File::create(log).unwrap();
        let mut command = Command::new(&program);
        // WebKitWebDriver's screenshots of a web view painting without compositing (the app's
        // choice without a GPU, as under Xvfb) never return, so the end-to-end test keeps WebKit's
        // default. The choice itself is unit-tested (src-tauri/src/rendering.rs); the speed test
        // (DANGAN_DESKTOP_PERF, no screenshots) runs the app's own choice and, for comparison,
        // the forced default, as `cargo xtask bench` asks.
        let forced = if std::env::var_os("DANGAN_DESKTOP_PERF").is_some() {
            std::env::var("DANGAN_GPU_COMPOSITING").ok()
        } else {
            Some("1".to_owned())
        };
        if let Some(forced) = forced {
            command.env("DANGAN_GPU_COMPOSITING", forced);
        }
        let child = command
            .args(["--port", &PORT.to_string(), "--native-port", &NATIVE_PORT.to_string()])
            .env("DANGAN_WORKSPACE", workspace)
            // The reminder clock looks at the time every 20 s; the test need not wait that long.
            .env("DANGAN_REMINDER_TICK_MS", "300")
            // A fixed today: what is overdue, and what a reminder says, must not depend on the day
            // the test runs.
            .env("DANGAN_TODAY", TODAY)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|err| panic!("could not start {}: {err}", program.to_string_lossy()));
        let driver = TauriDriver { child };
        // tauri-driver listens before WebKitWebDriver does; a session opened in between fails.
        let started = Instant::now();
        while !(accepts(PORT) && accepts(NATIVE_PORT)) {
            assert!(
                started.elapsed() < DEADLINE,
                "tauri-driver did not open ports {PORT} and {NATIVE_PORT}; see {}",
                log.display()
            );
            tokio::time::sleep(POLL).await;
        }
        driver
    }

    pub fn stop(self) {
        // Drop does it.
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // std has no signals, and the workspace forbids unsafe code: ask kill(1).
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().ok();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(POLL);
        }
        eprintln!("tauri-driver did not stop within 10 s of SIGTERM; leaving it");
    }
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

/// One run of the app: a WebDriver session, which tauri-driver starts by launching the binary.
pub struct App {
    web: WebDriver,
    binary: PathBuf,
    shots: PathBuf,
}

impl App {
    pub async fn launch(_driver: &TauriDriver, binary: &Path, shots: &Path) -> App {
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": binary },
        });
        let caps: Capabilities = match caps {
            serde_json::Value::Object(map) => map.into(),
            _ => unreachable!("a JSON object"),
        };
        // tauri-driver can refuse a connection for a moment after the previous session ended (seen
        // once in CI at a relaunch): a few tries before the test fails.
        let mut tries = 0;
        let web = loop {
            match WebDriver::new(format!("http://127.0.0.1:{PORT}"), caps.clone()).await {
                Ok(web) => break web,
                Err(e) if tries < 5 => {
                    eprintln!("tauri-driver not answering yet ({e}); trying again");
                    tries += 1;
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(e) => panic!("starting the app through tauri-driver: {e}"),
            }
        };
        App { web, binary: binary.to_owned(), shots: shots.to_owned() }
    }

    /// Ends the session, which closes the app, and waits until its process is gone, so that the
    /// next launch is a new start and not a second instance.
    pub async fn quit(self) {
        let App { web, binary, .. } = self;
        web.quit().await.unwrap();
        let started = Instant::now();
        while running(&binary) {
            assert!(started.elapsed() < DEADLINE, "the app did not exit after its session ended");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Saves what the window shows as `<name>.png`, once the last change has been painted.
    pub async fn screenshot(&self, name: &str) {
        self.painted().await;
        let path = self.shots.join(format!("{name}.png"));
        self.web.screenshot(&path).await.unwrap();
        println!("screenshot: {}", path.display());
    }

    /// Waits until the page has painted its current DOM: a screenshot taken as soon as the DOM is
    /// right can still show the frame before (two animation frames, then a moment for the window
    /// to take the new frame; dialogs also fade in).
    async fn painted(&self) {
        let two_frames = "const done = arguments[arguments.length - 1];\n\
                          requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.web.execute_async(two_frames, Vec::new()).await.ok();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    /// The first element with this `data-testid`, once there is one.
    pub async fn wait(&self, testid: &str) -> WebElement {
        self.until(&format!("`{testid}` to appear"), || async { self.all(testid).await.into_iter().next() }).await
    }

    /// The trimmed text of the first element with this `data-testid`, once it has any.
    ///
    /// Its `textContent`: WebKitWebDriver's rendered text (`Get Element Text`) came back empty for
    /// some visible elements.
    pub async fn wait_text(&self, testid: &str) -> String {
        self.until(&format!("`{testid}` to show text"), || async {
            let element = self.all(testid).await.into_iter().next()?;
            let text = element.prop("textContent").await.ok()??;
            let text = text.trim();
            (!text.is_empty()).then(|| text.to_owned())
        })
        .await
    }

    /// Waits until an element with this `data-testid` has `attr` equal to `value`.
    pub async fn wait_attr(&self, testid: &str, attr: &str, value: &str) {
        self.until(&format!("`{testid}` to have {attr}=\"{value}\""), || async {
            for element in self.all(testid).await {
                if element.attr(attr).await.ok().flatten().as_deref() == Some(value) {
                    return Some(());
                }
            }
            None
        })
        .await
    }

    /// Waits until the member list shows `count` rows.
    pub async fn wait_rows(&self, count: usize) {
        self.until(&format!("{count} member rows"), || async {
            (self.all("member-row").await.len() == count).then_some(())
        })
        .await
    }

    pub async fn click(&self, testid: &str) {
        // Retried: a button can be covered for a moment while a dialog opens or closes.
        self.until(&format!("`{testid}` to take a click"), || async {
            let element = self.all(testid).await.into_iter().next()?;
            if !element.is_enabled().await.ok()? {
                return None;
            }
            element.click().await.ok()
        })
        .await
    }

    pub async fn type_into(&self, testid: &str, text: &str) {
        let element = self.wait(testid).await;
        element.send_keys(text).await.unwrap_or_else(|err| panic!("could not type into `{testid}`: {err}"));
    }

    /// Empties a field as a person does, with keystrokes (select all, delete): WebDriver's own
    /// "clear" sets the value without the `input` event, so the page would not hear of it (a
    /// cleared search box kept its old results).
    pub async fn clear(&self, testid: &str) {
        let field = self.wait(testid).await;
        field.send_keys(thirtyfour::Key::Control + "a").await.unwrap();
        field.send_keys(thirtyfour::Key::Backspace).await.unwrap();
        let value = field.prop("value").await.unwrap().unwrap_or_default();
        assert!(value.is_empty(), "{testid} still holds {value:?} after select-all and delete");
    }

    /// Picks the option of a `<select>` whose label contains `label`.
    pub async fn choose(&self, testid: &str, label: &str) {
        let select = self.wait(testid).await;
        self.until(&format!("an option \"{label}\" in `{testid}`"), || async {
            for option in select.find_all(By::Tag("option")).await.ok()? {
                if option.prop("textContent").await.ok()??.contains(label) {
                    return option.click().await.ok();
                }
            }
            None
        })
        .await
    }

    /// `attr` of every element with this `data-testid`, in document order.
    pub async fn attrs(&self, testid: &str, attr: &str) -> Vec<String> {
        let mut values = Vec::new();
        for element in self.all(testid).await {
            values.push(element.attr(attr).await.unwrap().unwrap_or_default());
        }
        values
    }

    /// What a field holds now (its `value` property: what was typed or filled in).
    pub async fn value(&self, testid: &str) -> String {
        self.wait(testid).await.prop("value").await.unwrap().unwrap_or_default()
    }

    pub async fn enabled(&self, testid: &str) -> bool {
        self.wait(testid).await.is_enabled().await.unwrap()
    }

    pub async fn exists(&self, testid: &str) -> bool {
        !self.all(testid).await.is_empty()
    }

    /// The names in the member list's rows, top to bottom.
    pub async fn row_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for name in self.web.find_all(By::Css("[data-testid='member-row'] .name")).await.unwrap() {
            names.push(name.prop("textContent").await.unwrap().unwrap_or_default().trim().to_owned());
        }
        names
    }

    /// The first element matching a CSS selector (an element inside a given row), once there is one.
    pub async fn wait_css(&self, css: &str) -> WebElement {
        self.until(&format!("`{css}` to appear"), || async {
            self.web.find_all(By::Css(css)).await.ok()?.into_iter().next()
        })
        .await
    }

    /// Clicks the first element matching a CSS selector, retried like [`App::click`].
    pub async fn click_css(&self, css: &str) {
        self.until(&format!("`{css}` to take a click"), || async {
            let element = self.web.find_all(By::Css(css)).await.ok()?.into_iter().next()?;
            element.click().await.ok()
        })
        .await
    }

    /// Waits until nothing matches a CSS selector.
    pub async fn wait_gone(&self, css: &str) {
        self.until(&format!("`{css}` to disappear"), || async {
            self.web.find_all(By::Css(css)).await.ok()?.is_empty().then_some(())
        })
        .await
    }

    async fn all(&self, testid: &str) -> Vec<WebElement> {
        self.web.find_all(By::Css(format!("[data-testid='{testid}']"))).await.unwrap_or_default()
    }

    /// Polls `probe` until it answers; at the deadline, saves a screenshot and fails naming `what`.
    async fn until<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(answer) = probe().await {
                return answer;
            }
            if started.elapsed() > DEADLINE {
                let shot = self.shots.join("failure.png");
                self.web.screenshot(&shot).await.ok();
                panic!("timed out after {DEADLINE:?} waiting for {what}; the window is in {}", shot.display());
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Whether a process of `binary` is running (Linux: /proc/<pid>/exe names each process's binary).
fn running(binary: &Path) -> bool {
    let binary = binary.canonicalize().unwrap_or_else(|_| binary.to_owned());
    let Ok(processes) = std::fs::read_dir("/proc") else { return false };
    processes.flatten().any(|process| std::fs::read_link(process.path().join("exe")).is_ok_and(|exe| exe == binary))
}
