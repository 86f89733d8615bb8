"use client";

import { useEffect } from "react";

/** How long after a submit an answer may still move the focus (slow requests included). */
const WINDOW_MS = 15_000;
/** Local validation re-renders within a frame or two; later answers are seen through the observer. */
const LOCAL_CHECK_MS = 100;

/**
 * For every form of the portal: after a failed submit, the focus moves to the
 * first field marked invalid (`aria-invalid="true"`, set by `Field`/`Select`),
 * so keyboard and screen-reader users land on what needs fixing. Works for
 * checks in the browser and for 422 answers of the server alike, without each
 * form wiring it up. While a submit button is busy (`aria-busy`), the request
 * is still running and old error marks are not acted on. The focus is moved
 * once per submit, and never away from a field of another form the user is
 * typing in.
 */
export function FocusInvalidOnSubmit() {
  useEffect(() => {
    let stop: (() => void) | null = null;

    function onSubmit(event: Event) {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      stop?.();
      const deadline = Date.now() + WINDOW_MS;

      const attempt = () => {
        if (Date.now() > deadline || !form.isConnected) return finish();
        if (form.querySelector('[aria-busy="true"]')) return;
        const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
        if (!field) return;
        const active = document.activeElement;
        const typingElsewhere = active instanceof HTMLElement && !form.contains(active) && active.matches("input, textarea, select, [contenteditable='true']");
        if (!typingElsewhere && active !== field) field.focus();
        finish();
      };

      const observer = new MutationObserver(attempt);
      observer.observe(form, { subtree: true, attributes: true, attributeFilter: ["aria-invalid", "aria-busy"] });
      const timer = window.setTimeout(attempt, LOCAL_CHECK_MS);
      const expiry = window.setTimeout(() => finish(), WINDOW_MS);
      function finish() {
        observer.disconnect();
        window.clearTimeout(timer);
        window.clearTimeout(expiry);
        if (stop === finish) stop = null;
      }
      stop = finish;
    }

    document.addEventListener("submit", onSubmit, true);
    return () => {
      document.removeEventListener("submit", onSubmit, true);
      stop?.();
    };
  }, []);
  return null;
}
