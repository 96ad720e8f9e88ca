import type postgres from "postgres";

const FIRST = ["anna", "ben", "carla", "david", "elena", "farid", "grace", "hiro", "ines", "jonas", "kemal", "lena", "marco", "nora", "omar", "paula", "quinn", "rosa", "sven", "tara", "umar", "vera", "wei", "ximena", "yusuf", "zoe", "amir", "bianca", "chen", "dana", "erik", "fatima", "gus", "hana", "ivan", "julia", "kai", "lucia", "mateo", "nina", "oscar", "priya", "rafael", "sofia", "tomas", "ugo", "valentina", "will", "yara", "zeno"];
const LAST = ["smith", "mueller", "garcia", "rossi", "tanaka", "kowalski", "nguyen", "silva", "ivanova", "haddad", "jensen", "dubois", "novak", "popescu", "kim", "okafor", "larsen", "moreau", "schmidt", "costa", "yilmaz", "petrov", "sato", "fischer", "lopez", "berg", "martin", "ward", "kaur", "osei", "mendes", "weber", "horvat", "nowak", "ali", "khan", "lee", "park", "wagner", "becker"];
const DOMAINS = ["example.test", "acme.test", "mail.test", "corp.test"];

/**
 * One org of `members` members for the member search, written as the owner in bulk (SQL
 * generate_series), not through the commands: a million invitations would take hours and the
 * bench measures reads. Users and memberships are loaded with the member indexes dropped and
 * rebuilt afterwards (as a restore would), the key trigger on, so the keys are the app's own.
 * Every member holds a Buyer grant at one of 10 branches (for the scoped reader).
 */
export async function generateMembers(sql: postgres.Sql, orgId: string, members: number): Promise<{ branchIds: string[] }> {
  const branches = await sql<{ id: string }[]>`
    insert into branches (id, org_id, name, path)
    select gen_random_uuid(), ${orgId}, 'Region ' || g, '' from generate_series(1, 10) g returning id`;
  await sql`update branches set path = '/' || id || '/' where org_id = ${orgId} and path = ''`;
  const indexes = await sql<{ indexname: string; indexdef: string }[]>`
    select indexname, indexdef from pg_indexes where tablename = 'memberships' and indexname in ('memberships_org_email_idx', 'memberships_org_name_idx', 'memberships_org_status_idx', 'memberships_search_trgm_idx')`;
  for (const i of indexes) await sql.unsafe(`drop index ${i.indexname}`);
  const first = `array[${FIRST.map((f) => `'${f}'`).join(",")}]`;
  const last = `array[${LAST.map((l) => `'${l}'`).join(",")}]`;
  const domains = `array[${DOMAINS.map((d) => `'${d}'`).join(",")}]`;
  const perBatch = 250_000;
  for (let done = 0; done < members; done += perBatch) {
    const n = Math.min(perBatch, members - done);
    await sql.unsafe(`
      with u as (
        insert into users (email, name)
        select (${first})[1 + i % ${FIRST.length}] || '.' || (${last})[1 + (i / ${FIRST.length}) % ${LAST.length}] || i || '@' || (${domains})[1 + i % ${DOMAINS.length}],
               initcap((${first})[1 + i % ${FIRST.length}]) || ' ' || initcap((${last})[1 + (i / ${FIRST.length}) % ${LAST.length}])
        from generate_series(${done + 1}, ${done + n}) i
        returning id
      )
      insert into memberships (org_id, user_id, status)
      select '${orgId}', id, (case when random() < 0.02 then 'deactivated' when random() < 0.05 then 'invited' else 'active' end)::membership_status from u`);
  }
  const role = await sql<{ id: string }[]>`select id from roles where org_id = ${orgId} and name = 'Buyer'`;
  await sql.unsafe(`
    with b as (select array_agg(id order by id) as ids from branches where org_id = '${orgId}' and name like 'Region %')
    insert into grants (org_id, membership_id, role_id, branch_id)
    select '${orgId}', m.id, '${role[0]!.id}', b.ids[1 + abs(hashtext(m.id::text)) % 10] from memberships m, b where m.org_id = '${orgId}'
      and not exists (select 1 from grants g where g.membership_id = m.id)`);
  for (const i of indexes) await sql.unsafe(i.indexdef);
  // VACUUM as autovacuum would after such a load: it sets the visibility map that the member
  // search's index-only walk needs (migration 0029).
  for (const statement of ["vacuum analyze users", "vacuum analyze memberships", "analyze grants"]) await sql.unsafe(statement);
  return { branchIds: branches.map((b) => b.id) };
}
