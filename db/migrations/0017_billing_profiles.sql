-- One billing profile per customer instance: whom invoices are addressed to and how they
-- are taxed and delivered. Drafts and billing runs copy it into the invoice's recipient
-- snapshot when drafting, so a later change never alters an issued invoice.
CREATE TABLE "instance_billing_profiles" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"legal_name" text NOT NULL,
	"contact_name" text,
	"street" text NOT NULL,
	"additional_line" text,
	"post_code" text NOT NULL,
	"city" text NOT NULL,
	"country_code" text DEFAULT 'DE' NOT NULL,
	"vat_id" text,
	"leitweg_id" text,
	"buyer_reference" text,
	"customer_number" text,
	"invoice_emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"einvoice_format" text DEFAULT 'facturx' NOT NULL,
	"vat_treatment" text DEFAULT 'domestic' NOT NULL,
	"exemption_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instance_billing_profiles_country" CHECK ("country_code" ~ '^[A-Z]{2}$'),
	CONSTRAINT "instance_billing_profiles_format" CHECK ("einvoice_format" in ('xrechnung_ubl', 'xrechnung_cii', 'facturx')),
	CONSTRAINT "instance_billing_profiles_treatment" CHECK ("vat_treatment" in ('domestic', 'eu_reverse_charge', 'tax_exempt', 'outside_eu')),
	CONSTRAINT "instance_billing_profiles_exempt_reason" CHECK ("vat_treatment" <> 'tax_exempt' OR coalesce("exemption_reason", '') <> ''),
	CONSTRAINT "instance_billing_profiles_reverse_charge_vat_id" CHECK ("vat_treatment" <> 'eu_reverse_charge' OR coalesce("vat_id", '') <> '')
);
--> statement-breakpoint
ALTER TABLE "instance_billing_profiles" ADD CONSTRAINT "instance_billing_profiles_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- Leitweg-IDs and formats set before the profile existed are not lost: the old settings row
-- seeds a profile with the company name (the address is completed by staff).
INSERT INTO "instance_billing_profiles" ("instance_id", "legal_name", "street", "post_code", "city", "leitweg_id", "einvoice_format")
SELECT s."instance_id", i."company_name", '', '', '', s."leitweg_id",
       CASE WHEN s."einvoice_format" = 'xrechnung' THEN 'xrechnung_ubl' ELSE 'facturx' END
FROM "instance_einvoice_settings" s JOIN "instances" i ON i."id" = s."instance_id";
