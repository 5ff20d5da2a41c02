//! One window, three screens: home (scan prompt and today's issues), the open order card, and the
//! receipt. The header, the sync strip, the manual-entry field and the error banner are always
//! there, and the scanner works wherever focus is.
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
  useUiReadyAfterFirstPaint(view !== null);
  useWedge(counter.scan);
  useScanPaintTiming(pendingPaint);

  let screen;
  if (view?.active) {
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
      <ManualEntry onSubmit={counter.scan} />
      {error && <ErrorBanner error={error} />}
      <main className="app__main">{view ? screen : null}</main>
    </div>
  );
}
