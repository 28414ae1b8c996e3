//! Ingest without poppler's `pdftoppm`: PDF pages are kept without their
//! pictures, and the run says so once. (Its own test binary: it empties
//! `PATH` for the whole process.)

use std::path::Path;

use baozhi_archive::{Archive, IngestOptions};

#[test]
fn without_a_renderer_pdf_pages_are_kept_and_the_run_says_why_once() {
    let root = tempfile::tempdir().unwrap();
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for day in ["2026-03-12", "2026-03-13"] {
        std::fs::copy(
            repo.join("examples/shili-2026-03-12-p01.pdf"),
            pages.join(format!("shili-{day}-p01.pdf")),
        )
        .unwrap();
    }
    let empty = root.path().join("bin");
    std::fs::create_dir_all(&empty).unwrap();
    // This test binary has this one test: no other thread reads the
    // environment while it changes.
    std::env::set_var("PATH", &empty);
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let opts = IngestOptions {
        paper: Some("示例日报".to_string()),
        page_pictures: true,
        ..IngestOptions::default()
    };
    let summary = archive
        .ingest_path_with(&pages, &opts, &mut |_| {})
        .unwrap();
    assert_eq!(summary.pages, 2, "{:?}", summary.skipped);
    assert_eq!(summary.pictures, 0);
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(
        summary.warnings[0].contains("poppler-utils"),
        "{:?}",
        summary.warnings
    );
    assert_eq!(
        archive
            .page_picture("示例日报", "2026-03-12", "01")
            .unwrap(),
        None
    );
}
