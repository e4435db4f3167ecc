// Assembles kernels.wat into kernels.wasm with WebAssembly's own binary
// toolkit (wabt). The binary is committed, so running the solver needs
// neither wabt nor this script; a test checks the two stay in step.
//   node examples/solver/build-kernels.mjs          write kernels.wasm
//   node examples/solver/build-kernels.mjs --check  exit 1 if it is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import wabtModule from 'wabt';

const wat = new URL('./kernels.wat', import.meta.url);
const wasm = new URL('./kernels.wasm', import.meta.url);

export async function assemble() {
  const wabt = await wabtModule();
  const module = wabt.parseWat('kernels.wat', readFileSync(wat, 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bytes = await assemble();
  if (process.argv.includes('--check')) {
    const stale = !bytes.equals(readFileSync(wasm));
    if (stale) console.error('kernels.wasm is stale: run node examples/solver/build-kernels.mjs');
    process.exitCode = stale ? 1 : 0;
  } else {
    writeFileSync(wasm, bytes);
    console.log(`wrote ${wasm.pathname} (${bytes.length} bytes)`);
  }
}
