//! The item history and its evidence bundle.

mod history;
