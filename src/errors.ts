// Operating errors: bad input from the user (an unknown scenario, a malformed file, a bad seed).
// The CLI prints the message as one line on stderr and exits 2. Internal failures are DsimBug.

export class UsageError extends Error {
  override name = "UsageError";
}
