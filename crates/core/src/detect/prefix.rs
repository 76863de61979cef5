//! Reading the start of an image to decide early whether it carries a baked badge.
//!
//! The chunk walker of [`crate::baked`] needs the whole file (it reports truncation
//! as damage); this one reads only chunk headers and tells "not yet" apart from "no".

use crate::baked::{KEYWORD_OB2, KEYWORD_OB3, MAX_IMAGE_BYTES, MAX_PNG_CHUNKS};
use serde::Serialize;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// How far into an SVG (or XML prologue) to look for its badge element or end.
const SVG_LOOKAHEAD: usize = 1024 * 1024;

/// What the first bytes of a download say about a baked badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prefix {
    /// A badge chunk (PNG) or badge element (SVG) has been seen: download it all.
    Badge,
    /// Not a PNG or SVG, or an image without a badge: stop downloading.
    NotBaked,
    /// Cannot tell yet: read more.
    NeedMore,
}

impl Prefix {
    /// `badge`, `not-baked`, `more`.
    pub fn name(self) -> &'static str {
        match self {
            Prefix::Badge => "badge",
            Prefix::NotBaked => "not-baked",
            Prefix::NeedMore => "more",
        }
    }
}

/// Judges the first bytes of an image (the whole file is a prefix too).
///
/// * PNG: walks the chunks. [`Prefix::Badge`] once a complete `iTXt` chunk with keyword
///   `openbadges` or `openbadgecredential` (or a legacy `tEXt` `openbadges`) is in the
///   prefix — wherever it is: baking tools put it before or after `IDAT`.
///   [`Prefix::NotBaked`] at `IEND` without one, on a damaged chunk header, past
///   `MAX_PNG_CHUNKS` chunks or [`MAX_IMAGE_BYTES`].
/// * SVG (first non-space byte `<`): [`Prefix::Badge`] once `<openbadges:assertion` or
///   `<openbadges:credential` appears, [`Prefix::NotBaked`] once `</svg` appears first
///   or nothing was found in the first MiB.
/// * Anything else (JPEG, GIF, WebP, HTML errors …): [`Prefix::NotBaked`].
pub fn baked_in_prefix(bytes: &[u8]) -> Prefix {
    let sig = bytes.len().min(PNG_SIGNATURE.len());
    if bytes.first() == Some(&PNG_SIGNATURE[0]) {
        if bytes[..sig] != PNG_SIGNATURE[..sig] {
            return Prefix::NotBaked;
        }
        return png_prefix(bytes);
    }
    svg_prefix(bytes)
}

fn png_prefix(bytes: &[u8]) -> Prefix {
    let mut pos = PNG_SIGNATURE.len();
    let mut count = 0usize;
    loop {
        if pos > MAX_IMAGE_BYTES {
            return Prefix::NotBaked;
        }
        let Some(header) = bytes.get(pos..pos + 8) else {
            return Prefix::NeedMore;
        };
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let ty = &header[4..8];
        if len > 0x7FFF_FFFF || !ty.iter().all(u8::is_ascii_alphabetic) {
            return Prefix::NotBaked;
        }
        count += 1;
        if count > MAX_PNG_CHUNKS {
            return Prefix::NotBaked;
        }
        if ty == b"IEND" {
            return Prefix::NotBaked;
        }
        let end = pos + 12 + len;
        if ty == b"iTXt" || ty == b"tEXt" {
            let Some(data) = bytes.get(pos + 8..pos + 8 + len) else {
                return Prefix::NeedMore;
            };
            if bytes.len() < end {
                return Prefix::NeedMore;
            }
            let keyword = data.split(|&b| b == 0).next().unwrap_or_default();
            let badge = keyword == KEYWORD_OB2.as_bytes()
                || (ty == b"iTXt" && keyword == KEYWORD_OB3.as_bytes());
            if badge && data.len() > keyword.len() {
                return Prefix::Badge;
            }
        }
        pos = end;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn svg_prefix(bytes: &[u8]) -> Prefix {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None if bytes.len() < 4096 => return Prefix::NeedMore,
        None => return Prefix::NotBaked,
        Some(b'<') => {}
        Some(_) => return Prefix::NotBaked,
    }
    let window = &body[..body.len().min(SVG_LOOKAHEAD)];
    let badge = [&b"<openbadges:assertion"[..], b"<openbadges:credential"]
        .iter()
        .filter_map(|n| find(window, n))
        .min();
    let end = find(window, b"</svg");
    match (badge, end) {
        (Some(b), Some(e)) if b < e => Prefix::Badge,
        (Some(_), None) => Prefix::Badge,
        (_, Some(_)) => Prefix::NotBaked,
        (None, None) if body.len() >= SVG_LOOKAHEAD => Prefix::NotBaked,
        (None, None) => Prefix::NeedMore,
    }
}
