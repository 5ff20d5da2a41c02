// Runs before the app's bundle, on the plain-HTML shell in index.html:
// - it reports the first frame (the header and the scan field on screen) to the backend, then
//   starts the app's bundle (the built page names it in <meta name="pvz-app-entry">, see
//   vite.config.ts), so the bundle never holds back the page's load and its first frame;
// - it asks for the counter's first view at once, so the store answers while the bundle loads;
// - it keeps what is typed into the scan field, and each code entered with Enter, for the app to
//   take over with its first render (src/shell/boot.ts);
// - it shows the shell in English when that is the language the manager chose.
// Plain script, no imports: it must not wait for the bundle it runs ahead of.
(function () {
  "use strict";
  // Marks for the start-up's timeline, to read in the devtools (performance.getEntriesByType("mark")): pvz:boot, then
  // pvz:load, pvz:first-frame, pvz:app-requested here; the app adds the rest (src/perf.ts).
  performance.mark("pvz:boot");
  var boot = { submitted: [], firstView: null, firstFrameSent: false };
  window.__pvzBoot = boot;

  var form = document.getElementById("pvz-boot-form");
  var input = document.getElementById("pvz-boot-input");
  if (!form || !input) return;

  try {
    if (window.localStorage.getItem("pvz-kiosk.lang") === "en") {
      document.documentElement.lang = "en";
      form.querySelectorAll("[data-en]").forEach(function (element) {
        element.textContent = element.getAttribute("data-en");
      });
      input.placeholder = input.getAttribute("data-en-placeholder") || input.placeholder;
    }
  } catch {
    // No storage (tests, private mode): the shell stays in Russian, the app's default.
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    input.value = "";
    if (code) boot.submitted.push({ code: code, at: performance.now() });
  });
  input.focus();

  var tauri = window.__TAURI_INTERNALS__;
  if (tauri) {
    boot.firstView = tauri.invoke("counter_view");
    // Kept for the app, which reports its own failure; never an unhandled rejection here.
    boot.firstView.catch(function () {});
  }
  var entry = document.querySelector('meta[name="pvz-app-entry"]');

  function startApp() {
    performance.mark("pvz:app-requested");
    var script = document.createElement("script");
    script.type = "module";
    script.src = entry.getAttribute("content");
    document.head.appendChild(script);
  }

  function afterFirstFrame() {
    performance.mark("pvz:load");
    requestAnimationFrame(function () {
      setTimeout(function () {
        performance.mark("pvz:first-frame");
        if (tauri) {
          boot.firstFrameSent = true;
          tauri.invoke("ui_ready", { stage: "first_frame" }).catch(function () {});
        }
        if (entry) startApp();
      }, 0);
    });
  }

  if (document.readyState === "complete") afterFirstFrame();
  else window.addEventListener("load", afterFirstFrame, { once: true });
})();
