// Run by Node in place of its REPL on ranks > 0 when no script is given.
import { serveAndExit } from './worker';

void serveAndExit();
