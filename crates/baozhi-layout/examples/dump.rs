//! Print the engine's articles for a UTF-8 page file as `baozhi/1` JSON, or
//! with `--roles` the line model's label of every line (development aids; the `baozhi`
//! binary is the real front end).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.last().expect("usage: dump [--roles] FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    if args.iter().any(|a| a == "--roles") {
        let units = baozhi_layout::units::units(baozhi_layout::lines::split_lines(&text));
        let shape = baozhi_layout::units::PageShape::of(&units);
        // A `.geom.tsv` beside the page (as `scripts/printpages.py` writes
        // them): each line's box, size and weight.
        let geometry: Option<Vec<baozhi_model::LineGeometry>> =
            std::fs::read_to_string(path.trim_end_matches(".txt").to_string() + ".geom.tsv")
                .ok()
                .map(|g| {
                    g.lines()
                        .map(|r| {
                            let v: Vec<f32> =
                                r.split('\t').map(|x| x.parse().unwrap_or(0.0)).collect();
                            baozhi_model::LineGeometry {
                                x0: v[0],
                                top: v[1],
                                x1: v[2],
                                bottom: v[3],
                                size: v[4],
                                bold: v[5] > 0.5,
                            }
                        })
                        .collect()
                });
        // (the page's size is not in the file: the running head's row is
        // not marked here as `parse` marks it)
        let labels = baozhi_layout::tagger::tag(&units, &shape, geometry.as_deref(), None);
        for (u, l) in units.iter().zip(labels) {
            let t: String = u.line.text.chars().take(40).collect();
            let cue = format!("{:?}", u.cue);
            println!("{:>8} {:>12.12} {}", l.name(), cue, t);
        }
        return;
    }
    let r = baozhi_layout::parse_page(&text, &baozhi_layout::Options::default());
    let mut doc = baozhi_model::Document::new(None, None);
    doc.pages.push(r.page);
    doc.articles = r.articles;
    println!("{}", serde_json::to_string_pretty(&doc).unwrap());
}
