//! Baked badges: Open Badges carried inside their own image.
//!
//! The Open Badges 2.0 and 3.0 baking specifications put the badge into the badge
//! image so that it travels with it:
//!
//! * **PNG**: an `iTXt` chunk with keyword `openbadges` (OB 2.0: the assertion JSON,
//!   a signed assertion (JWS) or a hosted assertion's URL) or `openbadgecredential`
//!   (OB 3.0: the credential JSON or a VC-JWT). OB 1.0 badges used a `tEXt` chunk with
//!   keyword `openbadges` holding the assertion URL; it is read too.
//! * **SVG**: an `<openbadges:assertion>` (2.0) or `<openbadges:credential>` (3.0)
//!   element right after the opening `<svg>` tag, with the badge JSON as its
//!   (CDATA) content or the URL / JWS in its `verify` attribute.
//!
//! [`unbake`] reads the badge text out of an image, [`bake_png`] and [`bake_svg`] put
//! one in. Everything here is pure: bytes in, bytes out.
//!
//! Hostile input is expected, so reading is bounded:
//! * images larger than [`MAX_IMAGE_BYTES`] are refused;
//! * a payload (after decompression) larger than [`MAX_PAYLOAD_BYTES`] — the
//!   verifier's own input limit — is refused; compressed `iTXt` text is inflated with
//!   that hard output limit, so a zip bomb stops after 2 MB of output;
//! * PNG chunk lengths are checked against the buffer, reading stops at `IEND`, and
//!   a PNG with more than [`MAX_PNG_CHUNKS`] chunks is refused;
//! * the CRC of the badge chunk is checked (a damaged badge chunk is `Malformed`);
//!   CRCs of the other chunks are not, since their content is never used;
//! * SVG is parsed with quick-xml, which never expands entities declared in a
//!   `<!DOCTYPE>`: declarations are ignored (SVG editors such as Illustrator emit
//!   harmless ones), and a reference to such an entity inside the badge element is
//!   `Malformed` — so "billion laughs" documents cost one linear pass. The parser does
//!   not recurse, so nesting depth costs nothing but that pass.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Largest image [`unbake`], [`bake_png`] and [`bake_svg`] accept, in bytes.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Largest badge payload (after decompression), in bytes: the verifier's input limit.
pub const MAX_PAYLOAD_BYTES: usize = 2 * 1024 * 1024;
/// Most chunks read from one PNG.
pub const MAX_PNG_CHUNKS: usize = 10_000;
/// PNG `iTXt` keyword of an Open Badges 2.0 assertion.
pub const KEYWORD_OB2: &str = "openbadges";
/// PNG `iTXt` keyword of an Open Badges 3.0 credential.
pub const KEYWORD_OB3: &str = "openbadgecredential";
/// SVG namespace of the `openbadges:` prefix for Open Badges 2.0 (the OB 2.0 baking
/// specification's value).
pub const SVG_NS_OB2: &str = "http://openbadges.org";
/// SVG namespace of the `openbadges:` prefix for Open Badges 3.0.
pub const SVG_NS_OB3: &str = "https://purl.imsglobal.org/ob/v3p0";

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The kind of image a badge is baked into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// Portable Network Graphics.
    Png,
    /// Scalable Vector Graphics.
    Svg,
}

/// A badge read out of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baked {
    /// The image it came from.
    pub kind: ImageKind,
    /// The badge text, trimmed: JSON (an assertion or a credential), a compact
    /// JWS/JWT, or a URL (a hosted assertion: the OB 1.x/2.0 `verify` attribute or
    /// legacy `tEXt` chunk).
    pub payload: String,
}

/// What goes into an SVG and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SvgPayload {
    /// OB 2.0: `<openbadges:assertion verify="…"/>` — a hosted assertion's URL (or an
    /// OB 2.0 signed assertion's JWS, which the 2.0 spec also puts in `verify`).
    AssertionUrl,
    /// OB 2.0: `<openbadges:assertion><![CDATA[json]]></openbadges:assertion>`, with
    /// `verify` set to the assertion's `id` when that is an HTTP(S) URL.
    AssertionJson,
    /// OB 3.0: `<openbadges:credential><![CDATA[json]]></openbadges:credential>`.
    CredentialJson,
    /// OB 3.0: `<openbadges:credential verify="JWS"/>` (a VC-JWT).
    CredentialJws,
}

/// Why an image could not be read or baked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BakeError {
    /// Neither a PNG nor an SVG.
    #[error("this is not a PNG or SVG image")]
    NotAnImage,
    /// The image is damaged or not well-formed where it matters.
    #[error("the image is damaged or malformed: {0}")]
    Malformed(String),
    /// A limit was exceeded.
    #[error("too large: {0}")]
    TooLarge(String),
    /// The image is fine but holds no baked badge.
    #[error("the image holds no baked badge")]
    NoBadge,
    /// The badge text or keyword given for baking cannot be baked that way.
    #[error("cannot bake this badge: {0}")]
    InvalidPayload(String),
}

fn malformed(msg: impl Into<String>) -> BakeError {
    BakeError::Malformed(msg.into())
}

/// Recognises a PNG (by its signature) or an SVG (an optional byte-order mark,
/// whitespace, XML declaration, comments, processing instructions and `<!DOCTYPE>`,
/// then an `<svg` root element).
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(&PNG_SIGNATURE) {
        Some(ImageKind::Png)
    } else if sniff_svg(bytes) {
        Some(ImageKind::Svg)
    } else {
        None
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn sniff_svg(bytes: &[u8]) -> bool {
    svg_root(bytes).is_some()
}

/// Where the `<svg` root element [`sniff`] recognises starts, after the prolog.
fn svg_root(bytes: &[u8]) -> Option<usize> {
    let mut i = if bytes.starts_with(UTF8_BOM) { 3 } else { 0 };
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let rest = &bytes[i..];
        if rest.starts_with(b"<?") {
            i += find(rest, b"?>")? + 2;
        } else if rest.starts_with(b"<!--") {
            i += 4 + find(&rest[4..], b"-->")? + 3;
        } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            i += doctype_end(rest)?;
        } else {
            let svg = rest.starts_with(b"<svg")
                && rest
                    .get(4)
                    .is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
            return svg.then_some(i);
        }
    }
}

/// Length of a `<!DOCTYPE …>` declaration including an internal subset `[…]`.
fn doctype_end(rest: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (k, &b) in rest.iter().enumerate().skip(9) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(k + 1),
                _ => {}
            },
        }
    }
    None
}

/// Reads the badge baked into a PNG or SVG image.
///
/// PNG: the first `iTXt` chunk with keyword `openbadges` or `openbadgecredential`
/// (compressed or not), else a `tEXt` chunk with keyword `openbadges` (OB 1.0).
/// SVG: the first `assertion` / `credential` element with the `openbadges` prefix or
/// in an Open Badges namespace; its non-empty content (JSON, or a JWS / URL), else its
/// `verify` attribute. Content that is none of JSON, a compact JWS or a URL (like the
/// Mozilla bakery's `bad-json.svg`) is `Malformed`.
pub fn unbake(bytes: &[u8]) -> Result<Baked, BakeError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the image has {} bytes, more than the {} accepted",
            bytes.len(),
            MAX_IMAGE_BYTES
        )));
    }
    match sniff(bytes) {
        Some(ImageKind::Png) => unbake_png(bytes),
        Some(ImageKind::Svg) => unbake_svg(bytes),
        None => Err(BakeError::NotAnImage),
    }
}

// ---------------------------------------------------------------- PNG

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32 (IEEE) of the concatenated parts, as PNG chunks and GZIP trailers use it.
pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for part in parts {
        for &b in *part {
            c = CRC_TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xFFFF_FFFF
}

struct Chunk<'a> {
    /// Offset of the chunk (its length field) in the file.
    start: usize,
    /// Offset just past its CRC.
    end: usize,
    ty: [u8; 4],
    data: &'a [u8],
    crc: u32,
}

impl Chunk<'_> {
    fn name(&self) -> String {
        String::from_utf8_lossy(&self.ty).into_owned()
    }

    fn check_crc(&self) -> Result<(), BakeError> {
        if crc32(&[&self.ty, self.data]) == self.crc {
            Ok(())
        } else {
            Err(malformed(format!(
                "the {} chunk at byte {} has a wrong CRC: the file is damaged",
                self.name(),
                self.start
            )))
        }
    }
}

/// Walks the chunks of a PNG after its signature, up to and including `IEND`.
struct Chunks<'a> {
    buf: &'a [u8],
    pos: usize,
    count: usize,
    done: bool,
}

impl<'a> Chunks<'a> {
    fn new(png: &'a [u8]) -> Result<Self, BakeError> {
        if !png.starts_with(&PNG_SIGNATURE) {
            return Err(BakeError::NotAnImage);
        }
        Ok(Chunks {
            buf: png,
            pos: PNG_SIGNATURE.len(),
            count: 0,
            done: false,
        })
    }

    fn read(&mut self) -> Result<Chunk<'a>, BakeError> {
        let start = self.pos;
        let remaining = self.buf.len() - start;
        if remaining == 0 {
            return Err(malformed("the PNG ends without an IEND chunk"));
        }
        if remaining < 12 {
            return Err(malformed(format!(
                "the PNG is truncated: {remaining} bytes at byte {start} are too few for a chunk"
            )));
        }
        let header = &self.buf[start..start + 8];
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let ty = [header[4], header[5], header[6], header[7]];
        if !ty.iter().all(u8::is_ascii_alphabetic) {
            return Err(malformed(format!(
                "the chunk at byte {start} has an invalid type (bytes {:02x} {:02x} {:02x} {:02x})",
                ty[0], ty[1], ty[2], ty[3]
            )));
        }
        if len > 0x7FFF_FFFF || len > remaining - 12 {
            return Err(malformed(format!(
                "the {} chunk at byte {start} declares {len} bytes of data but only {} remain",
                String::from_utf8_lossy(&ty),
                remaining - 12
            )));
        }
        self.count += 1;
        if self.count > MAX_PNG_CHUNKS {
            return Err(BakeError::TooLarge(format!(
                "the PNG has more than {MAX_PNG_CHUNKS} chunks"
            )));
        }
        let data = &self.buf[start + 8..start + 8 + len];
        let c = &self.buf[start + 8 + len..start + 12 + len];
        let end = start + 12 + len;
        self.pos = end;
        if &ty == b"IEND" {
            self.done = true;
        }
        Ok(Chunk {
            start,
            end,
            ty,
            data,
            crc: u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
        })
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Result<Chunk<'a>, BakeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.read();
        if r.is_err() {
            self.done = true;
        }
        Some(r)
    }
}

/// The keyword of a tEXt/iTXt/zTXt chunk and the data after its NUL separator.
fn split_keyword(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let nul = data.iter().take(80).position(|&b| b == 0)?;
    Some((&data[..nul], &data[nul + 1..]))
}

fn is_badge_keyword(keyword: &[u8]) -> bool {
    keyword == KEYWORD_OB2.as_bytes() || keyword == KEYWORD_OB3.as_bytes()
}

/// Whether baking replaces this chunk: any badge iTXt, or a legacy `openbadges` tEXt.
fn is_badge_chunk(chunk: &Chunk<'_>) -> bool {
    match &chunk.ty {
        b"iTXt" => split_keyword(chunk.data).is_some_and(|(k, _)| is_badge_keyword(k)),
        b"tEXt" | b"zTXt" => {
            split_keyword(chunk.data).is_some_and(|(k, _)| k == KEYWORD_OB2.as_bytes())
        }
        _ => false,
    }
}

fn too_large_payload(size: usize) -> BakeError {
    BakeError::TooLarge(format!(
        "the baked badge has {size} bytes, more than the {MAX_PAYLOAD_BYTES} accepted"
    ))
}

fn trim_payload(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\0')
}

/// The badge text of an iTXt chunk, if it is a badge chunk.
fn itxt_badge(chunk: &Chunk<'_>) -> Result<Option<String>, BakeError> {
    let Some((keyword, rest)) = split_keyword(chunk.data) else {
        return Ok(None);
    };
    if !is_badge_keyword(keyword) {
        return Ok(None);
    }
    let keyword = String::from_utf8_lossy(keyword);
    chunk.check_crc()?;
    let bad = |what: &str| malformed(format!("the '{keyword}' iTXt chunk {what}"));
    let [flag, method, rest @ ..] = rest else {
        return Err(bad("is truncated"));
    };
    let lang_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| bad("has no language tag terminator"))?;
    let rest = &rest[lang_end + 1..];
    let translated_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| bad("has no translated keyword terminator"))?;
    let text = &rest[translated_end + 1..];
    let text: Vec<u8> = match (flag, method) {
        (0, _) => {
            if text.len() > MAX_PAYLOAD_BYTES {
                return Err(too_large_payload(text.len()));
            }
            text.to_vec()
        }
        (1, 0) => inflate_limited(text).map_err(|e| match e {
            Inflate::TooLarge => BakeError::TooLarge(format!(
                "the compressed '{keyword}' iTXt chunk inflates to more than {MAX_PAYLOAD_BYTES} bytes"
            )),
            Inflate::Corrupt(why) => bad(&format!("has corrupt compressed text ({why})")),
        })?,
        (1, m) => return Err(bad(&format!("uses unknown compression method {m}"))),
        (f, _) => return Err(bad(&format!("has an invalid compression flag {f}"))),
    };
    let text = String::from_utf8(text).map_err(|e| {
        bad(&format!(
            "is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let payload = trim_payload(&text);
    if payload.is_empty() {
        return Err(bad("is empty"));
    }
    Ok(Some(payload.to_string()))
}

enum Inflate {
    TooLarge,
    Corrupt(String),
}

fn inflate_limited(data: &[u8]) -> Result<Vec<u8>, Inflate> {
    use miniz_oxide::inflate::{decompress_to_vec_zlib_with_limit, TINFLStatus};
    decompress_to_vec_zlib_with_limit(data, MAX_PAYLOAD_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => Inflate::TooLarge,
        status => Inflate::Corrupt(format!("{status:?}")),
    })
}

/// The text of a legacy `tEXt` chunk with keyword `openbadges` (Latin-1).
fn text_badge(chunk: &Chunk<'_>) -> Result<Option<String>, BakeError> {
    let Some((keyword, text)) = split_keyword(chunk.data) else {
        return Ok(None);
    };
    if keyword != KEYWORD_OB2.as_bytes() {
        return Ok(None);
    }
    chunk.check_crc()?;
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(too_large_payload(text.len()));
    }
    let text: String = text.iter().map(|&b| char::from(b)).collect();
    let payload = trim_payload(&text);
    if payload.is_empty() {
        return Err(malformed("the 'openbadges' tEXt chunk is empty"));
    }
    Ok(Some(payload.to_string()))
}

fn unbake_png(png: &[u8]) -> Result<Baked, BakeError> {
    let mut legacy = None;
    for chunk in Chunks::new(png)? {
        let chunk = chunk?;
        match &chunk.ty {
            b"iTXt" => {
                if let Some(payload) = itxt_badge(&chunk)? {
                    // The spec: the first such chunk wins, the rest may be discarded.
                    return Ok(Baked {
                        kind: ImageKind::Png,
                        payload,
                    });
                }
            }
            b"tEXt" if legacy.is_none() => legacy = text_badge(&chunk)?,
            _ => {}
        }
    }
    legacy
        .map(|payload| Baked {
            kind: ImageKind::Png,
            payload,
        })
        .ok_or(BakeError::NoBadge)
}

fn check_bake_sizes(image: usize, payload: &str) -> Result<(), BakeError> {
    if image > MAX_IMAGE_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the image has {image} bytes, more than the {MAX_IMAGE_BYTES} accepted"
        )));
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(too_large_payload(payload.len()));
    }
    if payload.trim().is_empty() {
        return Err(BakeError::InvalidPayload("the badge is empty".into()));
    }
    Ok(())
}

/// Bakes `payload` into a PNG: an uncompressed `iTXt` chunk with `keyword`
/// (`"openbadges"` for OB 2.0, `"openbadgecredential"` for OB 3.0) right after `IHDR`.
/// Existing badge chunks (either keyword, and a legacy `openbadges` `tEXt`) are
/// removed, so re-baking replaces the badge. Bytes after `IEND` are dropped.
pub fn bake_png(png: &[u8], payload: &str, keyword: &str) -> Result<Vec<u8>, BakeError> {
    if keyword != KEYWORD_OB2 && keyword != KEYWORD_OB3 {
        return Err(BakeError::InvalidPayload(format!(
            "the PNG keyword must be '{KEYWORD_OB2}' (Open Badges 2.0) or '{KEYWORD_OB3}' (3.0), not '{keyword}'"
        )));
    }
    check_bake_sizes(png.len(), payload)?;
    let mut chunks = Chunks::new(png)?;
    let ihdr = chunks
        .next()
        .transpose()?
        .filter(|c| &c.ty == b"IHDR")
        .ok_or_else(|| malformed("the PNG does not start with an IHDR chunk"))?;
    let mut out = Vec::with_capacity(png.len() + payload.len() + 64);
    out.extend_from_slice(&png[..ihdr.end]);

    let mut data = Vec::with_capacity(keyword.len() + 5 + payload.len());
    data.extend_from_slice(keyword.as_bytes());
    // NUL, compression flag 0, method 0, empty language tag, empty translated keyword.
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(payload.as_bytes());
    push_chunk(&mut out, b"iTXt", &data);

    for chunk in chunks {
        let chunk = chunk?;
        if !is_badge_chunk(&chunk) {
            out.extend_from_slice(&png[chunk.start..chunk.end]);
        }
    }
    Ok(out)
}

fn push_chunk(out: &mut Vec<u8>, ty: &[u8; 4], data: &[u8]) {
    // Callers keep data under MAX_PAYLOAD_BYTES plus a few bytes, far below 2^31.
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(ty);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[ty, data]).to_be_bytes());
}

// ---------------------------------------------------------------- SVG

/// Namespaces (scheme and trailing slash ignored) that mark an Open Badges element.
const OB_NAMESPACES: &[&str] = &[
    "openbadges.org",
    "purl.imsglobal.org/ob/v2p0",
    "purl.imsglobal.org/ob/v3p0",
    "purl.imsglobal.org/spec/ob/v2p0",
    "purl.imsglobal.org/spec/ob/v3p0",
];

fn is_ob_namespace(ns: &[u8]) -> bool {
    let Ok(ns) = std::str::from_utf8(ns) else {
        return false;
    };
    let ns = ns
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    OB_NAMESPACES.contains(&ns)
}

fn is_badge_element(reader: &NsReader<&[u8]>, e: &BytesStart<'_>) -> bool {
    let name = e.name();
    let (ns, local) = reader.resolve_element(name);
    let local = local.as_ref();
    if local != b"assertion" && local != b"credential" {
        return false;
    }
    if name.prefix().is_some_and(|p| p.as_ref() == b"openbadges") {
        return true;
    }
    matches!(ns, ResolveResult::Bound(ns) if is_ob_namespace(ns.as_ref()))
}

fn svg_text(bytes: &[u8]) -> Result<&str, BakeError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes)
        .map_err(|e| malformed(format!("the SVG is not UTF-8 (byte {})", e.valid_up_to())))
}

fn xml_error(reader: &NsReader<&[u8]>, e: quick_xml::Error) -> BakeError {
    malformed(format!(
        "the SVG is not well-formed XML at byte {}: {e}",
        reader.error_position()
    ))
}

/// The root element the XML parser sees (`e`, starting at byte `at` of `text`) must be
/// the `<svg>` that [`sniff`] saw after the prolog: where the two disagree (a DOCTYPE
/// that [`sniff`], which honours quotes, and quick-xml, which counts angle brackets, end
/// at different places), the image is not read, nor baked into.
fn check_root(text: &str, e: &BytesStart<'_>, at: usize) -> Result<(), BakeError> {
    if e.name().as_ref() == b"svg" && svg_root(text.as_bytes()) == Some(at) {
        Ok(())
    } else {
        Err(malformed(format!(
            "the SVG's root element <{}> at byte {at} is not the <svg> after its prolog",
            element_name(e)
        )))
    }
}

fn element_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

fn verify_attribute(e: &BytesStart<'_>) -> Result<Option<String>, BakeError> {
    let name = element_name(e);
    for attr in e.attributes() {
        let attr = attr.map_err(|err| {
            malformed(format!(
                "the <{name}> element has a malformed attribute: {err}"
            ))
        })?;
        if attr.key.as_ref() == b"verify" {
            let value = attr.unescape_value().map_err(|err| {
                malformed(format!(
                    "the verify attribute of <{name}> cannot be read ({err}); entities declared in a DOCTYPE are never expanded"
                ))
            })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// Whether `s` has the shape of a compact JWS: three base64url parts.
pub fn looks_like_jws(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn looks_like_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_json(s: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok()
}

fn unbake_svg(bytes: &[u8]) -> Result<Baked, BakeError> {
    let text = svg_text(bytes)?;
    let mut reader = NsReader::from_str(text);
    let mut root = true;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        let (e, has_content) = match event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::Eof => return Err(BakeError::NoBadge),
            _ => continue,
        };
        if std::mem::take(&mut root) {
            check_root(text, &e, before)?;
        }
        if !is_badge_element(&reader, &e) {
            continue;
        }
        let name = element_name(&e);
        let verify = verify_attribute(&e)?;
        let content = if has_content {
            element_content(&mut reader, &name)?
        } else {
            String::new()
        };
        let content = content.trim();
        let payload = if !content.is_empty() {
            if !(is_json(content) || looks_like_jws(content) || looks_like_url(content)) {
                return Err(malformed(format!(
                    "the <{name}> element holds text that is neither JSON, a compact JWS nor a URL"
                )));
            }
            content.to_string()
        } else {
            match verify.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() => v.to_string(),
                _ => {
                    return Err(malformed(format!(
                        "the <{name}> element is empty and has no verify attribute"
                    )))
                }
            }
        };
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(too_large_payload(payload.len()));
        }
        return Ok(Baked {
            kind: ImageKind::Svg,
            payload,
        });
    }
}

/// The text and CDATA inside the badge element, up to its end tag.
fn element_content(reader: &mut NsReader<&[u8]>, name: &str) -> Result<String, BakeError> {
    let mut out = String::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| xml_error(reader, e))? {
            Event::Text(t) => {
                let s = t.unescape().map_err(|err| {
                    malformed(format!(
                        "the content of <{name}> cannot be read ({err}); entities declared in a DOCTYPE are never expanded"
                    ))
                })?;
                out.push_str(&s);
            }
            Event::CData(c) => {
                let s = std::str::from_utf8(&c)
                    .map_err(|_| malformed(format!("the CDATA of <{name}> is not UTF-8")))?;
                out.push_str(s);
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(out),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(malformed(format!("the <{name}> element is not closed"))),
            _ => {}
        }
        if out.len() > MAX_PAYLOAD_BYTES {
            return Err(too_large_payload(out.len()));
        }
    }
}

/// Bakes `payload` into an SVG: binds `xmlns:openbadges` on the root element
/// ([`SVG_NS_OB2`] for the assertion forms, [`SVG_NS_OB3`] for the credential forms)
/// and puts the badge element right after the opening `<svg …>` tag. Existing badge
/// elements are removed, so re-baking replaces the badge. JSON goes into CDATA
/// (a `]]>` inside it is split across two CDATA sections); URLs and JWSs go into the
/// `verify` attribute. The rest of the document is kept byte for byte.
pub fn bake_svg(svg: &str, payload: &str, kind: SvgPayload) -> Result<String, BakeError> {
    check_bake_sizes(svg.len(), payload)?;
    if !sniff_svg(svg.as_bytes()) {
        return Err(BakeError::NotAnImage);
    }
    let element = badge_element(payload, kind)?;
    let ns = match kind {
        SvgPayload::AssertionUrl | SvgPayload::AssertionJson => SVG_NS_OB2,
        SvgPayload::CredentialJson | SvgPayload::CredentialJws => SVG_NS_OB3,
    };

    // Parse without the byte-order mark so that positions index `body`.
    let (bom, body) = match svg.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", svg),
    };
    let mut reader = NsReader::from_str(body);
    let mut root: Option<(usize, usize, bool)> = None; // start, end, empty
    let mut root_tag = String::new();
    let mut remove: Vec<(usize, usize)> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Eof => break,
            Event::Start(e) if root.is_none() => {
                check_root(body, &e, before)?;
                root_tag = root_start_tag(&body[before..after], &e, ns, false)?;
                root = Some((before, after, false));
            }
            Event::Empty(e) if root.is_none() => {
                check_root(body, &e, before)?;
                root_tag = root_start_tag(&body[before..after], &e, ns, true)?;
                root = Some((before, after, true));
            }
            Event::Empty(e) if is_badge_element(&reader, &e) => remove.push((before, after)),
            Event::Start(e) if is_badge_element(&reader, &e) => {
                reader
                    .read_to_end(e.name())
                    .map_err(|err| xml_error(&reader, err))?;
                remove.push((before, reader.buffer_position() as usize));
            }
            _ => {}
        }
    }
    let Some((root_start, root_end, root_empty)) = root else {
        return Err(malformed("the SVG has no root element"));
    };
    let mut out = String::with_capacity(svg.len() + element.len() + 64);
    out.push_str(bom);
    out.push_str(&body[..root_start]);
    out.push_str(&root_tag);
    out.push_str(&element);
    let mut pos = root_end;
    for (start, end) in remove {
        out.push_str(&body[pos..start]);
        pos = end;
    }
    out.push_str(&body[pos..]);
    if root_empty {
        out.push_str("</svg>");
    }
    Ok(out)
}

/// The root start tag with `xmlns:openbadges` bound to `ns` (and `/>` made `>`).
fn root_start_tag(
    raw: &str,
    e: &BytesStart<'_>,
    ns: &str,
    empty: bool,
) -> Result<String, BakeError> {
    let name = element_name(e);
    let mut existing = None;
    for attr in e.attributes() {
        let attr = attr.map_err(|err| malformed(format!("the root element: {err}")))?;
        if attr.key.as_ref() == b"xmlns:openbadges" {
            existing = Some(attr.value.into_owned());
        }
    }
    let mut tag = match existing {
        None => {
            // Keep the tag as written, with the binding added after the name.
            let body = &raw[1 + name.len()..];
            format!("<{name} xmlns:openbadges=\"{ns}\"{body}")
        }
        Some(v) if v == ns.as_bytes() => raw.to_string(),
        Some(_) => {
            // Bound to another namespace: rebuild the tag without it.
            let mut tag = format!("<{name}");
            for attr in e.attributes() {
                let attr = attr.map_err(|err| malformed(format!("the root element: {err}")))?;
                if attr.key.as_ref() == b"xmlns:openbadges" {
                    continue;
                }
                let key = String::from_utf8_lossy(attr.key.as_ref());
                let value = String::from_utf8_lossy(&attr.value);
                let q = if value.contains('"') { '\'' } else { '"' };
                tag.push_str(&format!(" {key}={q}{value}{q}"));
            }
            tag.push_str(&format!(" xmlns:openbadges=\"{ns}\">"));
            return Ok(tag);
        }
    };
    if empty {
        // "<svg …/>" → "<svg …>"; the caller closes it.
        let trimmed = tag.trim_end_matches('>').trim_end_matches('/');
        tag = format!("{trimmed}>");
    }
    Ok(tag)
}

fn escape_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn cdata(json: &str) -> String {
    format!("<![CDATA[{}]]>", json.replace("]]>", "]]]]><![CDATA[>"))
}

fn badge_element(payload: &str, kind: SvgPayload) -> Result<String, BakeError> {
    let invalid = |msg: &str| Err(BakeError::InvalidPayload(msg.into()));
    match kind {
        SvgPayload::AssertionUrl | SvgPayload::CredentialJws => {
            if payload.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return invalid("a verify attribute (URL or JWS) cannot contain whitespace");
            }
            if kind == SvgPayload::CredentialJws && !looks_like_jws(payload) {
                return invalid("an Open Badges 3.0 verify attribute must be a compact JWS");
            }
            if kind == SvgPayload::AssertionUrl
                && !looks_like_url(payload)
                && !looks_like_jws(payload)
            {
                return invalid("an Open Badges 2.0 verify attribute must be an HTTP(S) URL or a signed assertion (compact JWS)");
            }
            let el = if kind == SvgPayload::AssertionUrl {
                "assertion"
            } else {
                "credential"
            };
            Ok(format!(
                "<openbadges:{el} verify=\"{}\"/>",
                escape_attribute(payload)
            ))
        }
        SvgPayload::AssertionJson | SvgPayload::CredentialJson => {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) else {
                return invalid("the badge is not valid JSON");
            };
            if kind == SvgPayload::CredentialJson {
                return Ok(format!(
                    "<openbadges:credential>{}</openbadges:credential>",
                    cdata(payload)
                ));
            }
            let verify = value
                .get("id")
                .and_then(|id| id.as_str())
                .filter(|id| looks_like_url(id))
                .map(|id| format!(" verify=\"{}\"", escape_attribute(id)))
                .unwrap_or_default();
            Ok(format!(
                "<openbadges:assertion{verify}>{}</openbadges:assertion>",
                cdata(payload)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_reference() {
        // CRC of an IEND chunk, as in every PNG.
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
    }

    #[test]
    fn sniffs_svg_prologues() {
        assert_eq!(sniff(b"<svg/>"), Some(ImageKind::Svg));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF <?xml version=\"1.0\"?>\n<!-- a > b -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\" [ <!ENTITY a \">\"> ]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Some(ImageKind::Svg)
        );
        assert_eq!(sniff(b"<svgx>"), None);
        assert_eq!(sniff(b"<html><svg>"), None);
        assert_eq!(sniff(b"<!-- unterminated <svg>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(&PNG_SIGNATURE), Some(ImageKind::Png));
    }

    #[test]
    fn root_must_be_the_svg_sniff_saw() {
        // sniff reads the quoted DOCTYPE up to the second '>'; quick-xml ends it at the
        // first and sees a <g> root holding a badge (found by fuzzing: bake_svg then
        // wrote into the <g> and made a file that no longer sniffed as SVG).
        let svg = r#"<!DOCTYPE svg "><g><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">{}</openbadges:credential></g>"><svg/>"#;
        assert_eq!(sniff(svg.as_bytes()), Some(ImageKind::Svg));
        assert!(matches!(
            unbake(svg.as_bytes()),
            Err(BakeError::Malformed(_))
        ));
        assert!(matches!(
            bake_svg(svg, "https://e.org/a", SvgPayload::AssertionUrl),
            Err(BakeError::Malformed(_))
        ));
        // The same with an <svg> root: quick-xml's root is not the <svg> sniff saw.
        let svg = r#"<!DOCTYPE svg "><svg><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">{}</openbadges:credential></svg>"><svg/>"#;
        assert_eq!(sniff(svg.as_bytes()), Some(ImageKind::Svg));
        assert!(matches!(
            unbake(svg.as_bytes()),
            Err(BakeError::Malformed(_))
        ));
        assert!(matches!(
            bake_svg(svg, "https://e.org/a", SvgPayload::AssertionUrl),
            Err(BakeError::Malformed(_))
        ));
        // Where both agree (a '>' quoted in the internal subset), all is well.
        let svg = "<!DOCTYPE svg [ <!ENTITY a \">\"> ]>\n<svg><openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">{}</openbadges:credential></svg>";
        assert_eq!(unbake(svg.as_bytes()).unwrap().payload, "{}");
        let baked = bake_svg(svg, "https://e.org/a", SvgPayload::AssertionUrl).unwrap();
        assert_eq!(unbake(baked.as_bytes()).unwrap().payload, "https://e.org/a");
    }

    #[test]
    fn cdata_split_round_trips() {
        let json = r#"{"a":"x]]>y"}"#;
        let svg = bake_svg("<svg></svg>", json, SvgPayload::CredentialJson).unwrap();
        assert!(svg.contains("]]]]><![CDATA[>"));
        assert_eq!(unbake(svg.as_bytes()).unwrap().payload, json);
    }

    #[test]
    fn empty_root_is_opened() {
        let svg = bake_svg(
            "<svg width=\"1\"/>",
            "https://e.org/a",
            SvgPayload::AssertionUrl,
        )
        .unwrap();
        assert_eq!(
            svg,
            "<svg xmlns:openbadges=\"http://openbadges.org\" width=\"1\"><openbadges:assertion verify=\"https://e.org/a\"/></svg>"
        );
    }
}
