//! Pictures of pages for people to look at (the web reader shows a page
//! with its articles' regions over it): PDF pages rendered by poppler's
//! `pdftoppm`, run as a program like the OCR's renderer
//! ([`crate::Tesseract::recognize_pdf_page`]), and scans shrunk to the same
//! size.

use std::path::Path;
use std::process::Command;

use crate::tesseract::{on_path, run_for, scratch, INSTALL_PDFTOPPM};
use crate::OcrError;

/// The long side of a page picture, in pixels. A broadsheet page (about
/// 390 × 540 mm) then shows body type at about 8 px a character and
/// headlines far larger: enough to see the layout and find an article,
/// while a page's picture stays small beside a day's papers (about 160 KB
/// a real-layout broadsheet page, 50 ms to render; 1600 px gave 280 KB).
/// Reading the article itself is what the text view is for.
pub const PAGE_PICTURE_LONG_SIDE: u32 = 1200;

/// JPEG quality of page pictures: print on white compresses well, and
/// 60 keeps type edges clean at this size (75 was a quarter larger).
const PAGE_PICTURE_QUALITY: u32 = 60;

/// Whether PDF pages can be rendered here (poppler's `pdftoppm` is on
/// `PATH`), for a batch to say once that they cannot.
pub fn can_render_pdfs() -> bool {
    on_path("pdftoppm").is_some()
}

/// Why PDF pages cannot be rendered, naming the package to install.
pub fn cannot_render_pdfs() -> String {
    format!(
        "pictures of PDF pages are rendered by pdftoppm, which is not installed (Debian: {INSTALL_PDFTOPPM})"
    )
}

/// One rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePicture {
    /// The page's place in the PDF, from 1.
    pub number: usize,
    /// A JPEG image.
    pub jpeg: Vec<u8>,
}

/// How long rendering may take: this much a page, and
const PICTURE_SECONDS_PER_PAGE: u64 = 10;
/// this much for the program to start and open the file. A broadsheet
/// page takes about 50 ms; a file that takes two hundred times that is one
/// `pdftoppm` chokes on, and is given up rather than let hold up a batch.
const PICTURE_SECONDS_TO_START: u64 = 10;

/// Renders every page of the PDF at `pdf` (`pages` of them) as a JPEG
/// whose long side is [`PAGE_PICTURE_LONG_SIDE`] pixels, in page order,
/// with one run of `pdftoppm`. A missing `pdftoppm` is
/// [`OcrError::Missing`], naming the package; a PDF it cannot render, or
/// not within [`PICTURE_SECONDS_PER_PAGE`] a page, is [`OcrError::Failed`].
pub fn page_pictures(pdf: &Path, pages: usize) -> Result<Vec<PagePicture>, OcrError> {
    let pdftoppm = on_path("pdftoppm").ok_or_else(|| OcrError::Missing(cannot_render_pdfs()))?;
    let dir = scratch()?;
    let base = dir.path().join("page");
    let limit = PICTURE_SECONDS_TO_START + PICTURE_SECONDS_PER_PAGE * pages as u64;
    run_for(
        Command::new(pdftoppm)
            .arg("-jpeg")
            .args(["-jpegopt", &format!("quality={PAGE_PICTURE_QUALITY}")])
            .args(["-scale-to", &PAGE_PICTURE_LONG_SIDE.to_string()])
            .arg(pdf)
            .arg(&base),
        "pdftoppm",
        std::time::Duration::from_secs(limit),
    )?;
    // pdftoppm names the pages `page-N.jpg`, N zero-padded to the width of
    // the page count: read the number back rather than guess the padding.
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir.path()).map_err(io_failed)? {
        let path = entry.map_err(io_failed)?.path();
        let number = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.strip_prefix("page-"))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(number) = number {
            let jpeg = std::fs::read(&path).map_err(io_failed)?;
            pages.push(PagePicture { number, jpeg });
        }
    }
    pages.sort_by_key(|p| p.number);
    Ok(pages)
}

/// A scan (PNG, JPEG or TIFF; a TIFF's first image) as a page picture: a
/// JPEG whose long side is at most [`PAGE_PICTURE_LONG_SIDE`] pixels. A
/// 300-dpi broadsheet scan (about 4,600 × 6,400 pixels, 5–30 MB) would
/// weigh on an archive a hundred times more than its text.
pub fn scan_picture(bytes: &[u8]) -> Result<Vec<u8>, OcrError> {
    let scan = image::load_from_memory(bytes)
        .map_err(|e| OcrError::Failed(format!("page picture: cannot decode the scan: {e}")))?;
    let side = PAGE_PICTURE_LONG_SIDE;
    let small = if scan.width().max(scan.height()) > side {
        scan.thumbnail(side, side)
    } else {
        scan
    };
    // JPEG holds grey or RGB; a scan in grey stays one channel.
    let small = if small.color().has_color() {
        image::DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        image::DynamicImage::ImageLuma8(small.to_luma8())
    };
    let mut jpeg = Vec::new();
    small
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg,
            PAGE_PICTURE_QUALITY as u8,
        ))
        .map_err(|e| OcrError::Failed(format!("page picture: {e}")))?;
    Ok(jpeg)
}

fn io_failed(e: std::io::Error) -> OcrError {
    OcrError::Failed(format!("page picture: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The PDF fixtures of the PDF reader.
    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../baozhi-pdf/tests/fixtures")
            .join(name)
    }

    #[test]
    fn every_page_becomes_a_jpeg_in_order() {
        if on_path("pdftoppm").is_none() {
            eprintln!("skipped: pdftoppm is not installed ({INSTALL_PDFTOPPM})");
            return;
        }
        let pages = page_pictures(&fixture("two-pages.pdf"), 2).expect("rendered");
        assert_eq!(
            pages.iter().map(|p| p.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        for p in &pages {
            assert_eq!(
                &p.jpeg[..3],
                &[0xFF, 0xD8, 0xFF],
                "page {} is a JPEG",
                p.number
            );
        }
    }

    #[test]
    fn a_scan_becomes_a_small_jpeg_of_its_shape() {
        // A grey scan taller than the picture's long side, as a PNG.
        let scan =
            image::GrayImage::from_fn(900, 2400, |x, y| image::Luma([((x + y) % 256) as u8]));
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(scan)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let jpeg = scan_picture(&png).expect("a picture");
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!(
            image::guess_format(&jpeg).unwrap(),
            image::ImageFormat::Jpeg
        );
        assert_eq!(back.height(), PAGE_PICTURE_LONG_SIDE);
        assert_eq!(back.width(), 450, "the scan's shape kept");
        // Bytes that are no image are an error, not a panic.
        assert!(matches!(
            scan_picture(b"not an image"),
            Err(OcrError::Failed(_))
        ));
    }

    #[test]
    fn a_file_that_is_no_pdf_is_an_error_not_a_panic() {
        if on_path("pdftoppm").is_none() {
            eprintln!("skipped: pdftoppm is not installed ({INSTALL_PDFTOPPM})");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.pdf");
        std::fs::write(&bad, b"not a pdf at all").unwrap();
        assert!(matches!(page_pictures(&bad, 1), Err(OcrError::Failed(_))));
    }
}
