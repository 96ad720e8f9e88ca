import type postgres from "postgres";

/**
 * Statements with at most this many parameters are prepared. The cap keeps the per-connection
 * cache to the app's query shapes: a bulk insert or an `IN` list of many ids makes a new text
 * for every size, and preparing those would only fill the cache (postgres.js never evicts; a
 * connection's statements go when the pool retires it, after `max_lifetime`).
 */
const MAX_PREPARED_PARAMETERS = 64;

/**
 * The postgres.js client that drizzle is given, with its statements prepared.
 *
 * Drizzle runs every query through `unsafe(text, params, { prepare: false })`. postgres.js then
 * cannot know the parameters' types, so it sends Parse and Describe, waits for the answer, and
 * only then sends Bind and Execute: two round trips per statement, and a fresh plan each time.
 * A prepared statement is described once per connection, and from then on costs one round trip
 * (Bind and Execute) and reuses its plan. Under load each round trip waits for a scheduler
 * slice, so this halves what a command spends waiting (ADR 0024).
 *
 * A transaction's or a savepoint's own client is wrapped the same way, since drizzle runs the
 * transaction's statements on it. Everything else passes through unchanged.
 */
export function prepareStatements(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (text: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(text, parameters, (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS ? { ...options, prepare: true } : options);
      }
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const body = args.pop() as (inner: postgres.Sql) => unknown;
          return open.call(target, ...args, (inner: postgres.Sql) => body(prepareStatements(inner)));
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
