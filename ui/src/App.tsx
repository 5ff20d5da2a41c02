//! One window, one screen at a time: home (scan prompt, the shift, today's issues), the open order
//! card and its receipt; a claim return and its label; a courier's hand-back and its act; the
//! returns desk and the handover act; a found item with its history, the storage-expiry list and a
//! shipment being received. Which one shows follows the backend's view. The header, the sync strip,
//! the manual-entry field and the error banner are always there, and the scanner works wherever
//! focus is. Two things come before any counter work: a kiosk not enrolled yet (no server, no demo
//! seed) shows the connect form, and a counter whose network set up staff shows the PIN screen
//! while nobody is on duty (then, with nobody's shift open, the shift to open) — on the connect form
//! and the PIN screen there is no manual field and no scanner, so what is typed stays typed. In kiosk
//! mode a close request asks for a manager's PIN in place of the screen; the configuration's
//! problems stay above the screen while the counter runs.
import { lazy, memo, Suspense, useCallback, useEffect, useState } from "react";
import type { CounterView } from "./bindings";
import type { Counter } from "./counterState";
import { OrderCard } from "./features/issue/OrderCard";
import { Receipt } from "./features/issue/Receipt";
import { RecentIssues } from "./features/issue/RecentIssues";
import * as kiosk from "./features/kiosk/api";
import { kioskConfig } from "./features/kiosk/config";
import { ConfigProblems } from "./features/kiosk/ConfigProblems";
import { useCloseRequest } from "./features/kiosk/useCloseRequest";
import * as returns from "./features/returns/api";
import * as shelves from "./features/shelves/api";
import { LoginScreen } from "./features/staff/LoginScreen";
import { ShiftPanel } from "./features/staff/ShiftPanel";
import { ShiftStart } from "./features/staff/ShiftStart";
import * as staff from "./features/staff/api";
import { useSessionKeeper } from "./features/staff/useSession";
import { SyncStrip } from "./features/sync/SyncStrip";
import { useSyncStatus } from "./features/sync/useSyncStatus";
import { useScanPaintTiming, useUiReadyAfterFirstPaint } from "./perf";
import { useWedge } from "./scanner/useWedge";
import { ErrorBanner } from "./shell/ErrorBanner";
import { Header } from "./shell/Header";
import { takeBootScans } from "./shell/boot";
import { Home } from "./shell/Home";
import { ManualEntry } from "./shell/ManualEntry";
import { useCounter } from "./useCounter";

// Screens the counter needs rarely, each in its own chunk, loaded the first time it shows: the entry
// chunk (the shell, the scan field, home, the order card and its receipt) parses and paints first.
const EnrollForm = lazy(() =>
  import("./features/enroll/EnrollForm").then((m) => ({ default: m.EnrollForm })),
);
const ClaimReturn = lazy(() =>
  import("./features/returns/ClaimReturn").then((m) => ({ default: m.ClaimReturn })),
);
const HandBack = lazy(() =>
  import("./features/returns/HandBack").then((m) => ({ default: m.HandBack })),
);
const HandBackAct = lazy(() =>
  import("./features/returns/HandBackAct").then((m) => ({ default: m.HandBackAct })),
);
const HandoverAct = lazy(() =>
  import("./features/returns/HandoverAct").then((m) => ({ default: m.HandoverAct })),
);
const ReturnLabel = lazy(() =>
  import("./features/returns/ReturnLabel").then((m) => ({ default: m.ReturnLabel })),
);
const ReturnsDesk = lazy(() =>
  import("./features/returns/ReturnsDesk").then((m) => ({ default: m.ReturnsDesk })),
);
const Expiry = lazy(() => import("./features/shelves/Expiry").then((m) => ({ default: m.Expiry })));
const FindDialog = lazy(() =>
  import("./features/shelves/FindDialog").then((m) => ({ default: m.FindDialog })),
);
const FoundItem = lazy(() =>
  import("./features/shelves/FoundItem").then((m) => ({ default: m.FoundItem })),
);
const Receiving = lazy(() =>
  import("./features/shelves/Receiving").then((m) => ({ default: m.Receiving })),
);
const ShiftReport = lazy(() =>
  import("./features/staff/ShiftReport").then((m) => ({ default: m.ShiftReport })),
);

// The shell's parts that do not show the view re-render only when what they show changes, not on
// every scan's new view.
const ShellSyncStrip = memo(SyncStrip);
const ShellManualEntry = memo(ManualEntry);

/** Read once: the configuration does not change while the counter runs. */
const CONFIG = kioskConfig();
const requestClose = () => void kiosk.requestClose();

export function App() {
  const counter = useCounter();
  const sync = useSyncStatus();
  const { view, error, pendingPaint } = counter;
  const [finding, setFinding] = useState(false);
  const session = view?.session ?? null;
  const needsEnrollment = view?.status.enrolled === false;
  const needsLogin =
    !needsEnrollment && session !== null && session.login_required && session.logged_in === null;
  const closing = useCloseRequest(session);
  const scanning = !needsEnrollment && !needsLogin && !closing.asking;
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

  // Codes entered into the plain-HTML shell before the app ran are scanned, in order, once the
  // counter's first view shows it can take them (not on the connect form or the PIN screen).
  const loaded = view !== null;
  const { scan } = counter;
  useEffect(() => {
    if (!loaded) return;
    const early = takeBootScans();
    if (scanning) for (const { code, at } of early) scan(code, at);
  }, [loaded, scanning, scan]);

  const logOut = useCallback(() => void perform(staff.logOut), [perform]);

  // The shell paints before the first view arrives; the screen fills in when it does.
  return (
    <div className="app">
      <Header
        status={view?.status ?? null}
        sync={sync.status}
        session={session}
        onLogOut={logOut}
        onClose={CONFIG.kiosk_mode ? requestClose : undefined}
      />
      <ConfigProblems problems={CONFIG.problems} />
      <ShellSyncStrip sync={sync} />
      {scanning && <ShellManualEntry onSubmit={counter.scan} />}
      {error && <ErrorBanner error={error} />}
      <main className="app__main">
        <Suspense fallback={null}>
          {view && closing.asking ? (
            <LoginScreen
              session={view.session}
              onLogIn={closing.authorize}
              closing={{ onCancel: closing.cancel }}
            />
          ) : view ? (
            <Screen
              view={view}
              counter={counter}
              needsEnrollment={needsEnrollment}
              needsLogin={needsLogin}
              onFind={() => setFinding(true)}
            />
          ) : null}
        </Suspense>
      </main>
      {finding && scanning && (
        <Suspense fallback={null}>
          <FindDialog onFind={find} onCancel={() => setFinding(false)} />
        </Suspense>
      )}
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
  const { screen } = view;
  switch (screen.kind) {
    case "home":
      // A receiving in progress stays open behind any other screen and comes back here.
      return view.receiving ? (
        <Receiving
          key={view.receiving.receiving_id}
          receiving={view.receiving}
          notice={notice}
          counter={counter}
        />
      ) : (
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
    case "order":
      return (
        <OrderCard
          key={screen.view.order_id}
          order={screen.view}
          notice={notice}
          counter={counter}
        />
      );
    case "receipt":
      return (
        <Receipt key={screen.view.op_id} receipt={screen.view} onDismiss={counter.dismissReceipt} />
      );
    case "claim_return":
      return (
        <ClaimReturn
          key={screen.view.claim_id}
          claim={screen.view}
          notice={notice}
          counter={counter}
        />
      );
    case "return_label":
      return <ReturnLabel key={screen.view.return_id} label={screen.view} counter={counter} />;
    case "hand_back":
      return (
        <HandBack
          key={screen.view.hand_back_id}
          handBack={screen.view}
          notice={notice}
          counter={counter}
          onDuty={session.logged_in?.name ?? null}
        />
      );
    case "hand_back_act":
      return <HandBackAct key={screen.view.hand_back_id} act={screen.view} counter={counter} />;
    case "handover_act":
      return <HandoverAct key={screen.view.handover_id} act={screen.view} counter={counter} />;
    case "returns_desk":
      return <ReturnsDesk returns={screen.view} notice={notice} counter={counter} />;
    case "found_item":
      return (
        <FoundItem
          key={screen.view.item_id ?? screen.view.name}
          item={screen.view}
          notice={notice}
          counter={counter}
        />
      );
    case "expiry":
      return <Expiry expiry={screen.view} counter={counter} />;
    default: {
      // A screen the backend added and this switch does not know fails the type check here.
      const unknown: never = screen;
      throw new Error(`no component for the screen ${JSON.stringify(unknown)}`);
    }
  }
}
