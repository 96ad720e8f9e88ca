ALTER TABLE "approval_steps" ADD COLUMN "decided_for" uuid;--> statement-breakpoint
ALTER TABLE "approval_steps" ADD CONSTRAINT "approval_steps_decided_for_users_id_fk" FOREIGN KEY ("decided_for") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_delegations_delegator_idx" ON "approval_delegations" USING btree ("org_id","delegator_id","ends_at");--> statement-breakpoint
ALTER TABLE "approval_delegations" ADD CONSTRAINT "approval_delegations_period" CHECK ("approval_delegations"."ends_at" >= "approval_delegations"."starts_at");--> statement-breakpoint
ALTER TABLE "approval_delegations" ADD CONSTRAINT "approval_delegations_not_self" CHECK ("approval_delegations"."delegator_id" <> "approval_delegations"."delegate_id");