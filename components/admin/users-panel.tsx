"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useDeniedReason } from "@/components/portal/me-context";
import { Alert, Badge, Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { AdminUser, Meta, Role } from "./types";
import { StatusBadge } from "@/components/ui/status-badge";

type Pending = { user: AdminUser; action: "deactivate" | "activate" | "reset-2fa" | "resend-invitation" } | null;

const ACTION_TEXT = {
  deactivate: { title: "Benutzer deaktivieren?", confirm: "Deaktivieren", body: "Alle Sitzungen werden sofort beendet; eine Anmeldung ist nicht mehr möglich.", danger: true },
  activate: { title: "Benutzer wieder aktivieren?", confirm: "Aktivieren", body: "Der Benutzer kann sich wieder anmelden.", danger: false },
  "reset-2fa": { title: "Zwei-Faktor-Anmeldung zurücksetzen?", confirm: "2FA zurücksetzen", body: "Der Benutzer meldet sich danach nur mit Passwort an, bis er 2FA neu einrichtet.", danger: true },
  "resend-invitation": { title: "Einladung erneut senden?", confirm: "Erneut senden", body: "Ein neuer Link wird gesendet; ältere Einladungslinks werden ungültig.", danger: false },
} as const;

/** Users of one instance (instanceId) or MSP staff (instanceId null): invite, roles, deactivate, 2FA reset. */
export function UsersPanel({ instanceId, title, currentUserId }: { instanceId: number | null; title: string; currentUserId: string }) {
  const manageDenied = useDeniedReason("user.manage", "Benutzer einzuladen, Rollen zu ändern oder Konten zu deaktivieren");
  const client = useQueryClient();
  const toast = useToast();
  const staff = instanceId === null;
  const listUrl = staff ? "/api/manage/admin/users?scope=staff&per_page=100" : `/api/manage/admin/instances/${instanceId}/users?per_page=100`;
  const users = useQuery({ queryKey: ["admin", "users", instanceId ?? "staff"], queryFn: () => apiFetch<{ users: AdminUser[]; meta: Meta }>(listUrl) });
  const roles = useQuery({ queryKey: ["admin", "roles"], queryFn: () => apiFetch<{ roles: Role[] }>("/api/manage/admin/roles") });
  const roleOptions = (roles.data?.roles ?? []).filter((r) => r.staff === staff);
  const [pending, setPending] = useState<Pending>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["admin"] });

  const action = useMutation({
    mutationFn: (p: NonNullable<Pending>) => apiFetch<{ message: string }>(`/api/manage/admin/users/${p.user.id}/${p.action}`, { method: "POST", body: {} }),
    onSuccess: (data) => {
      toast("success", data.message);
      void refresh();
    },
    onError: (error) => toast("error", error.message),
    onSettled: () => setPending(null),
  });

  return (
    <Card title={title}>
      <div className="space-y-4">
        {users.isPending && <LoadingBlock label="Benutzer werden geladen …" />}
        {users.isError && <Alert kind="error">{users.error.message}</Alert>}
        {users.data && users.data.users.length === 0 && <EmptyState title="Noch keine Benutzer">Laden Sie den ersten Benutzer per E-Mail ein.</EmptyState>}
        {users.data && users.data.users.length > 0 && (
          <ul className="divide-y divide-slate-100" aria-label="Benutzer">
            {users.data.users.map((u) => (
              <li key={u.id} className="space-y-2 py-3" data-testid="user-row">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      {u.name} <span className="text-sm font-normal text-slate-500">{u.email}</span>
                    </p>
                    <p className="text-xs text-slate-500">
                      {u.roles.map((r) => r.label).join(", ") || "Keine Rolle"} · Letzte Anmeldung: {formatDateTime(u.last_login_at)}
                    </p>
                    <p className="text-xs text-slate-500" data-testid="user-sign-in-methods">
                      Zweiter Faktor: {u.sign_in_methods.length > 0 ? u.sign_in_methods.join(" · ") : "keiner (nur Passwort)"}
                    </p>
                  </div>
                  <div className="flex flex-wrap gap-1">
                    <StatusBadge status={u.status} label={u.status_label} />
                    {u.sign_in_methods.length > 0 && <Badge tone="green">2FA</Badge>}
                  </div>
                </div>
                {u.id !== currentUserId && !manageDenied && (
                  <div className="flex flex-wrap gap-2">
                    <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" onClick={() => setEditing(editing === u.id ? null : u.id)}>
                      Rollen
                    </Button>
                    {u.status === "invited" && (
                      <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" onClick={() => setPending({ user: u, action: "resend-invitation" })}>
                        Einladung erneut senden
                      </Button>
                    )}
                    {u.sign_in_methods.length > 0 && (
                      <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" onClick={() => setPending({ user: u, action: "reset-2fa" })}>
                        2FA zurücksetzen
                      </Button>
                    )}
                    {u.active ? (
                      <Button variant="danger" className="min-h-8 px-3 py-1 text-xs" onClick={() => setPending({ user: u, action: "deactivate" })}>
                        Deaktivieren
                      </Button>
                    ) : (
                      <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" onClick={() => setPending({ user: u, action: "activate" })}>
                        Aktivieren
                      </Button>
                    )}
                  </div>
                )}
                {editing === u.id && <RolesEditor user={u} options={roleOptions} onDone={() => setEditing(null)} />}
              </li>
            ))}
          </ul>
        )}
        {manageDenied ? (
          <p className="text-sm text-slate-600" data-testid="users-denied">
            {manageDenied}
          </p>
        ) : (
          <InviteForm instanceId={instanceId} roleOptions={roleOptions} />
        )}
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={pending ? ACTION_TEXT[pending.action].title : ""}
        confirmLabel={pending ? ACTION_TEXT[pending.action].confirm : ""}
        danger={pending ? ACTION_TEXT[pending.action].danger : true}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && action.mutate(pending)}
      >
        {pending && (
          <p>
            {pending.user.name} ({pending.user.email}): {ACTION_TEXT[pending.action].body}
          </p>
        )}
      </ConfirmDialog>
    </Card>
  );
}

function RolesEditor({ user, options, onDone }: { user: AdminUser; options: Role[]; onDone: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const [selected, setSelected] = useState<string[]>(user.roles.map((r) => r.key));
  const save = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(`/api/manage/admin/users/${user.id}/roles`, { method: "PUT", body: { roles: selected } }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
      onDone();
    },
  });
  return (
    <fieldset className="space-y-2 rounded-md bg-slate-50 p-3">
      <legend className="text-sm font-medium">Rollen von {user.name}</legend>
      {options.map((r) => (
        <label key={r.key} className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={selected.includes(r.key)}
            onChange={(e) => setSelected((s) => (e.target.checked ? [...s, r.key] : s.filter((k) => k !== r.key)))}
          />
          {r.label}
        </label>
      ))}
      {save.isError && <p className="text-sm text-red-700">{(save.error as ApiError).fieldErrors.roles?.[0] ?? save.error.message}</p>}
      <div className="flex gap-2">
        <Button className="min-h-8 px-3 py-1 text-xs" busy={save.isPending} onClick={() => save.mutate()}>
          Rollen speichern
        </Button>
        <Button variant="ghost" className="min-h-8 px-3 py-1 text-xs" onClick={onDone}>
          Abbrechen
        </Button>
      </div>
    </fieldset>
  );
}

function InviteForm({ instanceId, roleOptions }: { instanceId: number | null; roleOptions: Role[] }) {
  const client = useQueryClient();
  const toast = useToast();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState("");
  const chosen = role || roleOptions.find((r) => r.key === "customer_admin" || r.key === "msp_support")?.key || roleOptions[0]?.key || "";
  const invite = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(instanceId === null ? "/api/manage/admin/users" : `/api/manage/admin/instances/${instanceId}/users`, {
        method: "POST",
        body: { email, name, roles: chosen ? [chosen] : [] },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      setEmail("");
      setName("");
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const errors = invite.error instanceof ApiError ? invite.error.fieldErrors : {};
  // The form needs the roles to choose from; without them an invitation would go out with none.
  if (roleOptions.length === 0) return <LoadingBlock label="Rollen werden geladen …" />;
  return (
    <form
      noValidate
      className="space-y-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        invite.mutate();
      }}
    >
      <h3 className="text-sm font-semibold">{instanceId === null ? "Mitarbeiter einladen" : "Benutzer einladen"}</h3>
      {invite.isError && Object.keys(errors).length === 0 && <Alert kind="error">{invite.error.message}</Alert>}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="E-Mail-Adresse des Eingeladenen" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email?.[0]} />
        <Field label="Name des Eingeladenen" value={name} onChange={(e) => setName(e.target.value)} error={errors.name?.[0]} />
        <div className="space-y-1">
          <label className="block text-sm font-medium text-slate-700" htmlFor={`invite-role-${instanceId ?? "staff"}`}>
            Rolle
          </label>
          <select
            id={`invite-role-${instanceId ?? "staff"}`}
            value={chosen}
            onChange={(e) => setRole(e.target.value)}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm"
          >
            {roleOptions.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
          {errors.roles && <p className="text-sm text-red-700">{errors.roles[0]}</p>}
        </div>
      </div>
      <Button type="submit" busy={invite.isPending}>
        Einladung senden
      </Button>
    </form>
  );
}
