-- Row-level security for the supplier and its accounts (docs/adr/0013-supplier-and-accounts.md).
-- The org-level wall of migration 0003 stays as it is. What is added:
--   * the supplier scope: a transaction-local flag that only readAsSupplier / enterSupplierScope
--     (lib/accounts/supplier-scope.ts) set, after checking that the principal is the supplier's
--     staff. Policies admit another org's rows only when that flag is on AND the transaction's org
--     is the supplier, so a flag set anywhere else admits nothing;
--   * the catalog: the supplier's own rows; its accounts read products, list prices in their own
--     currencies, and their own account prices, never another account's.
--
-- Lookups that must not see through the caller's own row-level security (which org is the
-- supplier; which supplier an org is an account of) are SECURITY DEFINER functions owned by the
-- migrating role, which owns the tables; they return one id, never rows.
CREATE FUNCTION countersign_supplier() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id FROM organizations WHERE kind = 'supplier'
$$;
--> statement-breakpoint
CREATE FUNCTION countersign_account_supplier() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT supplier_id FROM accounts WHERE org_id = nullif(current_setting('countersign.org_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE FUNCTION countersign_supplier_scope() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('countersign.supplier_scope', true), '') = 'on'
     AND countersign_org() IS NOT NULL
     AND countersign_org() IS NOT DISTINCT FROM countersign_supplier()
$$;
--> statement-breakpoint
-- Account tables: the supplier reads them across accounts only inside the supplier scope. The
-- condition is wrapped in a sub-select so PostgreSQL evaluates it once per query, not per row.
CREATE POLICY orders_supplier_read ON orders FOR SELECT TO countersign_app USING ((SELECT countersign_supplier_scope()));
--> statement-breakpoint
CREATE POLICY order_lines_supplier_read ON order_lines FOR SELECT TO countersign_app USING ((SELECT countersign_supplier_scope()));
--> statement-breakpoint
CREATE POLICY branches_supplier_read ON branches FOR SELECT TO countersign_app USING ((SELECT countersign_supplier_scope()));
--> statement-breakpoint
CREATE POLICY organizations_supplier_read ON organizations FOR SELECT TO countersign_app USING ((SELECT countersign_supplier_scope()));
--> statement-breakpoint
-- Every tenant knows who its supplier is (its name on the catalog page): that one row only.
CREATE POLICY organizations_supplier_visible ON organizations FOR SELECT TO countersign_app USING (kind = 'supplier' AND countersign_org() IS NOT NULL);
--> statement-breakpoint
ALTER TABLE order_monthly_totals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY order_monthly_totals_tenant ON order_monthly_totals TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org() OR (SELECT countersign_supplier_scope()))
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
-- Tier and credit limit are supplier-internal: the customer cannot read its own accounts row.
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY accounts_supplier ON accounts TO countersign_app
  USING (countersign_bypass() OR ((SELECT countersign_supplier_scope()) AND supplier_id = countersign_org()))
  WITH CHECK (countersign_bypass() OR ((SELECT countersign_supplier_scope()) AND supplier_id = countersign_org()));
--> statement-breakpoint
-- The account's currencies and rates are its terms: the customer reads its own, the supplier writes.
ALTER TABLE account_currencies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY account_currencies_read ON account_currencies FOR SELECT TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org() OR (SELECT countersign_supplier_scope()));
--> statement-breakpoint
CREATE POLICY account_currencies_supplier_write ON account_currencies TO countersign_app
  USING (countersign_bypass() OR (SELECT countersign_supplier_scope()))
  WITH CHECK (countersign_bypass() OR (SELECT countersign_supplier_scope()));
--> statement-breakpoint
-- The catalog is the supplier's: only the supplier writes it; its accounts read it.
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY products_read ON products FOR SELECT TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org() OR org_id = (SELECT countersign_account_supplier()));
--> statement-breakpoint
CREATE POLICY products_supplier_write ON products TO countersign_app
  USING (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())))
  WITH CHECK (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())));
--> statement-breakpoint
-- An account reads list prices only in the currencies it uses.
ALTER TABLE product_prices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY product_prices_read ON product_prices FOR SELECT TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org()
         OR (org_id = (SELECT countersign_account_supplier())
             AND currency IN (SELECT c.currency FROM account_currencies c WHERE c.org_id = countersign_org())));
--> statement-breakpoint
CREATE POLICY product_prices_supplier_write ON product_prices TO countersign_app
  USING (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())))
  WITH CHECK (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())));
--> statement-breakpoint
-- An account's own prices: that account reads them; nobody else but the supplier, in its scope.
ALTER TABLE account_prices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY account_prices_read ON account_prices FOR SELECT TO countersign_app
  USING (countersign_bypass() OR account_id = countersign_org() OR ((SELECT countersign_supplier_scope()) AND supplier_id = countersign_org()));
--> statement-breakpoint
CREATE POLICY account_prices_supplier_write ON account_prices TO countersign_app
  USING (countersign_bypass() OR ((SELECT countersign_supplier_scope()) AND supplier_id = countersign_org()))
  WITH CHECK (countersign_bypass() OR ((SELECT countersign_supplier_scope()) AND supplier_id = countersign_org()));
--> statement-breakpoint
ALTER TABLE catalog_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalog_imports_supplier ON catalog_imports TO countersign_app
  USING (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())))
  WITH CHECK (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())));
--> statement-breakpoint
ALTER TABLE catalog_import_rows ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalog_import_rows_supplier ON catalog_import_rows TO countersign_app
  USING (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())))
  WITH CHECK (countersign_bypass() OR (org_id = countersign_org() AND org_id = (SELECT countersign_supplier())));
--> statement-breakpoint
ALTER TABLE branch_addresses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY branch_addresses_tenant ON branch_addresses TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
-- Substring search over the catalog. Under row-level security PostgreSQL uses an index only for
-- leakproof operators, and LIKE is not one, so the trigram index would never serve the app's
-- query: every product read per search. This function runs the LIKE as the table owner, where
-- the index applies, but keeps the same visibility rule as products_read itself (the caller's
-- own org's products, or its supplier's), and returns at most p_limit ids: the caller's query
-- re-reads those rows through its own row-level security (lib/catalog/product-search.ts).
-- Dynamic SQL, so every call is planned with its own pattern: a rare term then goes through the
-- trigram index, where a plan made for "any pattern" would read the whole table.
CREATE FUNCTION countersign_search_products(p_pattern text, p_limit integer) RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE 'SELECT id FROM products WHERE search_text LIKE $1 AND ($2 OR org_id IN ($3, $4)) LIMIT $5'
    USING p_pattern, countersign_bypass(), countersign_org(), countersign_account_supplier(), p_limit;
END
$$;
