//! What the export tests share: the example pages parsed as the CLI parses
//! them, a small XML tree read back with quick-xml, and `xmllint` with the
//! schemas shipped in `schemas/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use baozhi_ingest::PageText;
use baozhi_model::Document;
use baozhi_pipeline::Pipeline;
use quick_xml::events::Event;
use quick_xml::Reader;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// A page as the CLI reads it, and its `baozhi/1` document.
pub struct Parsed {
    pub page: PageText,
    pub doc: Document,
}

/// Every page of an example file, parsed as `baozhi parse` does (the
/// page engine choosing its reader by the form of the page).
pub fn parse_example(name: &str) -> Vec<Parsed> {
    let path = repo().join("examples").join(name);
    let file = baozhi_ingest::read_file(Some(&path), &Default::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let pipeline = Pipeline {
        paper: Some("示例日报".into()),
        ..Pipeline::default()
    };
    (0..file.page_count())
        .map(|i| {
            let page = file.page(i).unwrap_or_else(|e| panic!("{name}: {e}"));
            let doc = pipeline.document(Some(&path), &page);
            Parsed { page, doc }
        })
        .collect()
}

/// An element read back: its name, attributes (values unescaped) and
/// children.
#[derive(Debug, Clone, PartialEq)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    El(El),
    Text(String),
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// This element and all below it, in document order.
    pub fn descendants(&self) -> Vec<&El> {
        let mut out = vec![self];
        for c in self.elements() {
            out.extend(c.descendants());
        }
        out
    }

    /// The text it holds, all levels down.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => s.push_str(t),
                Node::El(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

/// XML 1.0's `Char` production.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Reads a document back: well-formed (tags matched, attributes unique,
/// references known, one root, only characters XML allows) or an error.
pub fn parse_xml(xml: &str) -> Result<El, String> {
    if let Some(c) = xml.chars().find(|&c| !xml_char(c)) {
        return Err(format!("character {:?} XML 1.0 does not allow", c));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let push_text = |stack: &mut Vec<El>, t: String| -> Result<(), String> {
        match stack.last_mut() {
            Some(top) => {
                match top.children.last_mut() {
                    Some(Node::Text(s)) => s.push_str(&t),
                    _ => top.children.push(Node::Text(t)),
                }
                Ok(())
            }
            None if t.trim().is_empty() => Ok(()),
            None => Err(format!("text outside the root: {t:?}")),
        }
    };
    let open = |e: &quick_xml::events::BytesStart<'_>| -> Result<El, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            attrs.push((a.key.as_ref().to_string(), v.into_owned()));
        }
        Ok(El {
            name: e.name().as_ref().to_string(),
            attrs,
            children: Vec::new(),
        })
    };
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        match ev {
            Event::Start(e) => {
                if root.is_some() {
                    return Err("a second root".into());
                }
                stack.push(open(&e)?);
            }
            Event::Empty(e) => {
                let el = open(&e)?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::El(el)),
                    None if root.is_none() => root = Some(el),
                    None => return Err("a second root".into()),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("an end tag without a start")?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => push_text(&mut stack, t.xml10_content().into_owned())?,
            Event::CData(t) => push_text(&mut stack, t.xml10_content().into_owned())?,
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                if !xml_char(c) {
                    return Err(format!("reference to {c:?}, which XML 1.0 does not allow"));
                }
                push_text(&mut stack, c.to_string())?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(format!("{} elements left open", stack.len()));
    }
    root.ok_or_else(|| "no root element".to_string())
}

/// `xmllint`, when installed (Debian: libxml2-utils); otherwise prints
/// why the caller skips and returns `None`.
pub fn xmllint(test: &str) -> Option<PathBuf> {
    let ok = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(PathBuf::from("xmllint"))
    } else {
        eprintln!(
            "{test}: skipped schema validation: xmllint not found (Debian package libxml2-utils)"
        );
        None
    }
}

/// Validates `files` in one run of xmllint (`--schema X.xsd` or
/// `--relaxng X.rng`, offline, with the shipped catalog); xmllint's
/// messages when any file fails.
pub fn validate(xmllint: &Path, schema: &str, files: &[PathBuf]) -> Result<(), String> {
    let schema = schemas().join(schema);
    let flag = if schema.extension().is_some_and(|e| e == "rng") {
        "--relaxng"
    } else {
        "--schema"
    };
    let out = Command::new(xmllint)
        .env("XML_CATALOG_FILES", schemas().join("catalog.xml"))
        .args(["--nonet", "--noout", flag])
        .arg(&schema)
        .args(files)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} against {}:\n{}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            schema.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
