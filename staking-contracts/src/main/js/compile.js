// Compiles every .sol file under a source folder with solc-js (standard JSON), writing
// <Contract>.abi and <Contract>.bin for each deployable contract into an output folder.
// Usage: node compile.js <repoRoot> <outDir> <srcDir> [<importDir>...]
'use strict';
const fs = require('fs');
const path = require('path');

const [repoRoot, outDir, ...srcDirs] = process.argv.slice(2).map((p) => path.resolve(p));
if (!repoRoot || !outDir || srcDirs.length === 0) {
  console.error('usage: node compile.js <repoRoot> <outDir> <srcDir> [<importDir>...]');
  process.exit(2);
}
const solc = require(path.join(repoRoot, 'node_modules', 'solc'));
const ozRoot = path.join(repoRoot, 'node_modules', '@openzeppelin', 'contracts');

function listSol(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listSol(p);
    return e.name.endsWith('.sol') ? [p] : [];
  });
}

const stamp = path.join(outDir, '.stamp');
const allSources = srcDirs.flatMap((d) => (fs.existsSync(d) ? listSol(d) : []));
allSources.push(__filename);
if (fs.existsSync(stamp)) {
  const built = fs.statSync(stamp).mtimeMs;
  if (allSources.every((f) => fs.statSync(f).mtimeMs < built)) {
    console.log('contracts up to date in ' + outDir);
    process.exit(0);
  }
}

// Only the first folder's files are compiled as sources; the others are searched for imports.
const sources = {};
const primary = srcDirs[0];
for (const file of listSol(primary)) {
  sources[path.relative(primary, file).split(path.sep).join('/')] = { content: fs.readFileSync(file, 'utf8') };
}

function findImports(importPath) {
  if (importPath.startsWith('@openzeppelin/contracts/')) {
    const file = path.join(ozRoot, importPath.substring('@openzeppelin/contracts/'.length));
    return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + importPath };
  }
  for (const dir of srcDirs) {
    const file = path.join(dir, importPath);
    if (fs.existsSync(file)) return { contents: fs.readFileSync(file, 'utf8') };
  }
  return { error: 'not found: ' + importPath };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 1 },
    viaIR: true,
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) {
  if (e.severity !== 'error' && !e.sourceLocation?.file?.startsWith('@openzeppelin/')) console.warn(e.formattedMessage);
}
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
const primaryFiles = new Set(listSol(primary).map((f) => path.relative(primary, f).split(path.sep).join('/')));
const sizes = [];
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!primaryFiles.has(file)) continue;
  for (const [name, c] of Object.entries(contracts)) {
    const bin = c.evm.bytecode.object;
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), bin);
    const runtime = c.evm.deployedBytecode.object.length / 2;
    if (bin.length > 0) sizes.push(`${name}: ${runtime} bytes runtime, ${bin.length / 2} creation`);
    if (runtime > 24576) {
      console.error(`${name} is ${runtime} bytes, above the 24576-byte EIP-170 limit`);
      process.exit(1);
    }
    // JobMarket's creation code carries JobRounds' and JobRules' (its constructor deploys them)
    if (bin.length / 2 > 49152) {
      console.error(`${name}'s creation code is ${bin.length / 2} bytes, above the 49152-byte EIP-3860 limit`);
      process.exit(1);
    }
  }
}
fs.writeFileSync(stamp, new Date().toISOString());
console.log('solc ' + solc.version() + ': ' + sizes.join(', '));
