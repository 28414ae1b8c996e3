//! Articles as a Parquet file: a row per article, its page context beside
//! it, columns a table reader (DuckDB, pandas, Spark) takes as they are.
//!
//! The columns are the ones `crates/baozhi-python/examples/dask_parquet.py`
//! writes, under the same names and types, less what only that script
//! knows (its partition `year`, the `source` file, `article_no`) and plus
//! the row's `id`, so the two exports read alike:
//!
//! | column | type | |
//! | --- | --- | --- |
//! | id | string | archive id `paper/date/page/n` |
//! | paper | string | null when unknown |
//! | date | DATE | null when there is no calendar date |
//! | page | string | as printed: `01`, `A3` |
//! | article_id | string | the `baozhi/1` id, unique on its page |
//! | column, series, kicker, title, subtitle | string | |
//! | bylines | `list<struct<role: string, names: list<string>>>` | |
//! | dateline | string | |
//! | text | string | the paragraphs (and headings), one per line |
//! | captions | `list<struct<text: string, credit: string>>` | |
//! | continues_to, continued_from | string | the pages of the jump lines |
//! | marks | `list<string>` | editor marks |
//! | findings | string | the proofreader's findings as JSON; null when it did not run |
//!
//! Written with the `parquet` crate's column writers (no Arrow): rows are
//! gathered column by column and written as a row group every
//! [`ROW_GROUP_ARTICLES`] articles, so memory stays that of one group
//! whatever the export's size.

use std::io::{self, Write};
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use ::parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{Type, TypePtr};
use baozhi_model::{Byline, Caption};

use crate::rows::ArticleRow;

/// Articles per row group. An article is a few kB of text, so a group
/// holds some tens of MB before it is written: little memory, and groups
/// big enough for compression and for readers to skip whole groups by
/// their statistics (paper, date).
pub const ROW_GROUP_ARTICLES: usize = 10_000;

/// A text field of a row.
type Text = for<'a> fn(ArticleRow<'a>) -> Option<&'a str>;

/// How a column is filled from a row, and so its Parquet type.
enum Kind {
    /// A string, null when the row has none.
    Text(Text),
    /// The article's paragraphs, one per line.
    Body,
    /// The row's date as a DATE, null when it is not a calendar day.
    Date,
    /// The article's bylines: `list<struct<role, names: list<string>>>`.
    Bylines,
    /// The article's captions: `list<struct<text, credit>>`.
    Captions,
    /// The article's editor marks: `list<string>`.
    Marks,
    /// The proofreader's findings as JSON, null when it did not run.
    Findings,
}

/// The columns, in file order: the one place they are named.
const COLUMNS: [(&str, Kind); 18] = [
    ("id", Kind::Text(|r| Some(r.id))),
    ("paper", Kind::Text(|r| r.paper)),
    ("date", Kind::Date),
    ("page", Kind::Text(|r| r.page)),
    ("article_id", Kind::Text(|r| Some(&r.article.id))),
    ("column", Kind::Text(|r| r.article.column.as_deref())),
    ("series", Kind::Text(|r| r.article.series.as_deref())),
    ("kicker", Kind::Text(|r| r.article.kicker.as_deref())),
    ("title", Kind::Text(|r| Some(&r.article.title))),
    ("subtitle", Kind::Text(|r| r.article.subtitle.as_deref())),
    ("bylines", Kind::Bylines),
    ("dateline", Kind::Text(|r| r.article.dateline.as_deref())),
    ("text", Kind::Body),
    ("captions", Kind::Captions),
    (
        "continues_to",
        Kind::Text(|r| r.article.continues_to.as_deref()),
    ),
    (
        "continued_from",
        Kind::Text(|r| r.article.continued_from.as_deref()),
    ),
    ("marks", Kind::Marks),
    ("findings", Kind::Findings),
];

/// The column names, in file order.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|(name, _)| *name)
}

fn text_type(name: &str, repetition: Repetition) -> Result<TypePtr, ParquetError> {
    Ok(Arc::new(
        Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
            .with_repetition(repetition)
            .with_logical_type(Some(LogicalType::String))
            .build()?,
    ))
}

/// A struct of `fields`, never null itself.
fn struct_type(name: &str, fields: Vec<TypePtr>) -> Result<TypePtr, ParquetError> {
    Ok(Arc::new(
        Type::group_type_builder(name)
            .with_repetition(Repetition::REQUIRED)
            .with_fields(fields)
            .build()?,
    ))
}

/// Parquet's three-level list (`name (LIST) { repeated list { element } }`)
/// that DuckDB, pyarrow and Spark all read as a list.
fn list_type(
    name: &str,
    repetition: Repetition,
    element: TypePtr,
) -> Result<TypePtr, ParquetError> {
    let list = Type::group_type_builder("list")
        .with_repetition(Repetition::REPEATED)
        .with_fields(vec![element])
        .build()?;
    Ok(Arc::new(
        Type::group_type_builder(name)
            .with_repetition(repetition)
            .with_logical_type(Some(LogicalType::List))
            .with_fields(vec![Arc::new(list)])
            .build()?,
    ))
}

/// The Parquet type of a column. Top-level columns may be null, as in
/// the tables pyarrow writes; what is inside a list never is.
fn column_type(name: &str, kind: &Kind) -> Result<TypePtr, ParquetError> {
    const TOP: Repetition = Repetition::OPTIONAL;
    match kind {
        Kind::Text(_) | Kind::Body | Kind::Findings => text_type(name, TOP),
        Kind::Date => Ok(Arc::new(
            Type::primitive_type_builder(name, Physical::INT32)
                .with_repetition(TOP)
                .with_logical_type(Some(LogicalType::Date))
                .build()?,
        )),
        Kind::Bylines => {
            let names = list_type(
                "names",
                Repetition::REQUIRED,
                text_type("element", Repetition::REQUIRED)?,
            )?;
            let role = text_type("role", Repetition::OPTIONAL)?;
            list_type(name, TOP, struct_type("element", vec![role, names])?)
        }
        Kind::Captions => {
            let text = text_type("text", Repetition::REQUIRED)?;
            let credit = text_type("credit", Repetition::OPTIONAL)?;
            list_type(name, TOP, struct_type("element", vec![text, credit])?)
        }
        Kind::Marks => list_type(name, TOP, text_type("element", Repetition::REQUIRED)?),
    }
}

fn schema() -> Result<TypePtr, ParquetError> {
    let fields = COLUMNS
        .iter()
        .map(|(name, kind)| column_type(name, kind))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(
        Type::group_type_builder("article")
            .with_fields(fields)
            .build()?,
    ))
}

/// The values of one leaf column gathered for the row group.
enum Values {
    Strings(Vec<ByteArray>),
    Days(Vec<i32>),
}

/// A leaf column of the row group being gathered: its values, and the
/// definition and repetition levels that place them in the rows (how far
/// down the optional and repeated levels each value, or its absence,
/// reaches; Parquet's Dremel encoding of nesting).
struct Leaf {
    values: Values,
    def: Vec<i16>,
    /// Empty for a leaf outside any list.
    rep: Vec<i16>,
}

impl Leaf {
    fn strings() -> Leaf {
        Leaf {
            values: Values::Strings(Vec::new()),
            def: Vec::new(),
            rep: Vec::new(),
        }
    }

    /// A string at definition level `def`, or its absence at a lower one.
    fn push(&mut self, text: Option<&str>, def: i16, rep: Option<i16>) {
        if let (Some(t), Values::Strings(v)) = (text, &mut self.values) {
            v.push(ByteArray::from(t));
        }
        self.def.push(def);
        if let Some(r) = rep {
            self.rep.push(r);
        }
    }

    /// An optional top-level string: defined (1) or null (0).
    fn push_top(&mut self, text: Option<&str>) {
        self.push(text, i16::from(text.is_some()), None);
    }

    /// The levels of a top-level list that is empty: the list is there
    /// (1) and holds nothing, the first and only entry of its row (0).
    fn push_empty_list(&mut self) {
        self.push(None, 1, Some(0));
    }

    fn clear(&mut self) {
        match &mut self.values {
            Values::Strings(v) => v.clear(),
            Values::Days(v) => v.clear(),
        }
        self.def.clear();
        self.rep.clear();
    }
}

/// How many leaf columns a column kind has: two for the lists of
/// structs (role and names; text and credit), one for the others.
fn leaf_count(kind: &Kind) -> usize {
    match kind {
        Kind::Bylines | Kind::Captions => 2,
        _ => 1,
    }
}

/// The leaf columns of a column kind, in schema order.
fn leaves(kind: &Kind) -> Vec<Leaf> {
    match kind {
        Kind::Date => vec![Leaf {
            values: Values::Days(Vec::new()),
            def: Vec::new(),
            rep: Vec::new(),
        }],
        _ => (0..leaf_count(kind)).map(|_| Leaf::strings()).collect(),
    }
}

/// Repetition level of the `i`th entry of a top-level list: 0 starts the
/// row's list, 1 continues it.
fn entry(i: usize) -> i16 {
    i16::from(i > 0)
}

fn push_bylines(bylines: &[Byline], role: &mut Leaf, names: &mut Leaf) {
    // Levels: 1 list present, 2 a byline; role 3 when given; names 3 a name
    // (their list, inside the required byline, is always there).
    if bylines.is_empty() {
        role.push_empty_list();
        names.push_empty_list();
    }
    for (i, b) in bylines.iter().enumerate() {
        role.push(
            b.role.as_deref(),
            if b.role.is_some() { 3 } else { 2 },
            Some(entry(i)),
        );
        if b.names.is_empty() {
            names.push(None, 2, Some(entry(i)));
        }
        for (j, n) in b.names.iter().enumerate() {
            // 2: another name of the same byline; else where the byline starts.
            let rep = if j > 0 { 2 } else { entry(i) };
            names.push(Some(n), 3, Some(rep));
        }
    }
}

fn push_captions(captions: &[Caption], text: &mut Leaf, credit: &mut Leaf) {
    // Levels: 1 list present, 2 a caption (its text required); credit 3.
    if captions.is_empty() {
        text.push_empty_list();
        credit.push_empty_list();
    }
    for (i, c) in captions.iter().enumerate() {
        text.push(Some(&c.text), 2, Some(entry(i)));
        let def = if c.credit.is_some() { 3 } else { 2 };
        credit.push(c.credit.as_deref(), def, Some(entry(i)));
    }
}

fn push_marks(marks: &[String], leaf: &mut Leaf) {
    if marks.is_empty() {
        leaf.push_empty_list();
    }
    for (i, m) in marks.iter().enumerate() {
        leaf.push(Some(m), 2, Some(entry(i)));
    }
}

/// Writes articles to a Parquet file, a row group every
/// [`ROW_GROUP_ARTICLES`]; [`ParquetWriter::finish`] writes the footer,
/// without which the file cannot be read.
pub struct ParquetWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    /// The leaf columns of every column, in file order.
    leaves: Vec<Leaf>,
    /// Rows gathered for the next row group.
    rows: usize,
}

impl<W: Write + Send> ParquetWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("baozhi {}", crate::VERSION))
            .build();
        let file = SerializedFileWriter::new(out, schema()?, Arc::new(properties))?;
        Ok(ParquetWriter {
            file,
            leaves: COLUMNS.iter().flat_map(|(_, kind)| leaves(kind)).collect(),
            rows: 0,
        })
    }

    /// Adds an article.
    pub fn push(&mut self, row: &ArticleRow<'_>) -> io::Result<()> {
        let a = row.article;
        let mut at = 0;
        for (_, kind) in &COLUMNS {
            let leaf = &mut self.leaves[at..];
            match kind {
                Kind::Text(get) => leaf[0].push_top(get(*row)),
                Kind::Body => leaf[0].push_top(Some(&a.body_text())),
                Kind::Findings => {
                    let json = a.findings.as_ref().map(serde_json::to_string).transpose()?;
                    leaf[0].push_top(json.as_deref());
                }
                Kind::Date => {
                    let day = row.date.and_then(crate::dates::epoch_day);
                    if let (Some(d), Values::Days(v)) = (day, &mut leaf[0].values) {
                        v.push(d);
                    }
                    leaf[0].def.push(i16::from(day.is_some()));
                }
                Kind::Bylines => {
                    let (role, names) = leaf.split_at_mut(1);
                    push_bylines(&a.bylines, &mut role[0], &mut names[0]);
                }
                Kind::Captions => {
                    let (text, credit) = leaf.split_at_mut(1);
                    push_captions(&a.captions, &mut text[0], &mut credit[0]);
                }
                Kind::Marks => push_marks(&a.marks, &mut leaf[0]),
            }
            at += leaf_count(kind);
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ARTICLES {
            self.write_group()?;
        }
        Ok(())
    }

    fn write_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.file.next_row_group()?;
        for leaf in &mut self.leaves {
            let mut column = group
                .next_column()?
                .ok_or_else(|| io::Error::other("Parquet schema has fewer columns than written"))?;
            let rep = (!leaf.rep.is_empty()).then_some(leaf.rep.as_slice());
            match &leaf.values {
                Values::Strings(v) => {
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(v, Some(&leaf.def), rep)?;
                }
                Values::Days(v) => {
                    column
                        .typed::<Int32Type>()
                        .write_batch(v, Some(&leaf.def), rep)?;
                }
            }
            column.close()?;
            leaf.clear();
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.write_group()?;
        Ok(self.file.into_inner()?)
    }
}
