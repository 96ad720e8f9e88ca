CREATE TYPE "public"."intake_channel_status" AS ENUM('active', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."intake_dead_letter_state" AS ENUM('open', 'replayed', 'discarded');--> statement-breakpoint
CREATE TYPE "public"."intake_document_status" AS ENUM('created', 'updated', 'duplicate', 'held', 'rejected', 'dead_letter');--> statement-breakpoint
CREATE TYPE "public"."intake_format" AS ENUM('json', 'csv', 'x12-850', 'cxml', 'ubl', 'edifact', 'shopify');--> statement-breakpoint
CREATE TYPE "public"."intake_message_status" AS ENUM('received', 'processing', 'done', 'dead_letter');--> statement-breakpoint
CREATE TABLE "intake_channel_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"sender_id" text NOT NULL,
	"account_id" uuid NOT NULL,
	"branch_id" uuid,
	"rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" "intake_format" NOT NULL,
	"token_hash" text NOT NULL,
	"secret_sealed" text,
	"default_account_id" uuid,
	"default_branch_id" uuid,
	"rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"csv_mapping" jsonb,
	"max_body_bytes" integer DEFAULT 1048576 NOT NULL,
	"max_depth" integer DEFAULT 10000 NOT NULL,
	"expected_interval_seconds" integer,
	"status" "intake_channel_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intake_channels_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "intake_channels_max_body_bytes" CHECK ("intake_channels"."max_body_bytes" between 1 and 104857600),
	CONSTRAINT "intake_channels_max_depth" CHECK ("intake_channels"."max_depth" >= 1),
	CONSTRAINT "intake_channels_expected_interval" CHECK ("intake_channels"."expected_interval_seconds" is null or "intake_channels"."expected_interval_seconds" > 0)
);
--> statement-breakpoint
CREATE TABLE "intake_dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"document_index" integer,
	"reason" jsonb NOT NULL,
	"impact" numeric(20, 4) DEFAULT '0' NOT NULL,
	"state" "intake_dead_letter_state" DEFAULT 'open' NOT NULL,
	"discard_reason" text,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"corrected_payload" "bytea",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intake_dead_letters_discard_reason" CHECK ("intake_dead_letters"."state" <> 'discarded' or "intake_dead_letters"."discard_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "intake_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"document_number" text,
	"sender" text,
	"content_hash" text,
	"status" "intake_document_status" NOT NULL,
	"order_id" uuid,
	"account_id" uuid,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"reason" jsonb,
	"value_minor" bigint,
	"currency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"raw" "bytea" NOT NULL,
	"raw_sha256" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sender" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"status" "intake_message_status" DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_xrefs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"buyer_part" text NOT NULL,
	"sku" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake_channel_mappings" ADD CONSTRAINT "intake_channel_mappings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channel_mappings" ADD CONSTRAINT "intake_channel_mappings_channel_id_intake_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."intake_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channel_mappings" ADD CONSTRAINT "intake_channel_mappings_account_id_accounts_org_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channel_mappings" ADD CONSTRAINT "intake_channel_mappings_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channels" ADD CONSTRAINT "intake_channels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channels" ADD CONSTRAINT "intake_channels_default_account_id_accounts_org_id_fk" FOREIGN KEY ("default_account_id") REFERENCES "public"."accounts"("org_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_channels" ADD CONSTRAINT "intake_channels_default_branch_id_branches_id_fk" FOREIGN KEY ("default_branch_id") REFERENCES "public"."branches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_dead_letters" ADD CONSTRAINT "intake_dead_letters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_dead_letters" ADD CONSTRAINT "intake_dead_letters_channel_id_intake_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."intake_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_dead_letters" ADD CONSTRAINT "intake_dead_letters_message_id_intake_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."intake_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_dead_letters" ADD CONSTRAINT "intake_dead_letters_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_documents" ADD CONSTRAINT "intake_documents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_documents" ADD CONSTRAINT "intake_documents_channel_id_intake_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."intake_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_documents" ADD CONSTRAINT "intake_documents_message_id_intake_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."intake_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_documents" ADD CONSTRAINT "intake_documents_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_documents" ADD CONSTRAINT "intake_documents_account_id_accounts_org_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("org_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_messages" ADD CONSTRAINT "intake_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_messages" ADD CONSTRAINT "intake_messages_channel_id_intake_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."intake_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_xrefs" ADD CONSTRAINT "intake_xrefs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_xrefs" ADD CONSTRAINT "intake_xrefs_channel_id_intake_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."intake_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_xrefs" ADD CONSTRAINT "intake_xrefs_account_id_accounts_org_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_channel_mappings_sender_uq" ON "intake_channel_mappings" USING btree ("channel_id","sender_id");--> statement-breakpoint
CREATE INDEX "intake_channel_mappings_org_idx" ON "intake_channel_mappings" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "intake_channels_org_idx" ON "intake_channels" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "intake_dead_letters_open_idx" ON "intake_dead_letters" USING btree ("org_id","impact","id") WHERE "intake_dead_letters"."state" = 'open';--> statement-breakpoint
CREATE INDEX "intake_dead_letters_message_idx" ON "intake_dead_letters" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_documents_message_index_uq" ON "intake_documents" USING btree ("message_id","index");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_documents_idempotency_uq" ON "intake_documents" USING btree ("channel_id","sender","document_number","content_hash");--> statement-breakpoint
CREATE INDEX "intake_documents_number_idx" ON "intake_documents" USING btree ("channel_id","sender","document_number");--> statement-breakpoint
CREATE INDEX "intake_documents_order_idx" ON "intake_documents" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_messages_raw_uq" ON "intake_messages" USING btree ("channel_id","raw_sha256");--> statement-breakpoint
CREATE INDEX "intake_messages_open_idx" ON "intake_messages" USING btree ("channel_id","received_at") WHERE "intake_messages"."status" in ('received', 'processing');--> statement-breakpoint
CREATE INDEX "intake_messages_org_received_idx" ON "intake_messages" USING btree ("org_id","received_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_xrefs_part_uq" ON "intake_xrefs" USING btree ("channel_id","account_id","buyer_part");--> statement-breakpoint
CREATE INDEX "intake_xrefs_org_idx" ON "intake_xrefs" USING btree ("org_id");--> statement-breakpoint
-- Intake is the supplier's (docs/adr/0026-intake-inbox.md): every table is the supplier org's
-- rows under the tenant policy of migration 0003; the acceptance endpoint and the worker act for
-- that org (countersign.org_id is the channel's org), never across orgs.
ALTER TABLE intake_channels ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_channels_tenant ON intake_channels TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE intake_channel_mappings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_channel_mappings_tenant ON intake_channel_mappings TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE intake_xrefs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_xrefs_tenant ON intake_xrefs TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE intake_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_messages_tenant ON intake_messages TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE intake_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_documents_tenant ON intake_documents TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE intake_dead_letters ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY intake_dead_letters_tenant ON intake_dead_letters TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
-- The inbox is the record of truth: what arrived (bytes, hash, headers, channel, org, time) never
-- changes, for anyone. Only the processing columns (status, attempts, next_attempt_at,
-- last_error, sender, updated_at) move. A message is not deleted as the app role either (its
-- channel's deletion by the owner cascades; the app never deletes channels, it disables them).
CREATE FUNCTION intake_messages_keep_raw() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_user = 'countersign_app' THEN
      RAISE EXCEPTION 'the intake inbox is durable: DELETE on intake_messages is refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.raw IS DISTINCT FROM OLD.raw OR NEW.raw_sha256 IS DISTINCT FROM OLD.raw_sha256 OR NEW.headers IS DISTINCT FROM OLD.headers
     OR NEW.channel_id IS DISTINCT FROM OLD.channel_id OR NEW.org_id IS DISTINCT FROM OLD.org_id OR NEW.received_at IS DISTINCT FROM OLD.received_at
     OR NEW.id IS DISTINCT FROM OLD.id THEN
    RAISE EXCEPTION 'the intake inbox is durable: a received payload is never changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER intake_messages_keep_raw BEFORE UPDATE OR DELETE ON intake_messages FOR EACH ROW EXECUTE FUNCTION intake_messages_keep_raw();
