//! The decoder fuzzer (the decoder-robustness check in RELIABILITY.md).
//!
//! A seeded, structure-aware mutator: it starts from the seed bodies in
//! `tests/fuzz/seeds/` (the golden fixture and bodies the simulator serves),
//! parses them into JSON trees and mutates values, types, nesting, unicode
//! and sizes (plus a few byte-level cuts and splices, for bodies that are no
//! longer JSON). Every body goes through the whole decoder and the
//! incremental decoder (against the previous body); a case fails if either
//! panics, or if applying the update to the decode of the previous body does
//! not give the decode of the new one.
//!
//! `cargo test` runs 20,000 cases; `scripts/fuzz.sh` runs a million in
//! release mode (`RUNVIEW_FUZZ_CASES`, `RUNVIEW_FUZZ_SEED` set the count and
//! the seed). Generated bodies are never written to disk.
#![cfg(not(target_arch = "wasm32"))]

use runview::api::decode::{apply_to, decode_run, decode_update, Snapshot, Update};
use runview::model::{format, progress::Segments};
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// SplitMix64: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "",
    " ",
    "running",
    "succeeded",
    "failed",
    "queued",
    "canceled",
    "Cancelled",
    "SKIPPED",
    "locked",
    "paused_by_operator",
    "2026-03-20T12:00:00Z",
    "2026-13-45T99:99:99Z",
    "yesterday",
    "https://storage.example.com/a.png",
    "javascript:alert(1)",
    "image/png",
    "text/plain",
    "video/mp4",
    "output",
    "editor",
    "step_001",
    "\u{0}",
    "\u{202e}evil",
    "é",
    "🎬🎞️",
    "\u{FEFF}",
    "<img src=x onerror=alert(1)>",
    "\\",
    "\"",
];

const KEYS: &[&str] = &[
    "runId",
    "blueprintId",
    "status",
    "startedAt",
    "completedAt",
    "progress",
    "totalSteps",
    "completedSteps",
    "failedSteps",
    "runningSteps",
    "finalOutputs",
    "steps",
    "stepId",
    "referenceId",
    "name",
    "predecessorsLeft",
    "attemptNo",
    "outputs",
    "type",
    "outputId",
    "url",
    "mimeType",
    "width",
    "height",
    "durationMs",
    "platform",
    "permalink",
    "unknownField",
];

fn random_string(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.pick(WORDS).to_string(),
        1 => (0..rng.below(40))
            .map(|_| char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{FFFD}'))
            .collect(),
        2 => "x".repeat(rng.below(3_000)),
        _ => format!("{}{}", rng.pick(WORDS), rng.next()),
    }
}

fn random_number(rng: &mut Rng) -> Value {
    let n: Value = match rng.below(12) {
        0 => (-(rng.below(1_000) as i64)).into(),
        1 => u64::MAX.into(),
        2 => i64::MIN.into(),
        3 => u32::MAX.into(),
        4 => (u64::from(u32::MAX) + 1).into(),
        5 => 1e308.into(),
        6 => (-1e308).into(),
        7 => (rng.below(10_000) as f64 + 0.5).into(),
        8 => (-0.0f64).into(),
        9 => 1920.0.into(),
        10 => f64::from_bits(rng.next() & 0x7FEF_FFFF_FFFF_FFFF).into(),
        _ => rng.below(100).into(),
    };
    n
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 4 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => random_number(rng),
        3 => Value::String(random_string(rng)),
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        5 => Value::Object(
            (0..rng.below(4))
                .map(|_| (rng.pick(KEYS).to_string(), random_value(rng, depth + 1)))
                .collect(),
        ),
        _ => {
            // Deep nesting, sometimes past serde_json's limit of 128.
            let mut v = Value::Null;
            for _ in 0..rng.below(200) {
                v = if rng.chance(2) {
                    Value::Array(vec![v])
                } else {
                    Value::Object(Map::from_iter([("a".to_string(), v)]))
                };
            }
            v
        }
    }
}

/// Every node of the tree, as paths of indices, so one can be picked.
fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The `n`th node in pre-order.
fn nth_node(v: &mut Value, n: &mut usize) -> Option<*mut Value> {
    if *n == 0 {
        return Some(v as *mut Value);
    }
    *n -= 1;
    match v {
        Value::Array(items) => items.iter_mut().find_map(|c| nth_node(c, n)),
        Value::Object(map) => map.values_mut().find_map(|c| nth_node(c, n)),
        _ => None,
    }
}

fn mutate_tree(rng: &mut Rng, root: &mut Value) {
    let total = count_nodes(root);
    let mut n = rng.below(total);
    let Some(ptr) = nth_node(root, &mut n) else {
        return;
    };
    // SAFETY: the pointer comes from a live `&mut` into `root`, which is not
    // otherwise touched until this function returns.
    let node = unsafe { &mut *ptr };
    match rng.below(10) {
        0 | 1 => *node = random_value(rng, 0),
        2 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(rng.below(map.len())).cloned().unwrap();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            _ => *node = Value::Null,
        },
        3 => match node {
            // Duplicate an element: repeated step ids and outputs.
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                let copy = items[i].clone();
                items.insert(rng.below(items.len() + 1), copy);
            }
            Value::Object(map) => {
                map.insert(rng.pick(KEYS).to_string(), random_value(rng, 1));
            }
            _ => *node = Value::String(random_string(rng)),
        },
        4 => {
            // Wrap in a list or an object.
            let inner = node.take();
            *node = if rng.chance(2) {
                Value::Array(vec![inner])
            } else {
                Value::Object(Map::from_iter([(rng.pick(KEYS).to_string(), inner)]))
            };
        }
        5 => match node {
            // Grow a list: sizes.
            Value::Array(items) if !items.is_empty() => {
                let times = rng.below(20);
                let copy = items.clone();
                for _ in 0..times {
                    items.extend(copy.iter().cloned());
                    if items.len() > 200 {
                        break;
                    }
                }
            }
            _ => *node = random_number(rng),
        },
        6 => match node {
            Value::Array(items) if items.len() > 1 => {
                let (i, j) = (rng.below(items.len()), rng.below(items.len()));
                items.swap(i, j);
            }
            _ => *node = Value::Bool(rng.chance(2)),
        },
        7 => *node = random_number(rng),
        8 => *node = Value::String(random_string(rng)),
        _ => *node = Value::Null,
    }
}

/// Byte-level damage: truncation, a flipped byte, a spliced key, garbage.
fn mutate_bytes(rng: &mut Rng, body: &mut Vec<u8>) {
    if body.is_empty() {
        return;
    }
    match rng.below(5) {
        0 => body.truncate(rng.below(body.len())),
        1 => {
            let i = rng.below(body.len());
            body[i] = rng.next() as u8;
        }
        2 => {
            // A repeated field, which a JSON tree cannot hold.
            if let Some(i) = body.iter().position(|&b| b == b'{') {
                let key = format!("\"{}\":null,", rng.pick(KEYS));
                body.splice(i + 1..i + 1, key.into_bytes());
            }
        }
        3 => body
            .splice(0..0, b"\xEF\xBB\xBF".iter().copied())
            .for_each(drop),
        _ => {
            let i = rng.below(body.len());
            let junk: Vec<u8> = (0..rng.below(8)).map(|_| rng.next() as u8).collect();
            body.splice(i..i, junk);
        }
    }
}

/// Decodes `body` whole and as an update on `prev`; `Err` describes a
/// disagreement between the two decoders. Returns the snapshot to compare
/// the next body with.
fn check(prev: Option<&(Vec<u8>, Snapshot)>, body: &[u8]) -> Result<Option<Snapshot>, String> {
    let Ok(text) = std::str::from_utf8(body) else {
        // Not UTF-8: only the byte-level decoder can take it (it may read
        // the body, when the bad bytes sit in a field it skips). No panic
        // is all that is asked.
        let _ = decode_update(None, 200, body.to_vec(), None);
        let _ = decode_update(prev.map(|p| &p.1), 200, body.to_vec(), None);
        return Ok(None);
    };
    let whole = decode_run(200, text, None);
    // Exercise what the views compute from a decoded run.
    if let Ok(run) = &whole {
        let s = Segments::from_progress(&run.progress);
        let _ = (s.percent_done(), s.width(s.running), s.summary());
        for step in &run.steps {
            if let (Some(a), Some(b)) = (step.started_at, step.completed_at) {
                let _ = format::duration(b.ms().saturating_sub(a.ms()));
                let _ = format::relative(a.ms(), b.ms());
            }
            let _ = (step.key(), step.status.label());
        }
        let _ = runview::model::outputs::gallery(run);
    }
    let first = decode_update(None, 200, body.to_vec(), None);
    if whole.is_ok() != first.is_ok() {
        return Err(format!("whole {whole:?} vs update {first:?}"));
    }
    let Some((prev_body, prev_snapshot)) = prev else {
        return Ok(match first {
            Ok(Update::Changed { snapshot, .. }) => Some(snapshot),
            _ => None,
        });
    };
    let Ok(expected) = whole else {
        return Ok(None);
    };
    let update = decode_update(Some(prev_snapshot), 200, body.to_vec(), None)
        .map_err(|e| format!("decodes alone but not as an update: {e}"))?;
    let mut run = decode_run(200, std::str::from_utf8(prev_body).unwrap(), None)
        .map_err(|e| format!("the previous body no longer decodes: {e}"))?;
    let next = match update {
        Update::Same => prev_snapshot.clone(),
        Update::Changed {
            head,
            steps,
            snapshot,
        } => {
            apply_to(&mut run, head, steps);
            snapshot
        }
    };
    if run != expected {
        return Err("update applied to the previous body differs from the whole decode".into());
    }
    Ok(Some(next))
}

/// The seed bodies: the golden fixture and simulator bodies.
fn seeds() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/fuzz/seeds")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut seeds: Vec<Value> = paths
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect();
    seeds.push(serde_json::from_str(include_str!("fixtures/run_abc123.json")).unwrap());
    seeds
}

/// What a run of the fuzzer found.
struct Found {
    panics: u64,
    mismatches: u64,
    /// The first few mismatches, with their bodies.
    examples: Vec<String>,
}

/// Runs `cases` mutated bodies from `seed`.
fn fuzz(cases: u64, seed: u64) -> Found {
    let seeds = seeds();
    let mut rng = Rng(seed);
    let mut found = Found {
        panics: 0,
        mismatches: 0,
        examples: Vec::new(),
    };
    let mut prev: Option<(Vec<u8>, Snapshot)> = None;
    let mut tree = seeds[0].clone();
    for case in 0..cases {
        // Start over from a seed now and then; else keep mutating, so
        // changes pile up (and consecutive bodies share most steps).
        if rng.chance(8) {
            tree = rng.pick(&seeds).clone();
            prev = None;
        }
        for _ in 0..=rng.below(3) {
            mutate_tree(&mut rng, &mut tree);
        }
        let mut body = serde_json::to_vec(&tree).unwrap();
        if rng.chance(10) {
            mutate_bytes(&mut rng, &mut body);
        }
        match catch_unwind(AssertUnwindSafe(|| check(prev.as_ref(), &body))) {
            Ok(Ok(Some(snapshot))) => prev = Some((body, snapshot)),
            Ok(Ok(None)) => {}
            Ok(Err(why)) => {
                found.mismatches += 1;
                if found.examples.len() < 5 {
                    found.examples.push(format!(
                        "case {case}: {why}\n  body: {}",
                        String::from_utf8_lossy(&body[..body.len().min(2_000)])
                    ));
                }
            }
            Err(_) => {
                found.panics += 1;
                if found.examples.len() < 5 {
                    found.examples.push(format!(
                        "case {case}: panic\n  body: {}",
                        String::from_utf8_lossy(&body[..body.len().min(2_000)])
                    ));
                }
            }
        }
        if count_nodes(&tree) > 4_000 {
            tree = rng.pick(&seeds).clone();
            prev = None;
        }
    }
    found
}

#[test]
fn decoders_survive_mutated_bodies() {
    let cases = std::env::var("RUNVIEW_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed = std::env::var("RUNVIEW_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let started = Instant::now();
    // Panics are counted (the first message kept), not printed per case.
    let hook = std::panic::take_hook();
    static FIRST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    std::panic::set_hook(Box::new(|info| {
        let mut first = FIRST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert_with(|| info.to_string());
    }));
    let found = fuzz(cases, seed);
    std::panic::set_hook(hook);
    println!(
        "fuzz: {cases} cases, {} panics, {} mismatches, {:.1} s (seed {seed:#x})",
        found.panics,
        found.mismatches,
        started.elapsed().as_secs_f64()
    );
    let first = FIRST_PANIC.lock().unwrap().clone().unwrap_or_default();
    assert_eq!(
        found.panics,
        0,
        "decoder panics; first: {first}\n{}",
        found.examples.join("\n")
    );
    assert_eq!(found.mismatches, 0, "{}", found.examples.join("\n"));
}
