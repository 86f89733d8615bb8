/** One label–value line of a detail list (`<dl>`); `wrap` for long values (hostnames) that may break onto a second line. */
export function DetailRow({ label, children, wrap = false }: { label: string; children: React.ReactNode; wrap?: boolean }) {
  return (
    <div className={`flex justify-between border-b border-slate-100 py-2 text-sm last:border-0 ${wrap ? "flex-wrap gap-x-4 gap-y-1" : "gap-4"}`}>
      <dt className="text-slate-500">{label}</dt>
      <dd className={`text-right font-medium text-slate-900 ${wrap ? "break-all" : ""}`}>{children}</dd>
    </div>
  );
}
