import type postgres from "postgres";

/**
 * Data for bench/catalog.ts, written as the owner in bulk (SQL generate_series), not through
 * the commands: 100,000 products would take minutes through them and the bench measures reads.
 * Names are made of industrial words so searches match realistic fractions of the catalog.
 */
export async function generateCatalog(sql: postgres.Sql, products: number) {
  const [supplier] = await sql<{ id: string }[]>`insert into organizations (name, slug, kind) values ('Bench Supply', 'bench-supply', 'supplier') returning id`;
  const [account] = await sql<{ id: string }[]>`insert into organizations (name, slug) values ('Bench Account', 'bench-account') returning id`;
  await sql`insert into accounts (org_id, supplier_id, tier) values (${account!.id}, ${supplier!.id}, 'Gold')`;
  await sql`insert into account_currencies (org_id, currency, rate_to_base, is_base) values (${account!.id}, 'USD', 1, true), (${account!.id}, 'EUR', 1.08, false)`;
  await sql.unsafe(`
    insert into products (org_id, sku, name, category, unit)
    select '${supplier!.id}', 'SKU-' || lpad(i::text, 6, '0'),
      (array['Hex','Carriage','Flange','Socket','Wing','Lock','Spring','Threaded','Coupling','Ball'])[1 + i % 10] || ' ' ||
      (array['bolt','nut','washer','screw','bearing','valve','gasket','bracket','hinge','clamp','fitting','filter'])[1 + (i / 10) % 12] || ' ' ||
      (array['M6','M8','M10','M12','M16','1/4 in','3/8 in','1/2 in'])[1 + (i / 120) % 8] || ' x ' || (10 + (i / 960) % 90)::text || ', ' ||
      (array['zinc','stainless','brass','black oxide','galvanized','nylon'])[1 + (i / 7) % 6] || ' ' || i::text,
      'Category ' || (i % 40)::text, (array['each','box','case'])[1 + i % 3]
    from generate_series(1, ${products}) i`);
  await sql`insert into product_prices (product_id, org_id, currency, unit_price_minor) select id, org_id, 'USD', 100 + (abs(hashtext(sku)) % 100000) from products`;
  await sql`insert into product_prices (product_id, org_id, currency, unit_price_minor) select id, org_id, 'EUR', 90 + (abs(hashtext(sku)) % 90000) from products where right(sku, 1) <> '7'`;
  await sql`insert into account_prices (product_id, supplier_id, account_id, currency, unit_price_minor) select id, org_id, ${account!.id}, 'USD', 50 from products where right(sku, 2) = '00'`;
  await sql.unsafe("analyze products; analyze product_prices; analyze account_prices");
  return { supplierId: supplier!.id, accountId: account!.id };
}

/**
 * Orders over `accounts` account orgs for the cross-account list, with the rollup trigger off
 * while loading (a row-by-row upsert per order) and the rollup rebuilt in one statement after.
 */
export async function generateOrders(sql: postgres.Sql, orders: number, accountCount: number) {
  const [user] = await sql<{ id: string }[]>`insert into users (email, name) values ('bench-buyer@example.test', 'Bench Buyer') returning id`;
  await sql.unsafe(`
    with a as (insert into organizations (name, slug) select 'Account ' || g, 'bench-a-' || g from generate_series(1, ${accountCount}) g returning id, slug)
    insert into branches (id, org_id, name, path) select gen_random_uuid(), id, 'Main', '/' || id || '/' from a`);
  await sql.unsafe(`alter table orders disable trigger orders_rollup_insert_delete`);
  const perBatch = 500_000;
  for (let done = 0; done < orders; done += perBatch) {
    const n = Math.min(perBatch, orders - done);
    await sql.unsafe(`
      insert into orders (org_id, number, branch_id, buyer_id, status, currency, subtotal_minor, total_minor, placed_at)
      with b as (select array_agg(id order by id) as ids, array_agg(org_id order by id) as orgs from branches where name = 'Main' and org_id in (select id from organizations where slug like 'bench-a-%'))
      select b.orgs[1 + i % ${accountCount}], 'PO-' || (${done} + i), b.ids[1 + i % ${accountCount}], '${user!.id}',
        (array['submitted','approved','fulfilled','fulfilled','draft','rejected','cancelled'])[1 + i % 7]::order_status,
        'USD', 1000 + i % 90000, 1000 + i % 90000, now() - ((i::bigint * 7919) % 31536000) * interval '1 second'
      from generate_series(${done + 1}, ${done + n}) i, b`);
  }
  await sql.unsafe(`alter table orders enable trigger orders_rollup_insert_delete`);
  await sql.unsafe(`insert into order_monthly_totals select org_id, date_trunc('month', placed_at at time zone 'UTC')::date, currency, status, count(*), sum(total_minor) from orders group by 1, 2, 3, 4`);
  await sql`analyze orders`;
  const [one] = await sql<{ org_id: string }[]>`select org_id from orders limit 1`;
  return { oneAccountId: one!.org_id };
}
