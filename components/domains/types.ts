import type { DomainConfiguration, DomainKind } from "@/lib/domains/service";

export type { DomainConfiguration, DomainKind };
export type DomainKindView = DomainConfiguration["portal"];

export type CnameCheckView = {
  ok: boolean;
  status: string;
  domain: string;
  found: string[];
  expected: string;
  points_to_server_ip?: boolean;
  message: string;
  kind: DomainKind;
  checked_at: string;
};

export type SetDomainResponse = { message: string; applied: boolean; domain: string };
export type ApplyResponse = { message: string; applied: boolean; portal_domain: string | null; meshcentral_domain: string | null };

export const KIND_TITLES: Record<DomainKind, string> = { portal: "Portal", meshcentral: "Fernwartung (MeshCentral)" };
export const KIND_PATHS: Record<DomainKind, string> = {
  portal: "/api/manage/domains/custom-portal",
  meshcentral: "/api/manage/domains/custom-meshcentral",
};
export const KIND_EXAMPLES: Record<DomainKind, string> = { portal: "portal.ihre-firma.de", meshcentral: "fernwartung.ihre-firma.de" };
