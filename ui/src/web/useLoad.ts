//! Loading one thing from the server for a page: while loading, the error if it failed, the value
//! once it came, and a way to load it again (after an action). `fetch` is a stable function (one of
//! `api`'s) and `key` what it loads; an answer for an older key is dropped.
import { useCallback, useEffect, useState } from "react";

export type Loaded<T> =
  { status: "loading" } | { status: "failed"; error: unknown } | { status: "ready"; value: T };

const LOADING = { status: "loading" } as const;

/** What loading `key` came to; never rejects. */
async function settle<T, K extends string>(fetch: (key: K) => Promise<T>, key: K) {
  try {
    return { key, loaded: { status: "ready", value: await fetch(key) } as Loaded<T> };
  } catch (error) {
    return { key, loaded: { status: "failed", error } as Loaded<T> };
  }
}

export function useLoad<T, K extends string>(fetch: (key: K) => Promise<T>, key: K) {
  const [held, setHeld] = useState<{ key: K; loaded: Loaded<T> } | null>(null);

  useEffect(() => {
    let current = true;
    void settle(fetch, key).then((answer) => {
      if (current) setHeld(answer);
    });
    return () => {
      current = false;
    };
  }, [fetch, key]);

  /** Loads again, keeping what is shown until the answer comes. */
  const reload = useCallback(async () => setHeld(await settle(fetch, key)), [fetch, key]);
  /** Shows the loading line, then loads again (the retry after a failure). */
  const retry = useCallback(() => {
    setHeld(null);
    void settle(fetch, key).then(setHeld);
  }, [fetch, key]);

  const loaded: Loaded<T> = held?.key === key ? held.loaded : LOADING;
  return { loaded, reload, retry };
}
