#![no_main]

use baozhi_ingest::{decode, EncodingChoice};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode(data, EncodingChoice::Auto) {
        // What decode promises about text it accepts.
        assert!(!d.text.contains('\0'));
        assert!(!d.text.starts_with('\u{FEFF}') || d.had_bom);
        assert!(d
            .text
            .chars()
            .any(|c| !c.is_whitespace() && c != '\u{FEFF}'));
        // GB18030 0x80 (one byte) is U+20AC (three bytes in UTF-8).
        assert!(d.text.len() <= data.len() * 3);
    }
});
