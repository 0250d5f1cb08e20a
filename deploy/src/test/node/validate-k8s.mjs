// Validates Kubernetes resources against the official Kubernetes OpenAPI schemas that the npm package
// kubernetes-models embeds (pinned in the root package.json). Used by deploy's ManifestsTest.
//
//   node validate-k8s.mjs <resources.json>
//
// <resources.json> holds a JSON array of resources. Prints a JSON array with one entry per resource, in order:
// {"apiVersion", "kind", "name", "status": "valid" | "invalid" | "no-schema", "errors": ["<path> <message>", ...]}.
// "no-schema" means kubernetes-models has no model for that apiVersion/kind (custom resources such as Strimzi's).
import { readFileSync } from 'node:fs';

const docs = JSON.parse(readFileSync(process.argv[2], 'utf8'));

async function modelFor(apiVersion, kind) {
  // "v1" -> kubernetes-models/v1, "apps/v1" -> kubernetes-models/apps/v1
  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch (e) {
    if (e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || e.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return module[kind];
}

function describe(error) {
  if (Array.isArray(error.errors)) {
    return error.errors.map(e => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
  }
  return [String(error.message ?? error)];
}

const results = [];
for (const doc of docs) {
  const result = { apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata?.name, errors: [] };
  const Model = typeof doc.apiVersion === 'string' && typeof doc.kind === 'string'
    ? await modelFor(doc.apiVersion, doc.kind) : undefined;
  if (typeof Model !== 'function' || typeof Model.prototype.validate !== 'function') {
    result.status = 'no-schema';
  } else {
    try {
      new Model(doc).validate();
      result.status = 'valid';
    } catch (e) {
      result.status = 'invalid';
      result.errors = describe(e);
    }
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
