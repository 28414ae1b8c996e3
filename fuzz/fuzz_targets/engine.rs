#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let n = text.chars().count();
    let result = baozhi_layout::parse_page(text, &baozhi_layout::Options::default());
    let furniture = result.page.furniture.iter().flat_map(|f| f.spans.iter());
    let articles = result.articles.iter().flat_map(|a| a.spans.iter());
    for &[start, end] in furniture.chain(articles) {
        assert!(
            start <= end && end <= n,
            "span [{start}, {end}] outside 0..={n}"
        );
    }
});
