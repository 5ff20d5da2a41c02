//! Возвраты: everything that flows back through the point. A claim return the seller approved
//! (приём возврата по претензии), a courier's hand-back of items refused at the door (приём отказов
//! от курьера), and the returns desk that packs returned units into boxes and hands them to a driver
//! (отправка возвратов).

pub(crate) mod boxes;
pub(crate) mod claim_refusal;
pub(crate) mod claim_return;
pub(crate) mod hand_back;
pub(crate) mod hand_back_view;

pub use boxes::box_label_qr_text;
pub use claim_return::return_label_qr_text;
