//! The widget's style sheet (in its shadow root) and its palette: every state's colour in
//! light and dark, each ≥ 4.5:1 against the background (tested below).

use crate::state::State;

pub const BG_LIGHT: &str = "#ffffff";
pub const FG_LIGHT: &str = "#1f2328";
pub const MUTED_LIGHT: &str = "#4b5563";
pub const FOCUS_LIGHT: &str = "#0b57d0";
pub const BG_DARK: &str = "#1c1c1e";
pub const FG_DARK: &str = "#f3f4f6";
pub const MUTED_DARK: &str = "#c4c9d1";
pub const FOCUS_DARK: &str = "#8ab4f8";

/// (state, light, dark). Green only for `labelled`.
pub const PALETTE: [(State, &str, &str); 15] = [
    (State::Loading, "#4b5563", "#c4c9d1"),
    (State::Labelled, "#1a7f37", "#4ade80"),
    (State::NotLabelled, "#0b5cad", "#7cb7ff"),
    (State::LabelExpired, "#8a5300", "#f5b041"),
    (State::LabelSuspended, "#a14a00", "#ffa657"),
    (State::LabelWithdrawn, "#8b1e5b", "#f48fb1"),
    (State::LabelUntrusted, "#7e3ea1", "#d8a6ff"),
    (State::LabelUnknown, "#52606d", "#aab4c0"),
    (State::Invalid, "#b3261e", "#ff8a80"),
    (State::Revoked, "#9f1239", "#fb7185"),
    (State::Expired, "#7a4f01", "#e3b341"),
    (State::NotYetValid, "#5b4bc4", "#b4a7ff"),
    (State::Unverifiable, "#5c5f66", "#b0b3b8"),
    (State::Copied, "#0e7490", "#67e8f9"),
    (State::Error, "#a61b1b", "#ff9b9b"),
];

/// Check statuses: (status, light, dark); a passed check is not green (only a label is).
pub const CHECKS: [(&str, &str, &str); 5] = [
    ("pass", "#0b5cad", "#7cb7ff"),
    ("fail", "#b3261e", "#ff8a80"),
    ("warn", "#8a5300", "#f5b041"),
    ("skip", "#5c5f66", "#b0b3b8"),
    ("unverifiable", "#5c5f66", "#b0b3b8"),
];

const BASE: &str = r#"
:host{all:initial;display:inline-block;vertical-align:middle;max-width:100%}
:host([hidden]){display:none}
.ql{--bg:BGL;--fg:FGL;--muted:MUL;--focus:FOL;--line:#8b949e;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:1rem;line-height:1.4;color:var(--fg);max-width:100%}
.ql.theme-dark{--bg:BGD;--fg:FGD;--muted:MUD;--focus:FOD;--line:#6e7681}
@media (prefers-color-scheme:dark){.ql.theme-auto{--bg:BGD;--fg:FGD;--muted:MUD;--focus:FOD;--line:#6e7681}}
.ql.size-small{font-size:0.8125rem}.ql.size-large{font-size:1.25rem}
.ql *{box-sizing:border-box}
.seal{display:inline-flex;align-items:center;gap:0.5em;max-width:100%;margin:0;padding:0.375em 0.875em 0.375em 0.375em;border:0.125em solid var(--c);border-radius:1.5em;background:var(--bg);color:var(--fg);font:inherit;text-align:start;cursor:pointer}
.seal:hover{box-shadow:0 0 0 0.125em var(--c) inset}
.seal:focus{outline:none}
.seal:focus-visible,.close:focus-visible,.panel a:focus-visible,.panel:focus-visible{outline:0.1875em solid var(--focus);outline-offset:0.1875em}
.icon{flex:none;display:inline-block;width:2em;height:2em}
.icon svg{display:block;width:100%;height:100%}
.txt{display:flex;flex-direction:column;min-width:0;overflow-wrap:anywhere}
.by{font-size:0.75em;color:var(--muted);letter-spacing:0.02em}
.word{font-weight:700;color:var(--c)}
.f{fill:var(--c)}.cp{stroke:var(--bg);stroke-width:1.5}.g{fill:none;stroke:var(--bg);stroke-width:2.25;stroke-linecap:round;stroke-linejoin:round}.gf{fill:var(--bg)}
.trk{fill:none;stroke:var(--c);stroke-width:3;opacity:0.3}.arc{fill:none;stroke:var(--c);stroke-width:3;stroke-linecap:round}
.spin{transform-origin:12px 12px;animation:ql-spin 1s linear infinite}
@keyframes ql-spin{to{transform:rotate(360deg)}}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:1em;background:rgba(0,0,0,0.55);overflow:auto}
.panel{position:relative;width:36em;max-width:100%;max-height:100%;overflow:auto;padding:1.25em;border-radius:0.75em;background:var(--bg);color:var(--fg);border:0.0625em solid var(--line);box-shadow:0 0.5em 2em rgba(0,0,0,0.35);animation:ql-in 0.15s ease-out}
@keyframes ql-in{from{opacity:0;transform:translateY(0.5em)}}
.head{display:flex;align-items:flex-start;justify-content:space-between;gap:1em;flex-wrap:wrap}
h2{margin:0;font-size:1.25em;line-height:1.3}
h3{margin:1.25em 0 0.5em;font-size:1em}
.close{font:inherit;padding:0.25em 0.75em;border:0.0625em solid var(--muted);border-radius:0.375em;background:var(--bg);color:var(--fg);cursor:pointer}
.summary{display:flex;gap:0.75em;align-items:flex-start;margin:1em 0 0;padding:0.75em;border-inline-start:0.375em solid var(--c);border-radius:0.25em;overflow-wrap:anywhere}
.summary p{margin:0}.summary .word{display:block}
.copied{margin:0.75em 0 0;overflow-wrap:anywhere}
.badge{display:flex;gap:1em;align-items:flex-start;flex-wrap:wrap}
.badge img{width:5em;height:5em;object-fit:contain;flex:none}
dl{margin:0;display:grid;grid-template-columns:minmax(6em,max-content) minmax(0,1fr);gap:0.25em 1em;flex:1 1 14em;min-width:0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.panel a{color:var(--focus);overflow-wrap:anywhere}
.checks{list-style:none;margin:0;padding:0}
.checks li{display:flex;gap:0.5em;align-items:flex-start;padding:0.375em 0;border-top:0.0625em solid var(--line)}
.checks .icon{width:1.25em;height:1.25em;margin-top:0.0625em}
.checks .cn{font-weight:600}.checks .cs{color:var(--c);font-weight:600}
.checks .msg{display:block;overflow-wrap:anywhere}
@media (prefers-reduced-motion:reduce){.ql *,.ql *::before,.ql *::after{animation:none !important;transition:none !important}}
@media (forced-colors:active){.seal,.panel,.close{border-color:CanvasText}.f{fill:CanvasText}.g{stroke:Canvas}}
"#;

thread_local! {
    static CSS: std::rc::Rc<str> = build().into();
}

/// The style sheet (built once).
pub fn css() -> std::rc::Rc<str> {
    CSS.with(std::rc::Rc::clone)
}

fn build() -> String {
    let mut s = BASE
        .replace("BGL", BG_LIGHT)
        .replace("FGL", FG_LIGHT)
        .replace("MUL", MUTED_LIGHT)
        .replace("FOL", FOCUS_LIGHT)
        .replace("BGD", BG_DARK)
        .replace("FGD", FG_DARK)
        .replace("MUD", MUTED_DARK)
        .replace("FOD", FOCUS_DARK);
    let mut dark = String::new();
    for (state, light, d) in PALETTE {
        let k = state.key();
        s.push_str(&format!(".s-{k}{{--c:{light}}}"));
        dark.push_str(&format!(".DARK .s-{k},.DARK.s-{k}{{--c:{d}}}"));
    }
    for (k, light, d) in CHECKS {
        s.push_str(&format!(".ql .c-{k}{{--c:{light}}}"));
        dark.push_str(&format!(".DARK .c-{k}{{--c:{d}}}"));
    }
    s.push_str(&dark.replace("DARK", "theme-dark"));
    s.push_str("@media (prefers-color-scheme:dark){");
    s.push_str(&dark.replace("DARK", "theme-auto"));
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lum(hex: &str) -> f64 {
        let h = hex.trim_start_matches('#');
        let ch = |i: usize| {
            let v = u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn contrast_at_least_4_5_in_light_and_dark() {
        let mut pairs = vec![
            ("fg", FG_LIGHT, BG_LIGHT),
            ("muted", MUTED_LIGHT, BG_LIGHT),
            ("focus", FOCUS_LIGHT, BG_LIGHT),
            ("fg dark", FG_DARK, BG_DARK),
            ("muted dark", MUTED_DARK, BG_DARK),
            ("focus dark", FOCUS_DARK, BG_DARK),
        ];
        for (s, l, d) in PALETTE {
            pairs.push((s.key(), l, BG_LIGHT));
            pairs.push((s.key(), d, BG_DARK));
        }
        for (s, l, d) in CHECKS {
            pairs.push((s, l, BG_LIGHT));
            pairs.push((s, d, BG_DARK));
        }
        for (what, fg, bg) in pairs {
            let c = contrast(fg, bg);
            assert!(c >= 4.5, "{what}: {fg} on {bg} is {c:.2}:1");
        }
    }

    #[test]
    fn green_only_when_labelled() {
        for (s, l, d) in PALETTE {
            for hex in [l, d] {
                let h = hex.trim_start_matches('#');
                let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as i32;
                let greenish = c(2) > c(0) + 40 && c(2) > c(4) + 40;
                assert_eq!(greenish, s == State::Labelled, "{} {hex}", s.key());
            }
        }
        assert_eq!(PALETTE.len(), State::ALL.len());
    }
}
