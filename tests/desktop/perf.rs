//! How fast the desktop app feels on a 100,000-person workspace: launch to the unlock screen,
//! unlock to the first rows of the member list, search results after the last keystroke, and
//! frames per second while the list scrolls. It measures and prints; it asserts no timings (a
//! shared machine's timings vary too much to fail a build on).
//!
//! It skips itself (passing, with a note) unless `DANGAN_DESKTOP_PERF=1` and `DANGAN_DESKTOP_APP`
//! names the release-built app. `cargo xtask bench` builds the app and the release CLI and runs
//! it under `dbus-run-session` and `xvfb-run`, as `cargo xtask test` runs the end-to-end test.
//! The release CLI is found beside the app (`dangan` in the same folder), or at `DANGAN_CLI`.
//!
//! Every in-page time is `performance.now()` taken inside the webview (a MutationObserver on the
//! elements that change, and requestAnimationFrame for the frame that paints the change), so the
//! WebDriver round trips do not count.

// Tests fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

// The end-to-end test's driver; this test uses only tauri-driver's start and stop from it.
#[allow(dead_code)]
#[path = "driver.rs"]
mod driver;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;

use driver::TauriDriver;

const PEOPLE: u32 = 100_000;
const PASSPHRASE: &str = "perf-passphrase";
const PORT: u16 = 4444;
const DEADLINE: Duration = Duration::from_secs(60);

/// Searches typed into the search box, each after clearing it: pinyin initials, full pinyin,
/// surnames common and rare. The first two are the issue's examples.
const QUERIES: &[&str] = &[
    "zs", "wang", "li", "zhang", "lm", "chen", "wl", "liu", "zy", "huang", "zh", "yang", "wj", "zhao", "lh", "wu",
    "zhou", "xu", "sun", "ma",
];

/// Scroll runs: rows travelled and over how long. The first is the issue's fling through 20,000
/// rows; the second is a steady read-along pace. The first does not scroll at all: the frame rate
/// the webview keeps with nothing changing, the ceiling for the others on this display.
const SCROLLS: &[(&str, u32, u32)] = &[
    ("baseline: idle list, 3 s", 0, 3_000),
    ("fling: 20,000 rows in 5 s", 20_000, 5_000),
    ("steady: 1,000 rows in 5 s", 1_000, 5_000),
];

#[test]
fn desktop_app_speed_on_a_100000_person_workspace() {
    let perf = std::env::var("DANGAN_DESKTOP_PERF").is_ok_and(|value| value == "1");
    let app = std::env::var_os("DANGAN_DESKTOP_APP").map(PathBuf::from);
    let (true, Some(app)) = (perf, app) else {
        // Straight to stderr: the test harness would swallow a println! of a passing test.
        let note =
            "skipped: set DANGAN_DESKTOP_PERF=1 and DANGAN_DESKTOP_APP to measure the app (cargo xtask bench does)\n";
        std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes()).ok();
        return;
    };
    assert!(app.is_file(), "DANGAN_DESKTOP_APP is not a file: {}", app.display());
    let cli = std::env::var_os("DANGAN_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| app.with_file_name(format!("dangan{}", std::env::consts::EXE_SUFFIX)));
    assert!(cli.is_file(), "the release CLI is not at {} (cargo build --release -p dangan-cli)", cli.display());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(measure(&app, &cli));
}

async fn measure(app: &Path, cli: &Path) {
    let root = tempfile::tempdir().unwrap();
    let workspace = root.path().join("workspace");
    println!("creating a {PEOPLE}-person workspace with {}", cli.display());
    let started = Instant::now();
    run_cli(cli, &workspace, &["demo", "--people", &PEOPLE.to_string()]);
    println!("  made in {:.1} s", started.elapsed().as_secs_f64());

    let kdf = key_derivation(cli, root.path());
    let driver = TauriDriver::start(&workspace, &root.path().join("tauri-driver.log")).await;

    // (a) Launch: the session request starts the app; done when the passphrase field is there.
    let launched = Instant::now();
    let web = launch(app).await;
    let page = &web;
    let field =
        poll(|| async { page.find_all(By::Css("[data-testid='unlock-passphrase']")).await.ok()?.into_iter().next() })
            .await;
    let launch_ms = ms(launched.elapsed());
    let page_age = web.execute("return performance.now();", Vec::new()).await.unwrap().json().as_f64().unwrap_or(0.0);
    web.set_script_timeout(Duration::from_secs(60)).await.unwrap();

    // (b) Unlock: click in the page, then watch the member list appear and fill.
    field.send_keys(PASSPHRASE).await.unwrap();
    web.execute(UNLOCK_JS, vec![json!(PEOPLE)]).await.unwrap();
    let unlock = poll(|| async {
        let state = page.execute("return window.__perfUnlock;", Vec::new()).await.ok()?.json().clone();
        state.get("painted").is_some().then_some(state)
    })
    .await;
    let at = |key: &str| unlock[key].as_f64().unwrap_or(f64::NAN) - unlock["click"].as_f64().unwrap_or(f64::NAN);
    let (dashboard_ms, dashboard_painted_ms) = (at("dashboard"), at("dashboardPainted"));
    let nav = at("nav");
    let (screen_ms, rows_ms, total_ms, painted_ms) =
        (at("list") - nav, at("rows") - nav, at("total") - nav, at("painted") - nav);

    // (b′) The dashboard again, from the member list: the indexes are warm, as all day long.
    let mut dashboards = Vec::new();
    for _ in 0..5 {
        let ret = web.execute_async(DASHBOARD_JS, Vec::new()).await.unwrap();
        dashboards.push(ret.json()["painted"].as_f64().unwrap_or(f64::NAN));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // (b″) 统计 from the member list: every table counted and every chart drawn (issue 15: < 300 ms).
    let mut statistics = Vec::new();
    for _ in 0..5 {
        let ret = web.execute_async(STATISTICS_JS, Vec::new()).await.unwrap();
        statistics.push(ret.json()["painted"].as_f64().unwrap_or(f64::NAN));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // (c) Search.
    let mut search = Vec::new();
    for query in QUERIES {
        search.push(search_once(&web, query).await);
    }
    clear_search(&web).await;

    // (d) Scroll, once the list has settled.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut scrolls = Vec::new();
    for &(name, rows, duration_ms) in SCROLLS {
        let ret = web.execute_async(SCROLL_JS, vec![json!(rows), json!(duration_ms)]).await.unwrap();
        scrolls.push((name, Frames::from(ret.json())));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    web.quit().await.ok();
    driver.stop();

    println!();
    println!("Dangan desktop app, {PEOPLE} people, release build, {} CPUs", cpus());
    let forced = std::env::var_os("DANGAN_GPU_COMPOSITING").is_some_and(|v| !v.is_empty() && v != "0");
    let render_node = std::fs::read_dir("/dev/dri")
        .is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")));
    println!(
        "WebKitGTK: {}",
        match (forced, render_node) {
            (true, _) => "accelerated compositing, forced (DANGAN_GPU_COMPOSITING=1): WebKit's own default",
            (false, false) => "the app's default: no GPU render node, so hardware acceleration off",
            (false, true) => "the app's default: a GPU render node, so WebKit's accelerated compositing",
        }
    );
    println!("{:<58} {:>10}", "measurement", "ms");
    let row = |name: &str, value: f64| println!("{name:<58} {value:>10.0}");
    row("launch → unlock screen ready (wall clock, incl. WebDriver)", launch_ms);
    row("  of which inside the page (performance.now at ready)", page_age);
    row(&format!("key derivation: Argon2id, CLI open of a 1-person ws ({})", kdf.1), kdf.0);
    row("unlock click → 工作提醒 figures in DOM (KDF + open + scan)", dashboard_ms);
    row("unlock click → 工作提醒 painted", dashboard_painted_ms);
    row("launch → interactive 工作提醒, unlock excluded (less KDF)", launch_ms + dashboard_painted_ms - kdf.0);
    row("工作提醒 again, nav click → figures painted, p50 of 5", percentile(&dashboards, 50.0));
    row("工作提醒 again, nav click → figures painted, max of 5", percentile(&dashboards, 100.0));
    row("统计 nav click → tables and charts painted, p50 of 5", percentile(&statistics, 50.0));
    row("统计 nav click → tables and charts painted, max of 5", percentile(&statistics, 100.0));
    row("成员 nav click → list screen shown (mount)", screen_ms);
    row("成员 nav click → first rows rendered", rows_ms);
    row(&format!("成员 nav click → total {PEOPLE} rendered"), total_ms);
    row("成员 nav click → rows and total painted", painted_ms);
    row("launch → interactive list, unlock excluded (less KDF)", launch_ms + dashboard_painted_ms - kdf.0 + painted_ms);
    let dom: Vec<f64> = search.iter().map(|s| s.dom_ms).collect();
    let painted: Vec<f64> = search.iter().map(|s| s.painted_ms).collect();
    row(&format!("search, last keystroke → results in DOM, p50 of {}", search.len()), percentile(&dom, 50.0));
    row("search, last keystroke → results in DOM, p95", percentile(&dom, 95.0));
    row("search, last keystroke → results painted, p50", percentile(&painted, 50.0));
    row("search, last keystroke → results painted, p95", percentile(&painted, 95.0));
    println!();
    println!(
        "{:<28} {:>6} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9} {:>12}",
        "scroll", "frames", "fps", ">16.7ms", ">33.3ms", "longest", "script/f", "layout/f", "placeholders"
    );
    for (name, f) in &scrolls {
        println!(
            "{name:<28} {:>6} {:>6.1} {:>7.1}% {:>7.1}% {:>6.0}ms {:>7.1}ms {:>7.1}ms {:>11.1}%",
            f.frames, f.fps, f.over_16, f.over_33, f.longest, f.script, f.layout, f.placeholder_share
        );
    }
    println!();
    println!("searches (query: total, ms to DOM, ms to paint)");
    for s in &search {
        println!("  {:<6} {:>7} {:>7.0} {:>7.0}", s.query, s.total, s.dom_ms, s.painted_ms);
    }
    println!("(frame figures come from WebKitGTK under Xvfb with software rendering: indicative only)");
}

/// Starts the app through a WebDriver session, as the end-to-end test's `App::launch` does.
async fn launch(binary: &Path) -> WebDriver {
    let caps = json!({ "browserName": "wry", "tauri:options": { "application": binary } });
    let caps: Capabilities = match caps {
        Value::Object(map) => map.into(),
        _ => unreachable!("a JSON object"),
    };
    WebDriver::new(format!("http://127.0.0.1:{PORT}"), caps).await.unwrap()
}

fn run_cli(cli: &Path, workspace: &Path, args: &[&str]) {
    let output = Command::new(cli)
        .arg("--workspace")
        .arg(workspace)
        .args(args)
        .env("DANGAN_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap_or_else(|err| panic!("could not run {}: {err}", cli.display()));
    assert!(output.status.success(), "dangan {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
}

/// The unlock's key derivation, timed as the release CLI opening a one-person workspace (the same
/// Argon2id parameters as any workspace; the rest of that run is a few milliseconds): the
/// fastest of five runs, and a note saying so.
fn key_derivation(cli: &Path, scratch: &Path) -> (f64, String) {
    let tiny = scratch.join("tiny");
    run_cli(cli, &tiny, &["demo", "--people", "1"]);
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            run_cli(cli, &tiny, &["members"]);
            ms(started.elapsed())
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    (runs[0], format!("min of 5, median {:.0}", runs[2]))
}

struct Search {
    query: &'static str,
    total: String,
    dom_ms: f64,
    painted_ms: f64,
}

/// Clears the box, waits for the full list, then types `query` while the page notes the time of
/// each input event and of each change to the list and its total; measured once the list has
/// been quiet for a while, from the last input to the last change (and to the frame after it).
async fn search_once(web: &WebDriver, query: &'static str) -> Search {
    clear_search(web).await;
    web.execute(SEARCH_WATCH_JS, Vec::new()).await.unwrap();
    let input = web.find(By::Css("[data-testid='search-input']")).await.unwrap();
    input.send_keys(query).await.unwrap();
    let quiet = poll(|| async {
        let state = web.execute(SEARCH_STATE_JS, Vec::new()).await.ok()?.json().clone();
        state["quiet"].as_bool().unwrap_or(false).then_some(state)
    })
    .await;
    web.execute("window.__perfSearchStop && window.__perfSearchStop();", Vec::new()).await.ok();
    let f = |key: &str| quiet[key].as_f64().unwrap_or(f64::NAN);
    Search {
        query,
        total: quiet["total"].as_str().unwrap_or("?").to_owned(),
        dom_ms: f("dom"),
        painted_ms: f("painted"),
    }
}

async fn clear_search(web: &WebDriver) {
    let clear = "const el = document.querySelector(\"[data-testid='search-input']\");\n\
                 el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true }));";
    web.execute(clear, Vec::new()).await.unwrap();
    let full = format!(
        "const t = document.querySelector(\"[data-testid='member-total']\");\n\
         return !!t && t.getAttribute('data-total') === '{PEOPLE}' && !!document.querySelector(\"[data-testid='member-row']\");"
    );
    poll(|| async { web.execute(&full, Vec::new()).await.ok()?.json().as_bool().unwrap_or(false).then_some(()) }).await;
}

/// Frame statistics of one scroll run, from the requestAnimationFrame timestamps.
struct Frames {
    frames: usize,
    fps: f64,
    over_16: f64,
    over_33: f64,
    longest: f64,
    placeholder_share: f64,
    /// Mean milliseconds per frame in scripts before the frame callback, and in style and layout.
    script: f64,
    layout: f64,
}

impl From<&Value> for Frames {
    fn from(ret: &Value) -> Frames {
        let times: Vec<f64> = ret["frames"].as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        let intervals: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let n = intervals.len().max(1) as f64;
        let share = |limit: f64| 100.0 * intervals.iter().filter(|&&i| i > limit).count() as f64 / n;
        let span = times.last().unwrap_or(&0.0) - times.first().unwrap_or(&0.0);
        Frames {
            frames: times.len(),
            fps: if span > 0.0 { intervals.len() as f64 * 1000.0 / span } else { 0.0 },
            over_16: share(1000.0 / 60.0),
            over_33: share(2000.0 / 60.0),
            longest: intervals.iter().copied().fold(0.0, f64::max),
            script: mean(&ret["scripts"]),
            layout: mean(&ret["layouts"]),
            placeholder_share: 100.0 * ret["placeholderFrames"].as_f64().unwrap_or(0.0) / times.len().max(1) as f64,
        }
    }
}

/// Polls `probe` every 10 ms until it answers; fails after the deadline.
async fn poll<T, F, Fut>(mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(answer) = probe().await {
            return answer;
        }
        assert!(started.elapsed() < DEADLINE, "timed out after {DEADLINE:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn mean(values: &Value) -> f64 {
    let values: Vec<f64> = values.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The `p`th percentile (nearest rank) of `values`; NaN for none.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}

/// Clicks "unlock" in the page and notes when the 工作提醒 dashboard (the home screen) shows its
/// figures and the frame that paints them; then goes to 成员 and notes when the list screen
/// appears, when its first rows and the full total are in the DOM, and the frame after both.
const UNLOCK_JS: &str = r#"
const p = (window.__perfUnlock = {});
const total = String(arguments[0]);
const check = () => {
  const now = performance.now();
  if (p.dashboard === undefined && document.querySelector("[data-testid='dashboard'][data-loaded='true']")) {
    p.dashboard = now;
    requestAnimationFrame(() => {
      p.dashboardPainted = performance.now();
      p.nav = performance.now();
      document.querySelector("[data-testid='nav-members']").click();
    });
  }
  if (p.nav === undefined) return;
  if (p.list === undefined && document.querySelector("[data-testid='member-list']")) p.list = now;
  if (p.rows === undefined && document.querySelector("[data-testid='member-row']")) p.rows = now;
  const t = document.querySelector("[data-testid='member-total']");
  if (p.total === undefined && t && t.getAttribute('data-total') === total) p.total = now;
  if (p.rows !== undefined && p.total !== undefined && p.done === undefined) {
    p.done = Math.max(p.rows, p.total);
    observer.disconnect();
    requestAnimationFrame(() => { p.painted = performance.now(); });
  }
};
const observer = new MutationObserver(check);
observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
p.click = performance.now();
document.querySelector("[data-testid='unlock-submit']").click();
"#;

/// From the member list, clicks 工作提醒 and answers when its figures are in the DOM and painted,
/// in milliseconds from the click; then goes back to 成员 for the next measurement.
const DASHBOARD_JS: &str = r#"
const done = arguments[arguments.length - 1];
const click = performance.now();
const settle = () => {
  if (!document.querySelector("[data-testid='dashboard'][data-loaded='true']")) return requestAnimationFrame(settle);
  const dom = performance.now() - click;
  requestAnimationFrame(() => {
    const painted = performance.now() - click;
    document.querySelector("[data-testid='nav-members']").click();
    setTimeout(() => done({ dom, painted }), 200);
  });
};
document.querySelector("[data-testid='nav-dashboard']").click();
requestAnimationFrame(settle);
"#;

/// From the member list, clicks 统计 and answers when its tables and charts are drawn
/// (`data-loaded`) and painted, in milliseconds from the click; then goes back to 成员.
const STATISTICS_JS: &str = r#"
const done = arguments[arguments.length - 1];
const click = performance.now();
const settle = () => {
  if (!document.querySelector("[data-testid='stats-screen'][data-loaded='true']")) return requestAnimationFrame(settle);
  const dom = performance.now() - click;
  requestAnimationFrame(() => {
    const painted = performance.now() - click;
    document.querySelector("[data-testid='nav-members']").click();
    setTimeout(() => done({ dom, painted }), 200);
  });
};
document.querySelector("[data-testid='nav-statistics']").click();
requestAnimationFrame(settle);
"#;

/// Notes each input event of the search box, and each change to the list or its total with the
/// animation frame that follows it.
const SEARCH_WATCH_JS: &str = r#"
const s = (window.__perfSearch = { inputs: [], changes: [], frames: [] });
const input = document.querySelector("[data-testid='search-input']");
const onInput = () => s.inputs.push(performance.now());
input.addEventListener('input', onInput);
const observer = new MutationObserver(() => {
  s.changes.push(performance.now());
  requestAnimationFrame((t) => s.frames.push(performance.now()));
});
const opts = { subtree: true, childList: true, attributes: true, characterData: true };
observer.observe(document.querySelector("[data-testid='member-list']"), opts);
observer.observe(document.querySelector("[data-testid='member-total']"), opts);
window.__perfSearchStop = () => { observer.disconnect(); input.removeEventListener('input', onInput); };
"#;

/// Whether the search has settled (a change after the last keystroke, then 700 ms of quiet), and
/// if so the times from the last keystroke to the last change and to the frame after it.
const SEARCH_STATE_JS: &str = r#"
const s = window.__perfSearch;
const now = performance.now();
const last = s.inputs[s.inputs.length - 1];
if (last === undefined) return { quiet: false };
const changes = s.changes.filter((t) => t > last);
const lastChange = changes[changes.length - 1];
if (lastChange === undefined || now - lastChange < 700) return { quiet: false };
const frame = s.frames.find((t) => t >= lastChange);
if (frame === undefined) return { quiet: false };
const total = document.querySelector("[data-testid='member-total']").getAttribute('data-total');
return { quiet: true, dom: lastChange - last, painted: frame - last, total, keys: s.inputs.length };
"#;

/// Scrolls the member list from the top through `rows` rows in `ms` milliseconds, one step per
/// animation frame, and returns each frame's timestamp, the time its scripts (the list's
/// re-render) and its style and layout took, and how many frames showed a row still loading.
const SCROLL_JS: &str = r#"
const [rows, ms] = arguments;
const done = arguments[arguments.length - 1];
const el = document.querySelector("[data-testid='member-list']");
const rowHeight = el.querySelector("[data-testid='member-row']").getBoundingClientRect().height || 36;
const distance = rows * rowHeight;
const placeholders = el.getElementsByClassName('placeholder');
el.scrollTop = 0;
const frames = [];
const scripts = [];
const layouts = [];
let placeholderFrames = 0;
let start = null;
const step = (t) => {
  // `t` is when this frame's rendering began: the scroll event of the last step, and the list's
  // re-render it causes, ran since then. Forcing layout here costs what the frame pays anyway.
  const entered = performance.now();
  void el.offsetHeight;
  scripts.push(entered - t);
  layouts.push(performance.now() - entered);
  if (start === null) start = t;
  frames.push(t);
  if (placeholders.length > 0) placeholderFrames++;
  const f = Math.min(1, (t - start) / ms);
  el.scrollTop = f * distance;
  if (f < 1) requestAnimationFrame(step);
  else done({ frames, scripts, layouts, placeholderFrames, scrollTop: el.scrollTop, rowHeight });
};
requestAnimationFrame(() => requestAnimationFrame(step));
"#;
