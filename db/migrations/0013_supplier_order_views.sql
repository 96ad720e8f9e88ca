CREATE TABLE "order_monthly_totals" (
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"currency" text NOT NULL,
	"status" "order_status" NOT NULL,
	"order_count" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	CONSTRAINT "order_monthly_totals_org_id_month_currency_status_pk" PRIMARY KEY("org_id","month","currency","status")
);
--> statement-breakpoint
ALTER TABLE "order_monthly_totals" ADD CONSTRAINT "order_monthly_totals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_placed_idx" ON "orders" USING btree ("placed_at","id");