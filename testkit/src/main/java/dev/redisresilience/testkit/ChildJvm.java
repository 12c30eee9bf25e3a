package dev.redisresilience.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a main class (or an executable jar) in a child JVM, optionally with {@code -javaagent:}, captures its
 * stdout and stderr line by line and enforces a timeout (the process is killed when it expires, and
 * {@link Handle#waitFor()} then fails saying so).
 *
 * <pre>{@code
 * try (ChildJvm.Handle h = ChildJvm.builder()
 *         .agent(agentJar, "fallback=memory")
 *         .sysProp("redis.resilience.probe-interval", "100ms")
 *         .classpath(ChildJvm.testClasspath())
 *         .mainClass("com.example.App").args("x")
 *         .timeout(Duration.ofSeconds(30))
 *         .start()) {
 *     h.awaitLine(l -> l.contains("ready"), Duration.ofSeconds(10));
 *     ChildJvm.Result r = h.waitFor();
 *     assertThat(r.exitCode()).isZero();
 * }
 * }</pre>
 */
public final class ChildJvm {
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "child-jvm-cleanup"));
    }

    private ChildJvm() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The classpath of the current JVM (under surefire: the test classpath) as paths. */
    public static List<Path> testClasspath() {
        List<Path> r = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) r.add(Paths.get(e));
        }
        return r;
    }

    public static final class Builder {
        private Path javaHome = Paths.get(System.getProperty("java.home"));
        private Path agentJar;
        private String agentArgs;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> sysProps = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> envRemove = new ArrayList<>();
        private final List<Path> classpath = new ArrayList<>();
        private String mainClass;
        private Path jar;
        private final List<String> args = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(60);
        private Path workDir;

        /** The JDK/JRE to run (default: the current one). Null keeps the default. */
        public Builder javaHome(Path home) {
            if (home != null) this.javaHome = home;
            return this;
        }

        /** {@code -javaagent:<jar>[=<agentArgs>]}; agentArgs may be null. */
        public Builder agent(Path jar, String agentArgs) {
            this.agentJar = jar;
            this.agentArgs = agentArgs;
            return this;
        }

        /** A raw JVM option, e.g. {@code -Xmx64m}. */
        public Builder jvmArg(String... a) {
            jvmArgs.addAll(Arrays.asList(a));
            return this;
        }

        public Builder sysProp(String key, String value) {
            sysProps.put(key, value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Removes a variable inherited from this JVM's environment. */
        public Builder envRemove(String key) {
            envRemove.add(key);
            return this;
        }

        public Builder classpath(List<Path> cp) {
            classpath.addAll(cp);
            return this;
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** Run {@code -jar <jar>} instead of a main class. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder args(String... a) {
            args.addAll(Arrays.asList(a));
            return this;
        }

        /** Hard limit for the whole run (default 60 s); the process is killed when it expires. */
        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** The full command line that {@link #start()} runs. */
        public List<String> command() {
            if ((mainClass == null) == (jar == null)) {
                throw new IllegalStateException("set exactly one of mainClass(..) or jar(..)");
            }
            List<String> cmd = new ArrayList<>();
            String exe = System.getProperty("os.name", "").toLowerCase().contains("win") ? "java.exe" : "java";
            cmd.add(javaHome.resolve("bin").resolve(exe).toString());
            if (agentJar != null) {
                cmd.add("-javaagent:" + agentJar.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            cmd.addAll(jvmArgs);
            for (Map.Entry<String, String> e : sysProps.entrySet()) {
                cmd.add("-D" + e.getKey() + "=" + e.getValue());
            }
            if (!classpath.isEmpty()) {
                cmd.add("-cp");
                StringBuilder sb = new StringBuilder();
                for (Path p : classpath) {
                    if (sb.length() > 0) sb.append(File.pathSeparator);
                    sb.append(p.toAbsolutePath());
                }
                cmd.add(sb.toString());
            }
            if (jar != null) {
                cmd.add("-jar");
                cmd.add(jar.toAbsolutePath().toString());
            } else {
                cmd.add(mainClass);
            }
            cmd.addAll(args);
            return cmd;
        }

        public Handle start() {
            List<String> cmd = command();
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (workDir != null) pb.directory(workDir.toFile());
            for (String k : envRemove) pb.environment().remove(k);
            pb.environment().putAll(env);
            try {
                return new Handle(pb.start(), cmd, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start child JVM: " + cmd, e);
            }
        }
    }

    /** Outcome of a finished child JVM. */
    public static final class Result {
        private final int exitCode;
        private final List<String> stdoutLines;
        private final List<String> stderrLines;
        private final List<String> lines;

        Result(int exitCode, List<String> stdoutLines, List<String> stderrLines, List<String> lines) {
            this.exitCode = exitCode;
            this.stdoutLines = stdoutLines;
            this.stderrLines = stderrLines;
            this.lines = lines;
        }

        public int exitCode() { return exitCode; }
        public List<String> stdoutLines() { return stdoutLines; }
        public List<String> stderrLines() { return stderrLines; }
        /** stdout and stderr interleaved in arrival order. */
        public List<String> lines() { return lines; }
        /** All lines joined with '\n'. */
        public String output() { return String.join("\n", lines); }

        @Override
        public String toString() {
            return "exit " + exitCode + ", output:\n" + output();
        }
    }

    /** A running child JVM. {@link #close()} kills it if still running. */
    public static final class Handle implements AutoCloseable {
        private final Process process;
        private final List<String> command;
        private final Duration timeout;
        private final List<String> out = new ArrayList<>();
        private final List<String> err = new ArrayList<>();
        private final List<String> all = new ArrayList<>();
        private final Thread outReader;
        private final Thread errReader;
        private final Thread watchdog;
        private final PrintWriter stdin;
        private volatile boolean timedOut;

        Handle(Process process, List<String> command, Duration timeout) {
            this.process = process;
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            this.command = command;
            this.timeout = timeout;
            this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            this.outReader = reader(process.getInputStream(), out, "stdout");
            this.errReader = reader(process.getErrorStream(), err, "stderr");
            this.watchdog = new Thread(() -> {
                try {
                    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        timedOut = true;
                        process.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    // closed
                }
            }, "child-jvm-watchdog-" + process.pid());
            watchdog.setDaemon(true);
            watchdog.start();
        }

        private Thread reader(InputStream in, List<String> own, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            own.add(line);
                            all.add(line);
                            all.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                } finally {
                    synchronized (all) {
                        all.notifyAll();
                    }
                }
            }, "child-jvm-" + name + "-" + process.pid());
            t.setDaemon(true);
            t.start();
            return t;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public List<String> command() {
            return Collections.unmodifiableList(command);
        }

        /** Snapshot of the output so far, stdout and stderr interleaved in arrival order. */
        public List<String> lines() {
            synchronized (all) {
                return new ArrayList<>(all);
            }
        }

        public List<String> stdoutLines() {
            synchronized (all) {
                return new ArrayList<>(out);
            }
        }

        public List<String> stderrLines() {
            synchronized (all) {
                return new ArrayList<>(err);
            }
        }

        /** The child's stdin (autoflush). */
        public PrintWriter stdin() {
            return stdin;
        }

        /**
         * Waits until a line (already captured or arriving) matches; returns it. Fails with the output so far if
         * none matches within {@code within}, or if the process ends without printing one.
         */
        public String awaitLine(Predicate<String> matcher, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            int seen = 0;
            synchronized (all) {
                while (true) {
                    for (; seen < all.size(); seen++) {
                        if (matcher.test(all.get(seen))) {
                            return all.get(seen);
                        }
                    }
                    boolean ended = !process.isAlive() && !outReader.isAlive() && !errReader.isAlive();
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        throw new AssertionError((ended ? "child JVM ended (exit " + process.exitValue()
                                + (timedOut ? ", killed after timeout " + timeout : "") + ")"
                                : "no matching line within " + within) + " without a matching line; output:\n"
                                + String.join("\n", all) + "\ncommand: " + command);
                    }
                    try {
                        all.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }
            }
        }

        /**
         * Waits for the process to end (at most until its timeout, counted from start) and returns its result.
         * Fails with an AssertionError when the timeout killed it.
         */
        public Result waitFor() {
            try {
                process.waitFor();
                outReader.join(5000);
                errReader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for the child JVM", e);
            }
            Result r;
            synchronized (all) {
                r = new Result(process.exitValue(), new ArrayList<>(out), new ArrayList<>(err), new ArrayList<>(all));
            }
            if (timedOut) {
                throw new AssertionError("child JVM did not finish within " + timeout + " and was killed; " + r
                        + "\ncommand: " + command);
            }
            return r;
        }

        /** Kills the process if still running (and its descendants). Idempotent. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            watchdog.interrupt();
            stdin.close();
        }
    }
}
