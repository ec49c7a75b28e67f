//! Who a sentence is about, in English and Spanish: whether the person gets an
//! outcome (`vague-purpose`), and whether copy says the reader has a sensitive trait
//! (`sensitive-targeting`). The words are the `grammar/` term lists under
//! `rules/vocab/`; only Spanish function words are written here.

use std::ops::Range;

use crate::model::Category;
use crate::vocab::{Match, Token, Vocab, tokens};

/// Spanish words after which a verb ending in `-as`/`-es` is the second person:
/// "para que recibas", "si quieres", "cuando llegues".
const SUBORDINATORS: [&str; 6] = ["que", "si", "cuando", "donde", "mientras", "cuanto"];
/// Spanish pronouns and the negation that may stand between a subordinator and its
/// verb ("para que no tengas", "que nos digas").
const CLITICS: [&str; 11] = [
    "no", "lo", "la", "los", "las", "le", "les", "se", "me", "te", "nos",
];
/// Second-person pronouns that are the person whatever their role.
const YOU: [&str; 7] = [
    "you", "yourself", "yours", "ti", "contigo", "usted", "ustedes",
];
const YOUR: [&str; 3] = ["your", "tu", "tus"];

fn is_list(v: &Vocab, list: &str, ws: &[Token<'_>], at: usize) -> bool {
    v.list(list).is_some_and(|l| l.term_at(ws, at).is_some())
}

fn single(v: &Vocab, list: &str, word: &str) -> bool {
    v.list(list).is_some_and(|l| l.find(word).is_some())
}

/// The first place where a text makes the person the one who gets an outcome: "call
/// you", "so you can", "your plan", "te avisamos", "para que recibas", "llamarte".
/// The person as the owner of the data ("your email address", "tus datos"), as the
/// topic ("about you", "sobre tus hábitos") or as what the company studies ("to
/// understand you", "conocerte") does not count.
pub fn outcome(v: &Vocab, text: &str) -> Option<Range<usize>> {
    let ws = tokens(text);
    let not_second: Vec<Range<usize>> = v
        .list("not-second-person")
        .map(|l| l.find_in_words(&ws).into_iter().map(|m| m.range).collect())
        .unwrap_or_default();
    for (i, w) in ws.iter().enumerate() {
        if not_second
            .iter()
            .any(|r| r.start <= w.range.start && w.range.end <= r.end)
        {
            continue;
        }
        let word = &*w.norm;
        let owner_before = i > 0 && is_list(v, "owner-words", &ws, i - 1);
        let knowing_before = (i.saturating_sub(2)..i).any(|j| is_list(v, "knowing-verbs", &ws, j));
        let found = if YOU.contains(&word) {
            let gives = word == "you" && is_list(v, "giving-verbs", &ws, i + 1);
            // "de ti", "de usted": about the person
            let of_you = word != "you" && i > 0 && ws.get(i - 1).is_some_and(|p| p.norm == "de");
            !(owner_before || knowing_before || gives || of_you)
        } else if YOUR.contains(&word) {
            // "from your home airport" is an outcome; "about your habits" is caught by
            // the data noun after it.
            !knowing_before && i + 1 < ws.len() && !is_list(v, "data-nouns", &ws, i + 1)
        } else if word == "te" || word == "le" {
            // "te avisamos", formal "le enviamos"
            i + 1 < ws.len() && !is_list(v, "knowing-verbs", &ws, i + 1)
        } else if let Some(stem) = enclitic(word) {
            !single(v, "knowing-verbs", stem)
        } else if is_list(v, "giving-verbs", &ws, i) {
            false // "los temas que eliges"
        } else if word.len() >= 6 && (word.ends_with("aste") || word.ends_with("iste")) {
            true
        } else {
            spanish_second_person_verb(&ws, i)
        };
        if found {
            return Some(w.range.clone());
        }
    }
    None
}

/// `llamarte` → `llamar`, `ayudándote` → `ayudando`, formal `enviarle` → `enviar`:
/// a verb with an attached "te" or "le".
fn enclitic(word: &str) -> Option<&str> {
    let stem = word
        .strip_suffix("te")
        .or_else(|| word.strip_suffix("le"))?;
    let verb = stem.ends_with("ar")
        || stem.ends_with("er")
        || stem.ends_with("ir")
        || stem.ends_with("ando")
        || stem.ends_with("endo");
    (verb
        && stem.len() >= 3
        && ![
            "parte",
            "suerte",
            "fuerte",
            "muerte",
            "inerte",
            "aparte",
            "baluarte",
            "estandarte",
        ]
        .contains(&word))
    .then_some(stem)
}

fn spanish_second_person_verb(ws: &[Token<'_>], i: usize) -> bool {
    let Some(w) = ws.get(i) else { return false };
    if w.norm.len() < 4 || !(w.norm.ends_with("as") || w.norm.ends_with("es")) {
        return false;
    }
    if [
        "estas", "esas", "aquellas", "otras", "todas", "nuestras", "vuestras", "muchas", "algunas",
        "mas", "menos", "veces", "meses", "antes", "despues", "mientras",
    ]
    .contains(&&*w.norm)
    {
        return false;
    }
    let mut j = i;
    while j > 0 {
        j -= 1;
        let p = ws.get(j).map_or("", |p| &*p.norm);
        if CLITICS.contains(&p) {
            continue;
        }
        return SUBORDINATORS.contains(&p);
    }
    false
}

/// Where copy says the reader has a sensitive trait: a sensitive word up to three
/// words after an anchor such as "your", "you're", "you have", "as a", "tu",
/// "eres", "estás", "tienes" ("your pregnancy", "you are in debt", "tu reciente
/// diagnóstico", "como cliente musulmán"). A sentence that restates the person's own
/// choice ("you asked for diabetes tips") and words that name a service or health in
/// general ("your doctor", "tu salud") do not count. A question that opens with the
/// trait ("Trying for a baby?", "¿Embarazada?") guesses it of the reader and counts.
pub fn trait_assertions<'v>(v: &'v Vocab, text: &str) -> Vec<(Category, Match<'v>)> {
    let mut out = Vec::new();
    for (start, sentence) in crate::rules::tracking::sentences(text) {
        // Split once for every list asked of the sentence.
        let ws = tokens(sentence);
        if v.list("own-choice")
            .is_some_and(|l| l.first_in_words(&ws).is_some())
        {
            continue;
        }
        let anchors: Vec<usize> = match v.list("trait-anchors") {
            Some(l) => l
                .find_in_words(&ws)
                .into_iter()
                .filter(|m| {
                    // "estas" without its accent is "these".
                    let raw = sentence.get(m.range.clone()).unwrap_or("");
                    m.term.text != "estás" || raw.contains('á') || raw.contains('Á')
                })
                .filter_map(|m| ws.iter().position(|w| w.range.end == m.range.end))
                .collect(),
            None => Vec::new(),
        };
        // A question that opens with the trait guesses it of the reader: "Trying for
        // a baby?", "¿Embarazada?".
        let question = text
            .get(start + sentence.len()..)
            .is_some_and(|rest| rest.starts_with('?'));
        if anchors.is_empty() && !question {
            continue;
        }
        for (category, m) in v.sensitive_all(&ws) {
            // Where someone is, that they have children ("your baby's first birthday")
            // or unlock with a fingerprint is not a trait copy can single them out by.
            if matches!(
                category,
                Category::PreciseLocation | Category::Children | Category::Biometric
            ) {
                continue;
            }
            let Some(k) = ws.iter().position(|w| w.range.start == m.range.start) else {
                continue;
            };
            if v.list("not-a-trait")
                .is_some_and(|l| l.term_at(&ws, k).is_some())
            {
                continue;
            }
            // up to two words between, not counting joining words ("tu reciente
            // prueba del VIH")
            let near = |a: usize| {
                a < k
                    && ws
                        .get(a + 1..k)
                        .unwrap_or_default()
                        .iter()
                        .filter(|w| !crate::vocab::JOINING_WORDS.contains(&&*w.norm))
                        .count()
                        <= 2
            };
            if anchors.iter().any(|&a| near(a)) || (question && k <= 1) {
                out.push((
                    category,
                    Match {
                        list: m.list,
                        term: m.term,
                        range: m.range.start + start..m.range.end + start,
                    },
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gets(text: &str) -> bool {
        outcome(Vocab::builtin(), text).is_some()
    }

    #[test]
    fn the_person_gets_an_outcome_or_only_owns_the_data() {
        assert!(gets(
            "Printed on your badge so other guests know what to call you"
        ));
        assert!(gets("Te avisamos cuando tu pedido sale"));
        assert!(gets("Para que recibas la revista en tu idioma"));
        assert!(gets("Le avisaremos cuando su pedido salga"));
        assert!(!gets("We use your email address for our campaigns"));
        assert!(!gets("So we can get to know you better"));
        assert!(!gets("Para que podamos conocerte mejor"));
        assert!(!gets(
            "We store the topics you pick in your customer profile"
        ));
    }

    #[test]
    fn copy_asserts_a_trait_only_of_the_reader() {
        let v = Vocab::builtin();
        assert_eq!(
            trait_assertions(v, "Congratulations on your pregnancy").len(),
            1
        );
        assert_eq!(trait_assertions(v, "¿Estás embarazada?").len(), 1);
        assert!(trait_assertions(v, "Flu season is here: flu shots at every branch").is_empty());
        assert!(trait_assertions(v, "Cuida tu salud este invierno").is_empty());
        assert!(trait_assertions(v, "You asked us to remind you about your flu shot").is_empty());
    }
}
