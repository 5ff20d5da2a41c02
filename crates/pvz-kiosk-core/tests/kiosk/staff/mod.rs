//! Staff: PIN login and the session guard, badges, shifts and their reports.

mod badge;
mod close;
mod login;
mod shift;
