/**
 * The argument schemas in JSON-Schema form, as app-server dynamic tools
 * (the `dynamicTools` list of the app-server's `thread/start` request).
 *
 * Every `inputSchema` is self-contained draft 2020-12 (no `$schema`, no `$ref`), shaped for
 * what Codex does with it before the model sees it: Codex keeps only `type`, `description`,
 * `enum` (it turns `const` into `enum`), `items`, `properties`, `required`,
 * `additionalProperties` and `anyOf`, and treats a typeless schema as a string. So:
 * - unions are written `anyOf` (never `oneOf`), with `type:"object"` beside them when every
 *   branch is an object, so the model still sees an object if `anyOf` is dropped;
 * - the root is always `{type:"object"}`: a root union (automation_update) is flattened into
 *   one object whose properties are the union of the branches' and whose per-branch rules
 *   (required fields, allowed fields) sit in `allOf` if/then clauses. Validators (Ajv) honour
 *   them; Codex drops them, and the model relies on the descriptions.
 */
import { z } from 'zod';
import { CODEX_APP_DESCRIPTION, CODEX_APP_NAMESPACE, CODEX_APP_TOOL_NAMES, TOOLS } from './registry.js';

export type JsonSchema = { [key: string]: unknown };

export interface DynamicFunctionTool {
  type: 'function';
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export interface DynamicNamespace {
  type: 'namespace';
  name: string;
  description: string;
  tools: DynamicFunctionTool[];
}

export type DynamicTool = DynamicFunctionTool | DynamicNamespace;

/** The JSON Schema of a zod argument schema, in the form described above. */
export function toInputSchema(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    reused: 'inline',
  }) as JsonSchema;
  delete generated.$schema;
  const normalised = normalise(generated);
  return isTaggedUnion(normalised) ? flattenRootUnion(normalised) : normalised;
}

/**
 * A root union the flattening below can express: objects, each told apart by a discriminator.
 * A branch without one would turn into an `if` that always holds, imposing its rules on every
 * call; such a union stays an object-typed anyOf.
 */
function isTaggedUnion(root: JsonSchema): boolean {
  const branches = root.anyOf;
  // Stryker disable next-line ConditionalExpression: a branch with a required const property is an object, so a root whose branches all have one is too
  return root.type === 'object' && Array.isArray(branches) && branches.length > 0 && branches.every((b) => discriminatorsOf(b as JsonSchema).length > 0);
}

const propsOf = (b: JsonSchema) => (b.properties ?? {}) as Record<string, JsonSchema>;
// Stryker disable next-line ArrayDeclaration: only tagged unions are flattened, and each of their branches lists its discriminator as required
const requiredOf = (b: JsonSchema) => (b.required as string[] | undefined) ?? [];
/** A branch's discriminators: its required `const` properties (`mode`). */
const discriminatorsOf = (b: JsonSchema) => Object.entries(propsOf(b)).filter(([k, p]) => 'const' in p && requiredOf(b).includes(k));

/** One function tool of the registry as an app-server dynamic tool. */
export function toolFunction(name: keyof typeof TOOLS): DynamicFunctionTool {
  const spec = TOOLS[name];
  return { type: 'function', name: spec.name, description: spec.description, inputSchema: toInputSchema(spec.args) };
}

/** The `codex_app` namespace with its ten thread tools. */
export function codexAppNamespace(): DynamicNamespace {
  return {
    type: 'namespace',
    name: CODEX_APP_NAMESPACE,
    description: CODEX_APP_DESCRIPTION,
    tools: CODEX_APP_TOOL_NAMES.map(toolFunction),
  };
}

/** The top-level `automation_update` tool. */
export function automationUpdateTool(): DynamicFunctionTool {
  return toolFunction('automation_update');
}

/** Everything a leader thread is given: `[codexAppNamespace(), automationUpdateTool()]`. */
export function dynamicTools(): DynamicTool[] {
  return [codexAppNamespace(), automationUpdateTool()];
}

// ---------------------------------------------------------------------------------------

function isSchema(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** oneOf → anyOf, `type:"object"` beside all-object unions; recursively. */
function normalise(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      // A map of names to schemas: a property may be called "anyOf" without being one.
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, normaliseAny(v)]));
    } else if (key === 'oneOf' || key === 'anyOf') {
      out.anyOf = flattenNestedAnyOf(normaliseAny(value) as unknown[]);
    } else {
      // Sub-schemas (items, additionalProperties, …), lists of them (allOf, prefixItems) and
      // plain values (required, enum, const) alike: only schemas change.
      out[key] = normaliseAny(value);
    }
  }
  const branches = out.anyOf;
  if (Array.isArray(branches) && branches.every((b) => isSchema(b) && b.type === 'object')) {
    out.type = 'object';
  }
  return out;
}

function normaliseAny(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseAny);
  return isSchema(value) ? normalise(value) : value;
}

/** `anyOf:[{anyOf:[a,b]}, c]` → `anyOf:[a,b,c]` when the inner union carries nothing else. */
function flattenNestedAnyOf(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of list) {
    if (isSchema(item) && Array.isArray(item.anyOf) && Object.keys(item).every((k) => k === 'anyOf' || k === 'type')) {
      out.push(...item.anyOf);
    } else {
      out.push(item);
    }
  }
  return out;
}

/**
 * A root union of objects as one object. A branch's discriminators are its REQUIRED `const`
 * properties (`mode`). Properties are merged in first-seen order (a discriminator becomes an
 * `enum` of its values, with the branches' descriptions joined); `required` is what every
 * branch requires; and `allOf` (1) demands the discriminators of some branch and (2) for each
 * branch, when its discriminators match, applies that branch's required fields, allowed
 * fields, own rules, and any property schema that differs from the merged one.
 */
function flattenRootUnion(root: JsonSchema): JsonSchema {
  const branches = root.anyOf as JsonSchema[];
  const discriminatorKeys = new Set(branches.flatMap((b) => discriminatorsOf(b).map(([k]) => k)));

  const properties: Record<string, JsonSchema> = {};
  for (const key of discriminatorKeys) {
    const values = [...new Set(branches.map((b) => propsOf(b)[key]?.const).filter((v) => v !== undefined))];
    const descriptions = [...new Set(branches.map((b) => propsOf(b)[key]?.description).filter((d): d is string => typeof d === 'string'))];
    properties[key] = {
      ...(descriptions.length > 0 ? { description: descriptions.join(' ') } : {}),
      type: 'string',
      enum: values,
    };
  }
  for (const branch of branches) {
    for (const [key, prop] of Object.entries(propsOf(branch))) {
      if (discriminatorKeys.has(key)) continue;
      const existing = properties[key];
      properties[key] = existing === undefined ? prop : mergeProperty(existing, prop);
    }
  }
  const requiredSets = branches.map((b) => new Set(requiredOf(b)));
  const required = [...requiredSets[0]!].filter((k) => requiredSets.every((s) => s.has(k)));

  const conditions = branches.map((b) => {
    const discriminators = discriminatorsOf(b);
    return {
      properties: Object.fromEntries(discriminators.map(([k, p]) => [k, { const: p.const }])),
      required: discriminators.map(([k]) => k),
    };
  });
  const perBranch = branches.map((b, i) => {
    const then: JsonSchema = { required: requiredOf(b), propertyNames: { enum: Object.keys(propsOf(b)) } };
    const differing = Object.entries(propsOf(b)).filter(([k, p]) => !discriminatorKeys.has(k) && !sameIgnoringDescription(p, properties[k]!));
    if (differing.length > 0) then.properties = Object.fromEntries(differing);
    if (Array.isArray(b.allOf)) then.allOf = b.allOf;
    return { if: conditions[i], then };
  });

  const out: JsonSchema = {};
  if (root.description !== undefined) out.description = root.description;
  out.type = 'object';
  out.properties = properties;
  out.required = required;
  out.additionalProperties = false;
  out.allOf = [{ anyOf: conditions }, ...perBranch];
  return out;
}

function withoutDescription(s: JsonSchema): JsonSchema {
  const { description: _description, ...rest } = s;
  return rest;
}

function sameIgnoringDescription(a: JsonSchema, b: JsonSchema): boolean {
  return JSON.stringify(withoutDescription(a)) === JSON.stringify(withoutDescription(b));
}

/** The same schema (descriptions aside) keeps the first; otherwise either is accepted. */
function mergeProperty(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (sameIgnoringDescription(a, b)) return a;
  const branches = [
    ...(Array.isArray(a.anyOf) && Object.keys(a).every((k) => k === 'anyOf' || k === 'description') ? (a.anyOf as JsonSchema[]) : [withoutDescription(a)]),
  ];
  if (!branches.some((x) => sameIgnoringDescription(x, b))) branches.push(withoutDescription(b));
  return { ...(a.description !== undefined ? { description: a.description } : {}), anyOf: branches };
}
