package dev.redisresilience.agent.log;

import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's only way to speak. One event, one line. Lines go to the application's SLF4J (logger names
 * under {@code redis.resilience}) when the client's class loader has SLF4J, otherwise to stderr in one
 * recognisable format ({@code [redis-resilience] LEVEL message}). Callers must pass already-redacted
 * text (see {@code config.Redaction}). Thread-safe; never throws.
 *
 * <p>Logger names: pass a component ({@code "endpoint"}) or a full name; names not starting with
 * {@code redis.resilience} are prefixed with {@code redis.resilience.}. Line breaks in messages are replaced
 * by spaces so one event stays one line (a stack trace may follow an {@link #instrumentationFailure}).
 *
 * <p>SLF4J binding: adapters call {@link #bindTo(ClassLoader)} with the class loader of a transformed
 * client class. The first such loader through which {@code org.slf4j.LoggerFactory} resolves to a real
 * (non-NOP) logger is used for all later lines; resolution is lazy (at the next log call, never inside the
 * bind call) and reflective, so no SLF4J class is linked into the agent.
 */
public final class AgentLog {
    /** Prefix of every stderr line. */
    public static final String PREFIX = "[redis-resilience] ";
    private static final String ROOT = "redis.resilience";

    private static final Set<String> ONCE = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    private static final Set<String> FAILED_COMPONENTS =
            Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    // SLF4J binding state
    private static final Map<ClassLoader, Boolean> TRIED = new WeakHashMap<ClassLoader, Boolean>();
    private static final AtomicBoolean RESOLVING = new AtomicBoolean();
    private static volatile WeakReference<ClassLoader> pending;
    private static volatile Slf4j slf4j;

    private static volatile Capture capture;

    private AgentLog() { }

    public static void info(String logger, String message) { log(Level.INFO, logger, message, null); }

    public static void warn(String logger, String message) { log(Level.WARN, logger, message, null); }

    public static void error(String logger, String message) { log(Level.ERROR, logger, message, null); }

    /** Logs {@code message} at WARN the first time {@code onceKey} is seen in this JVM, and never again. */
    public static void warnOnce(String onceKey, String logger, String message) {
        try {
            if (ONCE.add(String.valueOf(onceKey))) {
                log(Level.WARN, logger, message, null);
            }
        } catch (Throwable ignored) {
            // never throw
        }
    }

    /**
     * Reports an unexpected throwable from inside instrumentation once per {@code component}, with its
     * stack trace, and returns. The caller then steps aside (passes through).
     */
    public static void instrumentationFailure(String component, Throwable t) {
        try {
            if (FAILED_COMPONENTS.add(String.valueOf(component))) {
                log(Level.ERROR, "instrumentation", "instrumentation failure in " + component
                        + " (reported once; this component now passes through): " + t, t);
            }
        } catch (Throwable ignored) {
            // never throw
        }
    }

    /**
     * Offers {@code loader} (the class loader of a client class being instrumented) as the place to find the
     * application's SLF4J. Cheap and safe to call for every transformed class; does no class loading itself.
     */
    public static void bindTo(ClassLoader loader) {
        try {
            if (loader == null || slf4j != null) {
                return;
            }
            synchronized (TRIED) {
                if (TRIED.containsKey(loader)) {
                    return;
                }
                TRIED.put(loader, Boolean.TRUE);
            }
            pending = new WeakReference<ClassLoader>(loader);
        } catch (Throwable ignored) {
            // never throw
        }
    }

    /**
     * Diverts every line to a capture until it is closed (for tests; other tests' lines may interleave when
     * tests run in parallel). Opening a new capture replaces the previous one.
     */
    public static Capture capture() {
        Capture c = new Capture();
        capture = c;
        return c;
    }

    // ---- internals ----

    enum Level { INFO, WARN, ERROR }

    private static void log(Level level, String logger, String message, Throwable t) {
        try {
            String name = loggerName(logger);
            String msg = oneLine(message);
            Capture c = capture;
            if (c != null) {
                c.add(level, name, msg, t);
                return;
            }
            resolvePending();
            Slf4j s = slf4j;
            if (s != null && s.log(level, name, msg, t)) {
                return;
            }
            PrintStream err = System.err;
            synchronized (err) {
                err.println(PREFIX + level + " " + msg);
                if (t != null) {
                    t.printStackTrace(err);
                }
            }
        } catch (Throwable ignored) {
            // never throw
        }
    }

    private static String loggerName(String logger) {
        if (logger == null || logger.isEmpty()) {
            return ROOT;
        }
        return logger.startsWith(ROOT) ? logger : ROOT + "." + logger;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "null";
        }
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static void resolvePending() {
        WeakReference<ClassLoader> ref = pending;
        if (ref == null || slf4j != null || !RESOLVING.compareAndSet(false, true)) {
            return; // another thread resolves; this line goes to stderr (never block on class loading)
        }
        try {
            if (pending != ref) {
                return;
            }
            pending = null;
            ClassLoader loader = ref.get();
            if (loader != null) {
                slf4j = Slf4j.resolve(loader);
            }
        } finally {
            RESOLVING.set(false);
        }
    }

    /** Forgets the SLF4J binding, once-keys and failure reports, and closes any capture (tests only). */
    static void resetForTests() {
        synchronized (TRIED) {
            TRIED.clear();
        }
        pending = null;
        slf4j = null;
        capture = null;
        ONCE.clear();
        FAILED_COMPONENTS.clear();
    }

    /** True once lines go to an SLF4J found through {@link #bindTo(ClassLoader)} (diagnostics, tests). */
    public static boolean boundToSlf4j() {
        resolvePending();
        return slf4j != null;
    }

    /** Reflective access to one class loader's SLF4J. */
    private static final class Slf4j {
        private final Method getLogger;
        private final Method info;
        private final Method warn;
        private final Method error;
        private final Method errorT;
        private final Map<String, Object> loggers = new ConcurrentHashMap<String, Object>();
        private volatile boolean broken;

        private Slf4j(Method getLogger, Method info, Method warn, Method error, Method errorT) {
            this.getLogger = getLogger;
            this.info = info;
            this.warn = warn;
            this.error = error;
            this.errorT = errorT;
        }

        static Slf4j resolve(ClassLoader loader) {
            try {
                Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
                Class<?> loggerType = Class.forName("org.slf4j.Logger", false, loader);
                Slf4j s = new Slf4j(factory.getMethod("getLogger", String.class),
                        loggerType.getMethod("info", String.class),
                        loggerType.getMethod("warn", String.class),
                        loggerType.getMethod("error", String.class),
                        loggerType.getMethod("error", String.class, Throwable.class));
                Object probe = s.getLogger.invoke(null, ROOT);
                String impl = probe == null ? "" : probe.getClass().getName();
                // no binding: SLF4J hands out NOP loggers; our lines would vanish, so keep stderr
                if (probe == null || impl.startsWith("org.slf4j.helpers.NOP")) {
                    return null;
                }
                return s;
            } catch (Throwable t) {
                return null; // no SLF4J there (or unusable): stderr
            }
        }

        /** Returns false when the line could not be delivered (the caller then prints it to stderr). */
        boolean log(Level level, String name, String msg, Throwable t) {
            if (broken) {
                return false;
            }
            try {
                Object logger = loggers.get(name);
                if (logger == null) {
                    logger = getLogger.invoke(null, name);
                    loggers.put(name, logger);
                }
                if (t != null) {
                    errorT.invoke(logger, msg, t);
                } else if (level == Level.INFO) {
                    info.invoke(logger, msg);
                } else if (level == Level.WARN) {
                    warn.invoke(logger, msg);
                } else {
                    error.invoke(logger, msg);
                }
                return true;
            } catch (Throwable e) {
                broken = true;
                return false;
            }
        }
    }

    /** Lines captured by {@link AgentLog#capture()}. Thread-safe. */
    public static final class Capture implements AutoCloseable {
        private final List<String> lines = new ArrayList<String>();
        private final List<String> loggers = new ArrayList<String>();

        private Capture() { }

        synchronized void add(Level level, String logger, String msg, Throwable t) {
            lines.add(PREFIX + level + " " + msg);
            loggers.add(logger);
        }

        /** The lines as they would appear on stderr ({@code [redis-resilience] LEVEL message}), in order. */
        public synchronized List<String> lines() {
            return new ArrayList<String>(lines);
        }

        /** The logger name of each line in {@link #lines()}, same order. */
        public synchronized List<String> loggers() {
            return new ArrayList<String>(loggers);
        }

        /** Stops capturing (if this is still the active capture). */
        @Override
        public void close() {
            if (capture == this) {
                capture = null;
            }
        }
    }
}
