// `server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]`
// as QuorumPeer.QuorumServer reads it (IPv6 hosts in brackets). Pure.

import { ConfigErrorCode, keyError } from './errors.ts';
import type { QuorumServer } from './types.ts';
import { parseInt53, parsePort, type ValueSource } from './values.ts';

const FORM = 'host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]';

/** Java's String.split: trailing empty strings are dropped. */
function javaSplit(s: string, separator: string): string[] {
  const parts = s.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** ConfigUtils.getHostAndPort: `host:p[:p...]` or `[v6]:p[:p...]`. */
export function splitHostAndPorts(source: ValueSource, s: string): string[] {
  if (!s.startsWith('[')) return javaSplit(s, ':');
  const close = s.indexOf(']');
  if (close < 0) {
    throw keyError(ConfigErrorCode.BAD_SERVER, source.fileName, source.key, s, "starts with '[' but has no matching ']'");
  }
  if (close + 2 === s.length) {
    throw keyError(ConfigErrorCode.BAD_SERVER, source.fileName, source.key, s, "doesn't have a port after the colon");
  }
  const host = s.slice(1, close);
  if (close + 2 > s.length) return [host];
  return [host, ...javaSplit(s.slice(close + 2), ':')];
}

function badForm(source: ValueSource, value: string): Error {
  return keyError(ConfigErrorCode.BAD_SERVER, source.fileName, source.key, value, `does not have the form ${FORM}`);
}

function port(source: ValueSource, line: string, what: string, text: string): number {
  try {
    return parsePort(source, text, false);
  } catch {
    throw keyError(ConfigErrorCode.BAD_SERVER, source.fileName, source.key, line,
      `has ${what} ${JSON.stringify(text)}, which is not a port (1..65535)`);
  }
}

function peerType(source: ValueSource, line: string, text: string): QuorumServer['type'] {
  const t = text.trim().toLowerCase();
  if (t === 'participant' || t === 'observer') return t;
  throw keyError(ConfigErrorCode.BAD_SERVER, source.fileName, source.key, line,
    `has peer type ${JSON.stringify(text)}; expected participant or observer`);
}

/** The id in `server.N`. */
export function serverIdOfKey(fileName: string, key: string): number {
  const text = key.slice('server.'.length);
  const id = parseInt53({ fileName, key }, text);
  if (id < 0) throw keyError(ConfigErrorCode.BAD_SERVER, fileName, key, text, 'is not a server id (0 or more)');
  return id;
}

function parseClientPart(source: ValueSource, line: string, client: string): { clientHost: string; clientPort: number } {
  const parts = splitHostAndPorts(source, client);
  if (parts.length < 1 || parts.length > 2) throw badForm(source, line);
  const clientHost = parts.length === 2 ? parts[0]! : '0.0.0.0';
  if (clientHost === '') throw badForm(source, line);
  return { clientHost, clientPort: port(source, line, 'client port', parts[parts.length - 1]!) };
}

/** Parses one server line; `key` is `server.N`. */
export function parseServerLine(fileName: string, key: string, value: string): QuorumServer {
  const source = { fileName, key };
  const id = serverIdOfKey(fileName, key);
  const serverAndClient = javaSplit(value, ';');
  if (serverAndClient.length < 1 || serverAndClient.length > 2) throw badForm(source, value);
  const serverPart = serverAndClient[0]!;
  if (serverPart.includes('|')) {
    throw keyError(ConfigErrorCode.UNSUPPORTED, fileName, key, value,
      'lists several addresses (|); multiAddress is not supported');
  }
  const parts = splitHostAndPorts(source, serverPart);
  if (parts.length < 3 || parts.length > 4 || parts[0] === '') throw badForm(source, value);
  const quorumPort = port(source, value, 'quorum port', parts[1]!);
  const electionPort = port(source, value, 'election port', parts[2]!);
  if (quorumPort === electionPort) {
    throw keyError(ConfigErrorCode.DUPLICATE_PORT, fileName, key, value,
      `uses port ${quorumPort} for both quorum and election; they must differ`);
  }
  const type = parts.length === 4 ? peerType(source, value, parts[3]!) : 'participant';
  const server: QuorumServer = { id, host: parts[0]!, quorumPort, electionPort, type };
  const client = serverAndClient[1];
  return client === undefined ? server : { ...server, ...parseClientPart(source, value, client) };
}
