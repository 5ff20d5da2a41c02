//! Возвраты: claim returns, courier hand-backs and the returns desk with its boxes.

mod boxes;
mod claim_return;
mod hand_back;
