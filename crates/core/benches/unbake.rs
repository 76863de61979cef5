//! Unbaking speed: a ~1 MB PNG whose badge chunk comes last (1EdTech's
//! `simple-json.png` with 1 MiB of private ancillary chunks inserted after IHDR), a
//! real baked SVG, and re-baking the big PNG.
//! `cargo bench -p qlabel-core --bench unbake`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use qlabel_core::baked::{bake_png, unbake, ImageKind, KEYWORD_OB3};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/vectors/1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30"
);

fn crc32(ty: &[u8], data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in ty.iter().chain(data) {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    crc ^ 0xFFFF_FFFF
}

/// `simple-json.png` with 16 private `prIv` chunks of 64 KiB after IHDR, so the
/// badge chunk (already near the end) sits after 1 MiB of other chunks.
fn big_png() -> Vec<u8> {
    let png = std::fs::read(format!("{VECTORS}/simple-json.png")).unwrap();
    let mut out = png[..33].to_vec(); // signature + IHDR
    let mut filler = vec![0u8; 64 * 1024];
    for (i, b) in filler.iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    for _ in 0..16 {
        out.extend_from_slice(&(filler.len() as u32).to_be_bytes());
        out.extend_from_slice(b"prIv");
        out.extend_from_slice(&filler);
        out.extend_from_slice(&crc32(b"prIv", &filler).to_be_bytes());
    }
    out.extend_from_slice(&png[33..]);
    out
}

fn bench(c: &mut Criterion) {
    let png = big_png();
    let baked = unbake(&png).unwrap();
    assert_eq!(baked.kind, ImageKind::Png);
    assert!(baked.payload.contains("OpenBadgeCredential"));

    let mut group = c.benchmark_group("unbake");
    group.throughput(Throughput::Bytes(png.len() as u64));
    group.bench_function(format!("png {} KiB, badge last", png.len() / 1024), |b| {
        b.iter(|| unbake(black_box(&png)).unwrap())
    });
    let svg = std::fs::read(format!("{VECTORS}/simple-json.svg")).unwrap();
    group.throughput(Throughput::Bytes(svg.len() as u64));
    group.bench_function(
        format!("svg {} KiB (simple-json.svg)", svg.len() / 1024),
        |b| b.iter(|| unbake(black_box(&svg)).unwrap()),
    );
    group.finish();

    let mut group = c.benchmark_group("bake");
    group.throughput(Throughput::Bytes(png.len() as u64));
    group.bench_function(
        format!("png {} KiB, replace badge", png.len() / 1024),
        |b| b.iter(|| bake_png(black_box(&png), &baked.payload, KEYWORD_OB3).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
