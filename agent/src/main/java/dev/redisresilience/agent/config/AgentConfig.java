package dev.redisresilience.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's configuration: an immutable snapshot, cheap to read (final fields).
 *
 * <h2>Sources and precedence</h2>
 * Every key {@code k} can be given as an agent argument {@code k=value}, a system property
 * {@code redis.resilience.k} and an environment variable {@code REDIS_RESILIENCE_K} (upper case, {@code .}
 * and {@code -} become {@code _}). Precedence: agent argument &gt; system property &gt; environment &gt; default.
 * Every value given in any source is validated, also when a higher-precedence source overrides it.
 *
 * <h2>Agent argument syntax</h2>
 * {@code key=value} pairs separated by commas. Because list values ({@code redirect},
 * {@code fallback.deny-keys}, {@code fallback.allow-keys}, {@code fallback.deny-commands}) are
 * comma-separated themselves, a comma-separated segment CONTINUES the previous list value when
 * <ul>
 *   <li>it contains no {@code =}, or</li>
 *   <li>the previous key is {@code redirect} and the text before the segment's first {@code =} is not a
 *       known key (so {@code redirect=a:1->b:2,c:3->rediss://u:p=w@h:6380/0} is one value).</li>
 * </ul>
 * Otherwise each segment must be {@code key=value} with a known key; a key given twice is an error.
 * Inside list values (all sources) a comma escaped as {@code \,} does not split (in a glob {@code \,}
 * then matches a literal comma). Values are trimmed.
 *
 * <h2>Value syntax</h2>
 * Durations: a whole number with a unit {@code ms}, {@code s}, {@code m} or {@code h} ({@code 500ms},
 * {@code 2s}, {@code 1m}). Sizes: a whole number of bytes, or with {@code k}, {@code m}, {@code g} or
 * {@code t} (powers of 1024; {@code 512k}, {@code 64m}, {@code 1g}). Booleans: {@code true}/{@code false}.
 * Enumerations are case-insensitive.
 *
 * <h2>Errors</h2>
 * An unknown {@code redis.resilience.*} key (in any source), a malformed or out-of-range value produce a
 * {@link ConfigException} with a one-line message naming the key, the value (redacted where it can hold a
 * password) and what is allowed.
 *
 * <h2>Runtime toggles</h2>
 * The snapshot never changes. {@link #current()} is the published snapshot (one volatile read);
 * runtime toggles (drill mode, switching the fallback) build a changed copy with
 * {@link #withForceFallback(boolean)} / {@link #withFallback(Fallback)} and {@link #publish(AgentConfig)} it.
 * TODO(runtime toggles issue): components that cache a value (e.g. {@code Endpoints.anyDegraded()} for
 * force-fallback) must be told about a publish; add a listener here when that issue lands.
 */
public final class AgentConfig {

    /** What answers while Redis is down. */
    public enum Fallback { MEMORY, NONE }

    /** What happens to the outage's writes on recovery. */
    public enum Reconcile { REPLAY, INVALIDATE, NONE }

    /** How set-if-absent writes, the lock idiom ({@code SET key val NX [PX ..]}, SETNX, MSETNX), are treated while Redis is down (scripts are never served). */
    public enum LockIdiom { FAIL, SERVE }

    public static final String SYSPROP_PREFIX = "redis.resilience.";
    public static final String ENV_PREFIX = "REDIS_RESILIENCE_";

    public static final String ENABLED = "enabled";
    public static final String FALLBACK = "fallback";
    public static final String FALLBACK_MAX_ENTRIES = "fallback.max-entries";
    public static final String FALLBACK_MAX_MEMORY = "fallback.max-memory";
    public static final String RECONCILE = "reconcile";
    public static final String FORCE_FALLBACK = "force-fallback";
    public static final String LAZY_CONNECT = "lazy-connect";
    public static final String PROBE_INTERVAL = "probe-interval";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String STALL_TIMEOUT = "stall-timeout";
    public static final String FALLBACK_DENY_KEYS = "fallback.deny-keys";
    public static final String FALLBACK_ALLOW_KEYS = "fallback.allow-keys";
    public static final String FALLBACK_DENY_COMMANDS = "fallback.deny-commands";
    public static final String REDIRECT = "redirect";
    public static final String JOURNAL_MAX_ENTRIES = "journal.max-entries";
    public static final String LOG_SUMMARY_INTERVAL = "log.summary-interval";
    public static final String FALLBACK_LOCK_IDIOM = "fallback.lock-idiom";

    private static final long MS = 1L;
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60L * SECOND;
    private static final long HOUR = 60L * MINUTE;
    private static final long KIB = 1024L;
    private static final long MIB = 1024L * KIB;
    private static final long GIB = 1024L * MIB;
    private static final long TIB = 1024L * GIB;

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([kmgt]?)", Pattern.CASE_INSENSITIVE);

    private static final Pattern COMMAND = Pattern.compile("[A-Za-z][A-Za-z0-9_.|-]{0,63}");

    private static final Map<String, Key> KEYS = new LinkedHashMap<String, Key>();

    static {
        def(ENABLED, "true", false, new BoolParser());
        def(FALLBACK, "memory", false, new EnumParser<Fallback>(Fallback.class));
        def(FALLBACK_MAX_ENTRIES, "100000", false, new LongParser(1, 1000000000L));
        def(FALLBACK_MAX_MEMORY, "64m", false, new SizeParser(KIB, TIB));
        def(RECONCILE, "replay", false, new EnumParser<Reconcile>(Reconcile.class));
        def(FORCE_FALLBACK, "false", false, new BoolParser());
        def(LAZY_CONNECT, "true", false, new BoolParser());
        def(PROBE_INTERVAL, "500ms", false, new DurationParser(10 * MS, HOUR));
        def(CONNECT_TIMEOUT, "1s", false, new DurationParser(10 * MS, 10 * MINUTE));
        def(STALL_TIMEOUT, "250ms", false, new DurationParser(10 * MS, 10 * MINUTE));
        def(FALLBACK_DENY_KEYS, "", false, new GlobListParser());
        def(FALLBACK_ALLOW_KEYS, "", false, new GlobListParser());
        def(FALLBACK_DENY_COMMANDS, "", false, new CommandListParser());
        def(REDIRECT, "", true, new RedirectParser());
        def(JOURNAL_MAX_ENTRIES, "100000", false, new LongParser(1, 1000000000L));
        def(LOG_SUMMARY_INTERVAL, "5m", false, new DurationParser(SECOND, 24 * HOUR));
        def(FALLBACK_LOCK_IDIOM, "fail", false, new EnumParser<LockIdiom>(LockIdiom.class));
    }

    private static final AgentConfig DEFAULTS = buildDefaults();
    private static volatile AgentConfig current = DEFAULTS;

    // ---- the snapshot ----
    private final Map<String, Object> values;   // key -> typed value, every key present
    private final Map<String, String> given;    // key -> raw text of the effective value, non-default keys only

    private final boolean enabled;
    private final Fallback fallback;
    private final int fallbackMaxEntries;
    private final long fallbackMaxMemoryBytes;
    private final Reconcile reconcile;
    private final boolean forceFallback;
    private final boolean lazyConnect;
    private final long probeIntervalMillis;
    private final long connectTimeoutMillis;
    private final long stallTimeoutMillis;
    private final List<Glob> fallbackDenyKeys;
    private final List<Glob> fallbackAllowKeys;
    private final List<String> fallbackDenyCommands;
    private final List<RedirectRule> redirect;
    private final int journalMaxEntries;
    private final long logSummaryIntervalMillis;
    private final LockIdiom fallbackLockIdiom;

    @SuppressWarnings("unchecked")
    private AgentConfig(Map<String, Object> values, Map<String, String> given) {
        this.values = Collections.unmodifiableMap(values);
        this.given = Collections.unmodifiableMap(given);
        enabled = (Boolean) values.get(ENABLED);
        fallback = (Fallback) values.get(FALLBACK);
        fallbackMaxEntries = ((Long) values.get(FALLBACK_MAX_ENTRIES)).intValue();
        fallbackMaxMemoryBytes = (Long) values.get(FALLBACK_MAX_MEMORY);
        reconcile = (Reconcile) values.get(RECONCILE);
        forceFallback = (Boolean) values.get(FORCE_FALLBACK);
        lazyConnect = (Boolean) values.get(LAZY_CONNECT);
        probeIntervalMillis = (Long) values.get(PROBE_INTERVAL);
        connectTimeoutMillis = (Long) values.get(CONNECT_TIMEOUT);
        stallTimeoutMillis = (Long) values.get(STALL_TIMEOUT);
        fallbackDenyKeys = (List<Glob>) values.get(FALLBACK_DENY_KEYS);
        fallbackAllowKeys = (List<Glob>) values.get(FALLBACK_ALLOW_KEYS);
        fallbackDenyCommands = (List<String>) values.get(FALLBACK_DENY_COMMANDS);
        redirect = (List<RedirectRule>) values.get(REDIRECT);
        journalMaxEntries = ((Long) values.get(JOURNAL_MAX_ENTRIES)).intValue();
        logSummaryIntervalMillis = (Long) values.get(LOG_SUMMARY_INTERVAL);
        fallbackLockIdiom = (LockIdiom) values.get(FALLBACK_LOCK_IDIOM);
    }

    // ---- typed getters ----

    /** {@code enabled}: master switch; false = the agent installs nothing. */
    public boolean enabled() { return enabled; }

    /** {@code fallback}: MEMORY serves from the in-process engine while Redis is down; NONE fails fast. */
    public Fallback fallback() { return fallback; }

    /** {@code fallback.max-entries}: bound on keys held by the fallback engine (1..1e9). */
    public int fallbackMaxEntries() { return fallbackMaxEntries; }

    /** {@code fallback.max-memory} in bytes (1k..1t). */
    public long fallbackMaxMemoryBytes() { return fallbackMaxMemoryBytes; }

    /** {@code reconcile}: what happens to the outage's writes on recovery. */
    public Reconcile reconcile() { return reconcile; }

    /** {@code force-fallback}: drill mode, every endpoint behaves as if down. */
    public boolean forceFallback() { return forceFallback; }

    /** {@code lazy-connect}: constructors and connect() never fail because Redis is down. */
    public boolean lazyConnect() { return lazyConnect; }

    /** {@code probe-interval} in milliseconds (10ms..1h). */
    public long probeIntervalMillis() { return probeIntervalMillis; }

    /** {@code connect-timeout} in milliseconds (10ms..10m). */
    public long connectTimeoutMillis() { return connectTimeoutMillis; }

    /** {@code stall-timeout} in milliseconds (10ms..10m). */
    public long stallTimeoutMillis() { return stallTimeoutMillis; }

    /** {@code fallback.deny-keys}: keys that must never be served locally; unmodifiable, may be empty. */
    public List<Glob> fallbackDenyKeys() { return fallbackDenyKeys; }

    /** {@code fallback.allow-keys}: when non-empty, only these keys may be served locally; unmodifiable. */
    public List<Glob> fallbackAllowKeys() { return fallbackAllowKeys; }

    /** {@code fallback.deny-commands}: upper-case command names never served locally; unmodifiable. */
    public List<String> fallbackDenyCommands() { return fallbackDenyCommands; }

    /** {@code redirect}: rules in the order given; unmodifiable, may be empty. */
    public List<RedirectRule> redirect() { return redirect; }

    /** {@code journal.max-entries}: bound on the outage journal (1..1e9). */
    public int journalMaxEntries() { return journalMaxEntries; }

    /** {@code log.summary-interval} in milliseconds (1s..24h): periodic summary line while an endpoint is down. */
    public long logSummaryIntervalMillis() { return logSummaryIntervalMillis; }

    /** {@code fallback.lock-idiom}: FAIL (lock idioms fail fast while down) or SERVE (served locally). */
    public LockIdiom fallbackLockIdiom() { return fallbackLockIdiom; }

    /**
     * The effective settings that differ from the defaults, as {@code key=value} joined by {@code ", "}, in
     * key order, passwords masked; empty when everything is default. Used by the startup line.
     */
    public String describeNonDefaults() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append('=').append(display(e.getKey(), e.getValue()));
        }
        return b.toString();
    }

    // ---- runtime-toggle hook ----

    /** The snapshot in force (defaults until the agent publishes its parsed configuration). One volatile read. */
    public static AgentConfig current() {
        return current;
    }

    /** Makes {@code config} the snapshot returned by {@link #current()}. */
    public static void publish(AgentConfig config) {
        if (config != null) {
            current = config;
        }
    }

    /** A copy with {@code force-fallback} changed (runtime drill toggle). */
    public AgentConfig withForceFallback(boolean on) {
        return with(FORCE_FALLBACK, Boolean.valueOf(on), String.valueOf(on));
    }

    /** A copy with {@code fallback} changed (runtime toggle). */
    public AgentConfig withFallback(Fallback mode) {
        if (mode == null) {
            throw new NullPointerException("mode");
        }
        return with(FALLBACK, mode, mode.name().toLowerCase(Locale.ROOT));
    }

    private AgentConfig with(String key, Object value, String raw) {
        Map<String, Object> v = new LinkedHashMap<String, Object>(values);
        v.put(key, value);
        Map<String, String> g = new LinkedHashMap<String, String>();
        for (String k : KEYS.keySet()) {
            if (k.equals(key)) {
                if (!value.equals(DEFAULTS.values.get(k))) {
                    g.put(k, raw);
                }
            } else if (given.containsKey(k)) {
                g.put(k, given.get(k));
            }
        }
        return new AgentConfig(v, g);
    }

    // ---- key registry ----

    /** Every configuration key, in documentation order. */
    public static List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<String>(KEYS.keySet()));
    }

    /** The default of {@code key} as text (empty for "none"). */
    public static String defaultValue(String key) {
        Key k = KEYS.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown key " + key);
        }
        return k.defaultValue;
    }

    /** What {@code key} accepts, as used in error messages. */
    public static String allowedValues(String key) {
        Key k = KEYS.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown key " + key);
        }
        return k.parser.allowed();
    }

    /** {@code redis.resilience.<key>}. */
    public static String systemPropertyName(String key) {
        return SYSPROP_PREFIX + key;
    }

    /** {@code REDIS_RESILIENCE_<KEY>}: upper case, {@code .} and {@code -} become {@code _}. */
    public static String environmentVariableName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** All defaults. */
    public static AgentConfig defaults() {
        return DEFAULTS;
    }

    // ---- loading ----

    /** Reads the agent argument string, this JVM's system properties and environment. */
    public static AgentConfig load(String agentArgs) throws ConfigException {
        Map<String, String> props = new LinkedHashMap<String, String>();
        Properties p = System.getProperties();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(SYSPROP_PREFIX)) {
                props.put(name, p.getProperty(name));
            }
        }
        Map<String, String> env = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX)) {
                env.put(e.getKey(), e.getValue());
            }
        }
        return parse(agentArgs, props, env);
    }

    /**
     * Builds a snapshot from explicit sources. {@code systemProperties} and {@code environment} may contain
     * unrelated entries (only {@code redis.resilience.*} / {@code REDIS_RESILIENCE_*} are read); null means none.
     */
    public static AgentConfig parse(String agentArgs, Map<String, String> systemProperties,
                                    Map<String, String> environment) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<String, Object>(DEFAULTS.values);
        Map<String, String> raw = new LinkedHashMap<String, String>();

        Map<String, String> envToKey = new LinkedHashMap<String, String>();
        for (String k : KEYS.keySet()) {
            envToKey.put(environmentVariableName(k), k);
        }
        // lowest precedence first; later sources overwrite
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                String name = e.getKey();
                if (name == null || !name.startsWith(ENV_PREFIX)) {
                    continue;
                }
                String key = envToKey.get(name);
                String source = "environment variable " + name;
                if (key == null) {
                    throw unknownKey(name, e.getValue(), source);
                }
                apply(values, raw, key, e.getValue(), source);
            }
        }
        if (systemProperties != null) {
            for (Map.Entry<String, String> e : systemProperties.entrySet()) {
                String name = e.getKey();
                if (name == null || !name.startsWith(SYSPROP_PREFIX)) {
                    continue;
                }
                String key = name.substring(SYSPROP_PREFIX.length());
                String source = "system property " + name;
                if (!KEYS.containsKey(key)) {
                    throw unknownKey(name, e.getValue(), source);
                }
                apply(values, raw, key, e.getValue(), source);
            }
        }
        for (String[] kv : splitAgentArgs(agentArgs)) {
            apply(values, raw, kv[0], kv[1], "agent argument");
        }

        Map<String, String> given = new LinkedHashMap<String, String>();
        for (String k : KEYS.keySet()) {
            if (raw.containsKey(k) && !values.get(k).equals(DEFAULTS.values.get(k))) {
                given.put(k, raw.get(k));
            }
        }
        return new AgentConfig(values, given);
    }

    private static void apply(Map<String, Object> values, Map<String, String> raw, String key, String value,
                              String source) throws ConfigException {
        Key k = KEYS.get(key);
        String v = value == null ? "" : value.trim();
        try {
            values.put(key, k.parser.parse(v));
            raw.put(key, v);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage();
            throw new ConfigException(key + ": invalid value '" + display(key, v) + "' (" + source + ")"
                    + (reason == null || reason.isEmpty() ? "" : ": " + (k.secret ? reason : Redaction.redactUrls(reason)))
                    + "; allowed: " + k.parser.allowed());
        }
    }

    /** Splits the agent argument string into [key, value] pairs, following the continuation rule. */
    static List<String[]> splitAgentArgs(String agentArgs) throws ConfigException {
        List<String[]> out = new ArrayList<String[]>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return out;
        }
        List<String> seen = new ArrayList<String>();
        String[] prev = null;
        for (String segment : splitUnescaped(agentArgs)) {
            int eq = segment.indexOf('=');
            String k = eq >= 0 ? segment.substring(0, eq).trim() : null;
            if (prev != null && KEYS.get(prev[0]).parser instanceof ListParser
                    && (eq < 0 || (prev[0].equals(REDIRECT) && !KEYS.containsKey(k)))) {
                prev[1] = prev[1] + "," + segment;
                continue;
            }
            if (segment.trim().isEmpty()) {
                continue;
            }
            if (eq <= 0 || k.isEmpty()) {
                throw new ConfigException("agent argument '" + shorten(Redaction.redactSecrets(segment.trim()))
                        + "' is not key=value; allowed: comma-separated key=value pairs with keys "
                        + join(KEYS.keySet()));
            }
            if (!KEYS.containsKey(k)) {
                throw unknownKey(k, segment.substring(eq + 1), "agent argument");
            }
            if (seen.contains(k)) {
                throw new ConfigException(k + ": given twice in the agent argument; allowed: each key once");
            }
            seen.add(k);
            prev = new String[] {k, segment.substring(eq + 1)};
            out.add(prev);
        }
        return out;
    }

    /** Splits at commas not preceded by a backslash; the backslash is kept. */
    static List<String> splitUnescaped(String s) {
        List<String> parts = new ArrayList<String>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static ConfigException unknownKey(String name, String value, String source) {
        String shown = name.toLowerCase(Locale.ROOT).matches(".*(pass|secret|auth|token|cred|pwd).*")
                ? Redaction.MASK : shorten(Redaction.redactSecrets(value == null ? "" : value.trim()));
        return new ConfigException("unknown key '" + name + "' (" + source + ", value '" + shown
                + "'); allowed keys: " + join(KEYS.keySet()));
    }

    private static String display(String key, String value) {
        Key k = KEYS.get(key);
        String v = k != null && k.secret ? Redaction.redactSecrets(value) : value;
        return shorten(v);
    }

    private static String shorten(String v) {
        String s = ConfigException.oneLine(v);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String join(Iterable<String> items) {
        StringBuilder b = new StringBuilder();
        for (String s : items) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s);
        }
        return b.toString();
    }

    private static void def(String name, String defaultValue, boolean secret, Parser parser) {
        KEYS.put(name, new Key(name, defaultValue, secret, parser));
    }

    private static AgentConfig buildDefaults() {
        Map<String, Object> v = new LinkedHashMap<String, Object>();
        for (Key k : KEYS.values()) {
            v.put(k.name, k.parser.parse(k.defaultValue));
        }
        return new AgentConfig(v, new LinkedHashMap<String, String>());
    }

    @Override
    public String toString() {
        String nd = describeNonDefaults();
        return "AgentConfig[" + (nd.isEmpty() ? "defaults" : nd) + "]";
    }

    // ---- parsers ----

    private static final class Key {
        final String name;
        final String defaultValue;
        final boolean secret;
        final Parser parser;

        Key(String name, String defaultValue, boolean secret, Parser parser) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.secret = secret;
            this.parser = parser;
        }
    }

    private interface Parser {
        /** @throws IllegalArgumentException with an optional short reason */
        Object parse(String v);

        String allowed();
    }

    private static final class BoolParser implements Parser {
        public Object parse(String v) {
            if (v.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (v.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("");
        }

        public String allowed() {
            return "true, false";
        }
    }

    private static final class EnumParser<E extends Enum<E>> implements Parser {
        private final Class<E> type;

        EnumParser(Class<E> type) {
            this.type = type;
        }

        public Object parse(String v) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("");
        }

        public String allowed() {
            StringBuilder b = new StringBuilder();
            for (E e : type.getEnumConstants()) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(e.name().toLowerCase(Locale.ROOT));
            }
            return b.toString();
        }
    }

    private static final class LongParser implements Parser {
        private final long min;
        private final long max;

        LongParser(long min, long max) {
            this.min = min;
            this.max = max;
        }

        public Object parse(String v) {
            if (!v.matches("[0-9]{1,12}")) {
                throw new IllegalArgumentException("");
            }
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("out of range");
            }
            return Long.valueOf(n);
        }

        public String allowed() {
            return "a whole number from " + min + " to " + max;
        }
    }

    private static final class DurationParser implements Parser {
        private final long min;
        private final long max;

        DurationParser(long min, long max) {
            this.min = min;
            this.max = max;
        }

        public Object parse(String v) {
            Matcher m = DURATION.matcher(v);
            if (!m.matches()) {
                throw new IllegalArgumentException("");
            }
            long n = Long.parseLong(m.group(1));
            String u = m.group(2).toLowerCase(Locale.ROOT);
            long unit = u.equals("ms") ? MS : u.equals("s") ? SECOND : u.equals("m") ? MINUTE : HOUR;
            long ms = n * unit;
            if (ms < min || ms > max) {
                throw new IllegalArgumentException("out of range");
            }
            return Long.valueOf(ms);
        }

        public String allowed() {
            return "a duration from " + fmtDuration(min) + " to " + fmtDuration(max) + " (units ms, s, m, h; e.g. 500ms, 2s, 1m)";
        }
    }

    private static String fmtDuration(long ms) {
        if (ms % HOUR == 0) {
            return ms / HOUR + "h";
        }
        if (ms % MINUTE == 0) {
            return ms / MINUTE + "m";
        }
        if (ms % SECOND == 0) {
            return ms / SECOND + "s";
        }
        return ms + "ms";
    }

    private static final class SizeParser implements Parser {
        private final long min;
        private final long max;

        SizeParser(long min, long max) {
            this.min = min;
            this.max = max;
        }

        public Object parse(String v) {
            Matcher m = SIZE.matcher(v);
            if (!m.matches()) {
                throw new IllegalArgumentException("");
            }
            long n = Long.parseLong(m.group(1));
            String u = m.group(2).toLowerCase(Locale.ROOT);
            long unit = u.isEmpty() ? 1 : u.equals("k") ? KIB : u.equals("m") ? MIB : u.equals("g") ? GIB : TIB;
            if (n > max / unit || n * unit < min) {
                throw new IllegalArgumentException("out of range");
            }
            return Long.valueOf(n * unit);
        }

        public String allowed() {
            return "a size from 1k to 1t (bytes, or with k, m, g, t = powers of 1024; e.g. 512k, 64m, 1g)";
        }
    }

    /** Marker: values are comma-separated lists (agent-argument continuation applies). */
    private abstract static class ListParser implements Parser {
        public Object parse(String v) {
            List<Object> out = new ArrayList<Object>();
            for (String item : splitUnescaped(v)) {
                String t = item.trim();
                if (!t.isEmpty()) {
                    out.add(parseItem(t));
                }
            }
            return Collections.unmodifiableList(out);
        }

        abstract Object parseItem(String item);
    }

    private static final class GlobListParser extends ListParser {
        Object parseItem(String item) {
            try {
                return Glob.compile(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pattern '" + item + "': " + e.getMessage());
            }
        }

        public String allowed() {
            return "comma-separated Redis glob patterns (* ? [abc] [^a-z] and \\ to escape; e.g. session:*,user:?:tmp)";
        }
    }

    private static final class CommandListParser extends ListParser {
        Object parseItem(String item) {
            if (!COMMAND.matcher(item).matches()) {
                throw new IllegalArgumentException("'" + item + "' is not a command name");
            }
            return item.toUpperCase(Locale.ROOT);
        }

        public String allowed() {
            return "comma-separated Redis command names (e.g. FLUSHALL,EVAL)";
        }
    }

    private static final class RedirectParser extends ListParser {
        Object parseItem(String item) {
            try {
                return RedirectRule.parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule '" + Redaction.redactSecrets(item) + "': " + e.getMessage());
            }
        }

        public String allowed() {
            return "FROM->TO[,FROM->TO...] with FROM host[:port] and TO host[:port] or redis[s]://[user:password@]host[:port][/db]";
        }
    }
}
