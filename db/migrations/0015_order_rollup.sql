-- Keeps order_monthly_totals in step with orders, inside the transaction that changes an order,
-- whichever command it is (creating, submitting, approving, cancelling...). SECURITY DEFINER: the
-- rollup is derived data, written the same way whoever's transaction changed the order (the
-- order itself already passed that transaction's row-level security).
CREATE FUNCTION orders_rollup_apply(p_org uuid, p_placed timestamptz, p_currency text, p_status order_status, p_count bigint, p_total bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  bucket date := date_trunc('month', p_placed AT TIME ZONE 'UTC')::date;
BEGIN
  INSERT INTO order_monthly_totals AS t (org_id, month, currency, status, order_count, total_minor)
  VALUES (p_org, bucket, p_currency, p_status, p_count, p_total)
  ON CONFLICT (org_id, month, currency, status)
  DO UPDATE SET order_count = t.order_count + EXCLUDED.order_count, total_minor = t.total_minor + EXCLUDED.total_minor;
  IF p_count < 0 THEN
    DELETE FROM order_monthly_totals
    WHERE org_id = p_org AND month = bucket AND currency = p_currency AND status = p_status AND order_count <= 0;
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION orders_rollup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM orders_rollup_apply(OLD.org_id, OLD.placed_at, OLD.currency, OLD.status, -1, -OLD.total_minor);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM orders_rollup_apply(NEW.org_id, NEW.placed_at, NEW.currency, NEW.status, 1, NEW.total_minor);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_rollup_insert_delete AFTER INSERT OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION orders_rollup();
--> statement-breakpoint
-- Only when a bucketed value changes: touching updated_at, a note or a ship-to costs nothing.
CREATE TRIGGER orders_rollup_update AFTER UPDATE ON orders FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.placed_at IS DISTINCT FROM NEW.placed_at OR OLD.currency IS DISTINCT FROM NEW.currency
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.total_minor IS DISTINCT FROM NEW.total_minor)
  EXECUTE FUNCTION orders_rollup();
--> statement-breakpoint
-- Orders that exist already.
INSERT INTO order_monthly_totals (org_id, month, currency, status, order_count, total_minor)
SELECT org_id, date_trunc('month', placed_at AT TIME ZONE 'UTC')::date, currency, status, count(*), sum(total_minor)
FROM orders GROUP BY 1, 2, 3, 4;
