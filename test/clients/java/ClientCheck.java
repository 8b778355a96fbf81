// Drives the official Java client (Debian's ZooKeeper 3.8 jar) against one
// ZooKeeper-compatible server and prints what it observed as one JSON object
// on stdout, one key per scenario. Observations only, no verdicts: the
// TypeScript test (../java.test.ts) asserts. A scenario that throws records
// {"error": ...} and the others still run.
//
// Usage: java -cp <zookeeper.jar:...:classes> ClientCheck <host> <port>

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

public final class ClientCheck {
    static final int WAIT_MS = 10_000;
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int SHORT_SESSION_TIMEOUT_MS = 2_000;

    interface Scenario {
        Map<String, Object> run() throws Exception;
    }

    interface Call {
        Object run() throws Exception;
    }

    /** A watcher that queues every event, so scenarios can wait for the next one. */
    static final class Events implements Watcher {
        final BlockingQueue<WatchedEvent> queue = new LinkedBlockingQueue<>();
        final List<String> states = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void process(WatchedEvent event) {
            if (event.getType() == Event.EventType.None) {
                states.add(event.getState().name());
            }
            queue.add(event);
        }

        /** The next node event (type != None), or null after WAIT_MS. */
        WatchedEvent nextNodeEvent(int timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (true) {
                long left = deadline - System.currentTimeMillis();
                WatchedEvent e = queue.poll(Math.max(0, left), TimeUnit.MILLISECONDS);
                if (e == null || e.getType() != Event.EventType.None) return e;
            }
        }

        void waitForState(String state, int timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!states.contains(state)) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("no " + state + " event; states " + states);
                Thread.sleep(10);
            }
        }
    }

    final String connectString;
    final String host;
    final int port;
    final String base = "/java-" + ProcessHandle.current().pid();
    final List<ZooKeeper> extra = new ArrayList<>();
    ZooKeeper zk;
    Events mainEvents;

    ClientCheck(String host, int port) {
        this.host = host;
        this.port = port;
        this.connectString = host + ":" + port;
    }

    ZooKeeper open(String hosts, int timeoutMs, Events events) throws Exception {
        ZooKeeper client = new ZooKeeper(hosts, timeoutMs, events);
        events.waitForState("SyncConnected", WAIT_MS);
        return client;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The KeeperException code name `fn` fails with, or null if it succeeds. */
    static String codeOf(Call fn) throws Exception {
        try {
            fn.run();
            return null;
        } catch (KeeperException e) {
            return e.code().name();
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static Map<String, Object> statOf(Stat s) {
        return obj("version", s.getVersion(), "cversion", s.getCversion(), "aversion", s.getAversion(),
            "dataLength", s.getDataLength(), "numChildren", s.getNumChildren(),
            "ephemeralOwner", Long.toString(s.getEphemeralOwner()),
            "czxidEqualsMzxid", s.getCzxid() == s.getMzxid(), "pzxidEqualsCzxid", s.getPzxid() == s.getCzxid());
    }

    static Map<String, Object> eventOf(WatchedEvent e) {
        if (e == null) return null;
        return obj("type", e.getType().name(), "path", e.getPath(), "state", e.getState().name());
    }

    Map<String, Object> connect() throws Exception {
        return obj("state", zk.getState().name(), "sessionIdNonZero", zk.getSessionId() != 0,
            "passwdLength", zk.getSessionPasswd().length, "negotiatedTimeoutMs", zk.getSessionTimeout(),
            "states", new ArrayList<>(mainEvents.states), "zookeeperChildren", sorted(zk.getChildren("/zookeeper", false)));
    }

    static List<String> sorted(List<String> xs) {
        List<String> copy = new ArrayList<>(xs);
        Collections.sort(copy);
        return copy;
    }

    Map<String, Object> createModes() throws Exception {
        String dir = base + "/modes";
        zk.create(dir, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat created = new Stat();
        String persistent = zk.create(dir + "/p", bytes("pv"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        String ephemeral = zk.create(dir + "/e", bytes("ev"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        String seq = zk.create(dir + "/s-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        String eseq = zk.create(dir + "/es-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        String container = zk.create(dir + "/c", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        Stat ttlStat = new Stat();
        String ttl = zk.create(dir + "/ttl", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, ttlStat, 60_000);
        String session = Long.toString(zk.getSessionId());
        return obj("persistent", persistent, "persistentStat", statOf(created),
            "ephemeral", ephemeral, "ephemeralOwnerIsSession", zk.exists(ephemeral, false).getEphemeralOwner() == zk.getSessionId(),
            "sequential", seq, "ephemeralSequential", eseq,
            "ephemeralSequentialOwner", Long.toString(zk.exists(eseq, false).getEphemeralOwner()).equals(session),
            "container", container, "containerOwnerHex", Long.toHexString(zk.exists(container, false).getEphemeralOwner()),
            "ttl", ttl, "ttlOwnerHex", Long.toHexString(ttlStat.getEphemeralOwner()),
            "duplicate", codeOf(() -> { zk.create(dir + "/p", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); return null; }),
            "noParent", codeOf(() -> { zk.create(dir + "/x/y", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); return null; }),
            "ephemeralChild", codeOf(() -> { zk.create(ephemeral + "/k", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); return null; }),
            "children", sorted(zk.getChildren(dir, false)));
    }

    Map<String, Object> versions() throws Exception {
        String path = base + "/versions";
        zk.create(path, bytes("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat read0 = new Stat();
        String data0 = new String(zk.getData(path, false, read0), StandardCharsets.UTF_8);
        Stat set1 = zk.setData(path, bytes("v1-longer"), 0);
        Stat read1 = new Stat();
        String data1 = new String(zk.getData(path, false, read1), StandardCharsets.UTF_8);
        return obj("data0", data0, "stat0", statOf(read0), "setStat", statOf(set1), "data1", data1,
            "setStatEqualsRead", set1.equals(read1), "mzxidGrew", set1.getMzxid() > read0.getMzxid(),
            "badSet", codeOf(() -> zk.setData(path, bytes("x"), 0)),
            "badDelete", codeOf(() -> { zk.delete(path, 7); return null; }),
            "missingGet", codeOf(() -> { zk.getData(base + "/absent", false, null); return null; }),
            "existsMissing", zk.exists(base + "/absent", false) == null,
            "allChildrenNumberOfBase", zk.getAllChildrenNumber(base));
    }

    Map<String, Object> oneShotWatches() throws Exception {
        String path = base + "/w";
        Events data = new Events();
        Events exists = new Events();
        Events children = new Events();
        zk.exists(path, exists);
        zk.create(path, bytes("a"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        WatchedEvent created = exists.nextNodeEvent(WAIT_MS);
        zk.getData(path, data, null);
        zk.getChildren(path, children);
        zk.setData(path, bytes("b"), -1);
        WatchedEvent changed = data.nextNodeEvent(WAIT_MS);
        zk.setData(path, bytes("c"), -1);
        WatchedEvent secondChange = data.nextNodeEvent(300);
        zk.create(path + "/kid", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        WatchedEvent childChanged = children.nextNodeEvent(WAIT_MS);
        return obj("created", eventOf(created), "dataChanged", eventOf(changed), "secondChangeWithoutRewatch", eventOf(secondChange),
            "childrenChanged", eventOf(childChanged));
    }

    Map<String, Object> persistentRecursiveWatch() throws Exception {
        String path = base + "/rec";
        zk.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Events events = new Events();
        zk.addWatch(path, events, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.create(path + "/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(path + "/a/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData(path + "/a/b", bytes("1"), -1);
        zk.setData(path + "/a/b", bytes("2"), -1);
        zk.delete(path + "/a/b", -1);
        zk.setData(path, bytes("top"), -1);
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) seen.add(eventOf(events.nextNodeEvent(WAIT_MS)));
        WatchedEvent extraEvent = events.nextNodeEvent(300);
        zk.removeAllWatches(path, Watcher.WatcherType.Any, false);
        WatchedEvent removed = events.nextNodeEvent(WAIT_MS);
        zk.setData(path, bytes("after removal"), -1);
        WatchedEvent afterRemoval = events.nextNodeEvent(300);
        return obj("events", seen, "extra", eventOf(extraEvent), "removed", eventOf(removed), "afterRemoval", eventOf(afterRemoval));
    }

    Map<String, Object> multi() throws Exception {
        String path = base + "/multi";
        zk.create(path, bytes("0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<OpResult> ok = zk.multi(List.of(
            Op.create(path + "/a", bytes("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(path, bytes("2"), 0),
            Op.check(path, 1),
            Op.delete(path + "/a", 0)));
        List<String> okTypes = new ArrayList<>();
        for (OpResult r : ok) okTypes.add(r.getClass().getSimpleName());
        List<Object> failed = new ArrayList<>();
        String failCode = null;
        try {
            zk.multi(List.of(
                Op.create(path + "/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check(path, 0),
                Op.delete(path, -1)));
        } catch (KeeperException e) {
            failCode = e.code().name();
            for (OpResult r : e.getResults()) failed.add(((OpResult.ErrorResult) r).getErr());
        }
        return obj("okTypes", okTypes, "setVersion", ((OpResult.SetDataResult) ok.get(1)).getStat().getVersion(),
            "failCode", failCode, "failedErrs", failed, "bExists", zk.exists(path + "/b", false) != null);
    }

    Map<String, Object> ephemeralsAndWhoAmI() throws Exception {
        String dir = base + "/eph";
        zk.create(dir, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(dir + "/one", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(dir + "/two", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        List<String> who = new ArrayList<>();
        for (ClientInfo info : zk.whoAmI()) who.add(info.getAuthScheme() + ":" + info.getUser());
        return obj("underDir", sorted(zk.getEphemerals(dir)), "all", sorted(zk.getEphemerals()), "whoAmI", who);
    }

    Map<String, Object> aclDenial() throws Exception {
        String path = base + "/acl";
        Events ownerEvents = new Events();
        ZooKeeper owner = open(connectString, SESSION_TIMEOUT_MS, ownerEvents);
        extra.add(owner);
        owner.addAuthInfo("digest", bytes("alice:secret"));
        owner.create(path, bytes("private"), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        zk.create(path + "-ro", bytes("public"), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> acl = new ArrayList<>();
        for (ACL a : owner.getACL(path, null)) acl.add(a.getId().getScheme() + ":" + a.getId().getId() + ":" + a.getPerms());
        List<String> who = new ArrayList<>();
        for (ClientInfo info : owner.whoAmI()) who.add(info.getAuthScheme() + ":" + info.getUser());
        return obj("ownerReads", new String(owner.getData(path, false, null), StandardCharsets.UTF_8),
            "acl", acl, "ownerWhoAmI", sorted(who),
            "strangerGet", codeOf(() -> { zk.getData(path, false, null); return null; }),
            "strangerSet", codeOf(() -> zk.setData(path, bytes("x"), -1)),
            "strangerExists", zk.exists(path, false) != null,
            "readOnlySet", codeOf(() -> zk.setData(path + "-ro", bytes("x"), -1)),
            "readOnlyGet", new String(zk.getData(path + "-ro", false, null), StandardCharsets.UTF_8),
            "badAclCreate", codeOf(() -> {
                zk.create(path + "-bad", null, new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", "nocolon")))), CreateMode.PERSISTENT);
                return null;
            }));
    }

    Map<String, Object> sessionExpiry() throws Exception {
        String path = base + "/expiry";
        try (Partition proxy = new Partition(host, port)) {
            Events events = new Events();
            ZooKeeper victim = open("127.0.0.1:" + proxy.port(), SHORT_SESSION_TIMEOUT_MS, events);
            extra.add(victim);
            long session = victim.getSessionId();
            int negotiatedMs = victim.getSessionTimeout();
            victim.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            CountDownLatch deleted = new CountDownLatch(1);
            zk.exists(path, e -> { if (e.getType() == Watcher.Event.EventType.NodeDeleted) deleted.countDown(); });
            proxy.cut();
            long start = System.nanoTime();
            boolean gone = deleted.await(20, TimeUnit.SECONDS);
            long expiredAfterMs = (System.nanoTime() - start) / 1_000_000;
            proxy.heal();
            events.waitForState("Expired", 20_000);
            return obj("negotiatedTimeoutMs", negotiatedMs, "ephemeralDeleted", gone,
                "expiredAfterMs", expiredAfterMs, "states", new ArrayList<>(events.states),
                "aliveAfterExpiry", victim.getState().isAlive(), "sessionIdNonZero", session != 0,
                "opAfterExpiry", codeOf(() -> { victim.exists("/", false); return null; }));
        }
    }

    /** A loopback TCP proxy in front of the server that can cut every connection and refuse new ones. */
    static final class Partition implements AutoCloseable {
        final ServerSocket listener = new ServerSocket();
        final InetSocketAddress target;
        final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        volatile boolean isCut;

        Partition(String host, int port) throws IOException {
            target = new InetSocketAddress(host, port);
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(this::acceptLoop, "partition-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket down = listener.accept();
                    if (isCut) { down.close(); continue; }
                    Socket up = new Socket();
                    up.connect(target, 5000);
                    sockets.add(down);
                    sockets.add(up);
                    pump(down, up);
                    pump(up, down);
                } catch (IOException e) {
                    // listener closed, or the server refused: the client retries
                }
            }
        }

        void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = from.getInputStream().read(buf)) > 0 && !isCut; ) to.getOutputStream().write(buf, 0, n);
                } catch (IOException e) {
                    // connection cut
                }
                closeQuietly(from);
                closeQuietly(to);
            }, "partition-pump");
            t.setDaemon(true);
            t.start();
        }

        static void closeQuietly(Socket s) {
            try { s.close(); } catch (IOException e) { /* already closed */ }
        }

        void cut() {
            isCut = true;
            synchronized (sockets) {
                for (Socket s : sockets) closeQuietly(s);
                sockets.clear();
            }
        }

        void heal() {
            isCut = false;
        }

        @Override
        public void close() throws IOException {
            cut();
            listener.close();
        }
    }

    void runAll() throws Exception {
        mainEvents = new Events();
        zk = open(connectString, SESSION_TIMEOUT_MS, mainEvents);
        zk.create(base, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("connect", this::connect);
        scenarios.put("createModes", this::createModes);
        scenarios.put("versions", this::versions);
        scenarios.put("oneShotWatches", this::oneShotWatches);
        scenarios.put("persistentRecursiveWatch", this::persistentRecursiveWatch);
        scenarios.put("multi", this::multi);
        scenarios.put("ephemeralsAndWhoAmI", this::ephemeralsAndWhoAmI);
        scenarios.put("aclDenial", this::aclDenial);
        scenarios.put("sessionExpiry", this::sessionExpiry);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Scenario> s : scenarios.entrySet()) {
            long began = System.nanoTime();
            Map<String, Object> result;
            try {
                result = s.getValue().run();
            } catch (Throwable t) {
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace));
                result = obj("error", t.toString(), "trace", trace.toString());
            }
            result.put("elapsedMs", (System.nanoTime() - began) / 1_000_000);
            out.put(s.getKey(), result);
        }
        for (ZooKeeper c : extra) c.close(2000);
        zk.close(2000);
        System.out.println(Json.write(out));
    }

    public static void main(String[] args) throws Exception {
        new ClientCheck(args[0], Integer.parseInt(args[1])).runAll();
        System.exit(0);
    }
}

/** Just enough JSON: maps, lists, strings, numbers, booleans, null. */
final class Json {
    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                append(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            string(sb, v.toString());
        }
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }
}
