CREATE TABLE "branch_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"label" text NOT NULL,
	"lines" text[] NOT NULL,
	"city" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"country" text NOT NULL,
	"is_ship_to" boolean DEFAULT true NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "branch_addresses_country_iso" CHECK ("branch_addresses"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "branch_addresses_lines" CHECK (cardinality("branch_addresses"."lines") between 1 and 4)
);
--> statement-breakpoint
ALTER TABLE "branch_addresses" ADD CONSTRAINT "branch_addresses_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_addresses" ADD CONSTRAINT "branch_addresses_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "branch_addresses_branch_idx" ON "branch_addresses" USING btree ("org_id","branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "branch_addresses_one_default_uq" ON "branch_addresses" USING btree ("branch_id") WHERE "branch_addresses"."is_default";