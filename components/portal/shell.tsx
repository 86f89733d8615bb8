"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useRef, useState } from "react";
import type { Me } from "@/lib/doors/pages/guards";
import type { Permission } from "@/lib/permissions";
import { AccessProvider } from "./me-context";
import { SuspendedBanner } from "./suspended-notice";
import { ImpersonationBanner } from "@/components/admin/impersonation-banner";

/**
 * customer: needs an own instance; staff: MSP staff only; all: everyone; api: staff, or users with API keys.
 * permission: the item is only offered to users who hold it (the page checks it again).
 * ownAccount: the signed-in person's own area, hidden in the read-only "Ansicht als Kunde".
 */
type NavItem = {
  href: string;
  label: string;
  blockedWhenSuspended: boolean;
  audience: "customer" | "staff" | "all" | "api";
  permission?: Permission;
  ownAccount?: boolean;
};

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Übersicht", blockedWhenSuspended: false, audience: "all" },
  { href: "/server", label: "Server", blockedWhenSuspended: true, audience: "customer", permission: "host.read" },
  { href: "/domains", label: "Domains", blockedWhenSuspended: true, audience: "customer", permission: "domain.read" },
  { href: "/rechnungen", label: "Rechnungen", blockedWhenSuspended: true, audience: "customer", permission: "invoice.read" },
  { href: "/aktivitaet", label: "Aktivität", blockedWhenSuspended: true, audience: "customer", permission: "activity.read" },
  { href: "/verwaltung", label: "Instanzen", blockedWhenSuspended: false, audience: "staff", permission: "tenant.read" },
  { href: "/verwaltung/rechnungen", label: "Rechnungsstellung", blockedWhenSuspended: false, audience: "staff", permission: "invoice.read" },
  { href: "/verwaltung/zahlungen", label: "Zahlungseingänge", blockedWhenSuspended: false, audience: "staff", permission: "invoice.read" },
  { href: "/verwaltung/abrechnung", label: "Abrechnung", blockedWhenSuspended: false, audience: "staff", permission: "invoice.read" },
  { href: "/verwaltung/mails", label: "Mails", blockedWhenSuspended: false, audience: "staff", permission: "tenant.manage" },
  { href: "/verwaltung/benutzer", label: "Mitarbeiter", blockedWhenSuspended: false, audience: "staff", permission: "user.manage" },
  { href: "/verwaltung/tarife", label: "Tarife", blockedWhenSuspended: false, audience: "staff", permission: "tenant.read" },
  { href: "/api-referenz", label: "API", blockedWhenSuspended: false, audience: "api", ownAccount: true },
  { href: "/konto", label: "Konto", blockedWhenSuspended: false, audience: "all", ownAccount: true },
];

/** The navigation a user gets: by audience, permission and the read-only customer view. */
export function navItemsFor(me: Me, options: { hasApiKeys: boolean }): NavItem[] {
  // Staff in the read-only "Ansicht als Kunde" get the customer's navigation only, without their own account area.
  const impersonating = Boolean(me.impersonation);
  const permissions = new Set<string>(me.user.permissions);
  return NAV_ITEMS.filter((item) => {
    if (impersonating && item.ownAccount) return false;
    if (item.permission && !permissions.has(item.permission)) return false;
    switch (item.audience) {
      case "all":
        return true;
      case "staff":
        return me.user.staff && !impersonating;
      case "customer":
        return Boolean(me.instance);
      case "api":
        return me.user.staff || options.hasApiKeys;
    }
  });
}

export function PortalShell({
  me,
  supportEmail,
  hasApiKeys = false,
  children,
}: {
  me: Me;
  supportEmail: string;
  hasApiKeys?: boolean;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const navRef = useRef<HTMLElement>(null);
  const [leaving, setLeaving] = useState(false);
  const suspended = Boolean(me.instance?.suspended);
  const impersonating = Boolean(me.impersonation);
  const items = navItemsFor(me, { hasApiKeys });

  // The longest matching prefix wins, so /verwaltung/rechnungen does not also mark /verwaltung.
  const activeHref = items
    .map((item) => item.href)
    .filter((href) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0];
  const isActive = (href: string) => href === activeHref;
  // The phone menu is a native popover, so "Menü" works before the page is interactive (no lost tap on a slow
  // connection). A link followed inside the page closes it; a full page load starts without it anyway.
  const closeMenu = () => {
    const nav = navRef.current;
    if (nav?.matches(":popover-open")) nav.hidePopover();
  };

  return (
    <div className="min-h-screen">
      <a
        href="#inhalt"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-brand-700 focus:shadow"
      >
        Zum Inhalt springen
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div className="min-w-0">
            <Link href="/" className="font-bold text-slate-900">
              Manage-Portal
            </Link>
            <p className="truncate text-xs text-slate-500" data-testid="instance-name">
              {me.instance ? `${me.instance.company_name} · ${me.instance.name}` : "MSP-Mitarbeiteransicht"}
            </p>
          </div>
          <div className="flex items-center gap-2">
            <span className="hidden text-sm text-slate-600 sm:inline">
              {me.user.name}
              {impersonating && " (Nur Ansicht)"}
            </span>
            <button
              type="button"
              disabled={leaving}
              onClick={() => {
                setLeaving(true);
                void signOut({ callbackUrl: "/login" });
              }}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
            >
              Abmelden
            </button>
            <button type="button" popoverTarget="main-nav" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm sm:hidden">
              Menü
            </button>
          </div>
        </div>
        {/* Phone: a full-screen sheet while open (hidden otherwise by the browser's popover rules); from sm: the bar. */}
        <nav
          id="main-nav"
          ref={navRef}
          popover="auto"
          aria-label="Hauptnavigation"
          className="fixed inset-0 h-full w-full overflow-y-auto bg-white text-slate-900 sm:static sm:block sm:h-auto sm:overflow-visible sm:border-t sm:border-slate-100"
        >
          <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 sm:hidden">
            <span className="font-bold text-slate-900">Manage-Portal</span>
            <button
              type="button"
              popoverTarget="main-nav"
              popoverTargetAction="hide"
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            >
              Schließen
            </button>
          </div>
          <ul className="mx-auto flex max-w-6xl flex-col gap-1 px-4 py-2 sm:flex-row sm:px-6">
            {items.map((item) => {
              const blocked = suspended && item.blockedWhenSuspended;
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={closeMenu}
                    aria-current={isActive(item.href) ? "page" : undefined}
                    className={`block rounded-md px-3 py-2 text-sm ${
                      isActive(item.href)
                        ? "bg-brand-50 font-semibold text-brand-700"
                        : blocked
                          ? "italic text-slate-500 hover:bg-slate-100"
                          : "text-slate-700 hover:bg-slate-100"
                    }`}
                  >
                    {item.label}
                    {blocked && <span className="sr-only"> (gesperrt)</span>}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      </header>
      {me.impersonation && <ImpersonationBanner companyName={me.impersonation.company_name} instanceId={me.impersonation.instance_id} />}
      {suspended && <SuspendedBanner reason={me.instance?.suspended_reason ?? null} supportEmail={supportEmail} />}
      <main id="inhalt" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none sm:px-6">
        <AccessProvider me={me}>{children}</AccessProvider>
      </main>
    </div>
  );
}
