import { z } from "zod";

// Runs in the browser before the app's modules. zod compiles object parsers with `new Function`
// when eval is allowed, and probes for that on first use; under our CSP (no 'unsafe-eval') the
// probe fails quietly but still raises a securitypolicyviolation. Jitless skips the probe.
z.config({ jitless: true });
