package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.log.AgentLog;
import dev.redisresilience.agent.ops.Redirects;

import java.lang.reflect.Method;

/**
 * {@code redirect} for Lettuce (issue 9), 5.x to 7.x. Client-free: called from the
 * {@code RedisClient#connectStatefulAsync} hook (once per connection, only when {@link Redirects#active}),
 * before Lettuce takes the socket address from the {@code RedisURI} and before its handshake reads the
 * credentials and database from it. A matching URI is rewritten in place: host, port, TLS and -- when the
 * rule carries them -- user/password (6.3+/7.x {@code setAuthentication}, 6.0-6.2 {@code setUsername}/{@code setPassword},
 * 5.x {@code setPassword} only: it cannot send a user, one WARN line says so) and database. Reconnects read the same (rewritten) URI. Sentinel and cluster
 * URIs are left alone (their addresses come from the topology).
 */
public final class LettuceRedirect {
    private LettuceRedirect() { }

    /** Rules whose user this Lettuce version cannot send (5.x), warned about once each. */
    private static final java.util.Set<String> NO_USER =
            java.util.Collections.newSetFromMap(new java.util.concurrent.ConcurrentHashMap<String, Boolean>());

    public static void apply(Object[] args) {
        try {
            if (args == null) {
                return;
            }
            for (Object a : args) {
                if (a != null && a.getClass().getName().equals("io.lettuce.core.RedisURI")) {
                    rewrite(a);
                }
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure("lettuce", t);
        }
    }

    static void rewrite(Object uri) throws Exception {
        Object host = call(uri, "getHost");
        Object port = call(uri, "getPort");
        if (!(host instanceof String) || !(port instanceof Integer)) {
            return;
        }
        RedirectRule rule = Redirects.match((String) host, (Integer) port);
        if (rule == null) {
            return;
        }
        synchronized (uri) {
            invoke(uri, "setHost", new Class<?>[] {String.class}, rule.toHost());
            invoke(uri, "setPort", new Class<?>[] {int.class}, Integer.valueOf(rule.toPort()));
            if (rule.tls()) {
                invoke(uri, "setSsl", new Class<?>[] {boolean.class}, Boolean.TRUE);
            }
            if (rule.password() != null) {
                char[] pw = rule.password().toCharArray();
                Method auth = find(uri.getClass(), "setAuthentication", String.class, char[].class);
                if (auth != null) { // 6.3+/7.x
                    auth.invoke(uri, rule.username(), pw);
                } else {
                    if (rule.username() != null) {
                        Method user = find(uri.getClass(), "setUsername", String.class); // 6.0-6.2
                        if (user != null) {
                            user.invoke(uri, rule.username());
                        } else if (NO_USER.add(rule.toString())) {
                            // 5.x: AUTH <password> only (Redis 6 ACL users came with Lettuce 6)
                            AgentLog.warn("redirect", "redirect " + rule + ": this Lettuce version cannot authenticate as"
                                    + " an ACL user; its connections send AUTH with the password only (the default user)");
                        }
                    }
                    invoke(uri, "setPassword", new Class<?>[] {char[].class}, (Object) pw);
                }
            }
            if (rule.database() >= 0) {
                invoke(uri, "setDatabase", new Class<?>[] {int.class}, Integer.valueOf(rule.database()));
            }
        }
        Redirects.applied(rule, "Lettuce");
    }

    private static Object call(Object target, String name) throws Exception {
        Method m = find(target.getClass(), name);
        return m == null ? null : m.invoke(target);
    }

    private static void invoke(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = find(target.getClass(), name, types);
        if (m == null) {
            throw new NoSuchMethodException(target.getClass().getName() + "#" + name);
        }
        m.invoke(target, args);
    }

    private static Method find(Class<?> type, String name, Class<?>... types) {
        try {
            return type.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
