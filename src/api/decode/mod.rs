//! Turning an HTTP answer (status, body, headers) into a run or a typed error.
//! Pure functions: the client feeds them, native tests, property tests and
//! the fuzzer (`scripts/fuzz.sh`) exercise them.
//!
//! - [`whole`]: a body decoded whole ([`decode_run`]).
//! - [`incremental`]: a poll decoded against the body on screen
//!   ([`decode_update`]), same rule, only the changed steps.
//! - [`error_body`]: error answers ([`decode_error`]).
//! - `fields`: the field rule below, as lenient readers; `objects`: the
//!   run's objects (progress, steps, outputs) read with them.
//!
//! # The field rule
//!
//! A real server, its gateways and its bugs send more than the documented
//! shapes. runview shows whatever can be read. **Only two things make a 2xx
//! body a decode error** (retried, the last good data stays on screen): a
//! body that is not JSON (or not a JSON object: nothing of a run can be read
//! from a list or a string; JSON nested deeper than 128 levels counts as
//! unreadable), and a `steps` that is present but neither a list nor `null`.
//! Everything else is read field by field:
//!
//! | field | `null` / missing | float | negative | huge | other type |
//! |---|---|---|---|---|---|
//! | `runId`, `blueprintId`, `stepId`, `referenceId`, `name`, `outputId` | `""` | its JSON text (`1.5`) | its JSON text | its JSON text | number/boolean: its JSON text; list/object: `""` |
//! | `status` (run and step) | "unknown: (none)" | "unknown: 1.5" | "unknown: -1" | "unknown: …" | list/object: "unknown: (list)" / "unknown: (object)" |
//! | `status` text | case and surrounding spaces ignored; `canceled`/`cancelled` are Canceled; any other word is kept: "unknown: word" | | | | |
//! | `startedAt`, `completedAt` | absent | absent | absent | absent | absent (only an RFC 3339 string is a time) |
//! | `progress.*Steps`, `predecessorsLeft` | 0 | rounded down | 0 | `u32::MAX` | 0 |
//! | `attemptNo` | 1 | rounded down | 1 | `u32::MAX` | 1 |
//! | `width`, `height` | absent | rounded down | absent | `u32::MAX` | absent |
//! | `durationMs` | absent | rounded down | absent | `u64::MAX` | absent |
//! | `url`, `mimeType` | absent | absent | absent | absent | absent (only a string) |
//! | output `type` | `inference` | "unknown" type, its JSON text | same | same | list/object: `inference` |
//! | `progress` | all 0 | – | – | – | all 0 |
//! | `outputs`, `finalOutputs` | empty | – | – | – | empty; items that are not objects are dropped |
//! | `steps` | empty | – | – | – | **decode error** |
//! | a step that is not an object | – | – | – | – | a row "unknown: not a step (number)" with no id |
//!
//! Unknown fields are ignored (kept as `extra` on outputs, for publish
//! results); a field repeated in one object keeps its last value. Steps that
//! repeat a `stepId` stay distinct rows: each gets an occurrence number and
//! a distinct key ([`Step::key`](crate::api::Step::key)), so a change to one
//! lands on its own row. Huge values saturate, nothing wraps or panics
//! (fuzzed with over a million mutated bodies, see `RELIABILITY.md`).

pub mod error_body;
mod fields;
pub mod incremental;
mod objects;
pub mod whole;

pub use error_body::{decode_error, excerpt, reason_phrase};
pub use incremental::{apply_to, decode_update, Snapshot, Steps, Update};
pub use whole::decode_run;
