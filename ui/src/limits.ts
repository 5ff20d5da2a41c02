/**
 * Longest texts the counter records, in characters: the same bounds as `pvz_domain::text` (the
 * kiosk core refuses longer text before anything is queued, and the server rejects an op that
 * carries it). A field's `maxLength` keeps the manager from typing past them.
 */
export const LIMITS = {
  /** A defect's or damage's description (`pvz_domain::text::DESCRIPTION`). */
  description: 2000,
  /** A claimed item's condition (`CONDITION`). */
  condition: 2000,
  /** A person's name on an act (`PERSON_NAME`). */
  personName: 200,
  /** A cell label typed by hand (`CELL`). */
  cell: 32,
} as const;
