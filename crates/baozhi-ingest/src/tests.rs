use super::*;
use proptest::prelude::*;

const PAGE: &str = "人民日报\r\n2024年3月5日 星期二\r\n\u{3000}\u{3000}一、坚持高质量发展，推进中国式现代化。\r\n本报记者 王小明\r\n";

fn ok(bytes: &[u8], choice: EncodingChoice) -> Decoded {
    match decode(bytes, choice) {
        Ok(d) => d,
        Err(e) => panic!("decode failed: {e}"),
    }
}

fn err(bytes: &[u8], choice: EncodingChoice) -> DecodeError {
    match decode(bytes, choice) {
        Ok(d) => panic!("decode succeeded: {d:?}"),
        Err(e) => e,
    }
}

/// The encoding and byte offset of a malformed-input error.
fn malformed(bytes: &[u8], choice: EncodingChoice) -> (&'static str, usize) {
    match err(bytes, choice) {
        DecodeError::Malformed { encoding, offset } => (encoding, offset),
        e => panic!("not a malformed-input error: {e:?}"),
    }
}

fn utf16(s: &str, be: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if be { b"\xFE\xFF" } else { b"\xFF\xFE" });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn gb18030(s: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::GB18030.encode(s);
    assert!(!had_errors, "test text not encodable in GB18030");
    bytes.into_owned()
}

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("baozhi-ingest-{}-{name}", std::process::id()))
}

// ---- UTF-8 ----

#[test]
fn utf8_without_bom() {
    let d = ok(PAGE.as_bytes(), EncodingChoice::Auto);
    assert_eq!(d.text, PAGE);
    assert_eq!(d.encoding, "UTF-8");
    assert!(!d.had_bom);
}

#[test]
fn utf8_with_bom_is_stripped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(PAGE.as_bytes());
    for choice in [EncodingChoice::Auto, EncodingChoice::Utf8] {
        let d = ok(&bytes, choice);
        assert_eq!(d.text, PAGE);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_bom);
    }
}

#[test]
fn utf8_forced_invalid_reports_offset() {
    // 17 valid bytes, then a lone continuation byte.
    let mut bytes = b"abcdefghijklmnopq".to_vec();
    bytes.push(0x80);
    bytes.extend_from_slice(b"rest");
    assert_eq!(malformed(&bytes, EncodingChoice::Utf8), ("UTF-8", 17));
    let e = err(&bytes, EncodingChoice::Utf8);
    assert_eq!(e.to_string(), "invalid UTF-8 at byte offset 17");
}

#[test]
fn utf8_invalid_after_bom_counts_the_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("报纸".as_bytes()); // 6 bytes
    bytes.extend_from_slice(b"\xE4\xB8"); // truncated 3-byte sequence
    bytes.extend_from_slice(b"x");
    assert_eq!(malformed(&bytes, EncodingChoice::Auto), ("UTF-8", 9));
}

#[test]
fn auto_neither_utf8_nor_gb18030_reports_utf8_offset() {
    // 0xFF is no lead byte in GB18030 and invalid in UTF-8.
    let mut bytes = "第一版 ".as_bytes().to_vec(); // 10 bytes
    bytes.extend_from_slice(b"\xFF\xFFabc");
    assert_eq!(malformed(&bytes, EncodingChoice::Auto), ("UTF-8", 10));
}

// ---- GB18030 ----

#[test]
fn gb18030_auto_detected() {
    let bytes = gb18030(PAGE);
    assert!(std::str::from_utf8(&bytes).is_err());
    let d = ok(&bytes, EncodingChoice::Auto);
    assert_eq!(d.text, PAGE);
    assert_eq!(d.encoding, "GB18030");
    assert!(!d.had_bom);
}

#[test]
fn gb18030_forced() {
    let s = "新华社北京3月5日电（记者 李华）十四届全国人大二次会议今天开幕。\n";
    let d = ok(&gb18030(s), EncodingChoice::Gb18030);
    assert_eq!(d.text, s);
    assert_eq!(d.encoding, "GB18030");
}

#[test]
fn gb18030_four_byte_sequences() {
    // U+00E9 and U+20000 need GB18030's four-byte form.
    let s = "café 𠀀 中文";
    let bytes = gb18030(s);
    assert_eq!(ok(&bytes, EncodingChoice::Gb18030).text, s);
    assert_eq!(ok(&bytes, EncodingChoice::Auto).text, s);
}

#[test]
fn gb18030_bom_is_stripped() {
    let mut bytes = b"\x84\x31\x95\x33".to_vec();
    bytes.extend_from_slice(&gb18030(PAGE));
    for choice in [EncodingChoice::Auto, EncodingChoice::Gb18030] {
        let d = ok(&bytes, choice);
        assert_eq!(d.text, PAGE);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.had_bom);
    }
    let e = err(b"\x84\x31\x95\x33\xA1\xA1", EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Empty), "{e:?}");
}

#[test]
fn gb18030_malformed_offsets() {
    let mut bytes = gb18030("中文");
    assert_eq!(bytes.len(), 4);
    bytes.extend_from_slice(b"\x81\x20tail"); // lead byte, then an invalid trail
    assert_eq!(malformed(&bytes, EncodingChoice::Gb18030), ("GB18030", 4));
    let e = err(&bytes, EncodingChoice::Gb18030);
    assert_eq!(e.to_string(), "invalid GB18030 at byte offset 4");

    // A lead byte cut off at the end.
    let mut bytes = gb18030("中文ab");
    bytes.push(0x81);
    assert_eq!(malformed(&bytes, EncodingChoice::Gb18030), ("GB18030", 6));

    // 0xFF is never valid.
    assert_eq!(
        malformed(b"abc\xFF", EncodingChoice::Gb18030),
        ("GB18030", 3)
    );
}

// ---- UTF-16 ----

#[test]
fn utf16_with_bom() {
    for be in [false, true] {
        let bytes = utf16(PAGE, be, true);
        for choice in [
            EncodingChoice::Auto,
            EncodingChoice::Utf16Le,
            EncodingChoice::Utf16Be,
            EncodingChoice::Utf8,
        ] {
            let d = ok(&bytes, choice);
            assert_eq!(d.text, PAGE, "be={be} {choice}");
            assert_eq!(d.encoding, if be { "UTF-16BE" } else { "UTF-16LE" });
            assert!(d.had_bom);
        }
    }
}

#[test]
fn utf16_without_bom_auto_detected() {
    for be in [false, true] {
        let bytes = utf16(PAGE, be, false);
        let d = ok(&bytes, EncodingChoice::Auto);
        assert_eq!(d.text, PAGE, "be={be}");
        assert_eq!(d.encoding, if be { "UTF-16BE" } else { "UTF-16LE" });
        assert!(!d.had_bom);
    }
}

#[test]
fn utf16_without_bom_ascii_only() {
    let s = "Page 1\nHeadline\nBody text.\n";
    for be in [false, true] {
        let d = ok(&utf16(s, be, false), EncodingChoice::Auto);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, if be { "UTF-16BE" } else { "UTF-16LE" });
    }
}

#[test]
fn utf16_without_bom_mostly_chinese() {
    // Few NUL bytes: only the line breaks, U+3000 and 一 have one.
    let s = "\u{3000}\u{3000}一九四九年十月一日，中华人民共和国中央人民政府成立。\n".repeat(20);
    for be in [false, true] {
        let d = ok(&utf16(&s, be, false), EncodingChoice::Auto);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, if be { "UTF-16BE" } else { "UTF-16LE" });
    }
}

#[test]
fn utf16_forced_without_bom() {
    let d = ok(&utf16(PAGE, true, false), EncodingChoice::Utf16Be);
    assert_eq!(d.text, PAGE);
    assert_eq!(d.encoding, "UTF-16BE");
    let d = ok(&utf16(PAGE, false, false), EncodingChoice::Utf16Le);
    assert_eq!(d.text, PAGE);
    // "utf-16" is LE unless a BOM says otherwise.
    let choice: EncodingChoice = "utf-16".parse().unwrap();
    assert_eq!(ok(&utf16(PAGE, false, false), choice).encoding, "UTF-16LE");
    assert_eq!(ok(&utf16(PAGE, true, true), choice).encoding, "UTF-16BE");
}

#[test]
fn utf16_malformed_offsets() {
    // Odd length: the last byte is the bad one.
    let mut bytes = utf16("报纸", false, true); // 2 + 4 bytes
    bytes.push(b'x');
    assert_eq!(malformed(&bytes, EncodingChoice::Auto), ("UTF-16LE", 6));

    // Unpaired high surrogate after two units.
    let mut bytes = utf16("ab", true, false);
    bytes.extend_from_slice(&0xD800u16.to_be_bytes());
    bytes.extend_from_slice(&utf16("c", true, false));
    assert_eq!(malformed(&bytes, EncodingChoice::Utf16Be), ("UTF-16BE", 4));

    // Lone low surrogate after a BOM and a surrogate pair.
    let mut bytes = utf16("𠀀", false, true); // 2 + 4 bytes
    bytes.extend_from_slice(&0xDC00u16.to_le_bytes());
    assert_eq!(malformed(&bytes, EncodingChoice::Auto), ("UTF-16LE", 6));
}

// ---- line endings ----

#[test]
fn line_endings_are_kept() {
    let s = "一\r\n二\r三\n四\r\n\r\n五";
    assert_eq!(ok(s.as_bytes(), EncodingChoice::Auto).text, s);
    assert_eq!(ok(&gb18030(s), EncodingChoice::Auto).text, s);
    assert_eq!(ok(&utf16(s, false, true), EncodingChoice::Auto).text, s);
    assert_eq!(ok(&utf16(s, true, false), EncodingChoice::Auto).text, s);
}

#[test]
fn tabs_and_form_feeds_are_text() {
    let s = "第一版\t要闻\n\u{0C}第二版\t国内\n";
    assert_eq!(ok(s.as_bytes(), EncodingChoice::Auto).text, s);
}

// ---- binary ----

#[test]
fn nul_in_utf8_is_binary_with_offset() {
    let mut bytes = "报纸abc".as_bytes().to_vec(); // 9 bytes
    bytes.push(0);
    bytes.extend_from_slice("更多文字".repeat(100).as_bytes());
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Binary { offset: 9, .. }), "{e:?}");
    assert_eq!(e.to_string(), "not text: NUL byte at byte offset 9");

    let e = err(&bytes, EncodingChoice::Utf8);
    assert!(matches!(e, DecodeError::Binary { offset: 9, .. }), "{e:?}");

    // Past the first 4 KiB, so not even a UTF-16 candidate.
    let mut bytes = "正文。".repeat(2000).into_bytes();
    let at = bytes.len();
    bytes.extend_from_slice(b"\0\0\0");
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(
        matches!(e, DecodeError::Binary { offset, .. } if offset == at),
        "{e:?}"
    );
}

#[test]
fn stray_nul_in_english_text_is_not_read_as_utf16() {
    // Read as UTF-16LE, pairs of lowercase letters are CJK ideographs: the
    // text must not come out as such nonsense.
    let mut bytes = b"the quick brown fox jumps over the lazy dog ".repeat(3);
    bytes.push(0);
    bytes.extend_from_slice(b"and runs away");
    let at = 3 * 44;
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(
        matches!(e, DecodeError::Binary { offset, .. } if offset == at),
        "{e:?}"
    );
}

#[test]
fn stray_nul_in_gb18030_text_is_binary() {
    let mut bytes = gb18030(&"中华人民共和国成立七十五周年。".repeat(5));
    let at = bytes.len();
    bytes.push(0);
    bytes.extend_from_slice(&gb18030("庆祝大会在北京举行。"));
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(
        matches!(e, DecodeError::Binary { offset, .. } if offset == at),
        "{e:?}"
    );
}

#[test]
fn nul_with_bom_counts_the_bom() {
    let mut bytes = b"\xEF\xBB\xBFab".to_vec();
    bytes.push(0);
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Binary { offset: 5, .. }), "{e:?}");
}

#[test]
fn nul_in_gb18030_is_binary_with_offset() {
    let mut bytes = gb18030("中文报纸"); // 8 bytes
    bytes.push(0);
    bytes.extend_from_slice(&gb18030("后面的文字"));
    let e = err(&bytes, EncodingChoice::Gb18030);
    assert!(matches!(e, DecodeError::Binary { offset: 8, .. }), "{e:?}");
}

#[test]
fn nul_in_utf16_is_binary_with_offset() {
    let bytes = utf16("一二三\0四五", false, true);
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Binary { offset: 8, .. }), "{e:?}");
    assert_eq!(e.to_string(), "not text: NUL character at byte offset 8");
}

#[test]
fn binary_junk_with_nuls_is_binary() {
    // Pseudo-random bytes, every fifth one a NUL.
    let mut x = 12345u32;
    let bytes: Vec<u8> = (0..12000)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            if i % 5 == 0 {
                0
            } else {
                (x >> 16) as u8
            }
        })
        .collect();
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Binary { .. }), "{e:?}");
    assert!(e.to_string().starts_with("not text: "), "{e}");
}

#[test]
fn many_control_characters_are_binary() {
    let mut s = String::from("abcdefghij");
    for _ in 0..10 {
        s.push_str("\u{1B}[0m正文正文正文");
    }
    let e = err(s.as_bytes(), EncodingChoice::Auto);
    match &e {
        DecodeError::Binary { offset, what } => {
            assert_eq!(*offset, 10);
            assert!(what.contains("U+001B"), "{what}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("byte offset 10"), "{e}");
}

#[test]
fn control_offset_in_gb18030_is_a_byte_offset() {
    let mut bytes = gb18030("中文"); // 4 bytes
    bytes.extend_from_slice(b"\x07\x07\x07");
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(matches!(e, DecodeError::Binary { offset: 4, .. }), "{e:?}");
}

#[test]
fn a_stray_control_character_is_tolerated() {
    let s = format!("{}\u{1A}", "这是一段很长的正文。".repeat(20));
    assert_eq!(ok(s.as_bytes(), EncodingChoice::Auto).text, s);
}

#[test]
fn known_binary_signatures() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
            "PDF file (to be read as a PDF, not as text)",
        ),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "JPEG image"),
        (b"PK\x03\x04\x14\0\0\0", "ZIP file"),
        (b"\x1F\x8B\x08\0", "gzip"),
        (b"RIFF\x24\0\0\0WEBPVP8 ", "WebP image"),
    ];
    for (bytes, what_start) in cases {
        for choice in [
            EncodingChoice::Auto,
            EncodingChoice::Utf8,
            EncodingChoice::Gb18030,
            EncodingChoice::Big5,
        ] {
            let e = err(bytes, choice);
            match &e {
                DecodeError::Binary { offset, what } => {
                    assert_eq!(*offset, 0);
                    assert!(what.starts_with(what_start), "{what}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(
        err(b"%PDF-1.4", EncodingChoice::Auto).to_string(),
        "not text: PDF file (to be read as a PDF, not as text)"
    );
}

// ---- empty ----

#[test]
fn empty_and_blank_pages() {
    let blanks: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b" ".to_vec(),
        b"  \r\n\t\n".to_vec(),
        "\u{3000}\u{3000}\r\n".as_bytes().to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xEF\xBB\xBF \n".to_vec(),
        b"\xFF\xFE".to_vec(),
        b"\xFE\xFF".to_vec(),
        utf16(" \u{3000}\r\n", false, true),
        utf16("\n\n", true, false),
        b"\xA1\xA1\r\n".to_vec(), // U+3000 in GB18030
    ];
    for bytes in blanks {
        let e = err(&bytes, EncodingChoice::Auto);
        assert!(matches!(e, DecodeError::Empty), "{bytes:?}: {e:?}");
        assert_eq!(e.to_string(), "empty page: no text");
    }
}

// ---- size and files ----

#[test]
fn too_large_slice() {
    let bytes = vec![b'a'; MAX_PAGE_BYTES as usize + 1];
    let e = err(&bytes, EncodingChoice::Auto);
    assert!(
        matches!(e, DecodeError::TooLarge { size, limit } if size == MAX_PAGE_BYTES + 1 && limit == MAX_PAGE_BYTES),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "file is larger than the 64 MiB limit for one page"
    );
}

#[test]
fn too_large_messages() {
    let e = DecodeError::TooLarge {
        size: 80 * MIB,
        limit: MAX_PAGE_BYTES,
    };
    assert_eq!(
        e.to_string(),
        "file is 80.0 MiB, larger than the 64 MiB limit for one page"
    );
    let e = DecodeError::TooLarge {
        size: 64 * MIB + MIB / 2,
        limit: MAX_PAGE_BYTES,
    };
    assert_eq!(
        e.to_string(),
        "file is 64.5 MiB, larger than the 64 MiB limit for one page"
    );
}

#[test]
fn read_page_checks_size_before_reading() {
    let path = temp_path("big.txt");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(80 * MIB).unwrap(); // sparse: nothing is written
    drop(file);
    let e = read_page(&path, EncodingChoice::Auto).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(
        matches!(e, DecodeError::TooLarge { size, .. } if size == 80 * MIB),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "file is 80.0 MiB, larger than the 64 MiB limit for one page"
    );
}

#[test]
fn read_page_reads_and_decodes() {
    let path = temp_path("page.txt");
    std::fs::write(&path, gb18030(PAGE)).unwrap();
    let d = read_page(&path, EncodingChoice::Auto);
    std::fs::remove_file(&path).unwrap();
    let d = d.unwrap();
    assert_eq!(d.text, PAGE);
    assert_eq!(d.encoding, "GB18030");
}

#[test]
fn read_page_io_errors() {
    let e = read_page(&temp_path("does-not-exist.txt"), EncodingChoice::Auto).unwrap_err();
    assert!(
        matches!(&e, DecodeError::Io(io) if io.kind() == std::io::ErrorKind::NotFound),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("cannot read: "), "{e}");

    let e = read_page(&std::env::temp_dir(), EncodingChoice::Auto).unwrap_err();
    assert!(matches!(e, DecodeError::Io(_)), "{e:?}");
    assert_eq!(e.to_string(), "cannot read: is a directory");
}

// ---- encoding names ----

#[test]
fn encoding_names_parse() {
    let cases = [
        ("auto", EncodingChoice::Auto),
        ("utf-8", EncodingChoice::Utf8),
        ("UTF8", EncodingChoice::Utf8),
        ("gb18030", EncodingChoice::Gb18030),
        ("GBK", EncodingChoice::Gb18030),
        ("gb2312", EncodingChoice::Gb18030),
        ("utf-16le", EncodingChoice::Utf16Le),
        ("UTF_16LE", EncodingChoice::Utf16Le),
        ("utf-16be", EncodingChoice::Utf16Be),
        ("utf-16", EncodingChoice::Utf16Le),
    ];
    for (name, want) in cases {
        assert_eq!(name.parse::<EncodingChoice>(), Ok(want), "{name}");
    }
    for choice in [
        EncodingChoice::Auto,
        EncodingChoice::Utf8,
        EncodingChoice::Gb18030,
        EncodingChoice::Utf16Le,
        EncodingChoice::Utf16Be,
    ] {
        assert_eq!(choice.to_string().parse::<EncodingChoice>(), Ok(choice));
    }
    let e = "latin1".parse::<EncodingChoice>().unwrap_err();
    assert!(
        e.to_string().starts_with("unknown encoding \"latin1\""),
        "{e}"
    );
    assert_eq!(EncodingChoice::default(), EncodingChoice::Auto);
}

// ---- properties ----

/// Characters of a newspaper page, plus anything else that is not a control.
fn page_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('\u{4E00}', '\u{9FA5}'),
        2 => proptest::char::range(' ', '~'),
        1 => prop::sample::select(vec!['\n', '\r', '\t', '\u{3000}', '，', '。', '“', '”', '—']),
        1 => any::<char>().prop_filter("no controls", |c| !c.is_control()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for choice in [
            EncodingChoice::Auto,
            EncodingChoice::Utf8,
            EncodingChoice::Gb18030,
            EncodingChoice::Utf16Le,
            EncodingChoice::Utf16Be,
        ] {
            if let Ok(d) = decode(&bytes, choice) {
                prop_assert!(!d.text.contains('\0'));
                prop_assert!(!d.text.trim().is_empty());
            }
        }
    }

    #[test]
    fn decode_never_panics_after_a_bom(
        bom in prop::sample::select(vec![&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF", b"%PDF", b""]),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut all = bom.to_vec();
        all.extend_from_slice(&bytes);
        let _ = decode(&all, EncodingChoice::Auto);
        let _ = decode(&all, EncodingChoice::Gb18030);
        let _ = decode(&all, EncodingChoice::Big5);
    }

    #[test]
    fn utf8_text_round_trips(s in "\\PC*") {
        prop_assume!(!s.starts_with("%PDF") && !s.starts_with("GIF8"));
        check_utf8_round_trip(&s)?;
    }

    #[test]
    fn page_text_round_trips(chars in proptest::collection::vec(page_char(), 0..300)) {
        let s: String = chars.into_iter().collect();
        prop_assume!(!s.starts_with("%PDF") && !s.starts_with("GIF8"));
        check_utf8_round_trip(&s)?;
        // With a BOM, UTF-16 is exact too.
        if !s.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}') {
            for be in [false, true] {
                let d = decode(&utf16(&s, be, true), EncodingChoice::Auto).unwrap();
                prop_assert_eq!(&d.text, &s);
            }
        }
    }

    #[test]
    fn gb18030_text_round_trips(
        chars in proptest::collection::vec(
            prop_oneof![
                // Text, not a uniform draw over all of CJK: the characters
                // of GB2312 level 1 (3,755 common ones, rows 0xB0-0xD6),
                // which carry nearly all of any Chinese page. A page of
                // only rare characters may read as Big5 just as well.
                3 => (0xB0u8..=0xD6, 0xA1u8..=0xFE).prop_map(|(lead, trail)| {
                    let pair = [lead, trail];
                    let (c, _) = encoding_rs::GB18030.decode_without_bom_handling(&pair);
                    c.chars().next().unwrap_or('中')
                }),
                1 => proptest::char::range(' ', '~'),
                1 => prop::sample::select(vec!['\n', '\r', '\u{3000}', '，', '。']),
            ],
            1..200,
        )
    ) {
        let s: String = chars.into_iter().collect();
        let bytes = gb18030(&s);
        // Short GB18030 text can happen to be valid UTF-8: that is ambiguous.
        prop_assume!(std::str::from_utf8(&bytes).is_err());
        prop_assume!(!s.trim().is_empty());
        let d = decode(&bytes, EncodingChoice::Auto).unwrap();
        prop_assert_eq!(d.encoding, "GB18030");
        prop_assert_eq!(&d.text, &s);
    }
}

fn check_utf8_round_trip(s: &str) -> Result<(), TestCaseError> {
    let r = decode(s.as_bytes(), EncodingChoice::Auto);
    if s.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}') {
        prop_assert!(matches!(r, Err(DecodeError::Empty)), "{:?}", r);
    } else if let Some(rest) = s.strip_prefix('\u{FEFF}') {
        // A leading U+FEFF is a BOM.
        prop_assert_eq!(r.unwrap().text, rest);
    } else {
        let d = r.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&d.text, s);
        prop_assert_eq!(d.encoding, "UTF-8");
        prop_assert!(!d.had_bom);
    }
    Ok(())
}

#[test]
fn read_file_tells_a_pdf_from_text_by_its_header() {
    let text = temp_path("read-file.txt");
    std::fs::write(&text, PAGE.as_bytes()).unwrap();
    match read_file(Some(&text), &EncodingChoice::Auto.into()) {
        Ok(PageFile::Text(d)) => assert!(d.text.contains("王小明")),
        other => panic!("{other:?}"),
    }
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/shili-2026-03-12-p01.pdf");
    match read_file(Some(&example), &EncodingChoice::Auto.into()) {
        Ok(PageFile::Pdf(file)) => assert_eq!(file.pdf.page_count(), 1),
        other => panic!("{other:?}"),
    }
    // A PDF that cannot be opened is a PDF error, not "binary text".
    let broken = temp_path("read-file.pdf");
    std::fs::write(&broken, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog").unwrap();
    match read_file(Some(&broken), &EncodingChoice::Auto.into()) {
        Err(DecodeError::Pdf(baozhi_pdf::PdfError::Damaged(_))) => {}
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_file(text);
    let _ = std::fs::remove_file(broken);
}

#[test]
fn read_file_reads_hocr_and_alto_with_their_boxes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["shili-2026-03-12-p01.hocr", "shili-2026-03-12-p01.alto.xml"] {
        let file = read_file(Some(&root.join(name)), &EncodingChoice::Auto.into());
        let Ok(file @ PageFile::Ocr(_)) = file else {
            panic!("{name}: {file:?}")
        };
        assert_eq!(file.page_count(), 1);
        let page = file.page(0).unwrap();
        let geometry = page.geometry.expect("boxes");
        assert_eq!(geometry.len(), page.text.lines().count());
        assert!(page.text.contains("县图书馆新馆开放"));
        assert_eq!(page.number_in_file, None);
        assert!(file.page(1).is_err());
    }
}

#[test]
fn an_image_is_refused_as_a_scan_without_ocr() {
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("../baozhi-pdf/tests/fixtures/scan.png");
    match read_file(Some(&png), &EncodingChoice::Auto.into()) {
        Err(DecodeError::Binary { what, .. }) => assert!(what.contains("--ocr"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_that_begins_like_an_image_signature_is_text() {
    for text in [
        "BMW汽车在京发布新车型。",
        "P5 is a section of the plan，第五部分。",
    ] {
        let d = decode(text.as_bytes(), EncodingChoice::Auto).expect(text);
        assert_eq!(d.text, text);
    }
}

// ---- Big5 ----

/// A traditional-script page, as a Taiwan or Hong Kong paper prints it.
const TRADITIONAL_PAGE: &str = "聯合報\n2024年10月22日 星期二\n\n\
臺灣鐵路管理局宣布新時刻表\n記者王大明／臺北報導\n\
交通部今天表示，為因應連續假期的旅運需求，臺鐵將加開區間車與自強號列車，\
並延長部分車站的售票時間。民眾可透過網路或超商購買車票，以減少排隊等候。\n";

fn big5(s: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::BIG5.encode(s);
    assert!(!had_errors, "test text not encodable in Big5");
    bytes.into_owned()
}

#[test]
fn big5_is_detected_and_read() {
    let d = ok(&big5(TRADITIONAL_PAGE), EncodingChoice::Auto);
    assert_eq!(d.encoding, "Big5");
    assert_eq!(d.text, TRADITIONAL_PAGE);
    let forced = ok(&big5(TRADITIONAL_PAGE), EncodingChoice::Big5);
    assert_eq!(forced.text, TRADITIONAL_PAGE);
    assert_eq!("BIG5".parse::<EncodingChoice>(), Ok(EncodingChoice::Big5));
    assert_eq!("cp950".parse::<EncodingChoice>(), Ok(EncodingChoice::Big5));
}

#[test]
fn gb_text_is_not_taken_for_big5() {
    // Simplified text in GB18030, and the traditional page in GB18030 too
    // (GB18030 holds traditional characters): both stay GB18030.
    for text in [PAGE, TRADITIONAL_PAGE] {
        let d = ok(&gb18030(text), EncodingChoice::Auto);
        assert_eq!(d.encoding, "GB18030", "{text}");
        assert_eq!(d.text, text);
    }
}

#[test]
fn forced_big5_on_bytes_that_are_not_big5_is_an_error() {
    // 0x80 is no Big5 lead byte.
    let err = decode(b"abc\x80\x80def", EncodingChoice::Big5).unwrap_err();
    assert!(
        err.to_string().contains("invalid Big5 at byte offset 3"),
        "{err}"
    );
}
