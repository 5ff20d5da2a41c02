//! One window, one screen at a time: home (scan prompt and today's issues), the open order card and
//! its receipt; a claim return and its label; a courier's hand-back and its act; the returns desk
//! and the handover act. Which one shows follows the backend's view. The header, the sync strip,
//! the manual-entry field and the error banner are always there, and the scanner works wherever
//! focus is. A kiosk not enrolled yet (no server, no demo
//! seed) has nothing to scan: home is the connect form instead, without the field or the scanner.
import { api } from "./api";
import { ClaimReturn } from "./components/ClaimReturn";
import { EnrollForm } from "./components/EnrollForm";
import { ErrorBanner } from "./components/ErrorBanner";
import { HandBack } from "./components/HandBack";
import { HandBackAct } from "./components/HandBackAct";
import { HandoverAct } from "./components/HandoverAct";
import { Header } from "./components/Header";
import { Home } from "./components/Home";
import { ManualEntry } from "./components/ManualEntry";
import { OrderCard } from "./components/OrderCard";
import { Receipt } from "./components/Receipt";
import { ReturnLabel } from "./components/ReturnLabel";
import { ReturnsDesk } from "./components/ReturnsDesk";
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
  } else if (view?.claim_return) {
    screen = (
      <ClaimReturn
        key={view.claim_return.claim_id}
        claim={view.claim_return}
        notice={notice}
        counter={counter}
      />
    );
  } else if (view?.return_label) {
    screen = (
      <ReturnLabel key={view.return_label.return_id} label={view.return_label} counter={counter} />
    );
  } else if (view?.hand_back) {
    screen = (
      <HandBack
        key={view.hand_back.hand_back_id}
        handBack={view.hand_back}
        notice={notice}
        counter={counter}
      />
    );
  } else if (view?.hand_back_act) {
    screen = (
      <HandBackAct
        key={view.hand_back_act.hand_back_id}
        act={view.hand_back_act}
        counter={counter}
      />
    );
  } else if (view?.handover_act) {
    screen = (
      <HandoverAct key={view.handover_act.handover_id} act={view.handover_act} counter={counter} />
    );
  } else if (view?.returns) {
    screen = <ReturnsDesk returns={view.returns} notice={notice} counter={counter} />;
  } else {
    screen = (
      <Home
        recent={view?.recent ?? []}
        onOpenReturns={() => void counter.perform(api.openReturns)}
      />
    );
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
