//! The SQLite side of the archive: the tables, connection settings and the
//! generation counter that ties the search index to the database.
//!
//! SQLite is the archive's record of truth. The search index can always be
//! rebuilt from it (see `index.rs`), never the other way round.

use rusqlite::{Connection, OptionalExtension};

/// Tables of the archive. Keys (`papers.name`, `issues.date`, `pages.page`)
/// are never NULL: a missing paper, date or page is stored under the
/// placeholders of [`crate::names`], so that uniqueness holds (SQLite treats
/// NULLs as distinct) and re-ingesting a page finds the page it replaces.
const TABLES: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS papers (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS issues (
    id       INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers(id),
    date     TEXT NOT NULL,
    UNIQUE (paper_id, date)
);
-- furniture: the page's baozhi/1 `furniture` list as JSON.
CREATE TABLE IF NOT EXISTS pages (
    id        INTEGER PRIMARY KEY,
    issue_id  INTEGER NOT NULL REFERENCES issues(id),
    page      TEXT NOT NULL,
    furniture TEXT NOT NULL,
    UNIQUE (issue_id, page)
);
-- json: the whole baozhi/1 article as ingested (its own `id` is the one
-- local to its document). The other columns are copies for listing pages
-- and resolving jumps without parsing JSON.
CREATE TABLE IF NOT EXISTS articles (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    page_id        INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    ord            INTEGER NOT NULL,
    title          TEXT NOT NULL,
    kicker         TEXT,
    column_label   TEXT,
    continues_to   TEXT,
    continued_from TEXT,
    json           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_page ON articles (page_id, ord);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
-- A picture of a printed page (a JPEG rendered from its PDF page or shrunk
-- from its scan) and the page's size in points, which its articles' boxes
-- are drawn on. Goes when the page is ingested again (`reset_page`) or
-- removed.
CREATE TABLE IF NOT EXISTS page_pictures (
    page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
    width   REAL NOT NULL,
    height  REAL NOT NULL,
    jpeg    BLOB NOT NULL
);
";

/// The version of the tables above, kept in SQLite's `user_version`.
/// Every statement of [`TABLES`] may run again, so an archive of an older
/// version gets the tables it lacks (version 2 added `page_pictures`).
const SCHEMA_VERSION: i64 = 2;

/// Opens (creating if needed) the archive database and its tables.
pub(crate) fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    // WAL: readers (a web server) are not blocked by an ingest, and a killed
    // writer leaves every committed transaction intact. NORMAL sync is safe
    // against a killed process in WAL mode; only a power cut may lose the
    // last transactions, and then the generation check rebuilds the index.
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.pragma_update(None, "foreign_keys", "ON")?;
    db.busy_timeout(std::time::Duration::from_secs(10))?;
    // Create the tables only when they are missing: creating takes the
    // write lock, which an ingest in another process may hold for a while,
    // and a reader opening the archive must not wait for it.
    let version: i64 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < SCHEMA_VERSION {
        db.execute_batch(TABLES)?;
        db.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    Ok(db)
}

/// The generation counter: bumped in every write transaction, and written
/// as the search index's commit payload once the index holds the same data.
pub(crate) fn generation(db: &Connection) -> rusqlite::Result<i64> {
    db.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| {
        r.get(0)
    })
}

/// Bumps the generation inside the open transaction; returns the new value.
pub(crate) fn bump_generation(db: &Connection) -> rusqlite::Result<i64> {
    db.query_row(
        "UPDATE meta SET value = value + 1 WHERE key = 'generation' RETURNING value",
        [],
        |r| r.get(0),
    )
}

/// The id of a paper, inserted when new.
pub(crate) fn paper_id(db: &Connection, name: &str) -> rusqlite::Result<i64> {
    db.prepare_cached("INSERT INTO papers (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?
        .execute([name])?;
    db.prepare_cached("SELECT id FROM papers WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
}

/// The id of an issue, inserted when new.
pub(crate) fn issue_id(db: &Connection, paper_id: i64, date: &str) -> rusqlite::Result<i64> {
    db.prepare_cached(
        "INSERT INTO issues (paper_id, date) VALUES (?1, ?2) ON CONFLICT (paper_id, date) DO NOTHING",
    )?
    .execute(rusqlite::params![paper_id, date])?;
    db.prepare_cached("SELECT id FROM issues WHERE paper_id = ?1 AND date = ?2")?
        .query_row(rusqlite::params![paper_id, date], |r| r.get(0))
}

/// Makes the page row hold `furniture` and no articles: an existing page is
/// emptied (that is how re-ingesting replaces a page), a new one inserted.
/// Returns the page id and whether it existed.
pub(crate) fn reset_page(
    db: &Connection,
    issue_id: i64,
    page: &str,
    furniture: &str,
) -> rusqlite::Result<(i64, bool)> {
    let existing: Option<i64> = db
        .prepare_cached("SELECT id FROM pages WHERE issue_id = ?1 AND page = ?2")?
        .query_row(rusqlite::params![issue_id, page], |r| r.get(0))
        .optional()?;
    match existing {
        Some(id) => {
            db.prepare_cached("DELETE FROM articles WHERE page_id = ?1")?
                .execute([id])?;
            db.prepare_cached("DELETE FROM page_pictures WHERE page_id = ?1")?
                .execute([id])?;
            db.prepare_cached("UPDATE pages SET furniture = ?2 WHERE id = ?1")?
                .execute(rusqlite::params![id, furniture])?;
            Ok((id, true))
        }
        None => {
            db.prepare_cached("INSERT INTO pages (issue_id, page, furniture) VALUES (?1, ?2, ?3)")?
                .execute(rusqlite::params![issue_id, page, furniture])?;
            Ok((db.last_insert_rowid(), false))
        }
    }
}

/// Keeps a picture of page `page_id` (a JPEG) with the page's size in
/// points.
pub(crate) fn put_page_picture(
    db: &Connection,
    page_id: i64,
    size: baozhi_model::PageSize,
    jpeg: &[u8],
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT OR REPLACE INTO page_pictures (page_id, width, height, jpeg) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![
        page_id,
        f64::from(size.width),
        f64::from(size.height),
        jpeg
    ])?;
    Ok(())
}

/// The page size a query's first two columns hold (`page_pictures`'
/// `width` and `height`), as [`put_page_picture`] wrote it.
pub(crate) fn picture_size(r: &rusqlite::Row<'_>) -> rusqlite::Result<baozhi_model::PageSize> {
    Ok(baozhi_model::PageSize {
        width: r.get::<_, f64>(0)? as f32,
        height: r.get::<_, f64>(1)? as f32,
    })
}

/// One article row, as written.
pub(crate) struct ArticleRow<'a> {
    pub id: &'a str,
    pub page_id: i64,
    pub ord: usize,
    pub title: &'a str,
    pub kicker: Option<&'a str>,
    pub column: Option<&'a str>,
    pub continues_to: Option<&'a str>,
    pub continued_from: Option<&'a str>,
    pub json: &'a str,
}

pub(crate) fn insert_article(db: &Connection, a: &ArticleRow<'_>) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO articles (id, page_id, ord, title, kicker, column_label, continues_to, continued_from, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(rusqlite::params![
        a.id,
        a.page_id,
        a.ord as i64,
        a.title,
        a.kicker,
        a.column,
        a.continues_to,
        a.continued_from,
        a.json
    ])?;
    Ok(())
}

/// Every article with the keys of its page, in insertion order: what the
/// search index is rebuilt from. Columns: id, paper, date, page, json.
pub(crate) const ALL_ARTICLES: &str = "
SELECT a.id, pa.name, i.date, p.page, a.json
FROM articles a
JOIN pages p ON p.id = a.page_id
JOIN issues i ON i.id = p.issue_id
JOIN papers pa ON pa.id = i.paper_id
ORDER BY a.seq";
