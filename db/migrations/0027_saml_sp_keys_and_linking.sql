ALTER TABLE "sso_flows" DROP CONSTRAINT "sso_flows_purpose";--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "sp_signing_key_sealed" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "sp_signing_certificate" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "sp_encryption_key_sealed" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "sp_encryption_certificate" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "sign_authn_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "idp_wants_signed_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "require_encrypted_assertions" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_flows" ADD COLUMN "link_user_id" uuid;--> statement-breakpoint
ALTER TABLE "sso_flows" ADD COLUMN "link_subject" text;--> statement-breakpoint
ALTER TABLE "sso_flows" ADD COLUMN "link_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sso_flows" ADD CONSTRAINT "sso_flows_link_user_id_users_id_fk" FOREIGN KEY ("link_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_flows" ADD CONSTRAINT "sso_flows_link_user" CHECK (("sso_flows"."purpose" = 'link') = ("sso_flows"."link_user_id" is not null));--> statement-breakpoint
ALTER TABLE "sso_flows" ADD CONSTRAINT "sso_flows_purpose" CHECK ("sso_flows"."purpose" in ('sign-in', 'test', 'link'));