"""Drives Python's kazoo against one ZooKeeper-compatible server and prints
what it observed as one JSON object on stdout (one key per scenario).

Usage: kazoo_check.py <host> <port>

Each scenario records observations (values, event sequences, error class
names), never verdicts: the TypeScript test asserts on them. A scenario that
raises records {"error": "..."} instead, and the others still run.
"""
import json
import logging
import os
import socket
import sys
import threading
import time
import traceback

from kazoo.client import KazooClient, KazooState

from kazoo.protocol.states import EventType

WAIT_S = 10.0
RETRY = dict(max_tries=-1, delay=0.1, backoff=1.5, max_delay=0.5)

def new_client(hosts, timeout_s=10.0):
    client = KazooClient(hosts=hosts, timeout=timeout_s, connection_retry=RETRY, command_retry=RETRY)
    client.start(timeout=WAIT_S)
    return client

def wait_for(predicate, what, timeout_s=WAIT_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)

def error_name(fn):
    """Runs fn; returns the name of the exception class it raised, or None."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the class name is the observation
        return type(exc).__name__
    return None

def scenario_connect(ctx):
    zk = ctx["zk"]
    session_id, passwd = zk.client_id
    return {
        "state": zk.state,
        "connected": zk.connected,
        "sessionIdNonZero": session_id != 0,
        "passwdLength": len(passwd),
        "rootExists": zk.exists("/") is not None,
        "zookeeperChildren": sorted(zk.get_children("/zookeeper")),
    }

def scenario_create_modes(ctx):
    zk, base = ctx["zk"], ctx["base"] + "/modes"
    zk.ensure_path(base)
    persistent = zk.create(base + "/p", b"pv")
    made = zk.create(base + "/deep/er/node", b"x", makepath=True)
    ephemeral = zk.create(base + "/e", b"ev", ephemeral=True)
    seq1 = zk.create(base + "/s-", b"", sequence=True)
    seq2 = zk.create(base + "/s-", b"", sequence=True)
    eseq = zk.create(base + "/es-", b"", ephemeral=True, sequence=True)
    created_path, created_stat = zk.create(base + "/withstat", b"abc", include_data=True)
    session_id = zk.client_id[0]
    return {
        "persistent": persistent,
        "makepath": made,
        "ephemeral": ephemeral,
        "ephemeralOwnerIsSession": zk.exists(ephemeral).ephemeralOwner == session_id,
        "persistentOwner": zk.exists(persistent).ephemeralOwner,
        "sequential": [seq1, seq2],
        "ephemeralSequential": eseq,
        "ephemeralSequentialOwnerIsSession": zk.exists(eseq).ephemeralOwner == session_id,
        "create2": {"path": created_path, "version": created_stat.version, "dataLength": created_stat.dataLength,
                    "czxidEqualsMzxid": created_stat.czxid == created_stat.mzxid},
        "duplicateError": error_name(lambda: zk.create(base + "/p")),
        "missingParentError": error_name(lambda: zk.create(base + "/nope/child")),
        "ephemeralChildError": error_name(lambda: zk.create(ephemeral + "/child")),
        "children": sorted(zk.get_children(base)),
    }

def scenario_versions(ctx):
    zk, path = ctx["zk"], ctx["base"] + "/versions"
    zk.create(path, b"v0")
    data0, stat0 = zk.get(path)
    stat1 = zk.set(path, b"v1", version=0)
    bad_set = error_name(lambda: zk.set(path, b"bad", version=0))
    stat2 = zk.set(path, b"v2-longer")
    data2, stat2_read = zk.get(path)
    zk.create(path + "/child", b"")
    not_empty = error_name(lambda: zk.delete(path))
    bad_delete = error_name(lambda: zk.delete(path + "/child", version=5))
    zk.delete(path, recursive=True)
    return {
        "initial": {"data": data0.decode(), "version": stat0.version, "dataLength": stat0.dataLength},
        "afterSet": {"version": stat1.version, "mzxidGrew": stat1.mzxid > stat0.mzxid, "czxidSame": stat1.czxid == stat0.czxid},
        "badVersionSet": bad_set,
        "unconditionalSet": {"version": stat2.version, "data": data2.decode(), "dataLength": stat2_read.dataLength,
                             "statMatchesRead": stat2 == stat2_read},
        "deleteNonEmpty": not_empty,
        "badVersionDelete": bad_delete,
        "existsAfterRecursiveDelete": zk.exists(path) is not None,
        "getMissing": error_name(lambda: zk.get(path)),
    }

def scenario_data_watch(ctx):
    zk, path = ctx["zk"], ctx["base"] + "/dw"
    seen = []
    lock = threading.Lock()

    def on_change(data, stat, event):
        with lock:
            seen.append({"data": None if data is None else data.decode(), "version": None if stat is None else stat.version,
                         "event": None if event is None else event.type})

    zk.DataWatch(path, on_change)
    wait_for(lambda: len(seen) >= 1, "initial DataWatch call")
    zk.create(path, b"a")
    wait_for(lambda: len(seen) >= 2, "DataWatch after create")
    zk.set(path, b"b")
    wait_for(lambda: len(seen) >= 3, "DataWatch after set")
    zk.delete(path)
    wait_for(lambda: len(seen) >= 4, "DataWatch after delete")
    time.sleep(0.2)
    with lock:
        return {"calls": list(seen)}

def scenario_children_watch(ctx):
    zk, path = ctx["zk"], ctx["base"] + "/cw"
    zk.create(path)
    seen = []
    zk.ChildrenWatch(path, lambda children: seen.append(sorted(children)))
    wait_for(lambda: len(seen) >= 1, "initial ChildrenWatch call")
    for step, action in enumerate([lambda: zk.create(path + "/a"), lambda: zk.create(path + "/b"),
                                   lambda: zk.delete(path + "/a")]):
        action()
        wait_for(lambda: len(seen) >= step + 2, "ChildrenWatch step %d" % step)
    zk.set(path, b"data change is no child event")
    time.sleep(0.3)
    one_shot = []
    zk.get_children(path, watch=lambda event: one_shot.append((event.type, event.path)))
    zk.create(path + "/c")
    wait_for(lambda: len(one_shot) >= 1, "one-shot child watch")
    zk.create(path + "/d")
    time.sleep(0.3)
    return {"calls": list(seen), "oneShot": [list(e) for e in one_shot], "childEvent": EventType.CHILD}

def scenario_transaction(ctx):
    zk, base = ctx["zk"], ctx["base"] + "/txn"
    zk.create(base, b"0")
    t = zk.transaction()
    t.create(base + "/a", b"1")
    t.set_data(base, b"2", version=0)
    t.check(base, 1)
    t.create(base + "/s-", b"", sequence=True)
    ok_results = t.commit()
    t = zk.transaction()
    t.create(base + "/b", b"never")
    t.check(base, 0)
    t.delete(base + "/a")
    bad_results = t.commit()

    def describe(result):
        if isinstance(result, Exception):
            return type(result).__name__
        if hasattr(result, "version"):
            return {"statVersion": result.version}
        return result

    return {
        "okResults": [describe(r) for r in ok_results],
        "badResults": [describe(r) for r in bad_results],
        "bExists": zk.exists(base + "/b") is not None,
        "aExists": zk.exists(base + "/a") is not None,
        "baseData": zk.get(base)[0].decode(),
    }

def scenario_lock(ctx):
    hosts, path = ctx["hosts"], ctx["base"] + "/lock"
    clients = [new_client(hosts), new_client(hosts)]
    ctx["extra"].extend(clients)
    holders = []
    inside = [0]
    max_inside = [0]
    guard = threading.Lock()

    def worker(index):
        lock = clients[index].Lock(path, "worker-%d" % index)
        for _ in range(5):
            with lock:
                with guard:
                    inside[0] += 1
                    max_inside[0] = max(max_inside[0], inside[0])
                    holders.append(index)
                time.sleep(0.02)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    held = clients[0].Lock(path, "holder")
    held.acquire(timeout=WAIT_S)
    other = clients[1].Lock(path, "waiter")
    nonblocking = other.acquire(blocking=False)
    contenders = held.contenders()
    held.release()
    after_release = other.acquire(timeout=WAIT_S)
    other.release()
    return {"acquisitions": len(holders), "byWorker": [holders.count(0), holders.count(1)], "maxInside": max_inside[0],
            "threadsDone": not any(t.is_alive() for t in threads), "nonBlockingWhileHeld": nonblocking,
            "contendersWhileHeld": contenders, "acquiredAfterRelease": after_release,
            "lockNodesLeft": len(clients[0].get_children(path))}

def scenario_election(ctx):
    hosts, path = ctx["hosts"], ctx["base"] + "/election"
    clients = [new_client(hosts), new_client(hosts)]
    ctx["extra"].extend(clients)
    order = []
    release = [threading.Event(), threading.Event()]
    elections = [clients[i].Election(path, "candidate-%d" % i) for i in range(2)]

    def lead(index):
        order.append(index)
        release[index].wait(WAIT_S)

    threads = []
    for i in range(2):
        threads.append(threading.Thread(target=elections[i].run, args=(lead, i)))
        threads[-1].start()
        if i == 0:
            wait_for(lambda: len(order) == 1, "first leader")
    wait_for(lambda: len(elections[0].contenders()) == 2, "two contenders")
    contenders = elections[1].contenders()
    time.sleep(0.2)
    leaders_while_first_leads = list(order)
    release[order[0]].set()
    wait_for(lambda: len(order) == 2, "second leader")
    release[order[1]].set()
    for t in threads:
        t.join(WAIT_S)
    return {"leadersWhileFirstLeads": leaders_while_first_leads, "order": order, "contenders": contenders}

def scenario_counter(ctx):
    hosts, path = ctx["hosts"], ctx["base"] + "/counter"
    clients = [new_client(hosts), new_client(hosts)]
    ctx["extra"].extend(clients)
    counter = clients[0].Counter(path)
    counter += 5
    counter -= 2
    single = counter.value

    def bump(client):
        c = client.Counter(path)
        for _ in range(20):
            c += 1

    threads = [threading.Thread(target=bump, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return {"afterPlus5Minus2": single, "afterConcurrent": clients[0].Counter(path).value,
            "rawData": clients[1].get(path)[0].decode()}

class Partition:
    """A loopback TCP proxy in front of the server that can cut every
    connection through it and refuse new ones (a network partition)."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.cut = threading.Event()
        self.sockets = []
        self.guard = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            if self.cut.is_set():
                downstream.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                downstream.close()
                continue
            with self.guard:
                self.sockets += [downstream, upstream]
            for a, b in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk or self.cut.is_set():
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.close()
            except OSError:
                pass

    def cut_all(self):
        self.cut.set()
        with self.guard:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.sockets = []

    def heal(self):
        self.cut.clear()

    def close(self):
        self.cut_all()
        self.listener.close()

def scenario_session_expiry(ctx):
    """A partition longer than the session timeout: the server expires the
    session (its ephemeral node goes), the client sees SUSPENDED, then LOST once
    it reaches the server again, then CONNECTED with a new session."""
    zk, path = ctx["zk"], ctx["base"] + "/expiry"
    proxy = Partition(ctx["host"], ctx["port"])
    states = []
    victim = KazooClient(hosts="127.0.0.1:%d" % proxy.port, timeout=2.0, connection_retry=RETRY, command_retry=RETRY)
    victim.add_listener(lambda state: states.append(state))
    victim.start(timeout=WAIT_S)
    ctx["extra"].append(victim)
    first_session = victim.client_id[0]
    victim.create(path, b"", ephemeral=True)
    negotiated_ms = victim._session_timeout
    gone = threading.Event()
    zk.exists(path, watch=lambda event: gone.set() if event.type == EventType.DELETED else None)
    proxy.cut_all()
    start = time.monotonic()
    deleted = gone.wait(20.0)
    expired_after_s = time.monotonic() - start
    proxy.heal()
    wait_for(lambda: states[-1:] == [KazooState.CONNECTED] and KazooState.LOST in states, "reconnect after LOST", 20.0)
    second_session = victim.client_id[0]
    recreated = victim.create(path, b"", ephemeral=True)
    observed_states = list(states)
    ctx["extra"].remove(victim)
    victim.stop()
    victim.close()
    proxy.close()
    return {"states": observed_states, "ephemeralDeletedDuringPartition": deleted, "negotiatedTimeoutMs": negotiated_ms,
            "expiredWithinS": round(expired_after_s, 1), "newSession": second_session != first_session,
            "recreatedEphemeral": recreated}

SCENARIOS = [
    ("connect", scenario_connect),
    ("createModes", scenario_create_modes),
    ("versions", scenario_versions),
    ("dataWatch", scenario_data_watch),
    ("childrenWatch", scenario_children_watch),
    ("transaction", scenario_transaction),
    ("lock", scenario_lock),
    ("election", scenario_election),
    ("counter", scenario_counter),
    ("sessionExpiry", scenario_session_expiry),
]

def main(argv):
    host, port = argv[1], int(argv[2])
    only = set(argv[3].split(",")) if len(argv) > 3 else None
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    hosts = "%s:%d" % (host, port)
    zk = new_client(hosts)
    base = "/kazoo-%d" % os.getpid()
    zk.ensure_path(base)
    ctx = {"zk": zk, "hosts": hosts, "host": host, "port": port, "base": base, "extra": []}
    out = {}
    for name, fn in SCENARIOS:
        if only is not None and name not in only:
            continue
        began = time.monotonic()
        try:
            out[name] = fn(ctx)
        except Exception as exc:  # noqa: BLE001 - reported to the TS test
            out[name] = {"error": "%s: %s" % (type(exc).__name__, exc), "trace": traceback.format_exc()}
        out[name]["elapsedS"] = round(time.monotonic() - began, 2)
    for client in ctx["extra"]:
        client.stop()
        client.close()
    zk.delete(base, recursive=True)
    zk.stop()
    zk.close()
    json.dump(out, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
