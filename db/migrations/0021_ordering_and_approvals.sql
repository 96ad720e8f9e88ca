CREATE TYPE "public"."approval_step_status" AS ENUM('pending', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "approval_delegations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"delegator_id" uuid NOT NULL,
	"delegate_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"branch_id" uuid,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"over_total_minor" bigint,
	"min_lines" integer,
	"skus" text[] DEFAULT '{}' NOT NULL,
	"categories" text[] DEFAULT '{}' NOT NULL,
	"requester_role_ids" uuid[] DEFAULT '{}' NOT NULL,
	"tiers" jsonb NOT NULL,
	"self_approval_limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"escalate_after_hours" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"rule_id" uuid,
	"rule_name" text NOT NULL,
	"tier_no" integer NOT NULL,
	"group_no" integer NOT NULL,
	"role_ids" uuid[] NOT NULL,
	"self_approval_limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "approval_step_status" DEFAULT 'pending' NOT NULL,
	"level_branch_id" uuid,
	"escalations" integer DEFAULT 0 NOT NULL,
	"escalate_after_hours" integer,
	"waiting_since" timestamp (3) with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "product_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "requested_delivery_date" date;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "ship_to" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "base_total_minor" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "base_currency" text;--> statement-breakpoint
ALTER TABLE "approval_delegations" ADD CONSTRAINT "approval_delegations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_delegations" ADD CONSTRAINT "approval_delegations_delegator_id_users_id_fk" FOREIGN KEY ("delegator_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_delegations" ADD CONSTRAINT "approval_delegations_delegate_id_users_id_fk" FOREIGN KEY ("delegate_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_rules" ADD CONSTRAINT "approval_rules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_rules" ADD CONSTRAINT "approval_rules_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_delegations_delegate_idx" ON "approval_delegations" USING btree ("org_id","delegate_id","ends_at");--> statement-breakpoint
CREATE INDEX "approval_rules_org_branch_idx" ON "approval_rules" USING btree ("org_id","branch_id");--> statement-breakpoint
CREATE INDEX "approval_steps_order_idx" ON "approval_steps" USING btree ("order_id","tier_no","group_no");--> statement-breakpoint
CREATE INDEX "approval_steps_waiting_idx" ON "approval_steps" USING btree ("org_id","status","waiting_since","id");--> statement-breakpoint
-- Rules, steps and delegations are a tenant's own rows: the same policy as orders (ADR 0004).
ALTER TABLE approval_rules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY approval_rules_tenant ON approval_rules TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE approval_steps ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY approval_steps_tenant ON approval_steps TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE approval_delegations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY approval_delegations_tenant ON approval_delegations TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
