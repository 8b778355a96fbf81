// The official C client, through the `zookeeper` npm binding (optional
// dependency: it may not have built). Promise API; errors reject with a
// ZkError carrying the C client's return code (ZooKeeper's numeric codes).
import { createRequire } from 'node:module';
import { available, unavailable, type Availability } from './skip.ts';
import { ZkError } from './nzk.ts';

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */
let loaded: { lib: any } | { error: string };
try {
  loaded = { lib: require('zookeeper') };
} catch (err) {
  loaded = { error: err instanceof Error ? err.message : String(err) };
}

export function isCBindingAvailable(): Availability {
  return 'lib' in loaded ? available : unavailable(`npm package 'zookeeper' (C client binding) not loadable: ${loaded.error}`);
}

function lib(): any {
  if (!('lib' in loaded)) throw new Error(loaded.error);
  return loaded.lib;
}

export interface CStat {
  czxid: number; mzxid: number; pzxid: number; ctime: number; mtime: number; version: number;
  cversion: number; aversion: number; ephemeralOwner: string; dataLength: number; numChildren: number;
}

export interface CAcl { perms: number; scheme: string; auth: string }

/** The binding rejects with Error("<rc> <text>"): recover the rc. */
function toZkError(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^(-?\d+) /.exec(message);
  return m ? new ZkError(Number(m[1]), message) : (err instanceof Error ? err : new Error(message));
}

async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw toZkError(err);
  }
}

export type CWatch = (type: number, state: number, path: string) => void;

export class CClient {
  private constructor(private readonly zk: any) {}

  static async connect(connectString: string, sessionTimeoutMs = 10_000, connectTimeoutMs = 10_000): Promise<CClient> {
    const ZooKeeper = lib();
    const zk = new ZooKeeper({
      connect: connectString, timeout: sessionTimeoutMs, debug_level: ZooKeeper.constants.ZOO_LOG_LEVEL_ERROR,
      host_order_deterministic: true, data_as_buffer: true,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`C client: no connect within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      zk.once('connect', () => { clearTimeout(timer); resolve(); });
      zk.init({});
    });
    return new CClient(zk);
  }

  static get constants(): Record<string, number> {
    return lib().constants;
  }

  get sessionId(): string {
    return this.zk.client_id;
  }

  create(path: string, data: Buffer | string, flags: number, ttlMs?: number): Promise<string> {
    return guard(this.zk.create(path, data, flags, ttlMs));
  }

  exists(path: string, watch = false): Promise<CStat> {
    return guard(this.zk.exists(path, watch));
  }

  async get(path: string): Promise<{ stat: CStat; data: Buffer }> {
    const [stat, data] = await guard<[CStat, Buffer]>(this.zk.get(path, false));
    return { stat, data };
  }

  async wGet(path: string, watch: CWatch): Promise<{ stat: CStat; data: Buffer }> {
    const [stat, data] = await guard<[CStat, Buffer]>(this.zk.w_get(path, watch));
    return { stat, data };
  }

  wGetChildren(path: string, watch: CWatch): Promise<string[]> {
    return guard(this.zk.w_get_children(path, watch));
  }

  getChildren(path: string): Promise<string[]> {
    return guard(this.zk.get_children(path, false));
  }

  set(path: string, data: Buffer | string, version = -1): Promise<CStat> {
    return guard(this.zk.set(path, data, version));
  }

  delete(path: string, version = -1): Promise<void> {
    return guard(this.zk.delete_(path, version));
  }

  getAcl(path: string): Promise<[CAcl[], CStat]> {
    return guard(this.zk.get_acl(path));
  }

  setAcl(path: string, version: number, acl: CAcl[]): Promise<void> {
    return guard(this.zk.set_acl(path, version, acl));
  }

  addAuth(scheme: string, auth: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.zk.add_auth(scheme, auth, (rc: number, error: string) => {
        if (rc === 0) resolve(); else reject(new ZkError(rc, `${rc} ${error}`));
      });
    });
  }

  close(): void {
    this.zk.close();
  }
}
