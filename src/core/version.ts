// dsim's version, part of every execution's identity (replay files record it). A test keeps it
// equal to package.json's.
export const DSIM_VERSION = "0.3.0";
