//! The server's integration tests, linked as one binary: a module per capability, each test with its
//! own data dir and a real server on port 0 (see [`common`]), so they run side by side in one
//! process. Nothing here sets process-wide state (environment, current dir); a CLI test passes its
//! environment to the child process it starts.

mod common;

mod badges;
mod boxes;
mod claim_actions;
mod claim_codes;
mod claim_opening;
mod claim_proof;
mod claim_returns;
mod claims;
mod cli_order_arrived;
mod cli_pin;
mod concurrency;
mod contract;
mod conversation;
mod demo;
mod demo_shelf;
mod edge;
mod enroll;
mod evidence;
mod guards;
mod hand_back;
mod held_pull;
mod http;
mod issue_arrival;
mod marks;
mod network_keys;
mod op_bounds;
mod operations;
mod operator_web;
mod pull;
mod push;
mod rate_limits;
mod receiving;
mod seller_web;
mod shelf;
mod shifts;
mod staff;
mod startup;
mod throughput;
mod updates;
mod web_session;
