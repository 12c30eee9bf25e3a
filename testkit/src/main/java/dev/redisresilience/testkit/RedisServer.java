package dev.redisresilience.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process for tests: loopback only, a free port, its own temp dir, no
 * persistence ({@code --save "" --appendonly no}). Binary: {@code $REDIS_SERVER} (or system property
 * {@code redis.server}), else {@code redis-server} on PATH, else the binary bundled in the
 * {@code com.github.codemonstur:embedded-redis} artifact (extracted once, cached in the temp dir).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) { ... redis.port() ... }
 * try (RedisServer redis = RedisServer.builder().args("--requirepass", "s3cret").start()) { ... }
 * }</pre>
 * Every server still running when the JVM exits is killed by a shutdown hook.
 */
public final class RedisServer implements AutoCloseable {
    private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();
    /** Every instance not yet closed (their temp dirs are deleted at JVM exit even when a test forgot close()). */
    private static final Set<RedisServer> OPEN = ConcurrentHashMap.newKeySet();
    private static final Object BUNDLED_LOCK = new Object();
    private static volatile Path bundled;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (RedisServer s : LIVE) {
                s.destroyNow();
            }
            for (RedisServer s : OPEN) {
                s.deleteDir();
            }
        }, "redis-server-testkit-cleanup"));
    }

    private final Path binary;
    private final List<String> extraArgs;
    private final Duration startupTimeout;
    private final String password;
    private final Path dir;
    private final Path logFile;
    private final boolean fixedPort;
    private volatile int port;
    private volatile Process process;
    private volatile boolean closed;
    private volatile String version;

    private RedisServer(Builder b) {
        this.binary = b.resolveBinary();
        this.extraArgs = new ArrayList<>(b.args);
        this.startupTimeout = b.startupTimeout;
        this.password = b.password();
        try {
            this.dir = Files.createTempDirectory("redis-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = dir.resolve("redis.log");
        OPEN.add(this);
        this.fixedPort = b.port > 0;
        this.port = fixedPort ? b.port : freePort();
    }

    /** Starts a server with default settings on a free port. */
    public static RedisServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private int port;
        private Path binary;
        private boolean forceBundled;
        private Duration startupTimeout = Duration.ofSeconds(15);

        /** Extra redis-server arguments, appended after the defaults (so they may override them). */
        public Builder args(String... a) {
            args.addAll(Arrays.asList(a));
            return this;
        }

        /** Fixed port (default: a free one). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** Use exactly this redis-server binary. */
        public Builder binary(Path b) {
            this.binary = b;
            return this;
        }

        /** Ignore $REDIS_SERVER and PATH: use the binary bundled in embedded-redis. */
        public Builder forceBundledBinary() {
            this.forceBundled = true;
            return this;
        }

        public Builder startupTimeout(Duration d) {
            this.startupTimeout = d;
            return this;
        }

        public RedisServer start() {
            RedisServer s = new RedisServer(this);
            try {
                s.launch();
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        }

        String password() {
            String p = null;
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equalsIgnoreCase("--requirepass")) {
                    p = args.get(i + 1);
                }
            }
            return p;
        }

        Path resolveBinary() {
            if (binary != null) {
                return binary;
            }
            if (!forceBundled) {
                String env = System.getProperty("redis.server", System.getenv("REDIS_SERVER"));
                if (env != null && !env.isEmpty()) {
                    return Paths.get(env);
                }
                Path onPath = findOnPath("redis-server");
                if (onPath != null) {
                    return onPath;
                }
            }
            return bundledBinary();
        }
    }

    static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Paths.get(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The redis-server bundled in embedded-redis for this OS/arch, extracted once (cached across JVMs). */
    public static Path bundledBinary() {
        Path b = bundled;
        if (b != null) {
            return b;
        }
        synchronized (BUNDLED_LOCK) {
            if (bundled != null) {
                return bundled;
            }
            String res = bundledResourceName();
            try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("embedded-redis resource " + res + " not on the classpath");
                }
                byte[] data = in.readAllBytes();
                Path cacheDir = Paths.get(System.getProperty("java.io.tmpdir"),
                        "redis-testkit-bin-" + System.getProperty("user.name", "user"));
                Files.createDirectories(cacheDir);
                Path target = cacheDir.resolve(res + "-" + data.length);
                if (!Files.isRegularFile(target) || Files.size(target) != data.length || !Files.isExecutable(target)) {
                    Path tmp = Files.createTempFile(cacheDir, res, ".part");
                    Files.write(tmp, data);
                    tmp.toFile().setExecutable(true, false);
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                bundled = target;
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract bundled redis-server " + res, e);
            }
        }
    }

    static String bundledResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        if (os.contains("linux")) {
            if (x64) return "redis-server-6.2.6-v5-linux-amd64";
            if (arm) return "redis-server-6.2.7-linux-arm64";
            if (arch.matches("i[3-6]86|x86")) return "redis-server-6.2.7-linux-386";
        } else if (os.contains("mac") || os.contains("darwin")) {
            if (x64) return "redis-server-6.2.6-v5-darwin-amd64";
            if (arm) return "redis-server-6.2.6-v5-darwin-arm64";
        } else if (os.contains("windows") && x64) {
            return "redis-server-5.0.14.1-windows-amd64.exe";
        }
        throw new IllegalStateException("no bundled redis-server for os=" + os + " arch=" + arch
                + "; set $REDIS_SERVER or put redis-server on PATH");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void launch() {
        launch(!fixedPort);
    }

    private synchronized void launch(boolean mayMove) {
        for (int attempt = 0; ; attempt++) {
            try {
                launchOnce();
                return;
            } catch (PortTakenException e) {
                // another process grabbed the free port between our probe and redis binding it
                destroyNow();
                if (!mayMove || attempt >= 4) {
                    throw new IllegalStateException("port " + port + " is taken by another process; log tail:\n" + logTail(), e);
                }
                port = freePort();
            }
        }
    }

    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String m) {
            super(m);
        }
    }

    private void launchOnce() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(Arrays.asList("--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        LIVE.add(this);
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + p.exitValue() + " during startup (" + binary
                        + " port " + port + "); log tail:\n" + logTail());
            }
            try (RespClient c = RespClient.connect(host(), port, Duration.ofMillis(500), Duration.ofSeconds(2))) {
                Object pong = c.call("PING");
                if ("PONG".equals(pong) || (pong instanceof RespError && ((RespError) pong).code().equals("NOAUTH"))) {
                    if (password != null) c.call("AUTH", password);
                    long serverPid = serverPid(c);
                    if (serverPid == p.pid() || serverPid < 0) {
                        return;
                    }
                    throw new PortTakenException("port " + port + " answered by pid " + serverPid + ", not ours (" + p.pid() + ")");
                }
                last = new IllegalStateException("PING answered " + RespReader.describe(pong));
            } catch (PortTakenException e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(20);
        }
        destroyNow();
        throw new IllegalStateException("redis-server (" + binary + ") on port " + port + " not ready within "
                + startupTimeout + " (last: " + last + "); log tail:\n" + logTail(), last);
    }

    /** process_id from INFO server; -1 if it cannot be read (e.g. a foreign server with another password). */
    private static long serverPid(RespClient c) {
        Object info = c.call("INFO", "server");
        if (!(info instanceof byte[])) return -1;
        for (String line : RespReader.str(info).split("\r\n")) {
            if (line.startsWith("process_id:")) return Long.parseLong(line.substring(11).trim());
        }
        return -1;
    }

    /** The last 30 lines of the server's log. */
    public String logTail() {
        try {
            if (!Files.exists(logFile)) return "(no log)";
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The binary this server runs. */
    public Path binary() {
        return binary;
    }

    /** The --requirepass given, or null. */
    public String password() {
        return password;
    }

    /** {@code host:port}. */
    public String address() {
        return host() + ":" + port;
    }

    /** A new client connected (and authenticated when a password was set). The caller closes it. */
    public RespClient client() {
        RespClient c = RespClient.connect(host(), port);
        if (password != null) {
            Object ok = c.call("AUTH", password);
            if (!"OK".equals(ok)) {
                c.close();
                throw new IllegalStateException("AUTH failed: " + RespReader.describe(ok));
            }
        }
        return c;
    }

    /** {@code redis_version} from INFO server, e.g. "7.0.15" (cached). */
    public String version() {
        String v = version;
        if (v == null) {
            try (RespClient c = client()) {
                String info = RespReader.str(c.call("INFO", "server"));
                for (String line : info.split("\r\n")) {
                    if (line.startsWith("redis_version:")) {
                        v = line.substring("redis_version:".length()).trim();
                    }
                }
            }
            if (v == null) {
                throw new IllegalStateException("no redis_version in INFO");
            }
            version = v;
        }
        return v;
    }

    /** The version as {major, minor, patch}. */
    public int[] versionNumbers() {
        String[] p = version().split("\\.");
        int[] r = new int[3];
        for (int i = 0; i < 3 && i < p.length; i++) {
            r[i] = Integer.parseInt(p[i].replaceAll("[^0-9].*", ""));
        }
        return r;
    }

    /** True when the server version is at least major.minor. */
    public boolean atLeast(int major, int minor) {
        int[] v = versionNumbers();
        return v[0] > major || (v[0] == major && v[1] >= minor);
    }

    public long pid() {
        Process p = process;
        if (p == null) throw new IllegalStateException("not started");
        return p.pid();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Graceful stop (SIGTERM; SIGKILL after 10 s). The server can be brought back with {@link #restart()}. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        signal("CONT"); // a paused server cannot handle SIGTERM
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** {@code kill -9}: the server dies at once, connections are reset. */
    public synchronized void kill() {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** SIGSTOP: the process freezes; connects still complete (kernel backlog) but nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** Stops (gracefully) if running and starts again on the same port, with empty data; waits until ready. */
    public synchronized void restart() {
        stop();
        version = null;
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                launch(false); // same port
                return;
            } catch (IllegalStateException e) { // e.g. port still held for a moment
                last = e;
                sleep(200);
            }
        }
        throw last;
    }

    private void signal(String sig) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            if (sig.equals("CONT")) return;
            throw new IllegalStateException("redis-server not running");
        }
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).redirectErrorStream(true).start();
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + p.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void destroyNow() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(this);
    }

    /** Kills the process if still running and deletes its temp dir. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        destroyNow();
        deleteDir();
        OPEN.remove(this);
    }

    private void deleteDir() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + address() + ", " + binary + "]";
    }
}
