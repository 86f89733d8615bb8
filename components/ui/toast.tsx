"use client";

import { createContext, useCallback, useContext, useState } from "react";

type Toast = { id: number; kind: "success" | "error" | "info"; text: string };
export const MAX_TOASTS = 2;
const ToastContext = createContext<(kind: Toast["kind"], text: string) => void>(() => {});

export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((kind: Toast["kind"], text: string) => {
    const id = Date.now() + Math.random();
    // At most two toasts at a time (the newest win), and a repeated text replaces its older copy,
    // so they never stack up over the controls on a phone.
    setToasts((list) => [...list.filter((t) => t.text !== text), { id, kind, text }].slice(-MAX_TOASTS));
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), kind === "error" ? 9000 : 5000);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div aria-live="polite" className="fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end sm:px-6">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.kind === "error" ? "alert" : "status"}
            className={`w-full max-w-sm rounded-lg px-4 py-3 text-sm shadow-lg ${
              t.kind === "error" ? "bg-red-700 text-white" : t.kind === "success" ? "bg-emerald-700 text-white" : "bg-slate-800 text-white"
            }`}
          >
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
