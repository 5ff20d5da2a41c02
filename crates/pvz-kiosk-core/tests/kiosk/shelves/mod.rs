//! Полки: receiving into cells, moving and finding items, storage expiry.

mod cells_and_expiry;
mod receiving;
