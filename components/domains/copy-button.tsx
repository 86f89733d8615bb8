"use client";

import { useState } from "react";

/** Copies a value to the clipboard and says so; falls back to a hint when the browser refuses. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2500);
  }
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={`${label} kopieren`}
      className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
    >
      <span aria-live="polite">{state === "copied" ? "Kopiert ✓" : state === "failed" ? "Bitte markieren" : "Kopieren"}</span>
    </button>
  );
}
