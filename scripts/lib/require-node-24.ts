/**
 * Imported first by every entry point (launcher, CLI, test runner). The project pins its own
 * Node.js 24 (the `node` package), which npm puts first on the PATH of every npm script; a script
 * started some other way with an older `node` stops here with one line saying what to do, rather
 * than failing later on a missing API.
 */
export const REQUIRED_NODE_MAJOR = 24;

/** The refusal for a Node.js version older than the project's, or null when it will do. */
export function describeUnsupportedNode(version: string): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return `Countersign needs Node.js ${REQUIRED_NODE_MAJOR} or newer; this is ${version}. Run it through npm (npm start, npm test, npm run cli), which uses the Node.js ${REQUIRED_NODE_MAJOR} that npm install put in node_modules/.bin.`;
}

const refusal = describeUnsupportedNode(process.version);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
