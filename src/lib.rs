//! creeplint: a static checker that catches creepy data practices in form
//! definitions and personalization rules before they ship.
//!
//! The flow is one way: [`discover`] the files, read them ([`formats`]) into one
//! [`model::Project`], run the [`rules`], and let the [`pipeline`] filter, sort and
//! count the [`finding::Finding`]s that [`output`] renders.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::dbg_macro,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod app;
pub mod autocomplete;
pub mod baseline;
mod bits;
pub mod cli;
pub mod clip;
pub mod config;
pub mod discover;
pub mod docs;
pub mod embedded;
pub mod finding;
pub mod formats;
pub mod glob;
pub mod identity;
pub mod io;
pub mod model;
pub mod output;
mod parallel;
pub mod pipeline;
pub mod rules;
pub mod source;
pub mod subject;
pub mod suggest;
pub mod suppress;
pub mod term;
pub mod vocab;
pub mod work;

pub use finding::{Confidence, Finding, Severity};
pub use pipeline::{Options, Outcome, run};
