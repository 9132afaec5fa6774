// Errors with the apiserver's Status bodies (k8s.io/apimachinery/pkg/api/errors).

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, ...(this.reason ? { reason: this.reason } : {}), ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

const resourceName = (group: string, plural: string) => (group ? `${plural}.${group}` : plural);

export const notFound = (group: string, plural: string, name: string) =>
  new ApiError(404, 'NotFound', `${resourceName(group, plural)} "${name}" not found`, { name, group, kind: plural });

export const alreadyExists = (group: string, plural: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${resourceName(group, plural)} "${name}" already exists`, { name, group, kind: plural });

export const conflict = (group: string, plural: string, name: string, why: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resourceName(group, plural)} "${name}": ${why}`, { name, group, kind: plural });

export const invalid = (group: string, kind: string, name: string, causes: { field: string; message: string; reason?: string }[]) =>
  new ApiError(
    422,
    'Invalid',
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    { name, group, kind, causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })) },
  );

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const forbidden = (user: string, verb: string, group: string, plural: string, namespace?: string, name?: string) =>
  new ApiError(
    403,
    'Forbidden',
    `${plural}${group ? `.${group}` : ''}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
    { ...(name ? { name } : {}), group, kind: plural },
  );

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

