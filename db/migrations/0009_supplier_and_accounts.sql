CREATE TYPE "public"."org_kind" AS ENUM('account', 'supplier');--> statement-breakpoint
CREATE TABLE "account_currencies" (
	"org_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"rate_to_base" numeric(20, 10) NOT NULL,
	"is_base" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_currencies_org_id_currency_pk" PRIMARY KEY("org_id","currency"),
	CONSTRAINT "account_currencies_iso" CHECK ("account_currencies"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "account_currencies_rate_positive" CHECK ("account_currencies"."rate_to_base" > 0),
	CONSTRAINT "account_currencies_base_is_one" CHECK (not "account_currencies"."is_base" or "account_currencies"."rate_to_base" = 1)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"supplier_id" uuid NOT NULL,
	"tier" text DEFAULT 'Standard' NOT NULL,
	"credit_limit_minor" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_credit_limit_positive" CHECK ("accounts"."credit_limit_minor" is null or "accounts"."credit_limit_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "kind" "org_kind" DEFAULT 'account' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_currencies" ADD CONSTRAINT "account_currencies_org_id_accounts_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."accounts"("org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_supplier_id_organizations_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_currencies_one_base_uq" ON "account_currencies" USING btree ("org_id") WHERE "account_currencies"."is_base";--> statement-breakpoint
CREATE INDEX "accounts_supplier_idx" ON "accounts" USING btree ("supplier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_one_supplier_uq" ON "organizations" USING btree ("kind") WHERE "organizations"."kind" = 'supplier';