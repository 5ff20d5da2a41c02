//! The kiosk against the real central server: enrollment, push, pull, and each flow synced.

mod arrival;
mod badges;
mod boxes;
mod enroll;
mod hand_back;
mod held_pull;
mod keys;
mod marks;
mod old_queue;
mod photos;
mod pull;
mod push;
mod receiving;
mod returns;
mod staff;
