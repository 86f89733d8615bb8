import { useId, type ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const styles: Record<Variant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/50",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/50",
  ghost: "text-slate-700 hover:bg-slate-100 disabled:text-slate-400",
};

export function Button({
  variant = "primary",
  busy = false,
  className = "",
  children,
  disabled,
  disabledReason,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  busy?: boolean;
  /** Why the button cannot be used (disables it; shown as tooltip and read by screen readers). */
  disabledReason?: string | null;
}) {
  const reasonId = useId();
  const blocked = Boolean(disabledReason) && !busy;
  return (
    <>
    <button
      {...props}
      disabled={disabled || busy || blocked}
      aria-busy={busy || undefined}
      title={blocked ? disabledReason! : props.title}
      aria-describedby={blocked ? reasonId : props["aria-describedby"]}
      data-disabled-reason={blocked ? disabledReason! : undefined}
      className={`inline-flex min-h-10 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium transition disabled:cursor-not-allowed ${styles[variant]} ${className}`}
    >
      {busy && <Spinner />}
      {children}
    </button>
    {blocked && (
      <span id={reasonId} className="sr-only">
        {disabledReason}
      </span>
    )}
    </>
  );
}

export function Spinner({ className = "h-4 w-4" }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
}
