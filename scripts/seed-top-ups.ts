// Prints what the demo seed's top-ups put in the ledger's processor_cash (whole cents). scripts/dev.mjs passes
// it to the local processor as its opening balance: local/ imports nothing from the app's layers.
import { seededTopUpCents } from "../lib/seedData";

process.stdout.write(`${seededTopUpCents()}\n`);
