//! What a page shows while its data loads and when loading failed (with a way to try again).
import { useTranslation } from "react-i18next";
import { errorText } from "./errorText";
import type { Loaded } from "./useLoad";

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" data-testid="loading" role="status">
      {t("app.loading")}
    </p>
  );
}

export function PageError({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="page-error" data-testid="page-error" role="alert">
      <p>{errorText(t, error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}

/** Renders `ready` once the value came, the loading line or the error before that. */
export function Load<T>({
  loaded,
  retry,
  ready,
}: {
  loaded: Loaded<T>;
  retry: () => void;
  ready: (value: T) => React.ReactNode;
}) {
  switch (loaded.status) {
    case "loading":
      return <Loading />;
    case "failed":
      return <PageError error={loaded.error} retry={retry} />;
    case "ready":
      return <>{ready(loaded.value)}</>;
  }
}
