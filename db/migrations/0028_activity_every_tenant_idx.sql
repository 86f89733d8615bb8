-- Every tenant's log at once (MSP staff through API v1 without ?tenant_id): newest first over all
-- instances, optionally one kind and a period. Without these the page sorted the whole table.
-- With them a page reads at most FILTERED_COUNT_CAP + per_page index entries (lib/activity/index.ts).
CREATE INDEX "activity_log_tenants_created_idx" ON "activity_log" USING btree ("created_at","id") WHERE "instance_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "activity_log_tenants_kind_created_idx" ON "activity_log" USING btree ("kind","created_at","id") WHERE "instance_id" IS NOT NULL;
