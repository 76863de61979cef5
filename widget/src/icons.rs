//! One inline SVG icon per state and per check status (decorative: the words say it).
//! The icons are data — a list of SVG elements with their attributes — so that the
//! browser extension's marks draw the very same shapes from [`state_shapes`].

use yew::virtual_dom::{AttrValue, VTag};
use yew::{html, Html};

use crate::state::State;

/// One element of an icon: an SVG tag and its attributes.
pub type Shape = (&'static str, &'static [(&'static str, &'static str)]);

const CIRCLE: Shape = (
    "circle",
    &[("class", "f"), ("cx", "12"), ("cy", "12"), ("r", "11.5")],
);
const SHIELD: Shape = (
    "path",
    &[
        ("class", "f"),
        (
            "d",
            "M12 .5 2.5 4.2v6.6c0 5.9 4 11 9.5 12.7 5.5-1.7 9.5-6.8 9.5-12.7V4.2z",
        ),
    ],
);
const TRIANGLE: Shape = ("path", &[("class", "f"), ("d", "M12 1 23.5 22H.5z")]);

macro_rules! glyph {
    ($d:expr) => {
        ("path", &[("class", "g"), ("d", $d)])
    };
}
macro_rules! dot {
    ($x:expr, $y:expr) => {
        (
            "circle",
            &[("class", "gf"), ("cx", $x), ("cy", $y), ("r", "1.5")],
        )
    };
}

const TICK: &str = "m7 12.5 3.2 3.2L17 9";
const CROSS: &str = "m8 8 8 8m0-8-8 8";
const QUESTION: &str = "M9 9.3a3 3 0 1 1 4.4 2.7c-.9.5-1.4 1.1-1.4 2.2";
const BAR: &str = "M7.5 12h9";

/// The shapes of a state's icon.
pub fn state_shapes(state: State) -> &'static [Shape] {
    match state {
        State::Loading => &[
            (
                "circle",
                &[("class", "trk"), ("cx", "12"), ("cy", "12"), ("r", "9")],
            ),
            (
                "path",
                &[("class", "arc spin"), ("d", "M12 3a9 9 0 0 1 9 9")],
            ),
        ],
        State::Labelled => &[SHIELD, glyph!("m7.5 12.2 3 3 6-6.4")],
        State::NotLabelled => &[CIRCLE, glyph!(TICK)],
        State::LabelExpired => &[CIRCLE, glyph!("M12 6v6.2l3.8 2.6")],
        State::LabelSuspended => &[CIRCLE, glyph!("M9.5 7.5v9M14.5 7.5v9")],
        State::LabelWithdrawn => &[SHIELD, glyph!("M7.5 11.5h9")],
        State::LabelUntrusted => &[TRIANGLE, glyph!("M12 8.5v6"), dot!("12", "18.2")],
        State::LabelUnknown => &[CIRCLE, glyph!(QUESTION), dot!("12", "17.6")],
        State::Invalid => &[CIRCLE, glyph!(CROSS)],
        State::Revoked => &[
            CIRCLE,
            (
                "circle",
                &[("class", "g"), ("cx", "12"), ("cy", "12"), ("r", "6")],
            ),
            glyph!("m7.8 16.2 8.4-8.4"),
        ],
        State::Expired => &[CIRCLE, glyph!("M8.5 6.5h7l-7 11h7z")],
        State::NotYetValid => &[
            (
                "rect",
                &[
                    ("class", "f"),
                    ("x", ".5"),
                    ("y", "1.5"),
                    ("width", "23"),
                    ("height", "21.5"),
                    ("rx", "3.5"),
                ],
            ),
            glyph!("M5 7.5h14M8 15h8m-2.8-2.8L16 15l-2.8 2.8"),
        ],
        State::Unverifiable => &[CIRCLE, dot!("7", "12"), dot!("12", "12"), dot!("17", "12")],
        State::Copied => &[
            (
                "rect",
                &[
                    ("class", "f"),
                    ("x", ".5"),
                    ("y", ".5"),
                    ("width", "15"),
                    ("height", "15"),
                    ("rx", "2.5"),
                ],
            ),
            (
                "rect",
                &[
                    ("class", "f cp"),
                    ("x", "8"),
                    ("y", "8"),
                    ("width", "15.5"),
                    ("height", "15.5"),
                    ("rx", "2.5"),
                ],
            ),
            glyph!("m12.5 12.5 6.5 6.5m0-6.5-6.5 6.5"),
        ],
        State::Error => &[
            (
                "path",
                &[
                    ("class", "f"),
                    ("d", "M7.2.5h9.6l6.7 6.7v9.6l-6.7 6.7H7.2L.5 16.8V7.2z"),
                ],
            ),
            glyph!("M12 6.5v7"),
            dot!("12", "17.6"),
        ],
    }
}

/// The shapes of a check status's icon.
fn check_shapes(status: &str) -> &'static [Shape] {
    match status {
        "pass" => &[CIRCLE, glyph!(TICK)],
        "fail" => &[CIRCLE, glyph!(CROSS)],
        "warn" => &[TRIANGLE, glyph!("M12 8.5v6"), dot!("12", "18.2")],
        "unverifiable" => &[CIRCLE, glyph!(QUESTION), dot!("12", "17.6")],
        _ => &[CIRCLE, glyph!(BAR)],
    }
}

/// A seal shows an organisation: "not labelled" has no tick there (nothing was verified
/// to be authentic), but a plain bar.
const SEAL_NOT_LABELLED: &[Shape] = &[CIRCLE, glyph!(BAR)];

fn svg(shapes: &[Shape]) -> Html {
    html! {
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            { for shapes.iter().map(|(tag, attrs)| {
                let mut el = VTag::new(*tag);
                for (k, v) in attrs.iter() {
                    el.add_attribute(k, AttrValue::Static(v));
                }
                Html::from(el)
            }) }
        </svg>
    }
}

pub fn state_icon(state: State) -> Html {
    svg(state_shapes(state))
}

pub fn check_icon(status: &str) -> Html {
    svg(check_shapes(status))
}

pub fn seal_not_labelled_icon() -> Html {
    svg(SEAL_NOT_LABELLED)
}

/// A state's icon as JSON, `[[tag, {attr: value}], …]`, for the extension's marks.
pub fn shapes_of(state: State) -> serde_json::Value {
    state_shapes(state)
        .iter()
        .map(|(tag, attrs)| {
            let a: serde_json::Map<String, serde_json::Value> = attrs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).into()))
                .collect();
            serde_json::json!([tag, a])
        })
        .collect::<Vec<_>>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_an_icon_of_known_elements_for_the_marks() {
        for state in State::ALL {
            let shapes = shapes_of(state).as_array().map(Vec::len).unwrap_or(0);
            assert!(shapes >= 2, "{}: {shapes} shapes", state.key());
            for (tag, attrs) in state_shapes(state) {
                assert!(
                    ["path", "circle", "rect"].contains(tag),
                    "{}: <{tag}>",
                    state.key()
                );
                assert!(
                    attrs.iter().any(|(k, _)| *k == "class"),
                    "{}: a shape without class",
                    state.key()
                );
            }
        }
        // Distinct states look distinct.
        for a in State::ALL {
            for b in State::ALL {
                if a != b {
                    assert_ne!(
                        state_shapes(a),
                        state_shapes(b),
                        "{} and {}",
                        a.key(),
                        b.key()
                    );
                }
            }
        }
    }
}
