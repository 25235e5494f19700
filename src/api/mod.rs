//! The Runs API: wire types, error decoding and the HTTP client.
//!
//! Data flows one way: [`client`] fetches bytes, [`decode`] turns them into a
//! [`types::Run`] or an [`error::ApiError`], and the state layer patches the
//! run into the reactive store. [`text`] reads the head of a text output for
//! its preview, [`download`] a whole output file. Nothing here touches the DOM.

pub mod client;
pub mod decode;
pub mod download;
pub mod error;
pub mod history;
pub mod prefetch;
pub mod segment;
pub mod text;
pub mod types;

pub use error::ApiError;
pub use segment::encode_segment;
pub use types::{
    Output, OutputType, Progress, ProgressStoreFields, Run, RunStoreFields, Status, Step,
    StepStoreFields, Timestamp,
};
