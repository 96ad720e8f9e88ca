// The `edifact` package ships no types; the intake bench uses only its Reader as a peer.
declare module "edifact" {
  export class Reader {
    constructor(config?: unknown);
    parse(document: string): unknown[];
  }
}
