//! Scans in: the `tesseract` program reads an image into hOCR, which
//! [`crate::hocr`] reads. A PDF page without a text layer is rendered to
//! an image by poppler's `pdftoppm` first.
//!
//! Both are run as programs (not linked: poppler is GPL), found on `PATH`.
//! A missing program or language is an error that names the Debian
//! package to install; nothing falls back silently.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{hocr, OcrError, OcrPage};

/// The resolution a PDF page is rendered at for OCR: Tesseract reads body
/// type of 9–10 pt best at 300 dpi (its documentation asks for text at
/// least 20 px high, which 9 pt reaches at 160 dpi; 300 leaves room for
/// the small type of captions and credits).
pub const PDF_RENDER_DPI: u32 = 300;

/// The image formats Tesseract (through leptonica) reads, told by their
/// first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Tiff,
    Gif,
    Bmp,
    Pnm,
    WebP,
    Jpeg2000,
}

impl ImageFormat {
    /// The image format of `bytes`, if they start like one.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        let b = bytes;
        Some(if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            ImageFormat::Png
        } else if b.starts_with(b"\xFF\xD8\xFF") {
            ImageFormat::Jpeg
        } else if b.starts_with(b"II*\x00") || b.starts_with(b"MM\x00*") {
            ImageFormat::Tiff
        } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
            ImageFormat::Gif
        // "BM" and "P5 " also begin text ("BMW…"): a BMP's two reserved
        // header words are zero, and a PNM's magic is followed by its width
        // (or a comment), which text rarely is.
        } else if b.starts_with(b"BM") && b.get(6..10) == Some(&[0, 0, 0, 0]) {
            ImageFormat::Bmp
        } else if b.len() > 3
            && b[0] == b'P'
            && (b'1'..=b'6').contains(&b[1])
            && b[2].is_ascii_whitespace()
            && (b[3].is_ascii_digit() || b[3] == b'#')
        {
            ImageFormat::Pnm
        } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
            ImageFormat::WebP
        } else if b.starts_with(b"\x00\x00\x00\x0CjP  \r\n\x87\n") {
            ImageFormat::Jpeg2000
        } else {
            return None;
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Tiff => "TIFF",
            ImageFormat::Gif => "GIF",
            ImageFormat::Bmp => "BMP",
            ImageFormat::Pnm => "PNM",
            ImageFormat::WebP => "WebP",
            ImageFormat::Jpeg2000 => "JPEG 2000",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Tiff => "tif",
            ImageFormat::Gif => "gif",
            ImageFormat::Bmp => "bmp",
            ImageFormat::Pnm => "pnm",
            ImageFormat::WebP => "webp",
            ImageFormat::Jpeg2000 => "jp2",
        }
    }
}

/// The Tesseract program, checked to be installed with a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tesseract {
    program: PathBuf,
    lang: String,
}

/// What to install on Debian for each missing piece.
const INSTALL_TESSERACT: &str = "apt install tesseract-ocr tesseract-ocr-chi-sim";
pub(crate) const INSTALL_PDFTOPPM: &str = "apt install poppler-utils";

impl Tesseract {
    /// The language baozhi reads scans in: simplified Chinese, horizontal.
    pub const DEFAULT_LANG: &'static str = "chi_sim";

    /// Finds `tesseract` on `PATH` and checks that it has `lang` (as
    /// Tesseract names languages: `chi_sim`, `chi_sim+eng`).
    pub fn find(lang: &str) -> Result<Tesseract, OcrError> {
        let program = on_path("tesseract").ok_or_else(|| {
            OcrError::Missing(format!(
                "--ocr needs the tesseract program, which is not installed (Debian: {INSTALL_TESSERACT})"
            ))
        })?;
        let out = Command::new(&program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| OcrError::Missing(format!("cannot run {}: {e}", program.display())))?;
        let listed = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        let have: Vec<&str> = listed.lines().map(str::trim).collect();
        for part in lang.split('+') {
            if !have.contains(&part) {
                return Err(OcrError::Missing(format!(
                    "Tesseract has no '{part}' language data (Debian: apt install tesseract-ocr-{})",
                    part.replace('_', "-")
                )));
            }
        }
        Ok(Tesseract {
            program,
            lang: lang.to_string(),
        })
    }

    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Reads a scan (any format of [`ImageFormat`]; a TIFF may hold several
    /// pages) into its OCR pages.
    pub fn recognize(&self, image: &[u8]) -> Result<Vec<OcrPage>, OcrError> {
        let format = ImageFormat::sniff(image)
            .ok_or_else(|| OcrError::Failed("not an image Tesseract reads".to_string()))?;
        let dir = scratch()?;
        let input = dir.path().join(format!("scan.{}", format.extension()));
        std::fs::write(&input, image).map_err(io_failed)?;
        self.recognize_file(&input, dir.path(), None, 1)
    }

    /// Renders page `number` (1-based) of a PDF at [`PDF_RENDER_DPI`] and
    /// reads it, for a page that has no text layer.
    pub fn recognize_pdf_page(&self, pdf: &[u8], number: usize) -> Result<OcrPage, OcrError> {
        let pdftoppm = on_path("pdftoppm").ok_or_else(|| {
            OcrError::Missing(format!(
                "a PDF page without text is rendered for OCR by pdftoppm, which is not installed (Debian: {INSTALL_PDFTOPPM})"
            ))
        })?;
        let dir = scratch()?;
        let input = dir.path().join("page.pdf");
        std::fs::write(&input, pdf).map_err(io_failed)?;
        let base = dir.path().join("page");
        let n = number.to_string();
        run(
            Command::new(pdftoppm)
                .args([
                    "-r",
                    &PDF_RENDER_DPI.to_string(),
                    "-gray",
                    "-png",
                    "-singlefile",
                ])
                .args(["-f", &n, "-l", &n])
                .arg(&input)
                .arg(&base),
            "pdftoppm",
        )?;
        let mut pages = self.recognize_file(
            &base.with_extension("png"),
            dir.path(),
            Some(PDF_RENDER_DPI),
            number,
        )?;
        Ok(pages.swap_remove(0))
    }

    /// Runs Tesseract on the image at `input`, its hOCR written in `dir`.
    /// `dpi` is the image's resolution when known (a rendered PDF page);
    /// otherwise Tesseract takes it from the file or estimates it. The
    /// image's first page is page `first` of the document.
    fn recognize_file(
        &self,
        input: &Path,
        dir: &Path,
        dpi: Option<u32>,
        first: usize,
    ) -> Result<Vec<OcrPage>, OcrError> {
        let base = dir.join("ocr");
        let mut cmd = Command::new(&self.program);
        cmd.arg(input).arg(&base);
        if let Some(dpi) = dpi {
            cmd.args(["--dpi", &dpi.to_string()]);
        }
        run(cmd.args(["-l", &self.lang, "hocr"]), "tesseract")?;
        let bytes = std::fs::read(base.with_extension("hocr")).map_err(io_failed)?;
        hocr::read_numbered(&bytes, first)
    }
}

pub(crate) fn run(cmd: &mut Command, name: &str) -> Result<(), OcrError> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| OcrError::Failed(format!("cannot run {name}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(failed(
        name,
        out.status,
        &String::from_utf8_lossy(&out.stderr),
    ))
}

/// A program's failure, told by its status and the last line it wrote to
/// stderr.
fn failed(name: &str, status: std::process::ExitStatus, stderr: &str) -> OcrError {
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    OcrError::Failed(format!("{name} failed ({status}): {}", last.trim()))
}

/// Runs `cmd` as [`run`] does, but stops it when it runs longer than
/// `limit`: for work that has a known size (rendering a PDF's pages), so
/// that a file the program chokes on cannot hold up a whole batch.
pub(crate) fn run_for(cmd: &mut Command, name: &str, limit: Duration) -> Result<(), OcrError> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| OcrError::Failed(format!("cannot run {name}: {e}")))?;
    // stderr is read on the side, so that a chatty program never blocks
    // on a full pipe while it is waited for
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => std::thread::sleep(POLL),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = reader.join();
                return Err(OcrError::Failed(format!(
                    "{name} took more than {} s and was stopped",
                    limit.as_secs()
                )));
            }
            Err(e) => return Err(OcrError::Failed(format!("cannot wait for {name}: {e}"))),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    Err(failed(name, status, &stderr))
}

/// How often [`run_for`] looks whether its program is done.
const POLL: Duration = Duration::from_millis(20);

pub(crate) fn scratch() -> Result<tempfile::TempDir, OcrError> {
    tempfile::Builder::new()
        .prefix("baozhi-ocr")
        .tempdir()
        .map_err(io_failed)
}

fn io_failed(e: std::io::Error) -> OcrError {
    OcrError::Failed(format!("OCR scratch file: {e}"))
}

/// The first executable called `name` in `PATH`.
pub(crate) fn on_path(name: impl AsRef<OsStr>) -> Option<PathBuf> {
    let name = name.as_ref();
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_past_its_time_is_stopped() {
        let started = Instant::now();
        let slow = run_for(
            Command::new("sleep").arg("10"),
            "sleep",
            Duration::from_millis(200),
        );
        assert!(
            matches!(&slow, Err(OcrError::Failed(m)) if m.contains("was stopped")),
            "{slow:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            run_for(&mut Command::new("true"), "true", Duration::from_secs(10)),
            Ok(())
        );
        assert!(matches!(
            run_for(&mut Command::new("false"), "false", Duration::from_secs(10)),
            Err(OcrError::Failed(_))
        ));
    }

    #[test]
    fn images_are_told_by_their_first_bytes() {
        assert_eq!(
            ImageFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::sniff(b"\xFF\xD8\xFF\xE0"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(ImageFormat::sniff(b"II*\x00...."), Some(ImageFormat::Tiff));
        assert_eq!(
            ImageFormat::sniff(b"P5\n10 10\n255\n"),
            Some(ImageFormat::Pnm)
        );
        assert_eq!(ImageFormat::sniff("本报讯".as_bytes()), None);
        assert_eq!(ImageFormat::sniff("BMW汽车在京发布新车型".as_bytes()), None);
        assert_eq!(ImageFormat::sniff(b"P5 is a section"), None);
        assert_eq!(
            ImageFormat::sniff(b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00"),
            Some(ImageFormat::Bmp)
        );
        assert_eq!(ImageFormat::sniff(b"PDF"), None);
    }
}
