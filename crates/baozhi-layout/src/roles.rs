//! Stage 2c: the role model. Each text unit gets a headline score from its
//! own features (length, punctuation, pairing, cue words) and from its
//! neighbours (a byline below it, a fragment it continues or that continues
//! it); the page is then read in order with that evidence.

use crate::cues;
use crate::seam;
use crate::tagger::Label;
use crate::units::{Cue, PageShape, Unit};
use baozhi_text::{
    ends_sentence, is_closing, is_opening, is_pause, is_sentence_final, is_space, visible_len,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Part of a headline block: label, kicker, title, subtitle or an in-article head.
    Head,
    /// Body text (a paragraph or a fragment of one).
    Body,
    /// A stand-alone photo credit or picture line kept in the body as printed.
    Credit,
    /// A numbered or boxed heading inside an article (一、总体要求, 核心阅读).
    InHeading,
    /// A bare-name byline (`周  瑛`).
    NameByline,
    /// Not text (header, caption, byline with roles, marks, jumps).
    Cue,
    /// A photo caption's text whose credit, if any, is on a line of its own
    /// (line model only).
    Caption,
    /// Page furniture the cues did not recognise, such as a running head
    /// (line model only).
    Furniture,
}

/// The roles the line model's labels give, once the deterministic cues
/// (headers, bylines with roles, captions with credits, marks, jumps) have
/// taken theirs.
pub fn from_labels(units: &[Unit], labels: &[Label]) -> Vec<Role> {
    units
        .iter()
        .zip(labels)
        .map(|(u, l)| {
            let Some(t) = u.text.as_ref().filter(|_| u.cue == Cue::Text) else {
                return Role::Cue;
            };
            match l {
                l if l.is_head() => Role::Head,
                Label::Heading => Role::InHeading,
                Label::Byline if cues::labelled_byline(&t.text).is_some() => Role::NameByline,
                Label::Credit => Role::Credit,
                Label::Caption => Role::Caption,
                Label::Header => Role::Furniture,
                _ => Role::Body,
            }
        })
        .collect()
}

/// How headline-like a text is on its own. Positive: headline.
pub fn headline_score(text: &str) -> f32 {
    // No headline runs past ~80 chars: skip the feature work for body paragraphs.
    if text.len() > 240 {
        return -8.0;
    }
    let n = visible_len(text);
    let mut s = 0.0f32;
    if n == 0 {
        return -10.0;
    }
    let chars: Vec<char> = text.chars().filter(|c| !is_space(*c)).collect();
    // A headline flattened onto one line (`引题 主题 副题`) is long but has
    // spaced parts and no punctuation at all.
    let parts = text.split(is_space).filter(|p| !p.is_empty()).count();
    let unpunctuated = !chars
        .iter()
        .any(|c| baozhi_text::is_punct(*c) && !matches!(c, '“' | '”' | '‘' | '’' | '·'));
    let flattened = parts >= 2 && unpunctuated && n <= 60;
    s += match n {
        0..=15 => 2.0,
        16..=30 => 1.0,
        _ if flattened => 1.0,
        31..=40 => -0.5,
        _ => -4.0,
    };
    let last = *chars.last().unwrap_or(&' ');
    let first = chars[0];
    if ends_sentence(text) {
        // titles may end in a question or exclamation, never in a full stop
        s -= if matches!(last, '？' | '?' | '！' | '!') {
            2.0
        } else {
            4.0
        };
    }
    let inner_final = chars[..chars.len() - 1]
        .iter()
        .filter(|c| is_sentence_final(**c))
        .count();
    s -= 3.0 * inner_final.min(2) as f32;
    let commas = chars.iter().filter(|c| matches!(c, '，' | ',')).count();
    s += match commas {
        0 => 0.5,
        1 => 0.0,
        _ => -2.0,
    };
    if is_pause(last) && !text.ends_with("——") {
        s -= 4.0;
    }
    if is_sentence_final(first) || is_pause(first) && !text.starts_with("——") || is_closing(first)
    {
        s -= 5.0;
    }
    // An unbalanced opening quote: the sentence goes on in the next block.
    let opens = chars.iter().filter(|c| is_opening(**c)).count();
    let closes = chars.iter().filter(|c| is_closing(**c)).count();
    if opens > closes {
        s -= 2.0;
    }
    if text.ends_with("——") || text.starts_with("——") {
        s += 2.0;
    }
    if cues::is_paragraph_opener(text) {
        s -= 3.0;
    }
    if cues::dateline_at_start(text).is_some() {
        s -= 6.0;
    }
    s
}

pub const HEAD_THRESHOLD: f32 = 1.5;
/// A fragment whose join score with the next block reaches this is body, whatever it looks like.
const FRAGMENT_JOIN: f32 = 3.0;

/// Assign a role to every unit.
pub fn assign(units: &[Unit], shape: &PageShape) -> Vec<Role> {
    let n = units.len();
    let text = |i: usize| {
        units[i]
            .text
            .as_ref()
            .map(|p| p.text.as_str())
            .unwrap_or("")
    };
    let is_text = |i: usize| units[i].cue == Cue::Text && units[i].text.is_some();
    let standalone: Vec<f32> = (0..n)
        .map(|i| {
            if is_text(i) {
                headline_score(text(i))
            } else {
                -10.0
            }
        })
        .collect();
    let mut roles = vec![Role::Cue; n];
    // the next unit that carries text or a byline, skipping captions and marks
    let next_content = |i: usize| {
        (i + 1..n).find(|&j| {
            !matches!(
                units[j].cue,
                Cue::Caption(_) | Cue::Mark | Cue::JumpOnly | Cue::Header { .. } | Cue::PageCredit
            )
        })
    };
    for i in 0..n {
        if !is_text(i) {
            continue;
        }
        let t = text(i);
        let prev = (0..i).rev().find(|&j| {
            !matches!(
                units[j].cue,
                Cue::Caption(_) | Cue::Mark | Cue::Header { .. } | Cue::PageCredit
            )
        });
        let prev_role = prev.map(|j| roles[j]);
        let prev_is_byline = prev.is_some_and(|j| {
            matches!(units[j].cue, Cue::Byline(_)) || roles[j] == Role::NameByline
        });
        if cues::is_credit_line(t) && visible_len(t) <= 20 || cues::is_attribution(t) {
            roles[i] = Role::Credit;
            continue;
        }
        if cues::is_box_heading(t) || cues::is_numbered_heading(t) {
            roles[i] = Role::InHeading;
            continue;
        }
        // A bare name right under a headline line is its byline.
        if matches!(prev_role, Some(Role::Head)) && cues::bare_name_byline(t).is_some() {
            roles[i] = Role::NameByline;
            continue;
        }
        if cues::is_author_note(t) || cues::dateline_at_start(t).is_some() || prev_is_byline {
            roles[i] = Role::Body;
            continue;
        }
        // Continuation of an open fragment keeps that fragment's role.
        if let (Some(j), Some(r)) = (prev, prev_role) {
            let hint = shape.hint(&units[j], &units[i]);
            // On a page with printed lines a full line may end in 。 and go on.
            let wrapped =
                r == Role::Body && hint.a_full == Some(true) && hint.b_indented != Some(true);
            let open = is_text(j)
                && units[j].jumps.is_empty()
                && units[j].marks.is_empty()
                && (!ends_sentence(text(j)) || wrapped)
                && !cues::is_author_note(text(j));
            if matches!(r, Role::Body | Role::Head) && open {
                let js = seam::join_score_hinted(text(j), t, hint);
                let need = if r == Role::Head {
                    FRAGMENT_JOIN
                } else {
                    seam::JOIN_THRESHOLD
                };
                if js > need {
                    roles[i] = r;
                    continue;
                }
            }
        }
        let mut h = standalone[i];
        // A kicker (`……——`) is followed by its title.
        if prev.is_some_and(|j| roles[j] == Role::Head && text(j).ends_with('—')) {
            roles[i] = Role::Head;
            continue;
        }
        // A clean break before: the previous block ended its sentence.
        if prev.is_some_and(|j| is_text(j) && ends_sentence(text(j))) {
            h += 1.0;
        }
        let next = next_content(i);
        if let Some(j) = next {
            match &units[j].cue {
                Cue::Byline(_) => h += 2.0,
                Cue::Text if is_text(j) => {
                    if cues::bare_name_byline(text(j)).is_some() && standalone[i] > 0.0 {
                        h += 1.0;
                    }
                    if !ends_sentence(t) && seam::join_score(t, text(j)) >= FRAGMENT_JOIN {
                        h -= 4.0;
                    }
                    if cues::dateline_at_start(text(j)).is_some() {
                        h += 1.5;
                    }
                }
                _ => {}
            }
        }
        roles[i] = if h >= HEAD_THRESHOLD {
            Role::Head
        } else {
            Role::Body
        };
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_score_separates_titles_from_sentences() {
        assert!(headline_score("做绿色包装先行者") >= HEAD_THRESHOLD);
        assert!(
            headline_score("抓紧补齐防汛减灾短板弱项  全力防范洪涝干旱灾害风险") >= HEAD_THRESHOLD
        );
        assert!(headline_score("——农业农村部负责人答记者问") >= HEAD_THRESHOLD);
        assert!(
            headline_score("会议认真学习了会议精神,听取审议了报告等,表决通过了有关事项。")
                < HEAD_THRESHOLD
        );
        assert!(headline_score("出如下意见。") < HEAD_THRESHOLD);
        assert!(headline_score("问:《规划》编制的主要思路") < HEAD_THRESHOLD);
        assert!(headline_score("“认准新能源汽车维修人才供") < HEAD_THRESHOLD);
    }
}
