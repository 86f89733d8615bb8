/** Shapes of the /api/manage/admin answers, as the staff UI reads them. */
export type AdminInstance = {
  id: number;
  name: string;
  company_name: string;
  status: string;
  status_label: string;
  suspended: boolean;
  suspended_reason: string | null;
  suspended_at: string | null;
  pricing_tier: string;
  pricing_tier_label: string;
  portal_domain: string;
  meshcentral_domain: string;
  server: {
    hetzner_server_id: number | null;
    status: string;
    status_label: string;
    health_status: string;
    health_status_label: string;
    ipv4: string | null;
    name?: string | null;
    server_type?: string | null;
    datacenter?: string | null;
    last_synced_at?: string | null;
  };
  billing: {
    status: string;
    status_label: string;
    paid_until: string | null;
    trial_ends_at: string | null;
    open_amount: number;
    open_amount_label: string;
    overdue_count: number;
    monthly_price?: string;
    open_invoice_count?: number;
  };
  created_at: string;
};

export type AdminInstanceDetail = AdminInstance & {
  limits: {
    max_customers: number;
    max_devices: number;
    max_customers_override: number | null;
    max_devices_override: number | null;
    tier_max_customers: number;
    tier_max_devices: number;
  };
  custom_domains: { kind: string; domain: string; applied: boolean }[];
  instance_status: string;
  user_count: number;
};

export type Meta = { current_page: number; last_page: number; total: number; per_page: number };

export type AdminUser = {
  id: string;
  email: string;
  name: string;
  instance_id: number | null;
  instance_name: string | null;
  staff: boolean;
  status: "active" | "invited" | "deactivated";
  status_label: string;
  active: boolean;
  two_factor_enabled: boolean;
  roles: { key: string; label: string }[];
  last_login_at: string | null;
};

export type Role = { key: string; label: string; staff: boolean; permissions: string[] };

export type Tier = {
  key: string;
  label: string;
  monthly_price: number;
  monthly_price_label: string;
  max_customers: number;
  max_devices: number;
  instance_count: number;
};

export type ActivityRow = {
  id: number;
  action: string;
  description: string;
  level: string;
  actor: string | null;
  created_at: string;
  instance_id?: number | null;
  instance_name?: string | null;
  company_name?: string | null;
};
