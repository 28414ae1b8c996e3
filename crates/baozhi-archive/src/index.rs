//! The tantivy side of the archive: a Chinese tokenizer on jieba, the index
//! schema, and keeping the index in step with the database.
//!
//! The index is a cache of the database: each index commit carries the
//! database generation it matches as its payload, and an index whose
//! payload differs from the database (a process killed between the two
//! commits, an index from an older schema, a missing or broken index) is
//! rebuilt from the database when the archive is opened.

use std::path::Path;
use std::sync::OnceLock;

use baozhi_model::Article;
use jieba_rs::{Jieba, TokenizeMode};
use tantivy::directory::error::LockError;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::ArchiveError;
use crate::{fold, names};

/// Name the Chinese tokenizer is registered under in the index.
pub const TOKENIZER: &str = "baozhi_jieba";

/// Name the character tokenizer is registered under.
/// (Renamed with the pairs, so that an index of single chars only has
/// another schema and is rebuilt.)
pub const CHAR_TOKENIZER: &str = "baozhi_char_pairs";

/// Written before the generation in every commit payload; bump it whenever
/// the schema or the tokenizer changes, so that old indexes get rebuilt.
/// 2: folding (NFKC, traditional → simplified, lowercase) and the
/// character fields. 3: pairs of adjacent characters in the character
/// fields.
const INDEX_FORMAT: &str = "baozhi-archive-index/3";

/// A match in the headline (kicker, title, subtitle) counts this many
/// times one in the body: a headline is what an article is about.
const HEADLINE_BOOST: f32 = 2.0;

/// Memory for the indexing threads, shared between them.
const WRITER_MEMORY: usize = 96_000_000;

/// Threads a search reads segments with: the cores (at most
/// [`MAX_SEARCH_THREADS`]). On a busy server each search then takes longer,
/// but none takes longer than with one thread.
fn search_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_SEARCH_THREADS)
}

/// A bound on search threads: beyond a few, a search's segments are
/// already spread out, and the threads are only idle memory.
const MAX_SEARCH_THREADS: usize = 8;

/// Indexing threads: segmentation and postings are most of an ingest's
/// work (with one thread the caller's thread, doing SQLite and JSON, idles
/// two thirds of the time), so two where there are two cores (on a shared
/// 2-core machine: 2,150 → 2,980 articles/s), and no more: machines are
/// small, and more threads make more segments to merge.
fn writer_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// The segmenter is a large dictionary (tens of MB built); one per process.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Chinese word segmentation for indexing and for queries: the text
/// folded (see `fold.rs`: width, traditional → simplified, lowercase),
/// then jieba's search mode (each word, plus the dictionary words inside
/// longer words, so `南水北调` is found by `南水北调`, `北调`…), tokens
/// with no letter or digit (punctuation, spaces) dropped. Offsets point
/// into the text as given, not the folded one.
///
/// A token's position is the char offset (in the folded text) where it
/// starts, not its rank: search mode emits overlapping words, and with
/// rank positions a phrase would only match text segmented exactly as the
/// query was. With char positions a phrase query matches wherever its
/// words sit at the same relative offsets, whatever else the text around
/// them produced. The HMM for unknown words is off for the same reason:
/// it segments a run of unknown characters differently depending on its
/// neighbours, whereas without it they stay single characters in query
/// and text alike. Tokens come in text order (by start, shorter first).
///
/// Words rank; they do not find everything: a piece of text that starts
/// or ends inside a word (`范意识` in `防范意识`) is no word of the text.
/// [`CharTokenizer`] finds those.
///
/// A query is cut into jieba's plain words, without the words inside
/// them ([`WordForm::Query`]): the text holds those too, at the same
/// places, and a phrase of fewer words reads fewer postings
/// (`中共中央政治局` is one word rather than six).
#[derive(Clone, Copy)]
pub struct JiebaTokenizer {
    form: WordForm,
}

/// Which words [`JiebaTokenizer`] makes of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordForm {
    /// Search mode: each word and the dictionary words inside it.
    Index,
    /// Each word once.
    Query,
}

impl JiebaTokenizer {
    pub const fn new(form: WordForm) -> Self {
        JiebaTokenizer { form }
    }
}

/// The tokens of one text, computed up front (jieba works on whole strings).
pub struct JiebaTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        let folded = fold::fold(text);
        let words = match self.form {
            WordForm::Index => jieba().cut_for_search(&folded.text, false),
            WordForm::Query => jieba().tokenize(&folded.text, TokenizeMode::Default, false),
        };
        let mut tokens: Vec<Token> = words
            .into_iter()
            .filter(|w| w.word.chars().any(char::is_alphanumeric))
            // tantivy refuses terms longer than this; a word that long is noise.
            .filter(|w| w.word.len() <= MAX_WORD_BYTES)
            .map(|w| Token {
                offset_from: folded.origin[w.start].0,
                offset_to: folded.origin[w.end - 1].1,
                position: w.start,
                text: w.word.to_string(),
                position_length: w.end - w.start,
            })
            .collect();
        // Search mode emits the words inside a word before the word itself;
        // tantivy's snippets need tokens in text order.
        tokens.sort_by_key(|t| (t.offset_from, t.offset_to));
        JiebaTokenStream { tokens, next: 0 }
    }
}

/// The longest word indexed, in bytes: tantivy refuses longer terms.
const MAX_WORD_BYTES: usize = 255;

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next.saturating_sub(1)]
    }
}

/// Exact substring search, as Lucene's CJK bigram analyzer does it: each
/// char of the folded text (letters, digits, Chinese characters,
/// punctuation, spaces) a token at its char position, and each two
/// adjacent ones a token too (a *pair*, at the position of its first
/// char). A query is the same tokens at the same relative positions as
/// wherever the (folded) query occurs in a text, so that as a phrase it
/// finds any piece of an article, as `grep` would, and nothing that `grep`
/// would not find, modulo folding (a space is any space, a line break
/// included: `"记者 钱七"` finds `记者\u{3000}钱七`). Punctuation counts
/// as grep counts it: `5.2` does not find `5,2`.
///
/// The index gets single chars and pairs ([`CharForm::Index`]); a query
/// asks for its pairs, and a single char only where it has no neighbour
/// ([`CharForm::Query`]): `南水北调` is the phrase `南水 水北 北调`, `合`
/// is `合`, `5.2` is `5. .2`. Pairs are why search stays fast on a large
/// archive: the phrase `的发展` as single chars reads the positions of
/// `的` in nearly every article, as pairs those of `的发` and `发展`,
/// which far fewer articles print. Measured with the `loadgen` example
/// (two cores), at the price of a slower ingest and a larger index: see
/// README "Searching a large archive".
///
/// Digits and Latin letters are units like Chinese characters are, rather
/// than whole runs (as a word tokenizer keeps them) or prefix queries: a
/// printed number runs straight into the Chinese around it (`2024年底`,
/// `4500万元`), and only single units make every piece of it findable the
/// same way as every piece of Chinese (`2024年` in `2024年底`, `024` in
/// `2024`), with no special case for where a run starts or ends. Words
/// (jieba's field) still rank a whole number or word above a piece of one.
#[derive(Clone, Copy, Debug)]
pub struct CharTokenizer {
    form: CharForm,
}

/// Which tokens [`CharTokenizer`] makes of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharForm {
    /// For the index: every unit, and every pair of adjacent units.
    Index,
    /// For a query: every pair of adjacent units, and a unit alone only
    /// where neither neighbour is a unit (a one-char query, `5` of `5.2`).
    Query,
    /// Units only, as the snippets find a query's phrases in a text.
    Units,
}

impl CharTokenizer {
    pub const fn new(form: CharForm) -> Self {
        CharTokenizer { form }
    }
}

/// Tokens made one at a time into a reused token.
pub struct CharTokenStream {
    folded: fold::Folded,
    /// The folded text's chars, each with whether it is a unit.
    chars: Vec<(char, bool)>,
    /// The index of the char to look at next.
    next: usize,
    /// A pair starting here still to come (index form: after its unit).
    pending_pair: Option<usize>,
    form: CharForm,
    token: Token,
}

/// Whether a folded char is a token of [`CharTokenizer`]: any char but
/// a control char (letters, digits, Chinese characters, punctuation,
/// symbols, and the space every space and line break folds to, so that a
/// space in a phrase asks for a space there, not for any char). Control
/// characters are no text anyone searches for.
fn is_unit(c: char) -> bool {
    !c.is_control()
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharTokenStream {
        let folded = fold::fold(text);
        let chars = folded.text.chars().map(|c| (c, is_unit(c))).collect();
        CharTokenStream {
            folded,
            chars,
            next: 0,
            pending_pair: None,
            form: self.form,
            token: Token::default(),
        }
    }
}

impl CharTokenStream {
    /// Makes the token the `len` chars (1 or 2) from `position`.
    fn set(&mut self, position: usize, len: usize) {
        let t = &mut self.token;
        t.offset_from = self.folded.origin[position].0;
        t.offset_to = self.folded.origin[position + len - 1].1;
        t.position = position;
        t.position_length = len;
        t.text.clear();
        for &(c, _) in &self.chars[position..position + len] {
            t.text.push(c);
        }
    }

    fn is_unit_at(&self, i: usize) -> bool {
        self.chars.get(i).is_some_and(|&(_, unit)| unit)
    }
}

impl TokenStream for CharTokenStream {
    fn advance(&mut self) -> bool {
        if let Some(p) = self.pending_pair.take() {
            self.set(p, 2);
            return true;
        }
        while self.next < self.chars.len() {
            let p = self.next;
            self.next += 1;
            if !self.chars[p].1 {
                continue;
            }
            let pair_follows = self.is_unit_at(p + 1);
            match self.form {
                CharForm::Units => {
                    self.set(p, 1);
                    return true;
                }
                CharForm::Index => {
                    self.set(p, 1);
                    if pair_follows {
                        self.pending_pair = Some(p);
                    }
                    return true;
                }
                CharForm::Query if pair_follows => {
                    self.set(p, 2);
                    return true;
                }
                CharForm::Query if p == 0 || !self.is_unit_at(p - 1) => {
                    self.set(p, 1);
                    return true;
                }
                // The last unit of a run: in its pair already.
                CharForm::Query => {}
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Archive id (stored; exact-match for deletes and `id:` queries).
    pub id: Field,
    /// `{paper}/{date}/{page}` of the archive id: drops a page's articles.
    pub page_prefix: Field,
    pub paper: Field,
    pub date: Field,
    /// `YYYYMMDD` for date ranges; absent for undated articles.
    pub day: Field,
    pub page: Field,
    pub column: Field,
    /// Kicker, title and subtitle: the default field that is boosted.
    pub headline: Field,
    /// The title alone, for `title:` queries; stored for hits.
    pub title: Field,
    /// Paragraphs. Not stored: snippets are cut from the database copy.
    pub body: Field,
    pub caption: Field,
    /// Byline roles and names, for `byline:` queries.
    pub byline: Field,
    /// The headline, text and captions as the proofreader's confident
    /// findings correct them ([`corrected_text`]), for articles that have
    /// such findings: a search for `淅川` finds the article printed with
    /// `浙川`. Never shown: hits show the print.
    pub corrected: Field,
    /// The headlines and text of the other parts of the article's story
    /// (the articles its jump lines lead to and from): a search for words
    /// spread over the parts finds each part. Weighed at [`STORY_BOOST`].
    pub story: Field,
    /// The same texts again, as characters ([`CharTokenizer`]), to find
    /// any piece of them; named as [`char_twin`] names them.
    pub headline_chars: Field,
    pub title_chars: Field,
    pub body_chars: Field,
    pub caption_chars: Field,
    pub byline_chars: Field,
    pub corrected_chars: Field,
    pub story_chars: Field,
}

/// The text fields searched as words and as characters, by name.
pub(crate) const TEXT_FIELDS: [&str; 7] = [
    "headline",
    "title",
    "body",
    "caption",
    "byline",
    "corrected",
    "story",
];

/// The text fields a search without a field name looks in (the title is
/// in the headline).
pub(crate) const DEFAULT_FIELDS: [&str; 5] = ["headline", "body", "caption", "byline", "corrected"];

/// The weight of a match in the other parts of a story beside one in the
/// article itself: enough to find the part (its text is the story's too),
/// low enough that the part that holds the words ranks above it. Searched
/// only when a search asks for whole stories (`SearchQuery::stories`): a
/// plain search finds the articles that print the words, as grep does.
const STORY_BOOST: f32 = 0.3;

/// The confidence a finding needs for its correction to be searchable:
/// the proofreader's "sure" level (the CLI's `--apply-corrections`
/// default), at which a wrong correction is rare; a search should not turn
/// up an article for a word it neither printed nor very likely meant.
pub const CORRECTION_CONFIDENCE: f64 = 0.8;

/// The name of a text field's character twin.
pub(crate) fn char_twin(field: &str) -> String {
    format!("{field}_chars")
}

fn schema() -> (Schema, Fields) {
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let chars = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CHAR_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        page_prefix: b.add_text_field("page_prefix", STRING),
        paper: b.add_text_field("paper", STRING | STORED),
        date: b.add_text_field("date", STRING | STORED),
        day: b.add_i64_field("day", INDEXED),
        page: b.add_text_field("page", STRING | STORED),
        column: b.add_text_field("column", STRING),
        headline: b.add_text_field("headline", text.clone()),
        title: b.add_text_field("title", text.clone() | STORED),
        body: b.add_text_field("body", text.clone()),
        caption: b.add_text_field("caption", text.clone()),
        byline: b.add_text_field("byline", text.clone()),
        corrected: b.add_text_field("corrected", text.clone()),
        story: b.add_text_field("story", text),
        headline_chars: b.add_text_field(&char_twin("headline"), chars.clone()),
        title_chars: b.add_text_field(&char_twin("title"), chars.clone()),
        body_chars: b.add_text_field(&char_twin("body"), chars.clone()),
        caption_chars: b.add_text_field(&char_twin("caption"), chars.clone()),
        byline_chars: b.add_text_field(&char_twin("byline"), chars.clone()),
        corrected_chars: b.add_text_field(&char_twin("corrected"), chars.clone()),
        story_chars: b.add_text_field(&char_twin("story"), chars),
    };
    (b.build(), fields)
}

/// Where an article sits in the archive.
pub(crate) struct Keys<'a> {
    pub id: &'a str,
    pub paper: &'a str,
    pub date: &'a str,
    pub page: &'a str,
}

/// The text of an article's headline field: kicker, title, subtitle.
/// The printed texts of an article that a search without a field name
/// looks in, as the index reads them: headline (kicker, title, subtitle),
/// body, captions with credits, bylines (roles and names). A piece of any
/// of them finds the article; a piece across two does not.
pub fn searched_texts(a: &Article) -> [String; 4] {
    [
        headline_text(a),
        a.body_text(),
        caption_text(a),
        byline_text(a),
    ]
}

pub(crate) fn headline_text(a: &Article) -> String {
    let parts = [
        a.kicker.as_deref(),
        Some(a.title.as_str()),
        a.subtitle.as_deref(),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join("\n")
}

/// Whether an article has a jump line (`下转`, `上接`), and so possibly
/// other parts of its story to index with it: only those are looked up.
pub(crate) fn has_jumps(a: &Article) -> bool {
    a.continues_to.is_some() || a.continued_from.is_some()
}

/// The texts of an article that its confident findings (at or above
/// [`CORRECTION_CONFIDENCE`], with a suggestion) correct, corrected: the
/// headline, paragraphs and captions that change, one per line. Empty for
/// an article without such findings.
pub(crate) fn corrected_text(a: &Article) -> String {
    let Some(findings) = a.findings.as_deref() else {
        return String::new();
    };
    if !findings
        .iter()
        .any(|f| f.confidence >= CORRECTION_CONFIDENCE && f.suggestion.is_some())
    {
        return String::new();
    }
    let fixed = baozhi_proof::apply(a, findings, CORRECTION_CONFIDENCE);
    let mut out = Vec::new();
    let headline = headline_text(&fixed);
    if headline != headline_text(a) {
        out.push(headline);
    }
    for (p, q) in a.paragraphs.iter().zip(&fixed.paragraphs) {
        if p.text != q.text {
            out.push(q.text.clone());
        }
    }
    for (c, d) in a.captions.iter().zip(&fixed.captions) {
        if c.text != d.text {
            out.push(d.text.clone());
        }
    }
    out.join("\n")
}

fn byline_text(a: &Article) -> String {
    let mut out = Vec::new();
    for b in &a.bylines {
        out.extend(b.role.as_deref());
        out.extend(b.names.iter().map(String::as_str));
    }
    out.join("\n")
}

fn caption_text(a: &Article) -> String {
    let mut out = Vec::new();
    for c in &a.captions {
        out.push(c.text.as_str());
        out.extend(c.credit.as_deref());
    }
    out.join("\n")
}

/// The index and, once something is written, its writer.
pub(crate) struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
    pub parser: QueryParser,
    /// Made on first write, so that archives only read (a web server) do not
    /// hold tantivy's writer lock.
    writer: Option<IndexWriter>,
}

/// What the index said about itself when opened.
pub(crate) enum IndexState {
    /// The index matches this database generation.
    At(i64),
    /// New, from another format, or not matching any generation.
    Unknown,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one. An index that
    /// cannot be opened, or whose schema is not this one, is deleted and
    /// recreated empty (the caller rebuilds it from the database).
    pub fn open(dir: &Path) -> Result<(SearchIndex, IndexState), ArchiveError> {
        let (schema, fields) = schema();
        let io = |e| ArchiveError::io(dir, e);
        std::fs::create_dir_all(dir).map_err(io)?;
        let existing = if dir.join("meta.json").exists() {
            match Index::open_in_dir(dir) {
                // A reader opens every segment: a missing or truncated
                // segment file shows here rather than at the first search.
                Ok(index) if same_schema(&index.schema(), &schema) && index.reader().is_ok() => {
                    Some(index)
                }
                // Broken or from another version: it is only a cache.
                _ => None,
            }
        } else {
            None
        };
        let (mut index, state) = match existing {
            Some(index) => {
                let state = match index.load_metas()?.payload {
                    Some(p) => parse_payload(&p).map_or(IndexState::Unknown, IndexState::At),
                    None => IndexState::Unknown,
                };
                (index, state)
            }
            None => {
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                (Index::create_in_dir(dir, schema)?, IndexState::Unknown)
            }
        };
        // A search reads the segments in parallel, one thread per core: a
        // large archive has a dozen segments, and one reader alone waits
        // on them in turn.
        index.set_multithread_executor(search_threads())?;
        index
            .tokenizers()
            .register(TOKENIZER, JiebaTokenizer::new(WordForm::Index));
        index
            .tokenizers()
            .register(CHAR_TOKENIZER, CharTokenizer::new(CharForm::Index));
        // Queries read the character fields in their own form (pairs): the
        // parser gets its own tokenizers (a clone of the index's would
        // share them).
        let query_tokenizers = TokenizerManager::default();
        query_tokenizers.register(TOKENIZER, JiebaTokenizer::new(WordForm::Query));
        query_tokenizers.register(CHAR_TOKENIZER, CharTokenizer::new(CharForm::Query));
        let reader = index
            .reader_builder()
            // Another process (an ingest beside a server) may commit.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        // Unfielded words search these (`DEFAULT_FIELDS`); `query.rs` adds
        // their character twins.
        let mut parser = QueryParser::new(
            index.schema(),
            vec![
                fields.headline,
                fields.body,
                fields.caption,
                fields.byline,
                fields.corrected,
            ],
            query_tokenizers,
        );
        // `南水北调 工程` means both words, as in every search box.
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.headline, HEADLINE_BOOST);
        parser.set_field_boost(fields.headline_chars, HEADLINE_BOOST);
        parser.set_field_boost(fields.story, STORY_BOOST);
        parser.set_field_boost(fields.story_chars, STORY_BOOST);
        Ok((
            SearchIndex {
                index,
                fields,
                reader,
                parser,
                writer: None,
            },
            state,
        ))
    }

    /// The writer, made on first use. `Ok(None)` when another process holds
    /// the index's writer lock.
    pub fn try_writer(&mut self) -> Result<Option<&mut IndexWriter>, ArchiveError> {
        if self.writer.is_none() {
            match self
                .index
                .writer_with_num_threads(writer_threads(), WRITER_MEMORY)
            {
                Ok(w) => self.writer = Some(w),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(self.writer.as_mut())
    }

    pub fn writer(&mut self) -> Result<&mut IndexWriter, ArchiveError> {
        self.try_writer()?.ok_or_else(|| {
            ArchiveError::Busy("another process is writing to this archive's index".into())
        })
    }

    /// Queues the removal of every article of the page with this id prefix.
    pub fn delete_page(&mut self, prefix: &str) -> Result<(), ArchiveError> {
        let term = Term::from_field_text(self.fields.page_prefix, prefix);
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Queues the removal of one article (to index it again).
    pub fn delete_article(&mut self, id: &str) -> Result<(), ArchiveError> {
        let term = Term::from_field_text(self.fields.id, id);
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Queues an article for indexing, with the text of the other parts of
    /// its story ([`Fields::story`]; empty for most).
    pub fn add(
        &mut self,
        keys: &Keys<'_>,
        prefix: &str,
        a: &Article,
        story: &str,
    ) -> Result<(), ArchiveError> {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, keys.id);
        doc.add_text(f.page_prefix, prefix);
        doc.add_text(f.paper, keys.paper);
        doc.add_text(f.date, keys.date);
        if let Some(day) = names::day_number(keys.date) {
            doc.add_i64(f.day, day);
        }
        doc.add_text(f.page, keys.page);
        if let Some(c) = &a.column {
            doc.add_text(f.column, c);
        }
        let headline = headline_text(a);
        let body = a.body_text();
        let caption = caption_text(a);
        let byline = byline_text(a);
        let corrected = corrected_text(a);
        for (words, chars, text) in [
            (f.headline, f.headline_chars, headline.as_str()),
            (f.title, f.title_chars, a.title.as_str()),
            (f.body, f.body_chars, body.as_str()),
            (f.caption, f.caption_chars, caption.as_str()),
            (f.byline, f.byline_chars, byline.as_str()),
            (f.corrected, f.corrected_chars, corrected.as_str()),
            (f.story, f.story_chars, story),
        ] {
            doc.add_text(words, text);
            doc.add_text(chars, text);
        }
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    /// Commits what was queued, recording the database generation it
    /// matches, and makes it searchable here.
    pub fn commit(&mut self, generation: i64) -> Result<(), ArchiveError> {
        let payload = format!("{INDEX_FORMAT} generation={generation}");
        let writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops what was queued since the last commit.
    pub fn rollback(&mut self) -> Result<(), ArchiveError> {
        if let Some(w) = self.writer.as_mut() {
            w.rollback()?;
        }
        Ok(())
    }

    /// Replaces the whole index with the articles in the database, streamed
    /// row by row, and commits it at `generation`. Returns how many articles
    /// were indexed, or `None` when another process holds the writer (it
    /// will commit its own, newer state).
    pub fn rebuild(
        &mut self,
        db: &rusqlite::Connection,
        generation: i64,
        story: &dyn Fn(&str) -> Result<String, ArchiveError>,
    ) -> Result<Option<usize>, ArchiveError> {
        let Some(writer) = self.try_writer()? else {
            return Ok(None);
        };
        writer.delete_all_documents()?;
        let mut stmt = db.prepare(crate::schema::ALL_ARTICLES)?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let paper: String = row.get(1)?;
            let date: String = row.get(2)?;
            let page: String = row.get(3)?;
            let json: String = row.get(4)?;
            let article: Article =
                serde_json::from_str(&json).map_err(|source| ArchiveError::Corrupt {
                    id: id.clone(),
                    source,
                })?;
            let keys = Keys {
                id: &id,
                paper: &paper,
                date: &date,
                page: &page,
            };
            let prefix = names::page_prefix(&paper, &date, &page);
            let story = if has_jumps(&article) {
                story(&id)?
            } else {
                String::new()
            };
            self.add(&keys, &prefix, &article, &story)?;
            n += 1;
        }
        self.commit(generation)?;
        Ok(Some(n))
    }

    /// Waits for background segment merges (called when closing).
    pub fn finish(&mut self) -> Result<(), ArchiveError> {
        if let Some(w) = self.writer.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }
}

/// Schemas compare by their JSON form (field names, types and options).
fn same_schema(a: &Schema, b: &Schema) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}

fn parse_payload(p: &str) -> Option<i64> {
    p.strip_prefix(INDEX_FORMAT)?
        .strip_prefix(" generation=")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str, form: WordForm) -> Vec<(String, usize)> {
        let mut t = JiebaTokenizer::new(form);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(tok) = s.next() {
            assert_eq!(
                text[tok.offset_from..tok.offset_to].to_ascii_lowercase(),
                tok.text
            );
            out.push((tok.text.clone(), tok.position));
        }
        out
    }

    #[test]
    fn search_mode_words_at_char_positions() {
        let text = "推进中共中央政治局会议精神，GDP增长。";
        let t = tokens(text, WordForm::Index);
        assert!(t.contains(&("中共中央政治局".to_string(), 2)), "{t:?}");
        assert!(t.contains(&("政治局".to_string(), 6)), "{t:?}");
        assert!(t.contains(&("gdp".to_string(), 14)), "{t:?}");
        assert!(t.iter().all(|(w, _)| w != "，" && w != "。"), "{t:?}");
        // A query: each word once, where the text has it too.
        let q = tokens("中共中央政治局会议", WordForm::Query);
        assert_eq!(q, [("中共中央政治局".into(), 0), ("会议".into(), 7)]);
        let in_text = tokens(text, WordForm::Query);
        assert!(in_text.iter().all(|w| t.contains(w)), "{in_text:?} {t:?}");
    }

    #[test]
    fn folded_words_point_at_the_printed_text() {
        let text = "國家ＧＤＰ增長";
        let mut t = JiebaTokenizer::new(WordForm::Index);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(tok) = s.next() {
            out.push((tok.text.clone(), &text[tok.offset_from..tok.offset_to]));
        }
        assert!(out.contains(&("国家".into(), "國家")), "{out:?}");
        assert!(out.contains(&("gdp".into(), "ＧＤＰ")), "{out:?}");
    }

    #[test]
    fn characters_at_their_places() {
        let text = "防范，Ａ2 國";
        let tokens = |form| {
            let mut t = CharTokenizer::new(form);
            let mut s = t.token_stream(text);
            let mut out = Vec::new();
            while let Some(tok) = s.next() {
                out.push((
                    tok.text.clone(),
                    tok.position,
                    text[tok.offset_from..tok.offset_to].to_string(),
                ));
            }
            out
        };
        let expect = |list: &[(&str, usize, &str)]| -> Vec<(String, usize, String)> {
            list.iter()
                .map(|(a, p, o)| (a.to_string(), *p, o.to_string()))
                .collect()
        };
        assert_eq!(
            tokens(CharForm::Units),
            expect(&[
                ("防", 0, "防"),
                ("范", 1, "范"),
                (",", 2, "，"),
                ("a", 3, "Ａ"),
                ("2", 4, "2"),
                (" ", 5, " "),
                ("国", 6, "國"),
            ])
        );
        assert_eq!(
            tokens(CharForm::Index),
            expect(&[
                ("防", 0, "防"),
                ("防范", 0, "防范"),
                ("范", 1, "范"),
                ("范,", 1, "范，"),
                (",", 2, "，"),
                (",a", 2, "，Ａ"),
                ("a", 3, "Ａ"),
                ("a2", 3, "Ａ2"),
                ("2", 4, "2"),
                ("2 ", 4, "2 "),
                (" ", 5, " "),
                (" 国", 5, " 國"),
                ("国", 6, "國"),
            ])
        );
        // Pairs, and a unit alone only without a neighbour.
        assert_eq!(
            tokens(CharForm::Query),
            expect(&[
                ("防范", 0, "防范"),
                ("范,", 1, "范，"),
                (",a", 2, "，Ａ"),
                ("a2", 3, "Ａ2"),
                ("2 ", 4, "2 "),
                (" 国", 5, " 國"),
            ])
        );
    }

    #[test]
    fn payload_round_trip() {
        assert_eq!(
            parse_payload(&format!("{INDEX_FORMAT} generation=42")),
            Some(42)
        );
        assert_eq!(parse_payload("baozhi-archive-index/2 generation=42"), None);
        assert_eq!(parse_payload("first commit"), None);
    }
}
