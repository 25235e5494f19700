//! The field rule (see the table in [`super`]): readers that accept any JSON
//! value and keep what can be read. The objects built on them (`progress`,
//! steps, outputs) are in [`super::objects`].
//!
//! Every reader goes through `deserialize_any`, so a value of an unexpected
//! type is skipped (consumed, never buffered) instead of failing the body.

use crate::api::{Status, Timestamp};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON number as a count: `Int` for zero or more (floats rounded down,
/// huge values saturating at `u64::MAX`), `Negative` for below zero,
/// `Absent` for `null` or any other type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Num {
    Int(u64),
    Negative,
    Absent,
}

impl Num {
    /// As a `u32` count: negative and absent are 0, huge saturates.
    pub(crate) fn count(self) -> u32 {
        match self {
            Self::Int(n) => u32::try_from(n).unwrap_or(u32::MAX),
            Self::Negative | Self::Absent => 0,
        }
    }

    /// As an optional `u32` (a size): negative and absent are `None`.
    pub(crate) fn size(self) -> Option<u32> {
        match self {
            Self::Int(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
            Self::Negative | Self::Absent => None,
        }
    }

    /// As an optional `u64` (a duration): negative and absent are `None`.
    pub(crate) fn long(self) -> Option<u64> {
        match self {
            Self::Int(n) => Some(n),
            Self::Negative | Self::Absent => None,
        }
    }
}

/// Consumes a list without keeping it.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Consumes an object without keeping it.
fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the visit methods of a reader whose every non-handled JSON
/// type becomes `$absent`.
macro_rules! other_types_are {
    (@one bool, $absent:expr) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one str, $absent:expr) => {
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one num, $absent:expr) => {
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> { Ok($absent) }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> { Ok($absent) }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one unit, $absent:expr) => {
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> { Ok($absent) }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> { Ok($absent) }
    };
    (@one seq, $absent:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq)?;
            Ok($absent)
        }
    };
    (@one map, $absent:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map)?;
            Ok($absent)
        }
    };
    ($absent:expr; $($skip:ident),*) => {
        $(other_types_are!(@one $skip, $absent);)*
    };
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num::Int(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(u64::try_from(v).map_or(Num::Negative, Num::Int))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Num, E> {
                // JSON has no NaN or infinity; `as` saturates huge values.
                Ok(if v < 0.0 && v.floor() < 0.0 {
                    Num::Negative
                } else {
                    Num::Int(v.floor() as u64)
                })
            }
            other_types_are!(Num::Absent; bool, str, unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// A JSON value as text: strings as they are, numbers and booleans as their
/// JSON text, `null`, lists and objects as `None`.
pub(crate) struct Text(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            other_types_are!(Text(None); unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// A JSON string, and only a string: anything else is `None`.
pub(crate) struct Str(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(Str(Some(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Str, E> {
                Ok(Str(Some(v)))
            }
            other_types_are!(Str(None); bool, num, unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// A status from any JSON value: a string by its spelling, `null` or missing
/// as `unknown: (none)`, a number or boolean by its JSON text, a list or an
/// object as `unknown: (list)` / `unknown: (object)`.
pub(crate) fn status_of(text: Text, raw_kind: Option<&'static str>) -> Status {
    match (text.0, raw_kind) {
        (Some(s), _) => Status::from(s),
        (None, Some(kind)) => Status::Unknown(format!("({kind})")),
        (None, None) => Status::Unknown(String::new()),
    }
}

/// A status field read from any JSON value (see [`status_of`]; a string
/// that is a documented word is read without allocating, [`Status::known`]).
pub(crate) struct AnyStatus(pub(crate) Status);

impl<'de> Deserialize<'de> for AnyStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyStatus;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnyStatus, E> {
                Ok(AnyStatus(Status::known(v).unwrap_or_else(|| {
                    status_of(Text(Some(v.to_owned())), None)
                })))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AnyStatus, E> {
                Ok(AnyStatus(status_of(Text(Some(v.to_string())), None)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AnyStatus, E> {
                Ok(AnyStatus(status_of(Text(Some(v.to_string())), None)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AnyStatus, E> {
                Ok(AnyStatus(status_of(Text(Some(v.to_string())), None)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<AnyStatus, E> {
                Ok(AnyStatus(status_of(Text(Some(v.to_string())), None)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<AnyStatus, E> {
                Ok(AnyStatus(status_of(Text(None), None)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<AnyStatus, A::Error> {
                skip_seq(seq)?;
                Ok(AnyStatus(status_of(Text(None), Some("list"))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnyStatus, A::Error> {
                skip_map(map)?;
                Ok(AnyStatus(status_of(Text(None), Some("object"))))
            }
        }
        d.deserialize_any(V)
    }
}

/// An RFC 3339 timestamp; anything else (another format, a number, `null`)
/// is `None`.
pub(crate) struct AnyTimestamp(pub(crate) Option<Timestamp>);

impl<'de> Deserialize<'de> for AnyTimestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Parsed from the borrowed text: no copy of it is kept.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyTimestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnyTimestamp, E> {
                Ok(AnyTimestamp(Timestamp::parse(v)))
            }
            other_types_are!(AnyTimestamp(None); bool, num, unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// A list whose items are read by `T`'s own lenient rule; items that are not
/// objects are dropped. `null` or any other type is an empty list.
pub(crate) struct List<T>(pub(crate) Vec<T>);

impl<'de, T: FromObject> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Item<T>(Option<T>);
        impl<'de, T: FromObject> Deserialize<'de> for Item<T> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ObjectVisitor::<T>(std::marker::PhantomData))
                    .map(|o| Item(o.ok()))
            }
        }
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: FromObject> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(Item(item)) = seq.next_element::<Item<T>>()? {
                    items.extend(item);
                }
                Ok(List(items))
            }
            other_types_are!(List(Vec::new()); bool, str, num, unit, map);
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A type read field by field from a JSON object, by the field rule.
pub(crate) trait FromObject: Sized {
    /// Reads the object; unknown fields are skipped, a repeated field's last
    /// value wins.
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    /// What a value that is not an object becomes, named by its JSON type.
    fn from_other(kind: &'static str) -> Self;
}

/// Reads `T` from an object; `Err(kind)` (a plain value, not a failure)
/// when the value is of another JSON type.
struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: FromObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = Result<T, &'static str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_object(map).map(Ok)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq)?;
        Ok(Err("list"))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("text"))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("boolean"))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("number"))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("number"))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("number"))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}

/// Reads `T` from any JSON value: an object by its fields, anything else
/// through [`FromObject::from_other`].
pub(crate) fn any_object<'de, T: FromObject, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(ObjectVisitor::<T>(std::marker::PhantomData))
        .map(|r| r.unwrap_or_else(T::from_other))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Output;

    fn num(json: &str) -> Num {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_by_the_rule() {
        let cases = [
            ("5", Num::Int(5)),
            ("1920.0", Num::Int(1920)),
            ("15000.5", Num::Int(15000)),
            ("-0.0", Num::Int(0)),
            ("-0.5", Num::Negative),
            ("-3", Num::Negative),
            ("1e300", Num::Int(u64::MAX)),
            ("18446744073709551616", Num::Int(u64::MAX)),
            ("null", Num::Absent),
            ("\"5\"", Num::Absent),
            ("true", Num::Absent),
            ("[1,[2]]", Num::Absent),
            ("{\"a\":{\"b\":1}}", Num::Absent),
        ];
        for (json, expected) in cases {
            assert_eq!(num(json), expected, "{json}");
        }
        assert_eq!(num("4294967296").count(), u32::MAX);
        assert_eq!(num("-1").count(), 0);
        assert_eq!(num("-1").size(), None);
        assert_eq!(num("7.9").size(), Some(7));
    }

    #[test]
    fn status_words_are_read_by_the_one_table() {
        use Status::*;
        let any = |json: &str| serde_json::from_str::<AnyStatus>(json).unwrap().0;
        for (word, expected) in [
            ("queued", Queued),
            ("RUNNING", Running),
            (" Succeeded ", Succeeded),
            ("failed\t", Failed),
            ("skipped", Skipped),
            ("Locked", Locked),
            ("canceled", Canceled),
            ("CANCELLED", Canceled),
            ("paused", Unknown("paused".into())),
            ("", Unknown(String::new())),
            (" ", Unknown(" ".into())),
            ("runn", Unknown("runn".into())),
            ("queued!", Unknown("queued!".into())),
            // Not ASCII case folding: the long s is not an s.
            ("ſucceeded", Unknown("ſucceeded".into())),
        ] {
            assert_eq!(Status::from(word.to_string()), expected, "{word:?}");
            let json = serde_json::to_string(word).unwrap();
            assert_eq!(any(&json), expected, "{word:?}");
        }
        let ts = |json: &str| serde_json::from_str::<AnyTimestamp>(json).unwrap().0;
        assert_eq!(
            ts("\"2026-03-20T12:00:01Z\""),
            Timestamp::parse("2026-03-20T12:00:01Z")
        );
        assert_eq!(
            ts("\"2026-03-20T12:00:01\\u005a\""),
            Timestamp::parse("2026-03-20T12:00:01Z"),
            "escaped text"
        );
        assert_eq!(ts("1774008000000"), None);
        assert_eq!(ts("[\"2026-03-20T12:00:01Z\"]"), None);
        assert_eq!(ts("null"), None);
    }

    #[test]
    fn text_and_status_by_the_rule() {
        let text = |json: &str| serde_json::from_str::<Text>(json).unwrap().0;
        assert_eq!(text("\"a\""), Some("a".into()));
        assert_eq!(text("42"), Some("42".into()));
        assert_eq!(text("-1.5"), Some("-1.5".into()));
        assert_eq!(text("false"), Some("false".into()));
        assert_eq!(text("null"), None);
        assert_eq!(text("[\"a\"]"), None);
        let status = |json: &str| serde_json::from_str::<AnyStatus>(json).unwrap().0.label();
        assert_eq!(status("\"running\""), "running");
        assert_eq!(status("\" Cancelled \""), "canceled");
        assert_eq!(status("7"), "unknown: 7");
        assert_eq!(status("null"), "unknown: (none)");
        assert_eq!(status("{\"a\":1}"), "unknown: (object)");
        assert_eq!(status("[]"), "unknown: (list)");
    }

    #[test]
    fn lists_drop_what_is_not_an_object() {
        let list: List<Output> =
            serde_json::from_str(r#"[1, null, {"outputId":"a"}, "x", [], {"outputId":7}]"#)
                .unwrap();
        let ids: Vec<_> = list.0.iter().map(|o| o.output_id.as_str()).collect();
        assert_eq!(ids, ["a", "7"]);
        let not_a_list: List<Output> = serde_json::from_str(r#"{"outputId":"a"}"#).unwrap();
        assert!(not_a_list.0.is_empty());
    }
}
