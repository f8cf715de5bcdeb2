/**
 * The Spark Connect connection string (`sc://host[:port]/;param=value;…`, as Spark's client connection
 * string document defines it): host, port (default 15002), `use_ssl`, `user_id`, `user_agent`, and every
 * other parameter as a gRPC header. lhctl takes the token from an environment variable instead, so a URL
 * that carries one is refused: it would sit in a profile, a shell history and the process list.
 */
export interface SparkConnectUrl {
  host: string;
  port: number;
  useSsl: boolean;
  userId: string | undefined;
  userAgent: string | undefined;
  /** Extra gRPC metadata the cluster's proxy may want (e.g. a routing header). */
  headers: Record<string, string>;
}

export const DEFAULT_SPARK_CONNECT_PORT = 15002;

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;
const HEADER_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
/** Parameters the connection string defines that lhctl has no use for: the session is lhctl's own. */
const IGNORED = new Set(['session_id', 'grpc_max_message_size']);

/** Why a connection string is not valid, in words that never repeat a parameter's value. */
export class SparkConnectUrlError extends Error {}

export function parseSparkConnectUrl(text: string): SparkConnectUrl {
  const match = /^sc:\/\/([^/:;]+|\[[^\]]+\])(?::(\d{1,5}))?\/?(.*)$/.exec(text);
  if (!match) throw new SparkConnectUrlError('must be a Spark Connect URL, sc://host[:port][/;param=value…]');
  const [, host = '', portText, rest = ''] = match;
  if (!HOST.test(host)) throw new SparkConnectUrlError(`names a host that is not a valid host name (got "${host}")`);
  const port = portText === undefined ? DEFAULT_SPARK_CONNECT_PORT : Number(portText);
  if (port < 1 || port > 65535) throw new SparkConnectUrlError(`names port ${portText}, outside 1-65535`);
  if (rest !== '' && !rest.startsWith(';')) throw new SparkConnectUrlError('must have an empty path: parameters follow "/;", as in sc://host:15002/;use_ssl=true');
  const url: SparkConnectUrl = { host, port, useSsl: false, userId: undefined, userAgent: undefined, headers: {} };
  for (const part of rest.split(';').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (key === 'token') throw new SparkConnectUrlError('must not carry a token: put it in an environment variable and name that variable in `spark_connect.token_env`');
    if (key === 'use_ssl') {
      if (value !== 'true' && value !== 'false') throw new SparkConnectUrlError(`has use_ssl=${value}; it must be true or false`);
      url.useSsl = value === 'true';
    } else if (key === 'user_id') url.userId = value;
    else if (key === 'user_agent') url.userAgent = value;
    else if (IGNORED.has(key)) continue;
    else if (HEADER_NAME.test(key.toLowerCase()) && key.toLowerCase() !== 'authorization') url.headers[key.toLowerCase()] = value;
    else throw new SparkConnectUrlError(`has a parameter "${key}" that is not a valid header name`);
  }
  return url;
}

/** The address an operator recognises, with the parameters that say how lhctl connects (no header values). */
export function describeSparkConnectUrl(url: SparkConnectUrl): string {
  return `sc://${url.host}:${url.port}${url.useSsl ? ' (TLS)' : ''}`;
}
