//! The page: restores the session from the cookie (401: the sign-in form), then the shell (who,
//! sections, language, sign-out) around the page the hash names.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { WebSession } from "../bindings/WebSession";
import { api, ApiError, onSessionEnded, rememberSession } from "./api";
import { setLang, useLang } from "./i18n";
import { Balance } from "./pages/Balance";
import { ClaimPage } from "./pages/ClaimPage";
import { Inbox } from "./pages/Inbox";
import { Attention, Fleet, OperatorClaims } from "./pages/Operator";
import { homeOf, href, useRoute, type Route } from "./route";
import { SignIn } from "./SignIn";
import { Loading, PageError } from "./Status";

type SessionState =
  | { status: "checking" }
  | { status: "signedOut" }
  | { status: "failed"; error: unknown }
  | { status: "signedIn"; session: WebSession };

/** The session the cookie names, if any; never rejects. */
async function restoredSession(): Promise<SessionState> {
  try {
    const session = await api.session();
    rememberSession(session);
    return { status: "signedIn", session };
  } catch (error) {
    rememberSession(null);
    return error instanceof ApiError && error.status === 401
      ? { status: "signedOut" }
      : { status: "failed", error };
  }
}

export function App() {
  const [state, setState] = useState<SessionState>({ status: "checking" });

  useEffect(() => {
    // A session that expired or was ended elsewhere: back to the sign-in form, not a dead page.
    onSessionEnded(() => {
      rememberSession(null);
      setState({ status: "signedOut" });
    });
    let current = true;
    void restoredSession().then((restored) => {
      if (current) setState(restored);
    });
    return () => {
      current = false;
    };
  }, []);

  const check = () => {
    setState({ status: "checking" });
    void restoredSession().then(setState);
  };

  const signedIn = (session: WebSession) => {
    rememberSession(session);
    setState({ status: "signedIn", session });
    if (!window.location.hash || window.location.hash === "#/") {
      window.location.hash = homeOf(session.party);
    }
  };
  const signedOut = () => {
    rememberSession(null);
    setState({ status: "signedOut" });
  };

  return (
    <div className="app">
      {state.status === "signedIn" ? (
        <Shell session={state.session} onSignedOut={signedOut} />
      ) : (
        <>
          <TopBar />
          {state.status === "checking" && <Loading />}
          {state.status === "failed" && (
            <main>
              <PageError error={state.error} retry={check} />
            </main>
          )}
          {state.status === "signedOut" && <SignIn onSignedIn={signedIn} />}
        </>
      )}
    </div>
  );
}

function LangSwitch() {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <button
      type="button"
      className="lang"
      data-testid="lang-switch"
      lang={lang === "ru" ? "en" : "ru"}
      aria-label={t("app.switchToLabel")}
      onClick={() => setLang(lang === "ru" ? "en" : "ru")}
    >
      {t("app.switchTo")}
    </button>
  );
}

function TopBar({ children }: { children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <span className="brand">{t("app.title")}</span>
      {children}
      <LangSwitch />
    </header>
  );
}

function Shell({ session, onSignedOut }: { session: WebSession; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const route = useRoute();
  const [signOutError, setSignOutError] = useState<unknown>(null);

  async function signOut() {
    try {
      await api.signOut();
      onSignedOut();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onSignedOut();
      else setSignOutError(error);
    }
  }

  const links =
    session.party === "seller"
      ? [
          { testid: "nav-inbox", to: href.inbox("new"), label: t("app.nav.inbox"), on: ["inbox"] },
          { testid: "nav-balance", to: href.balance, label: t("app.nav.balance"), on: ["balance"] },
        ]
      : [
          {
            testid: "nav-operator-claims",
            to: href.operatorClaims,
            label: t("app.nav.operatorClaims"),
            on: ["operatorClaims"],
          },
          {
            testid: "nav-attention",
            to: href.attention,
            label: t("app.nav.attention"),
            on: ["attention"],
          },
          { testid: "nav-fleet", to: href.fleet, label: t("app.nav.fleet"), on: ["fleet"] },
        ];

  return (
    <>
      <TopBar>
        <nav aria-label={t("app.nav.label")}>
          <ul>
            {links.map((link) => (
              <li key={link.testid}>
                <a
                  href={link.to}
                  data-testid={link.testid}
                  aria-current={link.on.includes(route.page) ? "page" : undefined}
                >
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="whoami" data-testid="whoami">
          {t(`app.party.${session.party}`)}: <b>{session.name}</b>
        </span>
        <button type="button" data-testid="signout" onClick={() => void signOut()}>
          {t("app.signOut")}
        </button>
      </TopBar>
      {signOutError !== null && <PageError error={signOutError} />}
      <main>
        <Page route={route} session={session} />
      </main>
    </>
  );
}

function Page({ route, session }: { route: Route; session: WebSession }) {
  const { t } = useTranslation();
  const seller = session.party === "seller";
  switch (route.page) {
    case "home":
      return <Redirect to={homeOf(session.party)} />;
    case "inbox":
      return seller ? <Inbox filter={route.filter} /> : <Redirect to={homeOf(session.party)} />;
    case "balance":
      return seller ? <Balance /> : <Redirect to={homeOf(session.party)} />;
    case "claim":
      return <ClaimPage key={route.claimId} claimId={route.claimId} />;
    case "operatorClaims":
      return seller ? <Redirect to={homeOf(session.party)} /> : <OperatorClaims />;
    case "attention":
      return seller ? <Redirect to={homeOf(session.party)} /> : <Attention />;
    case "fleet":
      return seller ? <Redirect to={homeOf(session.party)} /> : <Fleet />;
    case "unknown":
      return (
        <p className="page-error" data-testid="page-error" role="alert">
          {t("app.notFound")}
        </p>
      );
  }
}

/** Another party's page, or none named: go to this party's first page. */
function Redirect({ to }: { to: string }) {
  useEffect(() => {
    window.location.replace(to);
  }, [to]);
  return <Loading />;
}
