#![no_main]

use baozhi_pdf::Pdf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pdf) = Pdf::from_bytes(data.to_vec()) {
        // A few pages: a fuzzed page count can be huge.
        for i in 0..pdf.page_count().min(8) {
            if let Ok(page) = pdf.page(i) {
                // What a page promises: one text line per printed line,
                // every box well formed.
                assert_eq!(page.text().lines().count(), page.lines.len());
                for l in &page.lines {
                    assert!(!l.text.contains('\n'));
                    assert!(l.bbox.x0 <= l.bbox.x1 && l.bbox.top <= l.bbox.bottom);
                }
                for n in &page.normalized {
                    assert!(n.line < page.lines.len());
                }
            }
        }
    }
});
