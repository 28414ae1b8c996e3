//! The data the proofreader reasons with, shipped with the code (built by
//! the scripts in `scripts/`, see `data/README.md`):
//! the gazetteer of China's administrative divisions, the glyph-similarity
//! table computed from font bitmaps and the confusions Tesseract made on
//! corpus pages.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const GAZETTEER_TSV: &str = include_str!("../../../data/gazetteer.tsv");
const GLYPHS_TSV: &str = include_str!("../../../data/glyph-similar.tsv");
const OCR_CONFUSIONS_TSV: &str = include_str!("../../../data/ocr-confusions.tsv");

/// The glyph table keeps pairs closer than this (`scripts/build-glyphs.py`
/// THRESHOLD): a pair OCR confuses that the table lacks is at least this
/// far apart, and is given this distance.
pub const GLYPH_TABLE_REACH: f32 = 0.20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
}

/// Administrative divisions by name (a name may be used by several places).
#[derive(Debug, Default)]
pub struct Gazetteer {
    by_name: HashMap<String, Vec<Place>>,
    by_code: HashMap<String, usize>,
    places: Vec<Place>,
    /// Names of 3–5 chars by their shape with one stem char blanked out
    /// ([`blanked_key`]): the chars that fill the blank. A misread stem is
    /// one look-up per position, not one per look-alike.
    blanked: HashMap<u128, Vec<char>>,
}

/// The fields of a data file's rows: tab-separated, `#` comments and blank
/// lines skipped.
fn rows(tsv: &str) -> impl Iterator<Item = std::str::Split<'_, char>> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t'))
}

/// The key of a name of up to five chars with its char at `p` blanked out.
pub fn blanked_key(name: &[char], p: usize) -> u128 {
    let mut k = p as u128;
    for (i, &c) in name.iter().enumerate() {
        k = k << 21 | if i == p { 0 } else { c as u128 };
    }
    k << 3 | name.len() as u128
}

impl Gazetteer {
    pub fn parse(tsv: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        for mut f in rows(tsv) {
            let (Some(code), Some(name), Some(level)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let parent = f.next().filter(|p| !p.is_empty()).map(str::to_string);
            let place = Place {
                code: code.to_string(),
                name: name.to_string(),
                level: level.to_string(),
                parent,
            };
            let cs: Vec<char> = place.name.chars().collect();
            // a name several places share is indexed once
            if (3..=5).contains(&cs.len()) && !g.by_name.contains_key(&place.name) {
                for p in 0..cs.len() - 1 {
                    g.blanked
                        .entry(blanked_key(&cs, p))
                        .or_default()
                        .push(cs[p]);
                }
            }
            g.by_code.insert(place.code.clone(), g.places.len());
            g.by_name
                .entry(place.name.clone())
                .or_default()
                .push(place.clone());
            g.places.push(place);
        }
        g
    }

    pub fn get(&self, name: &str) -> &[Place] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The chars that, put at `p` of `name` (up to five chars, the last one
    /// kept), make a name of the gazetteer.
    pub fn fills(&self, name: &[char], p: usize) -> &[char] {
        self.blanked
            .get(&blanked_key(name, p))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn by_code(&self, code: &str) -> Option<&Place> {
        self.by_code.get(code).map(|&i| &self.places[i])
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

/// For each common char, the chars whose glyphs look most alike, with a
/// distance in 0..1 (lower is more alike).
#[derive(Debug, Default)]
pub struct Glyphs {
    neighbours: HashMap<char, Vec<(char, f32)>>,
}

impl Glyphs {
    pub fn parse(tsv: &str) -> Glyphs {
        let mut g = Glyphs::default();
        for mut f in rows(tsv) {
            let (Some(a), Some(b), Some(d)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Some(a), Some(b), Ok(d)) =
                (a.chars().next(), b.chars().next(), d.trim().parse::<f32>())
            else {
                continue;
            };
            g.neighbours.entry(a).or_default().push((b, d));
        }
        for v in g.neighbours.values_mut() {
            v.sort_by(|x, y| x.1.total_cmp(&y.1));
        }
        g
    }

    pub fn neighbours(&self, c: char) -> &[(char, f32)] {
        self.neighbours.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn distance(&self, a: char, b: char) -> Option<f32> {
        self.neighbours(a)
            .iter()
            .find(|(c, _)| *c == b)
            .map(|(_, d)| *d)
    }
}

/// A char OCR may have read in place of the printed one: a look-alike by
/// font bitmap, or a char Tesseract was seen to read it as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confusable {
    /// The char that may have been printed.
    pub alt: char,
    /// Glyph distance ([`Glyphs`]), [`GLYPH_TABLE_REACH`] where the glyph
    /// table lacks the pair.
    pub distance: f32,
    /// Times Tesseract read `alt` as the char on corpus pages
    /// (`data/ocr-confusions.tsv`), 0 if never seen.
    pub seen: u32,
}

/// For each char, what it may stand for ([`Confusable`]): the glyph
/// table's look-alikes and Tesseract's confusions, merged once.
#[derive(Debug, Default)]
pub struct Confusables {
    by_char: HashMap<char, Vec<Confusable>>,
}

impl Confusables {
    /// Merges the look-alikes of `glyphs` with the confusions of `tsv`
    /// (`read<TAB>printed<TAB>count`); look-alikes first, nearest first,
    /// then the confusions the glyph table lacks, commonest first.
    pub fn new(glyphs: &Glyphs, tsv: &str) -> Confusables {
        let mut seen: HashMap<char, Vec<(char, u32)>> = HashMap::default();
        for mut f in rows(tsv) {
            let (Some(read), Some(printed), Some(n)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Some(read), Some(printed), Ok(n)) = (
                read.chars().next(),
                printed.chars().next(),
                n.trim().parse::<u32>(),
            ) else {
                continue;
            };
            if read != printed {
                seen.entry(read).or_default().push((printed, n));
            }
        }
        let mut by_char: HashMap<char, Vec<Confusable>> = HashMap::default();
        for (&c, near) in &glyphs.neighbours {
            let count = |alt: char| {
                seen.get(&c)
                    .and_then(|v| v.iter().find(|(p, _)| *p == alt))
                    .map_or(0, |&(_, n)| n)
            };
            by_char.insert(
                c,
                near.iter()
                    .map(|&(alt, distance)| Confusable {
                        alt,
                        distance,
                        seen: count(alt),
                    })
                    .collect(),
            );
        }
        for (c, mut read_for) in seen {
            read_for.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let list = by_char.entry(c).or_default();
            for (alt, n) in read_for {
                if !list.iter().any(|x| x.alt == alt) {
                    list.push(Confusable {
                        alt,
                        distance: GLYPH_TABLE_REACH,
                        seen: n,
                    });
                }
            }
        }
        Confusables { by_char }
    }

    /// What OCR may have read `c` for.
    pub fn of(&self, c: char) -> &[Confusable] {
        self.by_char.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }
}

pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::parse(GAZETTEER_TSV))
}

pub fn glyphs() -> &'static Glyphs {
    static G: OnceLock<Glyphs> = OnceLock::new();
    G.get_or_init(|| Glyphs::parse(GLYPHS_TSV))
}

pub fn confusables() -> &'static Confusables {
    static C: OnceLock<Confusables> = OnceLock::new();
    C.get_or_init(|| Confusables::new(glyphs(), OCR_CONFUSIONS_TSV))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_gazetteer_knows_counties_with_codes() {
        let g = gazetteer();
        assert!(g.len() > 3000, "provinces, cities and counties at least");
        let p = &g.get("淅川县")[0];
        assert_eq!(p.code, "411326");
        let parent = g.by_code(p.parent.as_deref().unwrap()).unwrap();
        assert_eq!(parent.name, "南阳市");
        assert!(!g.contains("浙川县"));
    }

    #[test]
    fn the_shipped_glyph_table_knows_common_confusions() {
        let g = glyphs();
        for (a, b) in [('浙', '淅'), ('未', '末'), ('己', '已'), ('土', '士')] {
            assert!(g.distance(a, b).is_some(), "{a}/{b} should be neighbours");
        }
    }

    #[test]
    fn a_blanked_stem_char_is_filled_by_the_names_that_fit() {
        let g = Gazetteer::parse(
            "# c\n411326\t淅川县\tcounty\t4113\n411300\t南阳市\tcity\t41\n411301\t南召县\tcounty\t4113\n",
        );
        let name = |s: &str| s.chars().collect::<Vec<char>>();
        // 浙川县: the first char blanked, 淅 fits
        assert_eq!(g.fills(&name("浙川县"), 0), &['淅']);
        // the blank's position and the suffix are part of the key
        assert!(g.fills(&name("浙川县"), 1).is_empty());
        assert!(g.fills(&name("浙川市"), 0).is_empty());
        // 南阳县 and 南召市 are no names: only one char may differ, and
        // the suffix must match
        assert_eq!(g.fills(&name("南x县"), 1), &['召']);
        assert_eq!(g.fills(&name("南x市"), 1), &['阳']);
        // a name two places share fills its blank once
        let twice = Gazetteer::parse("1\t新城区\tdistrict\t\n2\t新城区\tdistrict\t\n");
        assert_eq!(twice.fills(&name("新x区"), 1), &['城']);
        // names of two chars are not indexed
        assert!(Gazetteer::parse("1\t沙县\tcounty\t\n")
            .fills(&name("沙县"), 0)
            .is_empty());
    }

    #[test]
    fn parsing_skips_comments_and_bad_rows() {
        let g = Gazetteer::parse("# c\n41\t河南省\tprovince\t\nbad\n");
        assert_eq!(g.len(), 1);
        assert_eq!(g.get("河南省")[0].parent, None);
        let gl = Glyphs::parse("# c\n浙\t淅\t0.081\n浙\t断\tx\n");
        assert_eq!(gl.distance('浙', '淅'), Some(0.081));
        assert_eq!(gl.neighbours('浙').len(), 1);
    }

    #[test]
    fn confusions_join_the_look_alikes_they_lack() {
        let gl = Glyphs::parse("浙\t淅\t0.081\n千\t干\t0.150\n");
        // Tesseract read 淅 as 浙 twice, 眼 as 腿 16 times, and a bad row
        let c = Confusables::new(&gl, "浙\t淅\t2\n腿\t眼\t16\n腿\tx\n腿\t腿\t3\n");
        let got =
            |ch: char| -> Vec<(char, u32)> { c.of(ch).iter().map(|x| (x.alt, x.seen)).collect() };
        // a look-alike Tesseract also confused keeps its distance and gains a count
        assert_eq!(got('浙'), [('淅', 2)]);
        assert_eq!(c.of('浙')[0].distance, 0.081);
        // a confusion the glyph table lacks sits at the table's reach
        assert_eq!(got('腿'), [('眼', 16)]);
        assert_eq!(c.of('腿')[0].distance, GLYPH_TABLE_REACH);
        // a look-alike never confused counts 0; an unknown char has nothing
        assert_eq!(got('千'), [('干', 0)]);
        assert!(c.of('天').is_empty());
    }

    #[test]
    fn the_shipped_confusions_hold_tesseracts_commonest() {
        // 千 read as 干 is Tesseract's commonest Han confusion on corpus pages
        assert!(confusables()
            .of('干')
            .iter()
            .any(|x| x.alt == '千' && x.seen > 0));
    }
}
