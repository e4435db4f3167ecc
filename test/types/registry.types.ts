// Compile-time tests of the typed registry helpers (never run).
// Each `@ts-expect-error` line must fail to compile; one that compiles is itself an error.
import {
  call,
  functionCall,
  functionCallManage,
  getObject,
  manageObject,
  methodCall,
  methodCallManage,
  ObjectId,
} from 'mpi-loop';

class Dataset {
  constructor(readonly values: number[]) {}
  mean(): number {
    return this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }
  scaled(factor: number): Dataset {
    return new Dataset(this.values.map((v) => v * factor));
  }
  async slowMean(): Promise<number> {
    return this.mean();
  }
  join(other: Dataset, label: string): string {
    return `${label}:${other.values.length}`;
  }
  readonly size = 3;
}
function makeDataset(n: number): Dataset {
  return new Dataset(Array.from({ length: n }, (_, i) => i));
}
async function loadDataset(path: string): Promise<Dataset> {
  return new Dataset([path.length]);
}
function total(d: Dataset, extra: number): number {
  return d.mean() + extra;
}

const id: ObjectId<Dataset> = call(functionCallManage, makeDataset, 10);
const mean: number = call(methodCall, id, 'mean');
const scaled: ObjectId<Dataset> = call(methodCallManage, id, 'scaled', 2);
const later: Promise<number> = call(methodCall, id, 'slowMean');
const loaded: Promise<ObjectId<Dataset>> = call(functionCallManage, loadDataset, 'x.csv');
const joined: string = call(methodCall, id, 'join', scaled, 'both'); // an ObjectId stands for its object
const sum: number = call(functionCall, total, id, 1);
const direct: number = methodCall(id, 'mean');
const same: Dataset = getObject(id);
const managed: ObjectId<Map<string, number>> = manageObject(new Map<string, number>());
const untyped: ObjectId = new ObjectId(7);
const anything: unknown = methodCall(untyped, 'whatever', 1, 2); // an ObjectId of unknown type takes any name
void [mean, scaled, later, loaded, joined, sum, direct, same, managed, anything];

// @ts-expect-error not a method of Dataset
call(methodCall, id, 'median');
// @ts-expect-error a property, not a method
call(methodCall, id, 'size');
// @ts-expect-error wrong argument type for scaled
call(methodCall, id, 'scaled', 'two');
// @ts-expect-error missing argument
call(methodCallManage, id, 'scaled');
// @ts-expect-error the result is a number, not a string
const wrong: string = call(methodCall, id, 'mean');
// @ts-expect-error an ObjectId of another type does not stand for a Dataset
call(methodCall, id, 'join', managed, 'x');
// @ts-expect-error makeDataset takes a number
call(functionCallManage, makeDataset, 'ten');
// @ts-expect-error the managed result of an async function is a Promise of its ObjectId
const notYet: ObjectId<Dataset> = call(functionCallManage, loadDataset, 'x.csv');
// @ts-expect-error getObject gives the managed type
const notMap: Map<string, number> = getObject(id);
void [wrong, notYet, notMap];
