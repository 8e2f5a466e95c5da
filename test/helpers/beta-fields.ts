// The pinned beta session schema's rules for the fields the fuzz suites let a browser set, written
// out by hand from openapi/realtime.yaml (RealtimeSessionCreateRequest): the oracle the generated
// validators are checked against, independently of them.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the token route (beta shape) accepts `value` for `field`; `true` for fields without a rule here. */
export function betaFieldValid(field: string, value: unknown): boolean {
  switch (field) {
    case 'voice':
      return typeof value === 'string';
    case 'temperature':
      return typeof value === 'number' && value >= 0.6 && value <= 1.2;
    case 'tools':
      return (
        Array.isArray(value) &&
        value.every(
          (tool) =>
            isObject(tool) &&
            (tool.type === undefined || tool.type === 'function') &&
            (tool.name === undefined || typeof tool.name === 'string') &&
            (tool.description === undefined || typeof tool.description === 'string') &&
            (tool.parameters === undefined || isObject(tool.parameters)),
        )
      );
    default:
      return true;
  }
}
