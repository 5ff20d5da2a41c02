//! Ячейки: where an inbound item goes at receiving (приёмка), and whether an item may move from one
//! cell to another.
//!
//! Receiving keeps one buyer's items together: a cell already holding the buyer's items and having
//! room comes first (the one with most of them), else the emptiest cell with room (fewest items);
//! ties go to the lowest label, so the same shelves give the same answer whatever order they are
//! listed in. A cell of capacity 0 is out of use and never proposed.

mod label;

pub use label::{CellLabel, CellLabelError};

use std::cmp::Reverse;
use std::collections::BTreeMap;

/// One cell of the point and how many items fit in it; a capacity of 0 takes it out of use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub label: CellLabel,
    pub capacity: u32,
}

/// One item sitting in a cell, and whose it is. `B` is whatever names one buyer to the caller
/// (a buyer id, or the order id where the feed carries no buyer id); the rules only compare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement<B> {
    pub cell: CellLabel,
    pub buyer: B,
}

/// Where receiving proposes to put an inbound item; the manager confirms by scanning the label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProposal {
    /// The cell already holds this buyer's items and has room.
    WithBuyersItems(CellLabel),
    /// No cell of the buyer has room: the cell with the fewest items.
    EmptiestFree(CellLabel),
}

impl CellProposal {
    pub fn cell(&self) -> &CellLabel {
        match self {
            CellProposal::WithBuyersItems(cell) | CellProposal::EmptiestFree(cell) => cell,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    #[error("no cell has room for another item")]
    NoFreeCell,
    #[error("the item is already in cell {0}")]
    SameCell(CellLabel),
    #[error("cell {0} is not a cell of this point")]
    UnknownCell(CellLabel),
    #[error("cell {cell} is full ({capacity} items)")]
    TargetFull { cell: CellLabel, capacity: u32 },
}

/// A cell with what it holds now: all items, and those of the buyer being received.
struct Fill<'a> {
    label: &'a CellLabel,
    capacity: u32,
    items: u32,
    buyers: u32,
}

impl Fill<'_> {
    fn has_room(&self) -> bool {
        self.items < self.capacity
    }
}

/// Every cell once, in label order (a label listed twice counts once, with its first capacity),
/// with its items counted; items in cells that are not listed count nowhere.
fn fills<'a, B>(cells: &'a [Cell], placed: &[Placement<B>], is_buyer: impl Fn(&B) -> bool) -> Vec<Fill<'a>> {
    let mut by_label: BTreeMap<&'a CellLabel, Fill<'a>> = BTreeMap::new();
    for cell in cells {
        by_label.entry(&cell.label).or_insert(Fill {
            label: &cell.label,
            capacity: cell.capacity,
            items: 0,
            buyers: 0,
        });
    }
    for placement in placed {
        if let Some(fill) = by_label.get_mut(&placement.cell) {
            fill.items = fill.items.saturating_add(1);
            if is_buyer(&placement.buyer) {
                fill.buyers = fill.buyers.saturating_add(1);
            }
        }
    }
    by_label.into_values().collect()
}

/// Приёмка: the cell for one more item of `buyer`, given what every cell holds now.
pub fn propose_cell<B: PartialEq>(
    cells: &[Cell],
    placed: &[Placement<B>],
    buyer: &B,
) -> Result<CellProposal, CellError> {
    let fills = fills(cells, placed, |b| b == buyer);
    let with_room = || fills.iter().filter(|f| f.has_room());
    // min_by_key keeps the first of equals, and `fills` is in label order: ties go to the lowest label.
    if let Some(fill) = with_room().filter(|f| f.buyers > 0).min_by_key(|f| Reverse(f.buyers)) {
        return Ok(CellProposal::WithBuyersItems(fill.label.clone()));
    }
    with_room()
        .min_by_key(|f| f.items)
        .map(|f| CellProposal::EmptiestFree(f.label.clone()))
        .ok_or(CellError::NoFreeCell)
}

/// Перемещение: may an item in `from` go to `to`? Not to the same cell, not to a cell this point
/// does not have, and not to a full one. Moving out of a cell the point no longer lists is allowed.
pub fn check_move<B>(
    cells: &[Cell],
    placed: &[Placement<B>],
    from: &CellLabel,
    to: &CellLabel,
) -> Result<(), CellError> {
    if from == to {
        return Err(CellError::SameCell(to.clone()));
    }
    let fills = fills(cells, placed, |_| false);
    let target = fills.iter().find(|f| f.label == to).ok_or_else(|| CellError::UnknownCell(to.clone()))?;
    if !target.has_room() {
        return Err(CellError::TargetFull { cell: to.clone(), capacity: target.capacity });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn label(raw: &str) -> CellLabel {
        CellLabel::parse(raw).expect("a valid test label")
    }

    fn cell(raw: &str, capacity: u32) -> Cell {
        Cell { label: label(raw), capacity }
    }

    fn put(raw: &str, buyer: &'static str) -> Placement<&'static str> {
        Placement { cell: label(raw), buyer }
    }

    #[test]
    fn proposals_follow_the_buyer_then_the_emptiest_cell() {
        let joins = |raw| Ok(CellProposal::WithBuyersItems(label(raw)));
        let emptiest = |raw| Ok(CellProposal::EmptiestFree(label(raw)));
        type Case = (&'static str, Vec<Cell>, Vec<Placement<&'static str>>, Result<CellProposal, CellError>);
        let cases: [Case; 6] = [
            (
                "Anna's second item joins her first one even though A-01 is empty",
                vec![cell("A-01", 3), cell("A-02", 3), cell("A-03", 3)],
                vec![put("A-02", "anna"), put("A-02", "boris")],
                joins("A-02"),
            ),
            (
                "the cell holding two of Anna's items beats the one holding one",
                vec![cell("A-01", 5), cell("A-02", 5)],
                vec![put("A-01", "anna"), put("A-02", "anna"), put("A-02", "anna")],
                joins("A-02"),
            ),
            (
                "a new buyer gets the emptiest cell, the lowest label among equals",
                vec![cell("A-03", 3), cell("A-01", 3), cell("A-02", 3)],
                vec![put("A-03", "boris")],
                emptiest("A-01"),
            ),
            (
                "Anna's cell is full, so the emptiest other cell (1 item) is proposed",
                vec![cell("A-01", 2), cell("A-02", 4), cell("A-03", 4)],
                vec![
                    put("A-01", "anna"),
                    put("A-01", "anna"),
                    put("A-02", "boris"),
                    put("A-03", "vera"),
                    put("A-03", "vera"),
                ],
                emptiest("A-02"),
            ),
            (
                "capacity 0 takes a cell out of use, even one holding Anna's items",
                vec![cell("A-01", 0), cell("A-02", 2)],
                vec![put("A-01", "anna")],
                emptiest("A-02"),
            ),
            (
                "every cell full or closed",
                vec![cell("A-01", 1), cell("A-02", 0)],
                vec![put("A-01", "boris")],
                Err(CellError::NoFreeCell),
            ),
        ];
        for (should, cells, placed, expected) in cases {
            assert_eq!(propose_cell(&cells, &placed, &"anna"), expected, "{should}");
        }
        assert_eq!(propose_cell::<&str>(&[], &[], &"anna"), Err(CellError::NoFreeCell), "a point without cells");
    }

    #[test]
    fn moves_refuse_the_same_cell_an_unknown_cell_and_a_full_one() {
        let cells = [cell("A-01", 2), cell("A-02", 1), cell("A-03", 2)];
        let placed = [put("A-01", "anna"), put("A-02", "boris")];
        let cases = [
            ("A-01", "A-03", Ok(()), "to a cell with room"),
            ("A-01", "A-1", Err(CellError::SameCell(label("A-01"))), "A-1 is A-01: nothing to move"),
            ("A-01", "A-02", Err(CellError::TargetFull { cell: label("A-02"), capacity: 1 }), "a full target"),
            ("A-01", "Q-01", Err(CellError::UnknownCell(label("Q-01"))), "a label the point does not have"),
            ("Q-01", "A-01", Ok(()), "an item may leave a cell the point no longer lists"),
        ];
        for (from, to, expected, should) in cases {
            assert_eq!(check_move(&cells, &placed, &label(from), &label(to)), expected, "{from} -> {to}: {should}");
        }
    }

    /// Up to eight cells A-01..A-08 with small capacities, and items of up to four buyers in them.
    fn point() -> impl Strategy<Value = (Vec<Cell>, Vec<Placement<u8>>)> {
        prop::collection::vec(0u32..4, 1..8)
            .prop_flat_map(|capacities| {
                let count = capacities.len();
                let cells: Vec<Cell> = capacities
                    .into_iter()
                    .enumerate()
                    .map(|(i, capacity)| Cell {
                        label: CellLabel::new('A', u16::try_from(i + 1).unwrap_or(1), None).expect("rack 1..=8"),
                        capacity,
                    })
                    .collect();
                let placements = prop::collection::vec((0..count, 0u8..4), 0..12);
                (Just(cells), placements)
            })
            .prop_map(|(cells, raw)| {
                // Keep only placements that fit, so occupancy is something receiving could have made.
                let mut placed: Vec<Placement<u8>> = Vec::new();
                for (index, buyer) in raw {
                    let target = &cells[index];
                    let used = placed.iter().filter(|p| p.cell == target.label).count();
                    if saturate(used) < target.capacity {
                        placed.push(Placement { cell: target.label.clone(), buyer });
                    }
                }
                (cells, placed)
            })
    }

    fn saturate(count: usize) -> u32 {
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    fn used(placed: &[Placement<u8>], label: &CellLabel) -> u32 {
        saturate(placed.iter().filter(|p| p.cell == *label).count())
    }

    proptest! {
        #[test]
        fn a_proposal_always_has_room_and_prefers_the_buyer((cells, placed) in point(), buyer in 0u8..4) {
            let room_anywhere = cells.iter().any(|c| used(&placed, &c.label) < c.capacity);
            match propose_cell(&cells, &placed, &buyer) {
                Ok(proposal) => {
                    let chosen = cells.iter().find(|c| c.label == *proposal.cell()).expect("a listed cell");
                    prop_assert!(used(&placed, &chosen.label) < chosen.capacity, "{} must have room", chosen.label);
                    let buyer_has_room = cells.iter().any(|c| {
                        used(&placed, &c.label) < c.capacity
                            && placed.iter().any(|p| p.cell == c.label && p.buyer == buyer)
                    });
                    prop_assert_eq!(
                        matches!(proposal, CellProposal::WithBuyersItems(_)),
                        buyer_has_room,
                        "the buyer's own cell is proposed exactly when one has room: {:?}", proposal
                    );
                }
                Err(CellError::NoFreeCell) => prop_assert!(!room_anywhere, "no free cell only when every cell is full"),
                Err(other) => prop_assert!(false, "unexpected error {}", other),
            }
        }

        #[test]
        fn the_order_cells_are_listed_in_changes_nothing((cells, placed) in point(), buyer in 0u8..4) {
            let mut reversed = cells.clone();
            reversed.reverse();
            let mut placed_reversed = placed.clone();
            placed_reversed.reverse();
            prop_assert_eq!(
                propose_cell(&reversed, &placed_reversed, &buyer),
                propose_cell(&cells, &placed, &buyer),
                "the proposal depends on the cells, not on how they are listed"
            );
        }

        #[test]
        fn receiving_item_by_item_never_overfills_and_keeps_buyers_together(
            capacities in prop::collection::vec(1u32..5, 1..6),
            inbound in prop::collection::vec(0u8..3, 0..20),
        ) {
            let cells: Vec<Cell> = capacities
                .iter()
                .enumerate()
                .map(|(i, capacity)| Cell {
                    label: CellLabel::new('B', u16::try_from(i).unwrap_or(0), None).expect("rack 0..6"),
                    capacity: *capacity,
                })
                .collect();
            let total: u32 = capacities.iter().sum();
            let mut placed: Vec<Placement<u8>> = Vec::new();
            for buyer in &inbound {
                match propose_cell(&cells, &placed, buyer) {
                    Ok(proposal) => placed.push(Placement { cell: proposal.cell().clone(), buyer: *buyer }),
                    Err(e) => prop_assert_eq!(e, CellError::NoFreeCell, "the only refusal is a full point"),
                }
            }
            prop_assert_eq!(saturate(placed.len()), total.min(saturate(inbound.len())), "every item is placed while room lasts");
            for c in &cells {
                prop_assert!(used(&placed, &c.label) <= c.capacity, "{} must not be over capacity", c.label);
            }
            // A buyer spreads to a second cell only once every cell already holding their items is full.
            for (i, later) in placed.iter().enumerate() {
                let before = &placed[..i];
                let had_room_with_own = cells.iter().any(|c| {
                    before.iter().any(|p| p.cell == c.label && p.buyer == later.buyer) && used(before, &c.label) < c.capacity
                });
                let joined_own = before.iter().any(|p| p.cell == later.cell && p.buyer == later.buyer);
                prop_assert!(!had_room_with_own || joined_own, "item {} of buyer {} left the buyer's cell with room", i, later.buyer);
            }
        }
    }
}
