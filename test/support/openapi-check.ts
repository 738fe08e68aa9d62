import { Ajv, type ValidateFunction } from 'ajv';
import { type NextFunction, type Request, type Response } from 'express';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
};
export type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
};

type Route = { template: string; pattern: RegExp; parameters: number };

/** Checkers by document text: every test app of a test file serves the same document. */
const checkers = new Map<string, OpenApiCheck>();

/**
 * Checks answers against an OpenAPI 3.0 document: that the status is one the operation
 * documents, and that a JSON body matches the schema documented for that status. Routes the
 * document does not name are not checked. Validators are compiled once per document and
 * operation, on first use.
 */
export class OpenApiCheck {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction | null>();

  private constructor(private readonly document: OpenApiDocument) {
    // `nullable` is one of Ajv's keywords (OpenAPI's); `example` and `format` are annotations.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addSchema({ components: document.components ?? {} }, 'openapi');
    this.routes = Object.keys(document.paths)
      .map((template) => {
        const parameters = (template.match(/\{[^}]+\}/g) ?? []).length;
        const source = template
          .split(/\{[^}]+\}/)
          .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+');
        return { template, pattern: new RegExp(`^${source}/?$`), parameters };
      })
      // `/campaigns/due` before `/campaigns/{campaignId}`.
      .sort((a, b) => a.parameters - b.parameters);
  }

  static for(document: OpenApiDocument): OpenApiCheck {
    const key = JSON.stringify(document);
    let check = checkers.get(key);
    if (!check) checkers.set(key, (check = new OpenApiCheck(document)));
    return check;
  }

  /** What is wrong with this answer, or undefined when it is as documented (or undocumented). */
  violation(answer: {
    method: string;
    path: string;
    status: number;
    contentType?: string;
    body?: string;
  }): string | undefined {
    const method = answer.method.toLowerCase();
    const route = this.routes.find(
      ({ template, pattern }) =>
        pattern.test(answer.path) && this.document.paths[template][method] !== undefined,
    );
    if (!route) return undefined;
    const operation = this.document.paths[route.template][method];
    const status = String(answer.status);
    const documented = operation.responses[status]
      ? status
      : operation.responses.default && 'default';
    const where = `${answer.method.toUpperCase()} ${answer.path} (${route.template}) answered ${status}`;
    if (!documented) {
      return `${where}, which its operation does not document (it documents ${Object.keys(operation.responses).join(', ')})`;
    }
    if (!answer.contentType?.includes('json') || answer.body === undefined || answer.body === '') {
      return undefined;
    }
    const validate = this.validator(route.template, method, documented);
    if (!validate) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return `${where} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
    }
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map(({ instancePath, message }) => `${instancePath || '(body)'} ${message}`);
    return `${where} with a body that does not match its schema: ${errors.join('; ')}`;
  }

  private validator(template: string, method: string, status: string) {
    const key = `${method} ${template} ${status}`;
    if (!this.validators.has(key)) {
      const content = this.document.paths[template][method].responses[status].content ?? {};
      const schema = Object.entries(content).find(([type]) => type.includes('json'))?.[1].schema;
      this.validators.set(
        key,
        schema
          ? this.ajv.compile(
              JSON.parse(
                JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
              ) as object,
            )
          : null,
      );
    }
    return this.validators.get(key) ?? undefined;
  }
}

/**
 * Express middleware that checks every answer of the app against its document once `check()`
 * returns one (but those `skip` names), and hands each violation to `report`. JSON bodies are kept as they are
 * written; other bodies (event streams, CSV, files) are not.
 */
export function checkAnswers(
  check: () => OpenApiCheck | undefined,
  report: (violation: string) => void,
  skip: (path: string) => boolean = () => false,
) {
  return (request: Request, response: Response, next: NextFunction) => {
    const checker = check();
    const path = request.originalUrl.split('?')[0];
    if (!checker || skip(path)) return next();
    const chunks: Buffer[] = [];
    const isJson = () => String(response.getHeader('content-type') ?? '').includes('json');
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || !isJson()) return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as Response['write'];
    response.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return end(...args);
    }) as Response['end'];
    response.once('finish', () => {
      const violation = checker.violation({
        method: request.method,
        path,
        status: response.statusCode,
        contentType: String(response.getHeader('content-type') ?? ''),
        body: chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined,
      });
      if (violation) report(violation);
    });
    next();
  };
}
