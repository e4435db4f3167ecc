// A distributed data set: every rank holds one slice of the samples. Rank 0
// never sees the data; it drives the object through call(), the way pyMOR
// drives its MPI vector arrays.
import { comm, rank, size, SUM, MIN, MAX, IN_PLACE } from 'mpi-loop';

/** A small deterministic generator, so every run (at any rank count) sees the same samples. */
function sample(i) {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  const u1 = ((x ^ (x >>> 16)) >>> 0) / 2 ** 32 + 1e-12;
  const u2 = (Math.imul(x, 0x27d4eb2d) >>> 0) / 2 ** 32;
  return 20 + 5 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2); // normal(20, 5)
}

export class Dataset {
  constructor(total) {
    const per = Math.ceil(total / size);
    this.offset = Math.min(total, rank * per);
    this.values = new Float64Array(Math.min(total, this.offset + per) - this.offset);
    for (let i = 0; i < this.values.length; i++) this.values[i] = sample(this.offset + i);
    this.total = total;
  }

  /** Global mean: one Allreduce. */
  mean() {
    const s = new Float64Array([this.values.reduce((a, b) => a + b, 0)]);
    comm.Allreduce(IN_PLACE, s, SUM);
    return s[0] / this.total;
  }

  std() {
    const m = this.mean();
    const s = new Float64Array([this.values.reduce((a, v) => a + (v - m) ** 2, 0)]);
    comm.Allreduce(IN_PLACE, s, SUM);
    return Math.sqrt(s[0] / this.total);
  }

  range() {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of this.values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [comm.allreduce(lo, MIN), comm.allreduce(hi, MAX)];
  }

  /** A new distributed data set, standardised (mean 0, deviation 1): managed with methodCallManage. */
  standardized() {
    const m = this.mean(),
      d = this.std();
    const out = Object.create(Dataset.prototype);
    Object.assign(out, this, { values: this.values.map((v) => (v - m) / d) });
    return out;
  }

  histogram(bins, lo, hi) {
    const counts = new Float64Array(bins);
    for (const v of this.values) {
      const b = Math.floor(((v - lo) / (hi - lo)) * bins);
      counts[Math.max(0, Math.min(bins - 1, b))]++;
    }
    comm.Allreduce(IN_PLACE, counts, SUM);
    return Array.from(counts);
  }

  /** Where the samples live: each rank's slice, gathered on rank 0. */
  layout() {
    return comm.gather({ rank, offset: this.offset, count: this.values.length }, 0);
  }
}

export function makeDataset(total) {
  return new Dataset(total);
}
