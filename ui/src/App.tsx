//! One window, three screens: home (scan prompt and today's issues), the open order card, and the
//! receipt. The header, the sync strip, the manual-entry field and the error banner are always
//! there, and the scanner works wherever focus is. A kiosk not enrolled yet (no server, no demo
//! seed) has nothing to scan: home is the connect form instead, without the field or the scanner.
import { EnrollForm } from "./components/EnrollForm";
import { ErrorBanner } from "./components/ErrorBanner";
import { Header } from "./components/Header";
import { Home } from "./components/Home";
import { ManualEntry } from "./components/ManualEntry";
import { OrderCard } from "./components/OrderCard";
import { Receipt } from "./components/Receipt";
import { SyncStrip } from "./components/SyncStrip";
import { useScanPaintTiming, useUiReadyAfterFirstPaint } from "./perf";
import { useWedge } from "./scanner/useWedge";
import { useCounter } from "./useCounter";
import { useSyncStatus } from "./useSyncStatus";

export function App() {
  const counter = useCounter();
  const sync = useSyncStatus();
  const { view, error, notice, pendingPaint } = counter;
  const needsEnrollment = view?.status.enrolled === false;
  useUiReadyAfterFirstPaint(view !== null);
  useWedge(counter.scan, !needsEnrollment);
  useScanPaintTiming(pendingPaint);

  let screen;
  if (needsEnrollment) {
    screen = <EnrollForm onSubmit={counter.enroll} />;
  } else if (view?.active) {
    screen = (
      <OrderCard key={view.active.order_id} order={view.active} notice={notice} counter={counter} />
    );
  } else if (view?.receipt) {
    screen = (
      <Receipt key={view.receipt.op_id} receipt={view.receipt} onDismiss={counter.dismissReceipt} />
    );
  } else {
    screen = <Home recent={view?.recent ?? []} />;
  }

  return (
    <div className="app">
      <Header status={view?.status ?? null} sync={sync.status} />
      <SyncStrip sync={sync} />
      {!needsEnrollment && <ManualEntry onSubmit={counter.scan} />}
      {error && <ErrorBanner error={error} />}
      <main className="app__main">{view ? screen : null}</main>
    </div>
  );
}
