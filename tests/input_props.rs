//! Property tests of the input side (bodies as real servers send them), native only:
//! - for any two run bodies, applying the incremental update to the decode
//!   of the first equals decoding the second (ugly values and repeated step
//!   ids included);
//! - progress segments and time formatting never panic and stay in range;
//! - URL safety agrees with the WHATWG parser (the `url` crate) on which
//!   URLs are `http(s)` with a host.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use runview::api::decode::{apply_to, decode_run, decode_update, Update};
use runview::api::Progress;
use runview::model::{format, progress::Segments, url::safe_url};
use serde_json::{json, Map, Value};

/// A JSON value of any type, weighted toward the kinds that trip decoders.
fn ugly_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e20f64..1e20).prop_map(Value::from),
        Just(json!(1e308)),
        Just(json!(-0.0)),
        Just(json!(1920.0)),
        prop_oneof![
            Just("running"),
            Just("succeeded"),
            Just("canceled"),
            Just(" Cancelled "),
            Just("paused"),
            Just(""),
            Just("2026-03-20T12:00:00Z"),
            Just("https://x.example/a.png"),
            Just("\u{0}\u{202e}é🎬"),
        ]
        .prop_map(Value::from),
        prop::collection::vec(any::<char>(), 0..6)
            .prop_map(|cs| Value::from(cs.into_iter().collect::<String>())),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A field name and a plausible value for it.
type Field = (&'static str, fn() -> Value);

/// An object with some of `fields`, each either a plausible or an ugly value.
fn object(fields: &'static [Field]) -> impl Strategy<Value = Value> {
    prop::collection::vec((any::<bool>(), any::<bool>(), ugly_value()), fields.len()).prop_map(
        move |picks| {
            let mut map = Map::new();
            for ((name, plausible), (present, ugly, value)) in fields.iter().zip(picks) {
                if present {
                    map.insert(name.to_string(), if ugly { value } else { plausible() });
                }
            }
            Value::Object(map)
        },
    )
}

const OUTPUT_FIELDS: &[Field] = &[
    ("type", || json!("inference")),
    ("outputId", || json!("o1")),
    ("url", || json!("https://x.example/a.png")),
    ("mimeType", || json!("image/png")),
    ("width", || json!(640)),
    ("height", || json!(360)),
    ("durationMs", || json!(1500)),
    ("platform", || json!("youtube")),
];

const STEP_FIELDS: &[Field] = &[
    ("referenceId", || json!("ref")),
    ("name", || json!("Make a thing")),
    ("status", || json!("running")),
    ("predecessorsLeft", || json!(0)),
    ("attemptNo", || json!(1)),
    ("startedAt", || json!("2026-03-20T12:00:00Z")),
    ("completedAt", || json!("2026-03-20T12:00:09Z")),
];

/// A step: an id from a small set (so ids repeat) plus any other fields.
fn step() -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("a#1")),
        Just(json!("")),
        Just(json!(7)),
        Just(Value::Null),
    ];
    let outputs = prop::collection::vec(object(OUTPUT_FIELDS), 0..3);
    prop_oneof![
        8 => (id, object(STEP_FIELDS), outputs, any::<bool>()).prop_map(
            |(id, mut fields, outputs, with_outputs)| {
                if let Value::Object(map) = &mut fields {
                    if !id.is_null() {
                        map.insert("stepId".into(), id);
                    }
                    if with_outputs {
                        map.insert("outputs".into(), Value::Array(outputs));
                    }
                }
                fields
            }
        ),
        1 => ugly_value(),
    ]
}

const HEAD_FIELDS: &[Field] = &[
    ("runId", || json!("run_x")),
    ("blueprintId", || json!("bp")),
    ("status", || json!("running")),
    ("startedAt", || json!("2026-03-20T12:00:00Z")),
    ("completedAt", || Value::Null),
    (
        "progress",
        || json!({"totalSteps": 3, "completedSteps": 1, "failedSteps": 0, "runningSteps": 1}),
    ),
];

fn body(head: &Value, steps: Vec<Value>, finals: &[Value]) -> Vec<u8> {
    let mut run = head.clone();
    if let Value::Object(map) = &mut run {
        map.insert("steps".into(), Value::Array(steps));
        map.insert("finalOutputs".into(), Value::Array(finals.to_vec()));
    }
    serde_json::to_vec(&run).unwrap()
}

/// Two bodies of one run: the second keeps, changes or reshapes the steps of
/// the first, so both the patch path and the replace path are taken.
fn two_bodies() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    (
        object(HEAD_FIELDS),
        object(HEAD_FIELDS),
        prop::collection::vec((step(), step(), any::<bool>()), 0..6),
        prop::collection::vec(object(OUTPUT_FIELDS), 0..2),
        0..4u8,
    )
        .prop_map(|(head_a, head_b, steps, finals, shape)| {
            let first: Vec<Value> = steps.iter().map(|(a, _, _)| a.clone()).collect();
            let mut second: Vec<Value> = steps
                .iter()
                .map(|(a, b, change)| if *change { b.clone() } else { a.clone() })
                .collect();
            match shape {
                1 => second.reverse(),
                2 => {
                    second.pop();
                }
                _ => {}
            }
            let head_b = if shape == 3 { head_a.clone() } else { head_b };
            (
                body(&head_a, first, &finals),
                body(&head_b, second, &finals),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_update_applied_to_the_first_body_gives_the_second((a, b) in two_bodies()) {
        let text_a = String::from_utf8(a.clone()).unwrap();
        let text_b = String::from_utf8(b.clone()).unwrap();
        // Every generated body is a JSON object with a list of steps: the
        // rule says all of them decode.
        let mut run = decode_run(200, &text_a, None).unwrap();
        let whole_b = decode_run(200, &text_b, None).unwrap();
        let Ok(Update::Changed { snapshot, .. }) = decode_update(None, 200, a, None) else {
            panic!("a first body always changes");
        };
        match decode_update(Some(&snapshot), 200, b, None).unwrap() {
            Update::Same => prop_assert_eq!(run, whole_b),
            Update::Changed { head, steps, .. } => {
                apply_to(&mut run, head, steps);
                prop_assert_eq!(run, whole_b);
            }
        }
    }

    #[test]
    fn progress_segments_stay_in_range(
        total in any::<u32>(), completed in any::<u32>(), failed in any::<u32>(), running in any::<u32>()
    ) {
        let s = Segments::from_progress(&Progress {
            total_steps: total,
            completed_steps: completed,
            failed_steps: failed,
            running_steps: running,
        });
        let sum = u64::from(s.succeeded) + u64::from(s.failed) + u64::from(s.running) + u64::from(s.remaining);
        prop_assert_eq!(sum, u64::from(s.total));
        prop_assert!(s.total >= total);
        prop_assert!(s.percent_done() <= 100);
        for count in [s.succeeded, s.failed, s.running, s.remaining] {
            let w = s.width(count);
            prop_assert!((0.0..=100.0).contains(&w), "{}", w);
        }
        let failed = format!("{} failed", s.failed);
        prop_assert!(s.summary().ends_with(&failed));
    }

    #[test]
    fn time_formatting_never_panics(a in any::<i64>(), b in any::<i64>(), offset in any::<i64>()) {
        let rel = format::relative(a, b);
        prop_assert!(rel == "just now" || rel.ends_with(" ago") || rel.starts_with("in "), "{}", rel);
        let d = format::duration(a);
        let ms = a.max(0);
        let shape = match ms {
            0..=999 => d == format!("{ms} ms"),
            1_000..=59_999 => d.ends_with(" s") && d.starts_with(&format!("{}.", ms / 1000)),
            60_000..=3_599_999 => d.starts_with(&format!("{} min ", ms / 60_000)) && d.ends_with(" s"),
            _ => d.starts_with(&format!("{} h ", ms / 3_600_000)) && d.ends_with(" min"),
        };
        prop_assert!(shape, "{} ms read {:?}", a, d);
        let t = format::local_time(a, offset);
        prop_assert!(t == "—" || t.len() >= 19, "{:?}", t);
    }

    /// A local time reads back as the instant it shows (to the second), in
    /// any real zone.
    #[test]
    fn local_times_read_back_as_their_instant(
        ms in 0i64..253_402_300_799_000,
        offset in -840i64..=720,
    ) {
        let shown = format::local_time(ms, offset);
        let layout = time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        );
        let local = time::PrimitiveDateTime::parse(&shown, layout);
        prop_assert!(local.is_ok(), "{:?}", shown);
        let as_utc = local.map(|t| t.assume_utc().unix_timestamp()).unwrap_or_default();
        // The zone is `offset` minutes behind UTC.
        prop_assert_eq!(as_utc, ms.div_euclid(1000) - offset * 60);
    }

    #[test]
    fn url_safety_agrees_with_the_whatwg_parser(raw in url_like()) {
        let whatwg = url::Url::parse(&raw).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        let ours = safe_url(&raw);
        prop_assert_eq!(ours.is_some(), whatwg.is_some(), "{:?}", raw);
        if let (Some(ours), Some(whatwg)) = (ours, whatwg) {
            // What is handed to the element parses to the same URL.
            prop_assert_eq!(url::Url::parse(ours).unwrap(), whatwg);
        }
    }
}

/// Strings shaped like URLs (scheme, slashes, userinfo, host, path) with
/// case, whitespace and control characters mixed in, and arbitrary text.
fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("http"),
        Just("https"),
        Just("HtTpS"),
        Just("javascript"),
        Just("java\tscript"),
        Just("data"),
        Just("file"),
        Just("blob:https"),
        Just("ftp"),
        Just(""),
    ];
    let pad = prop_oneof![
        Just(""),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\u{0}"),
        Just("\u{a0}")
    ];
    let slashes = prop_oneof![
        Just("://"),
        Just(":/"),
        Just(":"),
        Just(":\\\\"),
        Just("//"),
        Just(":///")
    ];
    let host = prop_oneof![
        prop::sample::select(vec![
            "a.example",
            "127.0.0.1:8091",
            "[::1]",
            "@evil",
            "user:pw@a.example",
            "",
            "xn--nxasmq6b",
            "bücher.example",
            "[::1",
        ])
        .prop_map(String::from),
        "[a-z0-9.%-]{0,10}",
    ];
    let path = "[a-zA-Z0-9/?#%. <>\"]{0,12}";
    prop_oneof![
        4 => (pad.clone(), scheme, slashes, host, path, pad).prop_map(|(p1, s, sl, h, pa, p2)| {
            format!("{p1}{s}{sl}{h}/{pa}{p2}")
        }),
        1 => prop::collection::vec(any::<char>(), 0..24).prop_map(|cs| cs.into_iter().collect()),
    ]
}
