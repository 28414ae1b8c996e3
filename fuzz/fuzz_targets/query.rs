#![no_main]

use std::sync::{Mutex, OnceLock};

use baozhi_archive::{check_query_text, Archive, ArchiveError, SearchQuery};
use baozhi_model::{Article, Document, Paragraph, ParagraphKind};
use libfuzzer_sys::fuzz_target;

/// One archive for the whole run, in a directory of its own under the temp
/// dir, holding one article so that searches go on to scoring and snippets.
fn archive() -> &'static Mutex<Archive> {
    static ARCHIVE: OnceLock<Mutex<Archive>> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("baozhi-fuzz-query-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut archive = Archive::open(&dir).expect("open archive");
        let mut doc = Document::new(Some("测试日报".into()), Some("2024-10-22".into()));
        let mut a = Article::new(
            "01-1".into(),
            Some("01".into()),
            "丹江口库区生态补水".into(),
        );
        a.paragraphs.push(Paragraph {
            kind: ParagraphKind::Text,
            text: "南水北调中线工程向沿线河湖生态补水，GDP (增长) 2.5%。".into(),
        });
        doc.articles.push(a);
        archive.ingest_document(&doc).expect("ingest");
        archive.commit().expect("commit");
        Mutex::new(archive)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A text within the limits is parsed and searched; one beyond them is
    // refused with that error, before the parser sees it. Neither may
    // panic or overflow the stack.
    let limits = check_query_text(text);
    let archive = archive().lock().unwrap();
    match archive.search(&SearchQuery::new(text)) {
        Ok(_) => assert_eq!(limits, Ok(())),
        Err(ArchiveError::QueryLimit(e)) => assert_eq!(limits, Err(e)),
        // tantivy may refuse a query it parsed (`date:*` on a field that
        // is not a fast field): an error, not a crash.
        Err(ArchiveError::Index(_)) => assert_eq!(limits, Ok(())),
        Err(e) => panic!("unexpected error for {text:?}: {e}"),
    }
});
