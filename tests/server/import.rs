//! A roster imported on a server: the workspace's checks, report and questions, the new people
//! added by the server's own function (numbers in row order, one audit entry per person), all
//! rows or none, within each user's units.

use dangan_tests::TestWorkspace;
use predicates::str::contains;

use crate::members::{add_secretary, members, office};
use crate::setup::{ADMIN, dangan, initialised};

const ROSTER: &str = "姓名,学号工号,身份证号,所在党支部,递交入党申请书日期,确定入党积极分子日期\n\
    王五,2026003,,第一党支部,2025-09-01,2026-01-10\n\
    赵六,2026004,,第二党支部,2026-01-31,\n\
    钱七,2026005,,第一党支部,2026-02-10,\n";

fn report(out: std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {} {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

#[test]
fn a_roster_imports_on_a_server_as_in_a_workspace_with_one_entry_per_person() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    let file = roster.to_str().unwrap();

    // A dry run checks everything and saves nothing.
    let dry = report(dangan(&url, ADMIN, &["import", file, "--dry-run", "--json"]).output().unwrap());
    assert_eq!((dry["created"].as_u64(), dry["committed"].as_bool()), (Some(3), Some(false)));
    assert_eq!(members(&url, ADMIN).len(), 2);

    // The import: the same report as a workspace's (which creates the branches it names).
    let on_server = report(dangan(&url, ADMIN, &["import", file, "--json"]).output().unwrap());
    let in_workspace = report(ws.dangan(&["import", file, "--json"]).output().unwrap());
    for field in ["rows", "created", "updated", "late", "problems", "likely_duplicates", "committed"] {
        assert_eq!(on_server[field], in_workspace[field], "{field}");
    }
    assert_eq!(on_server["created"], 3);
    let listed = members(&url, ADMIN);
    let names: Vec<&str> = listed.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李四", "钱七", "王五", "张三", "赵六"]);
    let wang = listed.iter().find(|m| m["name"] == "王五").unwrap();
    assert_eq!((wang["stage"].as_str(), wang["branch"].as_str()), (Some("activist"), Some("第一党支部")));

    // Numbered in row order, each with one entry holding the person and their steps, and the
    // chain whole.
    let entries = cluster.superuser_sql(
        "dangan",
        "SELECT entity_id || ' ' || (new::jsonb -> 'person' ->> 'name') || ' ' || jsonb_array_length(new::jsonb -> 'events')
         FROM dangan.audit_log WHERE entity = 'people' AND action = 'insert' AND new::jsonb ? 'events' ORDER BY seq",
    );
    let entries: Vec<&str> = entries.lines().collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
    let ids: Vec<i64> = entries.iter().map(|e| e.split(' ').next().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    assert!(entries[0].ends_with("王五 2") && entries[1].ends_with("赵六 1"), "{entries:?}");
    let step = cluster.superuser_sql(
        "dangan",
        "SELECT new::jsonb -> 'events' -> 0 ->> 'date' FROM dangan.audit_log WHERE entity = 'people' AND new::jsonb ? 'events' ORDER BY seq LIMIT 1",
    );
    assert_eq!(step.trim(), "2025-09-01", "dates in ISO form whatever the session's style");
    // The entry names each step in the person's order, and the person by every field the
    // server's triggers record of a row: a column added to people and left out here fails.
    let steps = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(s ->> 'date' || ' ' || (s ->> 'kind'), ', ' ORDER BY i)
         FROM dangan.audit_log, jsonb_array_elements(new::jsonb -> 'events') WITH ORDINALITY AS e(s, i)
         WHERE entity = 'people' AND new::jsonb -> 'person' ->> 'name' = '王五' GROUP BY seq",
    );
    assert_eq!(steps.trim(), "2025-09-01 application_received, 2026-01-10 activist_determined");
    let fields = cluster.superuser_sql(
        "dangan",
        "SELECT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(new::jsonb -> 'person') AS k)
              = (SELECT string_agg(attname::text, ',' ORDER BY attname::text) FROM pg_attribute
                 WHERE attrelid = 'dangan.people'::regclass AND attnum > 0 AND NOT attisdropped
                   AND attname NOT IN ('pinyin', 'initials', 'sort_key', 'version', 'changed_by', 'changed_at'))
         FROM dangan.audit_log WHERE entity = 'people' AND new::jsonb ? 'events' ORDER BY seq LIMIT 1",
    );
    assert_eq!(fields.trim(), "t", "the import's entry records the person as the triggers record a row");
    // A staged person's number and drawn UUID are the server's: a user may stage a row, never
    // write either, nor stage two rows under one number.
    let stage = |columns: &str, values: &str, again: bool| {
        let row = format!(
            "INSERT INTO dangan.import_people (row_no, branch_id, name, stage, ended{columns})
             VALUES (1, 1, 'x', 'applicant', false{values});"
        );
        let twice = if again { row.as_str() } else { "" };
        cluster.psql(
            "dangan",
            &crate::security::db_role(&url, ADMIN),
            dangan_tests::PASSPHRASE,
            &format!("BEGIN; {row} {twice} ROLLBACK;"),
        )
    };
    assert!(stage("", "", false).status.success());
    for (column, value) in [(", new_id", ", 1"), (", drawn_uid", ", gen_random_uuid()")] {
        let forged = stage(column, value, false);
        assert!(!forged.status.success() && String::from_utf8_lossy(&forged.stderr).contains("permission denied"));
    }
    let twice = stage("", "", true);
    assert!(!twice.status.success() && String::from_utf8_lossy(&twice.stderr).contains("duplicate key"));
    let per_row = cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.audit_log WHERE entity = 'events'");
    assert_eq!(per_row.trim(), "2", "only the office's own two steps were logged one by one");
    dangan(&url, ADMIN, &["verify"]).assert().success();
    assert_eq!(cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.import_people").trim(), "0");

    // Again: everyone is registered, so the rows update them, and nothing changed is logged.
    let state = || {
        cluster
            .superuser_sql("dangan", "SELECT (SELECT count(*) FROM dangan.audit_log), sum(version) FROM dangan.people")
    };
    let before = state();
    let again = report(dangan(&url, ADMIN, &["import", file, "--json"]).output().unwrap());
    assert_eq!((again["created"].as_u64(), again["updated"].as_u64()), (Some(0), Some(3)));
    assert_eq!(state(), before, "nothing logged, and nobody's version raised (an open edit stays valid)");
    // A new step in an update is written as the user, and logged by the server's triggers.
    let more = ws.write_csv(
        "more.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,确定入党积极分子日期\n赵六,2026004,第二党支部,2026-01-31,2026-03-01\n",
    );
    let updated = report(dangan(&url, ADMIN, &["import", more.to_str().unwrap(), "--json"]).output().unwrap());
    assert_eq!(updated["updated"], 1);
    let zhao = members(&url, ADMIN).into_iter().find(|m| m["name"] == "赵六").unwrap();
    assert_eq!(zhao["stage"], "activist");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_bad_roster_saves_nothing_and_names_each_row_and_a_secretary_imports_only_into_their_branch() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    add_secretary(&url);
    let ws = TestWorkspace::initialised();
    let count = || cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.people").trim().to_owned();

    // A row with a date out of order is named; the branch another row names, added for it by the
    // administrator's import, goes with the rest: nothing is saved.
    let bad = ws.write_csv(
        "bad.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,确定入党积极分子日期\n\
         王五,2026003,第一党支部,2025-09-01,2026-01-10\n\
         赵六,2026004,没有的支部,2026-01-31,\n\
         钱七,2026005,第一党支部,2026-02-10,2026-01-01\n",
    );
    let out = dangan(&url, ADMIN, &["import", bad.to_str().unwrap(), "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let rejected = report(out);
    let rows: Vec<u64> = rejected["problems"].as_array().unwrap().iter().map(|p| p["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [4]);
    assert_eq!(count(), "2");
    assert_eq!(
        cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.org_units WHERE name = '没有的支部'").trim(),
        "0"
    );

    // A secretary's roster naming the other branch: refused there, nothing saved.
    let theirs = ws.write_csv(
        "theirs.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n王五,2026003,第一党支部,2025-09-01\n赵六,2026004,第二党支部,2026-01-31\n",
    );
    let out = dangan(&url, "孙书记", &["import", theirs.to_str().unwrap(), "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let refused = report(out);
    assert_eq!(refused["problems"][0]["row"], 3);
    assert!(refused["problems"][0]["reason_zh"].as_str().unwrap().contains("第二党支部"), "{refused}");
    assert!(
        refused["problems"][0]["reason_en"]
            .as_str()
            .unwrap()
            .contains("only administrators and organisers add branches"),
        "{refused}"
    );
    assert_eq!(count(), "2");
    // A number registered in a branch the secretary cannot see: refused by the server, naming
    // the row and not the holder.
    cluster.superuser_sql("dangan", "UPDATE dangan.people SET student_no = '2026999' WHERE name = '李四'");
    let taken =
        ws.write_csv("taken.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n王五,2026999,第一党支部,2025-09-01\n");
    let out = dangan(&url, "孙书记", &["import", taken.to_str().unwrap(), "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let refused = report(out);
    assert_eq!(refused["problems"][0]["row"], 2);
    assert_eq!(refused["committed"], false);
    assert!(!refused.to_string().contains("李四"), "{refused}");
    assert_eq!(count(), "2");
    // Their own branch's rows go in.
    let own =
        ws.write_csv("own.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n王五,2026003,第一党支部,2025-09-01\n");
    dangan(&url, "孙书记", &["import", own.to_str().unwrap()]).assert().success();
    assert_eq!(count(), "3");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn an_administrators_import_adds_the_branches_it_names_as_a_workspaces_does() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n王五,2026003,新建支部,2025-09-01\n赵六,2026004,数学总支/本科生支部,2026-01-31\n",
    );
    let out = dangan(&url, ADMIN, &["import", roster.to_str().unwrap(), "--json"]).output().unwrap();
    let on_server = report(out);
    let in_workspace = report(ws.dangan(&["import", roster.to_str().unwrap(), "--json"]).output().unwrap());
    assert_eq!(on_server["branches_created"], serde_json::json!(["新建支部", "数学总支", "数学总支/本科生支部"]));
    assert_eq!(on_server["branches_created"], in_workspace["branches_created"]);
    let members = crate::members::members(&url, ADMIN);
    let zhao = members.iter().find(|m| m["name"] == "赵六").unwrap();
    assert_eq!(zhao["branch"], "数学总支/本科生支部");
    let kinds = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(kind, ',' ORDER BY id) FROM dangan.org_units WHERE name IN ('数学总支', '本科生支部', '新建支部')",
    );
    assert_eq!(kinds.trim(), "branch,general_branch,branch");
    // The units are logged as any other change.
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT count(*) FROM dangan.audit_log WHERE entity = 'org_units' AND action = 'insert'",
    );
    assert!(logged.trim().parse::<u32>().unwrap() >= 5, "{logged}");
}

#[test]
fn an_export_from_a_server_reimports_cleanly_and_holds_only_what_the_user_reads() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    add_secretary(&url);
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,确定入党积极分子日期\n王五,2026003,第一党支部,2025-09-01,2026-03-10\n赵六,2026004,数学总支/本科生支部,2026-01-31,\n",
    );
    dangan(&url, ADMIN, &["import", roster.to_str().unwrap()]).assert().success();
    // (The office's first two get student numbers, by which a re-import finds everyone.)
    cluster.superuser_sql("dangan", "UPDATE dangan.people SET student_no = 'S' || id WHERE student_no IS NULL");

    // The department's export: everyone, each branch by its path, with their steps.
    let all = ws.file("all.xlsx");
    dangan(&url, ADMIN, &["export", all.to_str().unwrap()]).assert().success().stdout(contains("4"));
    // Into a fresh workspace it imports cleanly, with the same people at the same stages.
    let fresh = TestWorkspace::initialised();
    fresh.dangan(&["import", all.to_str().unwrap()]).assert().success();
    let stages = |list: Vec<serde_json::Value>| {
        let mut v: Vec<(String, String)> = list
            .iter()
            .map(|m| (m["name"].as_str().unwrap().to_owned(), m["stage"].as_str().unwrap().to_owned()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(stages(fresh.members_json(&[])), stages(crate::members::members(&url, ADMIN)));
    // Onto the server again it changes nobody.
    let again = report(dangan(&url, ADMIN, &["import", all.to_str().unwrap(), "--json"]).output().unwrap());
    assert_eq!(again["created"], 0, "{again}");

    // A secretary's export holds their branch only; an export never goes into this PC's
    // workspace folder, and is a workbook.
    let theirs = ws.file("theirs.xlsx");
    dangan(&url, "孙书记", &["export", theirs.to_str().unwrap()]).assert().success();
    let fresh = TestWorkspace::initialised();
    fresh.dangan(&["import", theirs.to_str().unwrap()]).assert().success();
    let names: Vec<String> = fresh.members_json(&[]).iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"张三".to_owned()) && names.contains(&"王五".to_owned()), "{names:?}");
    let inside = ws.dir().join("x.xlsx");
    dangan(&url, ADMIN, &["--workspace", ws.dir().to_str().unwrap(), "export", inside.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(contains("inside the workspace folder"));
    dangan(&url, ADMIN, &["export", ws.file("x.csv").to_str().unwrap()]).assert().failure().stderr(contains(".xlsx"));
}
