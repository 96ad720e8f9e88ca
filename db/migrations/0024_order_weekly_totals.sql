CREATE TABLE "order_weekly_totals" (
	"org_id" uuid NOT NULL,
	"week" date NOT NULL,
	"branch_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"status" "order_status" NOT NULL,
	"currency" text NOT NULL,
	"order_count" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	CONSTRAINT "order_weekly_totals_org_id_week_branch_id_buyer_id_status_currency_pk" PRIMARY KEY("org_id","week","branch_id","buyer_id","status","currency")
);
--> statement-breakpoint
ALTER TABLE "order_weekly_totals" ADD CONSTRAINT "order_weekly_totals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_weekly_totals_branch_week_idx" ON "order_weekly_totals" USING btree ("branch_id","week");--> statement-breakpoint
CREATE INDEX "order_weekly_totals_buyer_week_idx" ON "order_weekly_totals" USING btree ("buyer_id","week");--> statement-breakpoint
-- The overview's rollup (ADR 0019), kept like order_monthly_totals: inside the transaction that
-- changes an order, whichever command it is. SECURITY DEFINER: derived data, written the same way
-- whoever's transaction changed the order (the order itself already passed row-level security).
CREATE FUNCTION order_weekly_totals_apply(p_org uuid, p_placed timestamptz, p_branch uuid, p_buyer uuid, p_status order_status, p_currency text, p_count bigint, p_total bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  bucket date := date_trunc('week', p_placed AT TIME ZONE 'UTC')::date;
BEGIN
  INSERT INTO order_weekly_totals AS t (org_id, week, branch_id, buyer_id, status, currency, order_count, total_minor)
  VALUES (p_org, bucket, p_branch, p_buyer, p_status, p_currency, p_count, p_total)
  ON CONFLICT (org_id, week, branch_id, buyer_id, status, currency)
  DO UPDATE SET order_count = t.order_count + EXCLUDED.order_count, total_minor = t.total_minor + EXCLUDED.total_minor;
  IF p_count < 0 THEN
    DELETE FROM order_weekly_totals
    WHERE org_id = p_org AND week = bucket AND branch_id = p_branch AND buyer_id = p_buyer AND status = p_status AND currency = p_currency AND order_count <= 0;
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION order_weekly_totals_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- A change moves one order between two rows; both rows are taken in one fixed order (by status,
  -- then placed_at), so two transactions moving orders in opposite directions cannot deadlock.
  IF TG_OP = 'UPDATE' AND (NEW.status, NEW.placed_at) < (OLD.status, OLD.placed_at) THEN
    PERFORM order_weekly_totals_apply(NEW.org_id, NEW.placed_at, NEW.branch_id, NEW.buyer_id, NEW.status, NEW.currency, 1, NEW.total_minor);
    PERFORM order_weekly_totals_apply(OLD.org_id, OLD.placed_at, OLD.branch_id, OLD.buyer_id, OLD.status, OLD.currency, -1, -OLD.total_minor);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM order_weekly_totals_apply(OLD.org_id, OLD.placed_at, OLD.branch_id, OLD.buyer_id, OLD.status, OLD.currency, -1, -OLD.total_minor);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM order_weekly_totals_apply(NEW.org_id, NEW.placed_at, NEW.branch_id, NEW.buyer_id, NEW.status, NEW.currency, 1, NEW.total_minor);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER order_weekly_totals_insert_delete AFTER INSERT OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION order_weekly_totals_track();
--> statement-breakpoint
-- Only when a keyed or summed value changes: a note, a ship-to or a version bump costs nothing.
CREATE TRIGGER order_weekly_totals_update AFTER UPDATE ON orders FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.placed_at IS DISTINCT FROM NEW.placed_at OR OLD.branch_id IS DISTINCT FROM NEW.branch_id
        OR OLD.buyer_id IS DISTINCT FROM NEW.buyer_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency
        OR OLD.total_minor IS DISTINCT FROM NEW.total_minor)
  EXECUTE FUNCTION order_weekly_totals_track();
--> statement-breakpoint
-- A tenant's own rows, the same policy as orders (ADR 0004).
ALTER TABLE order_weekly_totals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY order_weekly_totals_tenant ON order_weekly_totals TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
-- Orders that exist already.
INSERT INTO order_weekly_totals (org_id, week, branch_id, buyer_id, status, currency, order_count, total_minor)
SELECT org_id, date_trunc('week', placed_at AT TIME ZONE 'UTC')::date, branch_id, buyer_id, status, currency, count(*), sum(total_minor)
FROM orders GROUP BY 1, 2, 3, 4, 5, 6;
