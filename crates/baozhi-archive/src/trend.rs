//! Term frequency over time: how many articles match a search in each
//! month or year, beside how many articles the archive holds for that
//! period, so that a researcher can tell a word that became common from an
//! archive that became large.
//!
//! Both counts come from one snapshot of the search index: the matches
//! are the search's (same query, folding and limits as
//! [`Archive::search`]), the totals are what the same filters (paper,
//! dates) match with a blank text. Neither reads a stored document: the
//! documents of each index segment that match, and those of the filters,
//! are marked in two bit sets, then the postings of the `day` field (one
//! term per issue date, see `index.rs`) are walked once, counting each
//! day's marked documents. That costs about one pass over the segment's
//! dated documents whatever the number of hits, and needs no fast field,
//! so archives indexed before this module existed are answered as they
//! are, without a rebuild.
//!
//! Why not count the totals in the database, the record of truth: the
//! index holds the same articles (it is rebuilt when it does not), but
//! counting them there is a query per issue, about 20 ms on 100,000
//! articles (13,700 issues) and growing with the archive, against about
//! 2 ms for the walk; and an index snapshot cannot disagree with itself,
//! where the database may already hold a page an ingest has not yet made
//! searchable, and show more matches than articles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, Searcher, SegmentReader, TantivyError};

use crate::{query, Archive, ArchiveError, SearchQuery};

/// Without a `by`, a trend is by month when its periods span at most this
/// many months, else by year: three years of months is still a readable
/// chart (36 bars), more is not, and a few months by year is one bar.
pub const AUTO_MONTHS_MAX: i64 = 36;

/// The most periods a trend answers with; more is refused with a message
/// to count by year or narrow the dates. 2,400 months is 200 years, longer
/// than any Chinese newspaper has run (申报 began in 1872), so only an
/// archive with a misdated issue (a year 0024 for 2024) gets there, and
/// its chart would be a few bars lost among thousands of empty ones.
pub const MAX_TREND_PERIODS: usize = 2_400;

/// How a trend groups dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrendBy {
    /// Calendar months, labelled `YYYY-MM`.
    Month,
    /// Calendar years, labelled `YYYY`.
    Year,
}

impl TrendBy {
    /// `month` or `year` (as in the API), case ignored.
    pub fn parse(s: &str) -> Option<TrendBy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "month" => Some(TrendBy::Month),
            "year" => Some(TrendBy::Year),
            _ => None,
        }
    }

    /// `month` or `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            TrendBy::Month => "month",
            TrendBy::Year => "year",
        }
    }

    /// The period of a `YYYYMMDD` day number, as a number that goes up by
    /// one from each period to the next: the year, or `year * 12 + month -
    /// 1`.
    fn period(self, day: i64) -> i64 {
        let year = day / 10_000;
        match self {
            TrendBy::Year => year,
            TrendBy::Month => year * 12 + (day / 100 % 100 - 1),
        }
    }

    /// The label of a number made by [`TrendBy::period`].
    fn label(self, period: i64) -> String {
        match self {
            TrendBy::Year => format!("{period:04}"),
            TrendBy::Month => format!("{:04}-{:02}", period / 12, period % 12 + 1),
        }
    }
}

/// A trend to compute: the search text (the syntax and folding of
/// [`SearchQuery::text`]; blank matches every article) with the same
/// filters as a search, and how to group dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendQuery {
    pub text: String,
    /// Only this paper (exact name).
    pub paper: Option<String>,
    /// Only issues on or after this `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Only issues on or before this `YYYY-MM-DD`.
    pub to: Option<String>,
    /// By month or by year; `None` chooses: months when the periods span
    /// at most [`AUTO_MONTHS_MAX`] months, years otherwise.
    pub by: Option<TrendBy>,
}

impl TrendQuery {
    /// A trend of `text` over the whole archive, grouping chosen.
    pub fn new(text: impl Into<String>) -> Self {
        TrendQuery {
            text: text.into(),
            ..TrendQuery::default()
        }
    }
}

/// Matches and articles per period ([`Archive::trend`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The search text, trimmed.
    pub query: String,
    /// How the periods are grouped: as asked, else as chosen (see
    /// [`TrendQuery::by`]; by month when there are no periods).
    pub by: TrendBy,
    /// Every period from the first to the last that holds an article
    /// (of the paper and dates asked for), in order, empty ones included.
    pub periods: Vec<TrendPeriod>,
}

/// One month or year of a [`Trend`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPeriod {
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    /// Articles of the period that match the search.
    pub matches: usize,
    /// Articles of the period in all (of the paper and dates asked for):
    /// what `matches` is a share of. Zero in a gap of the archive.
    pub articles: usize,
}

impl Archive {
    /// How many articles match `q.text` in each month or year, and how
    /// many articles there are in each, from the first period holding an
    /// article (of `q.paper`, between `q.from` and `q.to`) to the last.
    /// Undated articles (and dates that are no calendar day) are in no
    /// period and not counted. A search text refused by
    /// [`Archive::search`] is refused here with the same error; more than
    /// [`MAX_TREND_PERIODS`] periods is [`ArchiveError::Query`]. Counts
    /// are of the committed articles, as searches see them.
    pub fn trend(&self, q: &TrendQuery) -> Result<Trend, ArchiveError> {
        let search = SearchQuery {
            text: q.text.clone(),
            paper: q.paper.clone(),
            from: q.from.clone(),
            to: q.to.clone(),
            ..SearchQuery::default()
        };
        // Checks the text's limits and the dates, as a search does.
        let matching = query::build(&self.index, &search)?;
        let population = query::build(
            &self.index,
            &SearchQuery {
                text: String::new(),
                ..search
            },
        )?;
        let searcher = self.index.reader.searcher();
        let by_day = counts_by_day(
            &searcher,
            &*weight_of(&searcher, &*matching.query)?,
            &*weight_of(&searcher, &*population.query)?,
            self.index.fields.day,
        )?;

        let query = q.text.trim().to_string();
        let (Some(&first), Some(&last)) = (by_day.keys().next(), by_day.keys().next_back()) else {
            return Ok(Trend {
                query,
                by: q.by.unwrap_or(TrendBy::Month),
                periods: Vec::new(),
            });
        };
        let by = q.by.unwrap_or_else(|| {
            let months = TrendBy::Month.period(last) - TrendBy::Month.period(first) + 1;
            if months <= AUTO_MONTHS_MAX {
                TrendBy::Month
            } else {
                TrendBy::Year
            }
        });
        let (first, last) = (by.period(first), by.period(last));
        let count = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
        if count > MAX_TREND_PERIODS {
            return Err(ArchiveError::Query(format!(
                "{count} {}s from {} to {} are too many (at most {MAX_TREND_PERIODS}): \
                 count by year or give from and to",
                by.as_str(),
                by.label(first),
                by.label(last),
            )));
        }
        let mut periods: Vec<TrendPeriod> = (first..=last)
            .map(|p| TrendPeriod {
                period: by.label(p),
                matches: 0,
                articles: 0,
            })
            .collect();
        for (&day, counts) in &by_day {
            let period = &mut periods[(by.period(day) - first) as usize];
            period.matches += counts.matches;
            period.articles += counts.articles;
        }
        Ok(Trend { query, by, periods })
    }
}

/// The query's weight without scoring (a trend only counts). A query the
/// schema cannot answer (`date:*` asks for a fast field the archive does
/// not keep) is a bad search, as in [`Archive::search`].
fn weight_of(searcher: &Searcher, query: &dyn Query) -> Result<Box<dyn Weight>, ArchiveError> {
    query
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(|e| match e {
            TantivyError::SchemaError(m)
            | TantivyError::InvalidArgument(m)
            | TantivyError::FieldNotFound(m) => {
                ArchiveError::Query(format!("this archive cannot answer that: {m}"))
            }
            other => ArchiveError::Index(other),
        })
}

/// Of one day's articles, how many the filters select and how many of
/// those match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct DayCounts {
    matches: usize,
    articles: usize,
}

/// Per `YYYYMMDD` day with any, the live documents `population` selects
/// and, of those, the ones `matching` selects, read from the postings of
/// the `day` field (see the module docs).
fn counts_by_day(
    searcher: &Searcher,
    matching: &dyn Weight,
    population: &dyn Weight,
    day_field: Field,
) -> Result<BTreeMap<i64, DayCounts>, ArchiveError> {
    let mut by_day: BTreeMap<i64, DayCounts> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let selected = live_docs(segment, population)?;
        if selected.len() == 0 {
            continue;
        }
        let matched = live_docs(segment, matching)?;
        let days = segment.inverted_index(day_field)?;
        let mut terms = days.terms().stream().map_err(TantivyError::from)?;
        while terms.advance() {
            let Some(day) = day_of_term(terms.key()) else {
                continue;
            };
            let mut postings = days
                .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                .map_err(TantivyError::from)?;
            let mut counts = DayCounts::default();
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    if selected.contains(doc) {
                        counts.articles += 1;
                        counts.matches += usize::from(matched.contains(doc));
                    }
                }
                postings.advance();
            }
            if counts.articles > 0 {
                let total = by_day.entry(day).or_default();
                total.articles += counts.articles;
                total.matches += counts.matches;
            }
        }
    }
    Ok(by_day)
}

/// The documents of a segment that `weight` selects, deleted ones left
/// out: postings still hold them (a replaced page's articles) until
/// segments merge.
fn live_docs(segment: &SegmentReader, weight: &dyn Weight) -> Result<BitSet, ArchiveError> {
    let mut docs = BitSet::with_max_value(segment.max_doc());
    let alive = segment.alive_bitset();
    weight.for_each_no_score(segment, &mut |block| {
        for &doc in block {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                docs.insert(doc);
            }
        }
    })?;
    Ok(docs)
}

/// The day number an `i64` term of the index holds: its 8 bytes, big
/// endian, in tantivy's order-preserving mapping of `i64` to `u64`.
fn day_of_term(key: &[u8]) -> Option<i64> {
    let bytes: [u8; 8] = key.try_into().ok()?;
    Some(tantivy::u64_to_i64(u64::from_be_bytes(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_count_up_across_year_ends() {
        let m = TrendBy::Month;
        assert_eq!(m.period(20241231) + 1, m.period(20250101));
        assert_eq!(m.label(m.period(20241231)), "2024-12");
        assert_eq!(m.label(m.period(20250101)), "2025-01");
        assert_eq!(m.label(m.period(18720430)), "1872-04");
        let y = TrendBy::Year;
        assert_eq!(y.period(20241231) + 1, y.period(20250101));
        assert_eq!(y.label(y.period(20250101)), "2025");
        assert_eq!(y.label(y.period(990101)), "0099");
    }

    #[test]
    fn grouping_names_parse() {
        assert_eq!(TrendBy::parse("month"), Some(TrendBy::Month));
        assert_eq!(TrendBy::parse(" YEAR "), Some(TrendBy::Year));
        assert_eq!(TrendBy::parse("week"), None);
        assert_eq!(TrendBy::parse(""), None);
        assert_eq!(
            serde_json::to_string(&TrendBy::Year).unwrap(),
            "\"year\"".to_string()
        );
    }

    /// Deleted documents stay in a segment's postings until it is merged;
    /// they must not count. (Through the archive this is hard to reach:
    /// which segment an article lands in depends on the indexing threads,
    /// and a segment left with no live document is dropped whole.)
    #[test]
    fn deleted_documents_do_not_count() {
        let mut schema = tantivy::schema::Schema::builder();
        let day = schema.add_i64_field("day", tantivy::schema::INDEXED);
        let name = schema.add_text_field("name", tantivy::schema::STRING);
        let index = tantivy::Index::create_in_ram(schema.build());
        // One thread: one segment, which keeps live documents beside the
        // deleted one.
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (n, d) in [("a", 20241022), ("b", 20241022), ("c", 20241201)] {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_i64(day, d);
            doc.add_text(name, n);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(tantivy::Term::from_field_text(name, "a"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(searcher.segment_readers()[0].num_deleted_docs(), 1);
        let everything = weight_of(&searcher, &tantivy::query::AllQuery).unwrap();
        let c = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(name, "c"),
            IndexRecordOption::Basic,
        );
        let only_c = weight_of(&searcher, &c).unwrap();
        let counts = |matching: &dyn Weight| counts_by_day(&searcher, matching, &*everything, day);
        let day_counts = |matches, articles| DayCounts { matches, articles };
        assert_eq!(
            counts(&*everything).unwrap(),
            BTreeMap::from([(20241022, day_counts(1, 1)), (20241201, day_counts(1, 1))])
        );
        assert_eq!(
            counts(&*only_c).unwrap(),
            BTreeMap::from([(20241022, day_counts(0, 1)), (20241201, day_counts(1, 1))])
        );
    }

    #[test]
    fn day_terms_decode() {
        let term = tantivy::Term::from_field_i64(Field::from_field_id(0), 20241022);
        assert_eq!(day_of_term(term.serialized_value_bytes()), Some(20241022));
        assert_eq!(day_of_term(&[1, 2, 3]), None);
    }
}
