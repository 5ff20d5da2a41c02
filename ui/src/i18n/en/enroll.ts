//! English strings of the connect form; the same keys as ru/enroll.ts (typed against it).
import type { Messages } from "../ru";

export const enroll: Messages["enroll"] = {
  title: "Connect this counter",
  hint: "This counter is not connected to the pickup point network yet. Enter the server address and the one-time connection code from the network administrator.",
  url: "Server address",
  urlPlaceholder: "http://127.0.0.1:8787",
  code: "Connection code",
  codePlaceholder: "XXXX-XXXX-XXXX-XXXX-…",
  codeHint: "Lowercase and without dashes is fine.",
  name: "Counter name (optional)",
  namePlaceholder: "e.g. Counter 1",
  submit: "Connect",
  busy: "Connecting…",
  errors: {
    server_unreachable: "No server answers at this address. Check the address and the network.",
    enrollment_refused:
      "The code was not accepted: it is wrong, already used, expired or of the old short format. Ask for a new connection code.",
    invalid_input: "This is not a server address. It looks like this: http://127.0.0.1:8787",
  },
};
