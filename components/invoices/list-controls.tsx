"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { STATUS_FILTER_OPTIONS } from "./status-badge";

/** Status filter (applies at once) and search (applies on submit). */
export function InvoiceListControls({
  status,
  onStatus,
  onSearch,
  initialSearch = "",
  extraStatuses = [],
  children,
}: {
  status: string;
  initialSearch?: string;
  onStatus: (status: string) => void;
  onSearch: (search: string) => void;
  extraStatuses?: { value: string; label: string }[];
  children?: React.ReactNode;
}) {
  const [text, setText] = useState(initialSearch);
  const statusId = useId();
  const searchId = useId();
  return (
    <form
      role="search"
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <div className="space-y-1">
        <label htmlFor={statusId} className="block text-sm font-medium text-slate-700">
          Status
        </label>
        <select
          id={statusId}
          value={status}
          onChange={(e) => onStatus(e.target.value)}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
        >
          {[...STATUS_FILTER_OPTIONS, ...extraStatuses].map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {children}
      <div className="flex-1 space-y-1">
        <label htmlFor={searchId} className="block text-sm font-medium text-slate-700">
          Suche (Rechnungsnummer oder Titel)
        </label>
        <div className="flex gap-2">
          <input
            id={searchId}
            type="search"
            value={text}
            maxLength={100}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value === "") onSearch("");
            }}
            placeholder="z. B. RE-2026-0001 oder Lizenz"
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
          />
          <Button type="submit" variant="secondary">
            Suchen
          </Button>
        </div>
      </div>
    </form>
  );
}
