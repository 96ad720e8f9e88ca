CREATE TABLE "role_inherits" (
	"org_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"inherits_role_id" uuid NOT NULL,
	CONSTRAINT "role_inherits_role_id_inherits_role_id_pk" PRIMARY KEY("role_id","inherits_role_id"),
	CONSTRAINT "role_inherits_not_self" CHECK ("role_inherits"."role_id" <> "role_inherits"."inherits_role_id")
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approval_limit_minor" bigint;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approval_limit_currency" text;--> statement-breakpoint
ALTER TABLE "role_inherits" ADD CONSTRAINT "role_inherits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_inherits" ADD CONSTRAINT "role_inherits_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_inherits" ADD CONSTRAINT "role_inherits_inherits_role_id_roles_id_fk" FOREIGN KEY ("inherits_role_id") REFERENCES "public"."roles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "role_inherits_inherited_idx" ON "role_inherits" USING btree ("inherits_role_id");--> statement-breakpoint
CREATE INDEX "grants_branch_idx" ON "grants" USING btree ("branch_id");--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_limit_has_currency" CHECK (("grants"."approval_limit_minor" is null) = ("grants"."approval_limit_currency" is null));