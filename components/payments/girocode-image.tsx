"use client";

import { useEffect, useState } from "react";
import QRCode from "qrcode";

/** GiroCode (EPC QR) for the invoice's open amount; the payload comes from the API (`girocode`). */
export function GiroCodeImage({ payload }: { payload: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    QRCode.toDataURL(payload, { errorCorrectionLevel: "M", margin: 1, width: 160 })
      .then((url) => active && setSrc(url))
      .catch(() => active && setSrc(null));
    return () => {
      active = false;
    };
  }, [payload]);
  if (!src) return null;
  return (
    <figure className="mt-4 flex items-center gap-3" data-testid="girocode">
      {/* eslint-disable-next-line @next/next/no-img-element -- data URL, nothing to optimise */}
      <img src={src} alt="GiroCode für die Überweisung" width={120} height={120} className="rounded border border-slate-200" />
      <figcaption className="text-sm text-slate-600">GiroCode: mit der Banking-App scannen</figcaption>
    </figure>
  );
}
