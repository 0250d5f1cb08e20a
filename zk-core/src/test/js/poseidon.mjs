// Reference Poseidon outputs from circomlibjs for zk-core's tests.
// stdin: {"perm":[{"inputs":["dec",...],"init":"dec","nOut":n}], "sponge":[{"domain":"dec","inputs":["dec",...]}]}
// stdout: {"perm":[["dec",...]], "sponge":["dec"]}
import { buildPoseidon } from "circomlibjs";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const poseidon = await buildPoseidon();
const F = poseidon.F;
const dec = (x) => F.toString(x, 10);
const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const perm = (req.perm || []).map((c) => {
  const out = poseidon(c.inputs.map(BigInt), BigInt(c.init), c.nOut);
  return (Array.isArray(out) ? out : [out]).map(dec);
});

// H_D: width 17, rate 16, lane 0 = capacity initialised to the domain; blocks are added into
// lanes 1..16 and the state is permuted after each block, chained through poseidon(..., 17).
const sponge = (req.sponge || []).map((c) => {
  const inputs = c.inputs.map(BigInt);
  let state = new Array(17).fill(0n);
  state[0] = BigInt(c.domain);
  const blocks = Math.max(1, Math.ceil(inputs.length / 16));
  for (let b = 0; b < blocks; b++) {
    const lanes = [];
    for (let k = 0; k < 16; k++) {
      const v = b * 16 + k < inputs.length ? inputs[b * 16 + k] : 0n;
      lanes.push((state[1 + k] + v) % P);
    }
    const out = poseidon(lanes, state[0], 17);
    state = out.map((x) => BigInt(dec(x)));
  }
  return state[0].toString();
});

process.stdout.write(JSON.stringify({ perm, sponge }));
process.exit(0);
