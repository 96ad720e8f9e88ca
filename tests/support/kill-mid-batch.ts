// A child process for the fault-injection test: processes one intake message and kills itself with
// SIGKILL inside document KILL_AT's transaction, after its order was inserted and before COMMIT, as a
// worker machine that loses power would. Run with DATABASE_URL set to the test file's database.
import { processMessage } from "@/lib/intake/process/process-message";

const messageId = process.argv[2]!;
const killAt = Number(process.argv[3]);
await processMessage(messageId, { afterOrder: (index) => { if (index === killAt) process.kill(process.pid, "SIGKILL"); } });
process.exit(0);
