// The records of zookeeper.jute (modules data, proto, quorum, persistence, txn),
// field for field in declared order. Names are ZooKeeper's own.
import { bigLong, bool, buffer, int, long, record, ustring, vector, type Infer } from './codec.ts';

// ---- org.apache.zookeeper.data
export const Id = record('Id', { scheme: ustring, id: ustring });
export const ACL = record('ACL', { perms: int, id: Id });
export const Stat = record('Stat', {
  czxid: long, mzxid: long, ctime: long, mtime: long,
  version: int, cversion: int, aversion: int,
  ephemeralOwner: bigLong, dataLength: int, numChildren: int, pzxid: long,
});
export const StatPersisted = record('StatPersisted', {
  czxid: long, mzxid: long, ctime: long, mtime: long,
  version: int, cversion: int, aversion: int,
  ephemeralOwner: bigLong, pzxid: long,
});
export type Id = Infer<typeof Id>;
export type ACL = Infer<typeof ACL>;
export type Stat = Infer<typeof Stat>;
export type StatPersisted = Infer<typeof StatPersisted>;

// ---- org.apache.zookeeper.proto
// ConnectRequest/Response carry an optional trailing readOnly byte: see connect.ts.
export const RequestHeader = record('RequestHeader', { xid: int, type: int });
export const ReplyHeader = record('ReplyHeader', { xid: int, zxid: long, err: int });
export const MultiHeader = record('MultiHeader', { type: int, done: bool, err: int });
export const AuthPacket = record('AuthPacket', { type: int, scheme: ustring, auth: buffer });
export const SetWatches = record('SetWatches', {
  relativeZxid: long, dataWatches: vector(ustring), existWatches: vector(ustring), childWatches: vector(ustring),
});
export const SetWatches2 = record('SetWatches2', {
  relativeZxid: long, dataWatches: vector(ustring), existWatches: vector(ustring), childWatches: vector(ustring),
  persistentWatches: vector(ustring), persistentRecursiveWatches: vector(ustring),
});
export const GetDataRequest = record('GetDataRequest', { path: ustring, watch: bool });
export const SetDataRequest = record('SetDataRequest', { path: ustring, data: buffer, version: int });
export const ReconfigRequest = record('ReconfigRequest', {
  joiningServers: ustring, leavingServers: ustring, newMembers: ustring, curConfigId: long,
});
export const SetDataResponse = record('SetDataResponse', { stat: Stat });
export const CreateRequest = record('CreateRequest', { path: ustring, data: buffer, acl: vector(ACL), flags: int });
export const CreateTTLRequest = record('CreateTTLRequest', {
  path: ustring, data: buffer, acl: vector(ACL), flags: int, ttl: long,
});
export const DeleteRequest = record('DeleteRequest', { path: ustring, version: int });
export const GetChildrenRequest = record('GetChildrenRequest', { path: ustring, watch: bool });
export const GetAllChildrenNumberRequest = record('GetAllChildrenNumberRequest', { path: ustring });
export const GetChildren2Request = record('GetChildren2Request', { path: ustring, watch: bool });
export const CheckVersionRequest = record('CheckVersionRequest', { path: ustring, version: int });
export const SyncRequest = record('SyncRequest', { path: ustring });
export const SyncResponse = record('SyncResponse', { path: ustring });
export const GetACLRequest = record('GetACLRequest', { path: ustring });
export const SetACLRequest = record('SetACLRequest', { path: ustring, acl: vector(ACL), version: int });
export const SetACLResponse = record('SetACLResponse', { stat: Stat });
export const AddWatchRequest = record('AddWatchRequest', { path: ustring, mode: int });
export const WatcherEvent = record('WatcherEvent', { type: int, state: int, path: ustring });
export const ErrorResponse = record('ErrorResponse', { err: int });
export const CreateResponse = record('CreateResponse', { path: ustring });
export const Create2Response = record('Create2Response', { path: ustring, stat: Stat });
export const ExistsRequest = record('ExistsRequest', { path: ustring, watch: bool });
export const ExistsResponse = record('ExistsResponse', { stat: Stat });
export const GetDataResponse = record('GetDataResponse', { data: buffer, stat: Stat });
export const GetChildrenResponse = record('GetChildrenResponse', { children: vector(ustring) });
export const GetAllChildrenNumberResponse = record('GetAllChildrenNumberResponse', { totalNumber: int });
export const GetChildren2Response = record('GetChildren2Response', { children: vector(ustring), stat: Stat });
export const GetACLResponse = record('GetACLResponse', { acl: vector(ACL), stat: Stat });
export const CheckWatchesRequest = record('CheckWatchesRequest', { path: ustring, type: int });
export const RemoveWatchesRequest = record('RemoveWatchesRequest', { path: ustring, type: int });
export const GetEphemeralsRequest = record('GetEphemeralsRequest', { prefixPath: ustring });
export const GetEphemeralsResponse = record('GetEphemeralsResponse', { ephemerals: vector(ustring) });
export const ClientInfo = record('ClientInfo', { authScheme: ustring, user: ustring });
export const WhoAmIResponse = record('WhoAmIResponse', { clientInfo: vector(ClientInfo) });

// ---- org.apache.zookeeper.server.quorum
export const LearnerInfo = record('LearnerInfo', { serverid: long, protocolVersion: int, configVersion: long });
export const QuorumPacket = record('QuorumPacket', { type: int, zxid: long, data: buffer, authinfo: vector(Id) });

// ---- org.apache.zookeeper.server.persistence
export const FileHeader = record('FileHeader', { magic: int, version: int, dbid: long });

// ---- org.apache.zookeeper.txn
export const TxnDigest = record('TxnDigest', { version: int, treeDigest: bigLong });
export const TxnHeader = record('TxnHeader', { clientId: bigLong, cxid: int, zxid: long, time: long, type: int });
export const CreateTxn = record('CreateTxn', {
  path: ustring, data: buffer, acl: vector(ACL), ephemeral: bool, parentCVersion: int,
});
export const CreateTTLTxn = record('CreateTTLTxn', {
  path: ustring, data: buffer, acl: vector(ACL), parentCVersion: int, ttl: long,
});
export const CreateContainerTxn = record('CreateContainerTxn', {
  path: ustring, data: buffer, acl: vector(ACL), parentCVersion: int,
});
export const DeleteTxn = record('DeleteTxn', { path: ustring });
export const SetDataTxn = record('SetDataTxn', { path: ustring, data: buffer, version: int });
export const CheckVersionTxn = record('CheckVersionTxn', { path: ustring, version: int });
export const SetACLTxn = record('SetACLTxn', { path: ustring, acl: vector(ACL), version: int });
export const CreateSessionTxn = record('CreateSessionTxn', { timeOut: int });
export const CloseSessionTxn = record('CloseSessionTxn', { paths2Delete: vector(ustring) });
export const ErrorTxn = record('ErrorTxn', { err: int });
export const Txn = record('Txn', { type: int, data: buffer });
export const MultiTxn = record('MultiTxn', { txns: vector(Txn) });
export type TxnHeader = Infer<typeof TxnHeader>;
