//! One inline SVG icon per state and per check status (decorative: the words say it).

use yew::{html, Html};

use crate::state::State;

fn svg(body: Html) -> Html {
    html! {
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">{body}</svg>
    }
}

fn circle() -> Html {
    html! { <circle class="f" cx="12" cy="12" r="11.5"/> }
}

fn shield() -> Html {
    html! { <path class="f" d="M12 .5 2.5 4.2v6.6c0 5.9 4 11 9.5 12.7 5.5-1.7 9.5-6.8 9.5-12.7V4.2z"/> }
}

fn glyph(d: &'static str) -> Html {
    html! { <path class="g" d={d}/> }
}

fn dot(x: &'static str, y: &'static str) -> Html {
    html! { <circle class="gf" cx={x} cy={y} r="1.5"/> }
}

pub fn state_icon(state: State) -> Html {
    let body = match state {
        State::Loading => html! {<>
            <circle class="trk" cx="12" cy="12" r="9"/>
            <path class="arc spin" d="M12 3a9 9 0 0 1 9 9"/>
        </>},
        State::Labelled => html! {<>{shield()}{glyph("m7.5 12.2 3 3 6-6.4")}</>},
        State::NotLabelled => html! {<>{circle()}{glyph("m7 12.5 3.2 3.2L17 9")}</>},
        State::LabelExpired => html! {<>{circle()}{glyph("M12 6v6.2l3.8 2.6")}</>},
        State::LabelSuspended => html! {<>{circle()}{glyph("M9.5 7.5v9M14.5 7.5v9")}</>},
        State::LabelWithdrawn => html! {<>{shield()}{glyph("M7.5 11.5h9")}</>},
        State::LabelUntrusted => html! {<>
            <path class="f" d="M12 1 23.5 22H.5z"/>{glyph("M12 8.5v6")}{dot("12", "18.2")}
        </>},
        State::LabelUnknown => html! {<>
            {circle()}{glyph("M9 9.3a3 3 0 1 1 4.4 2.7c-.9.5-1.4 1.1-1.4 2.2")}{dot("12", "17.6")}
        </>},
        State::Invalid => html! {<>{circle()}{glyph("m8 8 8 8m0-8-8 8")}</>},
        State::Revoked => html! {<>
            {circle()}<circle class="g" cx="12" cy="12" r="6"/>{glyph("m7.8 16.2 8.4-8.4")}
        </>},
        State::Expired => html! {<>{circle()}{glyph("M8.5 6.5h7l-7 11h7z")}</>},
        State::NotYetValid => html! {<>
            <rect class="f" x=".5" y="1.5" width="23" height="21.5" rx="3.5"/>
            {glyph("M5 7.5h14M8 15h8m-2.8-2.8L16 15l-2.8 2.8")}
        </>},
        State::Unverifiable => html! {<>
            {circle()}{dot("7", "12")}{dot("12", "12")}{dot("17", "12")}
        </>},
        State::Copied => html! {<>
            <rect class="f" x=".5" y=".5" width="15" height="15" rx="2.5"/>
            <rect class="f cp" x="8" y="8" width="15.5" height="15.5" rx="2.5"/>
            {glyph("m12.5 12.5 6.5 6.5m0-6.5-6.5 6.5")}
        </>},
        State::Error => html! {<>
            <path class="f" d="M7.2.5h9.6l6.7 6.7v9.6l-6.7 6.7H7.2L.5 16.8V7.2z"/>
            {glyph("M12 6.5v7")}{dot("12", "17.6")}
        </>},
    };
    svg(body)
}

pub fn check_icon(status: &str) -> Html {
    let body = match status {
        "pass" => html! {<>{circle()}{glyph("m7 12.5 3.2 3.2L17 9")}</>},
        "fail" => html! {<>{circle()}{glyph("m8 8 8 8m0-8-8 8")}</>},
        "warn" => html! {<>
            <path class="f" d="M12 1 23.5 22H.5z"/>{glyph("M12 8.5v6")}{dot("12", "18.2")}
        </>},
        "unverifiable" => html! {<>
            {circle()}{glyph("M9 9.3a3 3 0 1 1 4.4 2.7c-.9.5-1.4 1.1-1.4 2.2")}{dot("12", "17.6")}
        </>},
        _ => html! {<>{circle()}{glyph("M7.5 12h9")}</>},
    };
    svg(body)
}

/// A seal shows an organisation: "not labelled" has no tick there (nothing was verified
/// to be authentic), but a plain bar.
pub fn seal_not_labelled_icon() -> Html {
    svg(html! {<>{circle()}{glyph("M7.5 12h9")}</>})
}
