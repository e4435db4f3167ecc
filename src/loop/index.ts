// The pyMOR-like event loop: call(), quit(), the registry helpers and the loop itself.
export { comm, rank, size, rank0, parallel } from './state';
export { call, quit } from './call';
export { eventLoop } from './worker';
export { launchEventLoop } from './launch';
export { eventLoopSettings, type EventLoopSettings } from './settings';
export {
  functionCall,
  functionCallManage,
  methodCall,
  methodCallManage,
  mpiInfo,
  runCode,
  importModule,
  registerClass,
} from './helpers';
export { ObjectId, manageObject, getObject, removeObject } from './registry';
export { RemoteError } from './remote-error';
export { WorkersBusyError } from './lease';
export { ModuleNotLoadedError } from './function-refs';
