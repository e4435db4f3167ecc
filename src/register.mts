// `node --import mpi-loop/register`: the same preload; on ranks > 0 the
// top-level await holds the main module back while this rank serves the loop.
import registration from './register.js';

if (registration.workerServes) await registration.serve();
