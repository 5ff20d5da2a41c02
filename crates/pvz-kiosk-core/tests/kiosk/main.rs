//! The kiosk core's integration tests, one binary with a module per capability as in `src/`: each
//! drives the public `Kiosk` on a real SQLite file in a temp dir, and the `sync` stories run it
//! against the real central server on a loopback port. `support` holds what the stories share.

mod audit;
mod diagnostics;
mod documents;
mod instance;
mod issue;
mod returns;
mod shelves;
mod staff;
mod support;
mod sync;
