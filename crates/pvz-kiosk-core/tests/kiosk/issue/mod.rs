//! Выдача: opening an order, deciding its items, confirming the payment, and orders not yet arrived.

mod arrival;
mod flow;
