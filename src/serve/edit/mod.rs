//! The browser editor of `wemi serve`.
//!
//! Placeholder of the form helper's branch, so that its modules compile: the server helper
//! writes the real module (the `Editor` and the HTTP side), which uses them.
#![allow(dead_code)]

pub mod check;
pub mod form;
