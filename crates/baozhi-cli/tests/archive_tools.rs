//! `baozhi archive stats|list|delete|reindex|export` and `search --kwic`
//! on a real archive built by `baozhi ingest`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_baozhi");

fn baozhi(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run baozhi")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn article(n: usize, title: &str, text: &str) -> Value {
    json!({
        "id": format!("a{n}"), "page": null, "column": null, "series": null,
        "kicker": null, "title": title, "subtitle": null,
        "bylines": [{"role": "记者", "names": ["王五"]}],
        "dateline": null,
        "paragraphs": [{"kind": "text", "text": text}],
        "captions": [{"text": "图为新线", "credit": "李四摄"}],
        "continues_to": null, "continued_from": null, "marks": []
    })
}

fn document(paper: &str, date: &str, page: &str, articles: Vec<Value>) -> Value {
    json!({
        "schema": "baozhi/1", "paper": paper, "date": date,
        "pages": [{"page": page, "furniture": []}],
        "articles": articles
    })
}

/// An archive of 3 pages and 5 articles, built by `baozhi ingest`.
fn archive(root: &Path) -> String {
    let docs = [
        document(
            "甲报",
            "2020-01-02",
            "01",
            vec![
                article(1, "铁路新线", "新建铁路通车，\"沿线\"群众出行更方便。"),
                article(2, "冬小麦", "冬小麦长势良好。"),
            ],
        ),
        document(
            "甲报",
            "2021-05-06",
            "01",
            vec![article(1, "五一", "假期铁路客流创新高。")],
        ),
        document(
            "乙报",
            "2020-03-04",
            "A1",
            vec![
                article(1, "春耕", "春耕有序推进。"),
                article(2, "高铁", "高铁里程增加。"),
            ],
        ),
    ];
    let jsonl: String = docs.iter().map(|d| format!("{d}\n")).collect();
    let file = root.join("docs.jsonl");
    std::fs::write(&file, jsonl).unwrap();
    let data = root.join("data").display().to_string();
    let out = baozhi(&["ingest", "--data", &data, file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    data
}

#[test]
fn stats_count_what_was_ingested() {
    let root = tempfile::tempdir().unwrap();
    let data = archive(root.path());
    let out = baozhi(&["archive", "stats", "--data", &data, "--format", "json"]);
    assert!(out.status.success());
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["papers"], 2);
    assert_eq!(stats["issues"], 3);
    assert_eq!(stats["pages"], 3);
    assert_eq!(stats["articles"], 5);
    assert_eq!(stats["by_paper"][1]["paper"], "甲报");
    assert_eq!(stats["by_paper"][1]["first_date"], "2020-01-02");
    assert_eq!(stats["by_paper"][1]["last_date"], "2021-05-06");
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    let text = stdout(&baozhi(&["archive", "stats", "--data", &data]));
    assert!(
        text.starts_with("2 papers, 3 issues, 3 pages, 5 articles"),
        "{text}"
    );
    // No archive there: a clear error, none created.
    let missing = root.path().join("nothing");
    let out = baozhi(&["archive", "stats", "--data", missing.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no archive in"));
    assert!(!missing.exists());
}

#[test]
fn list_and_export_page_through_the_articles() {
    let root = tempfile::tempdir().unwrap();
    let data = archive(root.path());
    let all = stdout(&baozhi(&["archive", "list", "--data", &data]));
    assert_eq!(all.lines().count(), 5, "{all}");
    let first_two = stdout(&baozhi(&[
        "archive", "list", "--data", &data, "--limit", "2",
    ]));
    let rest = stdout(&baozhi(&[
        "archive", "list", "--data", &data, "--offset", "2",
    ]));
    assert_eq!(format!("{first_two}{rest}"), all);

    // JSONL: the archive id and keys beside the whole article.
    let jsonl = stdout(&baozhi(&[
        "archive", "export", "--data", &data, "--paper", "甲报",
    ]));
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["article"]["title"], "铁路新线");
    assert_eq!(rows[0]["date"], "2020-01-02");
    assert!(rows[0]["id"]
        .as_str()
        .unwrap()
        .ends_with("/2020-01-02/01/1"));

    // CSV of what a search finds, read back by a CSV reader.
    let out = baozhi(&[
        "archive", "export", "--data", &data, "--format", "csv", "--query", "铁路",
    ]);
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[6], "title");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][6], "铁路新线");
    assert_eq!(&records[0][8], "记者：王五");
    assert_eq!(&records[0][10], "新建铁路通车，\"沿线\"群众出行更方便。");
    assert_eq!(&records[0][11], "图为新线 李四摄");
    assert_eq!(&records[1][2], "2021-05-06");
    // Paging a search export.
    let out = baozhi(&[
        "archive", "export", "--data", &data, "--query", "铁路", "--offset", "1",
    ]);
    assert_eq!(stdout(&out).lines().count(), 1);
    // To a file.
    let file = root.path().join("out.jsonl");
    let out = baozhi(&[
        "archive",
        "export",
        "--data",
        &data,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 5);
}

#[test]
fn kwic_writes_a_csv_line_per_match() {
    let root = tempfile::tempdir().unwrap();
    let data = archive(root.path());
    let out = baozhi(&["search", "--data", &data, "--kwic=3", "铁路"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "paper", "date", "page", "field", "left", "match", "right"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // 铁路新线: headline and text; 五一: text.
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][4], "body");
    assert_eq!(
        (&rows[1][5], &rows[1][6], &rows[1][7]),
        ("新建", "铁路", "通车，")
    );
    assert_eq!(&rows[2][2], "2021-05-06");
    assert_eq!(
        (&rows[2][5], &rows[2][6], &rows[2][7]),
        ("假期", "铁路", "客流创")
    );
    // Nothing found: exit 1, as grep.
    let out = baozhi(&["search", "--data", &data, "--kwic", "黄河"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn delete_asks_first_then_deletes_and_reindex_rebuilds() {
    let root = tempfile::tempdir().unwrap();
    let data = archive(root.path());
    let count = |q: &str| {
        let out = baozhi(&["search", "--data", &data, "--format", "json", q]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count("高铁"), 1);
    let out = baozhi(&["archive", "delete", "--data", &data]);
    assert!(
        !out.status.success(),
        "a delete without a selection is refused"
    );
    let out = baozhi(&["archive", "delete", "--data", &data, "--paper", "乙报"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("would delete 2 articles on 1 pages"));
    assert_eq!(count("高铁"), 1, "nothing deleted without --yes");
    let out = baozhi(&[
        "archive", "delete", "--data", &data, "--paper", "乙报", "--yes",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("deleted 1 pages, 2 articles, 1 issues, 1 papers"));
    assert_eq!(count("高铁"), 0);

    // A removed index comes back from the records.
    std::fs::remove_dir_all(Path::new(&data).join("index")).unwrap();
    let out = baozhi(&["archive", "reindex", "--data", &data]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("indexed 3 articles"));
    assert_eq!(count("铁路"), 2);
}

/// A page with a misread place name (浙川 for 淅川) and its date in the
/// running head, not in the file name.
const TYPO_PAGE: &str = "南阳日报
2024年10月22日 星期二

浙川县发展生态林果23万余亩——
好了渠首生态 富了山区百姓
本报记者 张三
记者日前走进南阳市浙川县仓房镇,漫山遍野的林果基地里,果农们正忙着采摘、分拣、装车,一派丰收景象。
仓房镇的林果产业虽有有着四十多年的历史,但过去规模小、品种杂、效益低,群众增收的路子并不宽。
";

#[test]
fn ingest_proof_makes_the_corrected_text_searchable_and_reads_the_head_date() {
    let root = tempfile::tempdir().unwrap();
    let page = root.path().join("typo.txt");
    std::fs::write(&page, TYPO_PAGE).unwrap();
    let count = |data: &str, q: &str| {
        let out = baozhi(&["search", "--data", data, "--format", "json", q]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    for (proof, expected) in [(false, 0), (true, 1)] {
        let data = root
            .path()
            .join(format!("data-{proof}"))
            .display()
            .to_string();
        let mut args = vec!["ingest", "--data", &data, "--paper", "南阳日报"];
        if proof {
            args.push("--proof");
        }
        args.push(page.to_str().unwrap());
        let out = baozhi(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found = count(&data, "淅川县");
        assert_eq!(found["total"], expected, "--proof {proof}: {found}");
        // The print is found either way, and shown as printed.
        let printed = count(&data, "浙川县");
        assert_eq!(printed["total"], 1);
        if proof {
            let snippet = found["hits"][0]["snippet"].as_str().unwrap();
            assert!(
                snippet.contains("浙川") && !snippet.contains("淅川"),
                "{snippet}"
            );
        }
        // Undated file name: the date is the running head's.
        let list = stdout(&baozhi(&["archive", "list", "--data", &data]));
        assert!(list.contains("\t2024-10-22\t"), "{list}");
    }
}
