// Compile-time test (never run): every entry point's published declarations
// type-check on their own (skipLibCheck is off), so no public type refers to
// one that was left out of them.
import * as face from 'mpi-loop';
import * as parallel from 'mpi-loop/parallel';
import * as futures from 'mpi-loop/futures';

export const entries = [face, parallel, futures];
// @ts-expect-error internal helpers are not part of the published types
face.startDriving();
