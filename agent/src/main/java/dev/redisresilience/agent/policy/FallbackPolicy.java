package dev.redisresilience.agent.policy;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.config.Glob;
import dev.redisresilience.agent.endpoint.ServePolicy;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.command.CommandTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The safety policies of the fallback: what must never be answered from one instance's memory. Built from
 * {@code fallback.deny-commands}, {@code fallback.deny-keys}, {@code fallback.allow-keys} and
 * {@code fallback.lock-idiom}; installed by the runtime with
 * {@link dev.redisresilience.agent.endpoint.EndpointRegistry#setServePolicy}. Consulted only by
 * {@code EndpointGuard.serve}, i.e. only when the engine is about to answer a command locally (never while
 * every endpoint is UP). A refused command is neither served nor journaled: the adapter fails it with the
 * client's own connection exception quoting the reason.
 *
 * <h2>Rules, in order</h2>
 * <ol>
 *   <li>{@code fallback.deny-commands}: the command name is listed → refused.</li>
 *   <li>Key policies configured (deny or allow list non-empty) and the command's keys are unknown
 *       ({@link CommandKeys}) → refused (fail closed). FLUSHDB/FLUSHALL/SWAPDB touch every key → refused
 *       too: replayed after the outage they would wipe the protected keys in Redis.</li>
 *   <li>Any key matching {@code fallback.deny-keys} → refused.</li>
 *   <li>An allow list is set and a key matches none of its patterns → refused.</li>
 *   <li>{@code fallback.lock-idiom=fail} (default) and the command is a set-if-absent of a string
 *       ({@code SET ... NX} with or without an expiry or GET, {@code SETNX}, {@code MSETNX}) → refused,
 *       unless an allow list is set and every key matched it (listing a pattern in
 *       {@code fallback.allow-keys} states that local answers are fine for those keys, cache fills with NX
 *       included).</li>
 * </ol>
 * A refused command inside MULTI flags the transaction so its EXEC answers EXECABORT, like Redis after a
 * command rejected while queuing. Thread-safe, immutable, never throws.
 */
public final class FallbackPolicy implements ServePolicy {
    private static final AtomicLong CONSULTED = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final int MAX_KEY_CHARS = 80;

    private final Set<String> denyCommands;
    private final List<Glob> denyKeys;
    private final List<Glob> allowKeys;
    private final boolean lockIdiomServed;

    public FallbackPolicy(List<String> denyCommands, List<Glob> denyKeys, List<Glob> allowKeys, boolean lockIdiomServed) {
        Set<String> cmds = new HashSet<String>();
        if (denyCommands != null) {
            for (String c : denyCommands) {
                cmds.add(c.toUpperCase(java.util.Locale.ROOT));
            }
        }
        this.denyCommands = Collections.unmodifiableSet(cmds);
        this.denyKeys = denyKeys == null ? Collections.<Glob>emptyList() : new ArrayList<Glob>(denyKeys);
        this.allowKeys = allowKeys == null ? Collections.<Glob>emptyList() : new ArrayList<Glob>(allowKeys);
        this.lockIdiomServed = lockIdiomServed;
    }

    /** The policy configured by {@code config}. */
    public static FallbackPolicy from(AgentConfig config) {
        return new FallbackPolicy(config.fallbackDenyCommands(), config.fallbackDenyKeys(),
                config.fallbackAllowKeys(), config.fallbackLockIdiom() == AgentConfig.LockIdiom.SERVE);
    }

    /** How many times any FallbackPolicy was consulted in this JVM (0 while Redis has always been up). */
    public static long consultations() {
        return CONSULTED.get();
    }

    /** How many commands any FallbackPolicy refused in this JVM. */
    public static long refusals() {
        return REFUSED.get();
    }

    @Override
    public String deny(String endpointId, EngineSession session, byte[][] argv) {
        CONSULTED.incrementAndGet();
        String reason;
        try {
            reason = check(argv);
        } catch (Throwable t) {
            reason = null; // never throw into the guard; the engine answers as if no policy applied
        }
        if (reason != null) {
            REFUSED.incrementAndGet();
            if (session != null) {
                try {
                    session.failTransaction();
                } catch (Throwable ignored) {
                    // best effort
                }
            }
        }
        return reason;
    }

    /** The reason {@code argv} must not be served locally, or null. */
    String check(byte[][] argv) {
        String name = CommandKeys.name(argv);
        if (name.isEmpty()) {
            return null;
        }
        if (denyCommands.contains(name)) {
            return name + " is not served locally: the command is in fallback.deny-commands";
        }
        boolean keyPolicies = !denyKeys.isEmpty() || !allowKeys.isEmpty();
        List<byte[]> keys = CommandKeys.keys(argv);
        if (keys == null) {
            return keyPolicies
                    ? name + " is not served locally: the fallback policy cannot tell which keys it touches"
                    + " (fallback.deny-keys / fallback.allow-keys are set)"
                    : null; // the engine decides (it refuses what it does not emulate)
        }
        if (keyPolicies && CommandKeys.touchesEveryKey(name)) {
            return name + " is not served locally: it touches every key, including keys that "
                    + (denyKeys.isEmpty() ? "fallback.allow-keys does not list" : "fallback.deny-keys protects");
        }
        boolean allAllowed = !allowKeys.isEmpty();
        for (byte[] k : keys) {
            for (Glob g : denyKeys) {
                if (g.matches(k)) {
                    return name + " " + show(k) + " is not served locally: key matches fallback.deny-keys '"
                            + g.pattern() + "'";
                }
            }
            if (!allowKeys.isEmpty()) {
                boolean allowed = false;
                for (Glob g : allowKeys) {
                    if (g.matches(k)) {
                        allowed = true;
                        break;
                    }
                }
                if (!allowed) {
                    return name + " " + show(k) + " is not served locally: key matches no pattern of fallback.allow-keys";
                }
            }
        }
        if (!lockIdiomServed && !(allAllowed && !keys.isEmpty()) && isLockIdiom(name, argv)) {
            return name + (keys.isEmpty() ? "" : " " + show(keys.get(0)))
                    + " is not served locally: set-if-absent is the lock idiom, and a lock granted from one"
                    + " instance's memory is not exclusive (fallback.lock-idiom=fail; list the key in"
                    + " fallback.allow-keys or set fallback.lock-idiom=serve to serve it)";
        }
        return null;
    }

    /**
     * True for a set-if-absent of a string: {@code SET k v ... NX ...} (with or without EX/PX/EXAT/PXAT,
     * KEEPTTL or GET), {@code SETNX}, {@code MSETNX}.
     */
    static boolean isLockIdiom(String name, byte[][] argv) {
        if (name.equals("SETNX") || name.equals("MSETNX")) {
            return true;
        }
        if (!name.equals("SET")) {
            return false;
        }
        for (int i = 3; i < argv.length; i++) {
            byte[] a = argv[i];
            if (CommandTable.is(a, "nx")) {
                return true;
            }
            if (CommandTable.is(a, "ex") || CommandTable.is(a, "px") || CommandTable.is(a, "exat") || CommandTable.is(a, "pxat")) {
                i++; // skip the value
            }
        }
        return false;
    }

    /** The key for a message: printable ASCII as is, other bytes as \xNN, at most 80 characters. */
    static String show(byte[] key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length; i++) {
            if (b.length() >= MAX_KEY_CHARS) {
                b.append("...");
                break;
            }
            int c = key[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "FallbackPolicy[deny-commands=" + denyCommands + ", deny-keys=" + denyKeys + ", allow-keys="
                + allowKeys + ", lock-idiom=" + (lockIdiomServed ? "serve" : "fail") + "]";
    }
}
