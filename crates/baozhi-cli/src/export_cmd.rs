//! `baozhi parse --format tei` and `--format mets --out DIR`: the library
//! formats of `baozhi-export`.
//!
//! TEI goes to standard output, a `TEI` for one page and a `teiCorpus` of
//! them for several. METS is files: for each input `NAME.ext`, the file
//! `DIR/NAME.mets.xml` and an ALTO file `DIR/NAME-pNN.alto.xml` per page;
//! the METS paths are listed on standard output. METS/ALTO need where each
//! line was printed, so a text input is refused (the batch goes on).

use std::collections::HashSet;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use baozhi_export::{MetsPage, Source, Stream};
use baozhi_ingest::PageText;
use baozhi_model::Document;

use crate::{each_page, finish, pipeline, report_warning, stop, ParseArgs, Stop};

pub(crate) fn tei(args: &ParseArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut stream = Stream::new(BufWriter::new(stdout.lock()));
    let mut any_failed = false;
    let pipeline = pipeline(&args.input, args.proofing(), args.restore_width);
    let make = |path: Option<&Path>, page: &PageText| pipeline.document(path, page);
    let run = each_page(
        &args.input,
        &pipeline,
        &mut any_failed,
        make,
        |shown, _, page, doc| {
            let source = Source {
                file: shown,
                page_in_file: page.number_in_file,
            };
            for w in stream.push(&doc, source).map_err(stop)? {
                report_warning(shown, &w);
            }
            Ok(())
        },
    );
    let run = run.and_then(|()| stream.finish().map(|_| ()).map_err(stop));
    finish(run, any_failed)
}

/// The pages of one input file, gathered for its METS.
struct Input {
    shown: String,
    path: Option<PathBuf>,
    pages: Vec<(PageText, Document)>,
    /// The file cannot go into METS (a page without geometry); said once.
    refused: bool,
}

pub(crate) fn mets(args: &ParseArgs, dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("baozhi: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut any_failed = false;
    let mut written: HashSet<String> = HashSet::new();
    let mut current: Option<Input> = None;
    let pipeline = pipeline(&args.input, args.proofing(), args.restore_width);
    let mut failed_here = false;
    // A page without geometry cannot go into ALTO: it is not parsed.
    let make = |path: Option<&Path>, page: &PageText| {
        page.geometry
            .is_some()
            .then(|| pipeline.document(path, page))
    };
    let run = each_page(
        &args.input,
        &pipeline,
        &mut any_failed,
        make,
        |shown, path, page, doc| {
            // A file's pages come one after another; the first page of a file
            // of several is number 1, a file of one page has no number.
            let new_file = current
                .as_ref()
                .is_none_or(|c| c.shown != shown || page.number_in_file.is_none_or(|n| n == 1));
            if new_file {
                if let Some(done) = current.take() {
                    write_package(done, dir, &mut written, &mut failed_here, &mut out)?;
                }
                current = Some(Input {
                    shown: shown.to_string(),
                    path: path.map(Path::to_path_buf),
                    pages: Vec::new(),
                    refused: false,
                });
            }
            let input = current.as_mut().expect("set above");
            if input.refused {
                return Ok(());
            }
            let Some(doc) = doc else {
                report_warning(shown, &baozhi_export::NoGeometry.to_string());
                input.refused = true;
                failed_here = true;
                return Ok(());
            };
            input.pages.push((page, doc));
            Ok(())
        },
    );
    let run = run.and_then(|()| match current.take() {
        Some(done) => write_package(done, dir, &mut written, &mut failed_here, &mut out),
        None => Ok(()),
    });
    finish(run, any_failed || failed_here)
}

/// The name of an input's files: its file name without the extension
/// (`stdin` for standard input).
fn package_name(path: Option<&Path>) -> String {
    path.and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "stdin".to_string())
}

fn write_package(
    input: Input,
    dir: &Path,
    written: &mut HashSet<String>,
    failed: &mut bool,
    out: &mut impl Write,
) -> Result<(), Stop> {
    if input.refused || input.pages.is_empty() {
        return Ok(());
    }
    let name = package_name(input.path.as_deref());
    // Two inputs of one name (page.pdf and page.hocr) would write the same
    // files: the second is refused rather than overwrite the first.
    if !written.insert(name.clone()) {
        report_warning(
            &input.shown,
            &format!(
                "not written: {} was already written for an earlier input of the same name",
                dir.join(format!("{name}.mets.xml")).display()
            ),
        );
        *failed = true;
        return Ok(());
    }
    let pages: Vec<MetsPage<'_>> = input
        .pages
        .iter()
        .filter_map(|(p, doc)| MetsPage::new(&p.text, p.geometry.as_deref(), p.size, doc).ok())
        .collect();
    let package = baozhi_export::package(&name, &input.shown, &pages);
    for w in &package.warnings {
        report_warning(&input.shown, w);
    }
    for file in package.alto.iter().chain([&package.mets]) {
        let path = dir.join(&file.name);
        if let Err(e) = std::fs::write(&path, &file.xml) {
            report_warning(
                &input.shown,
                &format!("cannot write {}: {e}", path.display()),
            );
            *failed = true;
            return Ok(());
        }
    }
    let mut say = || -> io::Result<()> {
        writeln!(out, "{}", dir.join(&package.mets.name).display())?;
        out.flush()
    };
    say().map_err(stop)
}
