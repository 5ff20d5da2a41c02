//! One window, one screen at a time: home (scan prompt, the shift, today's issues), the open order
//! card and its receipt; a claim return and its label; a courier's hand-back and its act; the
//! returns desk and the handover act; a found item with its history, the storage-expiry list and a
//! shipment being received. Which one shows follows the backend's view. The header, the sync strip,
//! the manual-entry field and the error banner are always there, and the scanner works wherever
//! focus is. Two things come before any counter work: a kiosk not enrolled yet (no server, no demo
//! seed) shows the connect form, and a counter whose network set up staff shows the PIN screen
//! while nobody is on duty (then, with nobody's shift open, the shift to open) — on the connect form
//! and the PIN screen there is no manual field and no scanner, so what is typed stays typed.
import { useCallback, useEffect, useState } from "react";
import type { CounterView } from "./bindings";
import type { Counter } from "./counterState";
import { EnrollForm } from "./features/enroll/EnrollForm";
import { OrderCard } from "./features/issue/OrderCard";
import { Receipt } from "./features/issue/Receipt";
import { RecentIssues } from "./features/issue/RecentIssues";
import { ClaimReturn } from "./features/returns/ClaimReturn";
import { HandBack } from "./features/returns/HandBack";
import { HandBackAct } from "./features/returns/HandBackAct";
import { HandoverAct } from "./features/returns/HandoverAct";
import { ReturnLabel } from "./features/returns/ReturnLabel";
import { ReturnsDesk } from "./features/returns/ReturnsDesk";
import * as returns from "./features/returns/api";
import { Expiry } from "./features/shelves/Expiry";
import { FindDialog } from "./features/shelves/FindDialog";
import { FoundItem } from "./features/shelves/FoundItem";
import { Receiving } from "./features/shelves/Receiving";
import * as shelves from "./features/shelves/api";
import { LoginScreen } from "./features/staff/LoginScreen";
import { ShiftPanel } from "./features/staff/ShiftPanel";
import { ShiftReport } from "./features/staff/ShiftReport";
import { ShiftStart } from "./features/staff/ShiftStart";
import * as staff from "./features/staff/api";
import { useSessionKeeper } from "./features/staff/useSession";
import { SyncStrip } from "./features/sync/SyncStrip";
import { useSyncStatus } from "./features/sync/useSyncStatus";
import { useScanPaintTiming, useUiReadyAfterFirstPaint } from "./perf";
import { useWedge } from "./scanner/useWedge";
import { ErrorBanner } from "./shell/ErrorBanner";
import { Header } from "./shell/Header";
import { Home } from "./shell/Home";
import { ManualEntry } from "./shell/ManualEntry";
import { useCounter } from "./useCounter";

export function App() {
  const counter = useCounter();
  const sync = useSyncStatus();
  const { view, error, pendingPaint } = counter;
  const [finding, setFinding] = useState(false);
  const session = view?.session ?? null;
  const needsEnrollment = view?.status.enrolled === false;
  const needsLogin =
    !needsEnrollment && session !== null && session.login_required && session.logged_in === null;
  const scanning = !needsEnrollment && !needsLogin;
  const { perform } = counter;
  const find = useCallback((code: string) => perform(() => shelves.findItem(code)), [perform]);
  // While the find dialog is open, a scan is what to look for.
  const findScanned = useCallback(
    (code: string) => void find(code).then((found) => found && setFinding(false)),
    [find],
  );
  useUiReadyAfterFirstPaint(view !== null);
  useWedge(finding ? findScanned : counter.scan, scanning);
  useScanPaintTiming(pendingPaint);
  useSessionKeeper(session, counter);
  // A completed sync may have brought what the screen depends on (the managers who log in here, a
  // PIN changed, items now past their storage period): read the view again after each one.
  const lastSync = sync.status?.last_sync_at ?? null;
  const { refresh } = counter;
  useEffect(() => {
    if (lastSync !== null) refresh();
  }, [lastSync, refresh]);

  return (
    <div className="app">
      <Header
        status={view?.status ?? null}
        sync={sync.status}
        session={session}
        onLogOut={() => void counter.perform(staff.logOut)}
      />
      <SyncStrip sync={sync} />
      {scanning && <ManualEntry onSubmit={counter.scan} />}
      {error && <ErrorBanner error={error} />}
      <main className="app__main">
        {view ? (
          <Screen
            view={view}
            counter={counter}
            needsEnrollment={needsEnrollment}
            needsLogin={needsLogin}
            onFind={() => setFinding(true)}
          />
        ) : null}
      </main>
      {finding && scanning && <FindDialog onFind={find} onCancel={() => setFinding(false)} />}
    </div>
  );
}

type ScreenProps = {
  view: CounterView;
  counter: Counter;
  needsEnrollment: boolean;
  needsLogin: boolean;
  onFind: () => void;
};

function Screen({ view, counter, needsEnrollment, needsLogin, onFind }: ScreenProps) {
  const { notice } = counter;
  const { session } = view;
  if (needsEnrollment) return <EnrollForm onSubmit={counter.enroll} />;
  if (needsLogin) return <LoginScreen session={session} onLogIn={counter.logIn} />;
  if (view.shift_report?.closed_at) {
    return (
      <ShiftReport
        key={view.shift_report.shift_id}
        report={view.shift_report}
        onDone={() => void counter.perform(staff.dismissShiftReport)}
      />
    );
  }
  if (session.login_required && session.shift === null) {
    return (
      <ShiftStart
        manager={session.logged_in}
        onOpen={() => void counter.perform(staff.openShift)}
      />
    );
  }
  if (view.active) {
    return (
      <OrderCard key={view.active.order_id} order={view.active} notice={notice} counter={counter} />
    );
  }
  if (view.receipt) {
    return (
      <Receipt key={view.receipt.op_id} receipt={view.receipt} onDismiss={counter.dismissReceipt} />
    );
  }
  if (view.claim_return) {
    return (
      <ClaimReturn
        key={view.claim_return.claim_id}
        claim={view.claim_return}
        notice={notice}
        counter={counter}
      />
    );
  }
  if (view.return_label) {
    return (
      <ReturnLabel key={view.return_label.return_id} label={view.return_label} counter={counter} />
    );
  }
  if (view.hand_back) {
    return (
      <HandBack
        key={view.hand_back.hand_back_id}
        handBack={view.hand_back}
        notice={notice}
        counter={counter}
        onDuty={view.session.logged_in?.name ?? null}
      />
    );
  }
  if (view.hand_back_act) {
    return (
      <HandBackAct
        key={view.hand_back_act.hand_back_id}
        act={view.hand_back_act}
        counter={counter}
      />
    );
  }
  if (view.handover_act) {
    return (
      <HandoverAct key={view.handover_act.handover_id} act={view.handover_act} counter={counter} />
    );
  }
  if (view.returns) return <ReturnsDesk returns={view.returns} notice={notice} counter={counter} />;
  if (view.found_item) {
    return (
      <FoundItem
        key={view.found_item.item_id ?? view.found_item.name}
        item={view.found_item}
        notice={notice}
        counter={counter}
      />
    );
  }
  if (view.expiry) return <Expiry expiry={view.expiry} counter={counter} />;
  if (view.receiving) {
    return (
      <Receiving
        key={view.receiving.receiving_id}
        receiving={view.receiving}
        notice={notice}
        counter={counter}
      />
    );
  }
  return (
    <Home
      recent={<RecentIssues recent={view.recent} />}
      onOpenReturns={() => void counter.perform(returns.openReturns)}
      onFind={onFind}
      overdue={view.overdue_items}
      onOpenExpiry={() => void counter.perform(shelves.openExpiry)}
      shift={
        <ShiftPanel
          session={session}
          report={view.shift_report}
          onOpen={() => void counter.perform(staff.openShift)}
          onClose={() => counter.perform(staff.closeShift)}
        />
      }
    />
  );
}
