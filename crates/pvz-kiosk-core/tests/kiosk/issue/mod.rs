//! Выдача: opening an order, deciding its items, confirming the payment, orders not yet arrived,
//! and the Честный ЗНАК marks of the units handed over.

mod arrival;
mod flow;
mod marks;
