import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Manage-Portal", template: "%s · Manage-Portal" },
  description: "Self-Service-Portal: Server, Domains und Rechnungen Ihrer Instanz verwalten.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request makes every page render per request, which the CSP nonce of proxy.ts needs:
  // a page prerendered at build time would carry scripts without this request's nonce.
  await headers();
  return (
    <html lang="de">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
