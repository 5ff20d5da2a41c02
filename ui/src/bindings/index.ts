// The UI's contract with the kiosk core. Every other file here is generated from the Rust types by
// ts-rs during `cargo test` (CI fails when they drift); this index only re-exports them.
export type { AttentionItem } from "./AttentionItem";
export type { CatchUpView } from "./CatchUpView";
export type { CounterView } from "./CounterView";
export type { ErrorKind } from "./ErrorKind";
export type { FeeRule } from "./FeeRule";
export type { ItemDecision } from "./ItemDecision";
export type { ItemView } from "./ItemView";
export type { KioskError } from "./KioskError";
export type { KioskStatus } from "./KioskStatus";
export type { Kopecks } from "./Kopecks";
export type { OrderStatus } from "./OrderStatus";
export type { OrderView } from "./OrderView";
export type { ReceiptView } from "./ReceiptView";
export type { RecentIssue } from "./RecentIssue";
export type { RefusalReason } from "./RefusalReason";
export type { ScanNotice } from "./ScanNotice";
export type { ScanOutcome } from "./ScanOutcome";
export type { SettlementView } from "./SettlementView";
export type { SyncStatusView } from "./SyncStatusView";
