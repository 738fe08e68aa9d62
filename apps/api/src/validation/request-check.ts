import {
  type ValidationArguments,
  type ValidatorConstraintInterface,
  type MetadataStorage,
  ValidationTypes,
  getMetadataStorage,
} from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

type Constraint = {
  metadata: ValidationMetadata;
  validators: ValidatorConstraintInterface[];
};

type PropertyRules = {
  property: string;
  /** `@IsOptional`, `@ValidateIf`: the rules below apply only when every one holds. */
  conditions: ((object: object, value: unknown) => boolean)[];
  constraints: Constraint[];
};

/**
 * A request class's class-validator rules, looked up once, for checking many rows of it: the
 * rules stay the decorators' (and the OpenAPI document's), only the per-row look-up of class
 * and constraint metadata is gone. It answers whether a row surely passes; a row it does not
 * pass goes through `validateSync`, which says why, so errors read exactly as before.
 *
 * It takes only the kinds of rule it can check exactly as class-validator's executor does for
 * `validateSync(request, { whitelist: true, forbidNonWhitelisted: true })`: custom rules
 * (every `@IsString`, `@IsIn`, `@MaxLength`…, and ours) and conditions (`@IsOptional`,
 * `@ValidateIf`). A class with any other kind (`@ValidateNested`, `@IsDefined`, `@Allow`,
 * async rules) has no `RequestCheck`, and its rows take the usual way.
 */
export class RequestCheck<Request extends object = object> {
  /** Read once: a function's `name` is a getter, and the rules ask for it at every call. */
  private readonly targetName: string;

  private constructor(
    private readonly requestClass: new () => Request,
    private readonly rules: PropertyRules[],
    private readonly known: ReadonlySet<string>,
  ) {
    this.targetName = requestClass.name;
  }

  /** Undefined when the class has a kind of rule this check does not take. */
  static of<Request extends object>(
    requestClass: new () => Request,
  ): RequestCheck<Request> | undefined {
    if (!cache.has(requestClass)) {
      const rules = rulesOf(requestClass);
      const known = new Set(rules?.map(({ property }) => property));
      cache.set(requestClass, rules && new RequestCheck(requestClass, rules, known));
    }
    return cache.get(requestClass) as RequestCheck<Request> | undefined;
  }

  /**
   * The request as class-transformer's `plainToInstance` builds it from parsed JSON for a class
   * without class-transformer decorators: a new instance with the fields assigned (nested
   * values shared rather than copied: they were parsed for this request alone).
   */
  instance(fields: Record<string, unknown>): Request {
    const request = new this.requestClass() as Record<string, unknown>;
    for (const key of Object.keys(fields)) request[key] = fields[key];
    return request as Request;
  }

  /** True only if `validateSync` would find nothing wrong with `request`. */
  passes(request: Request): boolean {
    for (const key of Object.keys(request)) if (!this.known.has(key)) return false;
    for (const { property, conditions, constraints } of this.rules) {
      const value = (request as Record<string, unknown>)[property];
      if (!conditions.every((condition) => condition(request, value))) continue;
      for (const { metadata, validators } of constraints) {
        if (metadata.validateIf && !metadata.validateIf(request, value)) continue;
        const args: ValidationArguments = {
          targetName: this.targetName,
          property,
          object: request,
          value,
          constraints: metadata.constraints,
        };
        for (const validator of validators) {
          if (!holds(validator, metadata.each, value, args)) return false;
        }
      }
    }
    return true;
  }
}

const cache = new Map<new () => object, RequestCheck | undefined>();

function holds(
  validator: ValidatorConstraintInterface,
  each: boolean,
  value: unknown,
  args: ValidationArguments,
): boolean {
  const values = each ? eachOf(value) : undefined;
  if (!values) return validator.validate(value, args) === true;
  for (const item of values) if (validator.validate(item, args) !== true) return false;
  return true;
}

/** The items `each: true` checks one by one, as class-validator's `convertToArray` lists them. */
function eachOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.values()];
  if (value instanceof Set) return [...value];
  return undefined;
}

/** The class's rules by property, or undefined if one is of a kind `RequestCheck` does not take. */
function rulesOf(requestClass: new () => object): PropertyRules[] | undefined {
  const storage = getMetadataStorage();
  // The arguments class-validator's executor passes for validateSync without groups.
  const metadatas = storage.getTargetValidationMetadatas(
    requestClass,
    undefined as unknown as string,
    false,
    false,
    undefined,
  );
  // Without rules, forbidUnknownValues refuses every object: nothing to speed up.
  if (metadatas.length === 0) return undefined;
  const rules: PropertyRules[] = [];
  for (const [property, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    const rule: PropertyRules = { property, conditions: [], constraints: [] };
    for (const metadata of own) {
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        rule.conditions.push(metadata.constraints[0]);
        continue;
      }
      if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) return undefined;
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      // validateSync skips async rules; a row that passes here would still be checked by them
      // on the routes that validate asynchronously.
      if (constraints.some(({ async }) => async)) return undefined;
      rule.constraints.push({
        metadata,
        validators: constraints.map(({ instance }) => instance),
      });
    }
    rules.push(rule);
  }
  return rules;
}
