package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.config.RedirectRule;
import dev.redisresilience.agent.instrumentation.WeakIdentityMap;
import dev.redisresilience.agent.log.AgentLog;
import dev.redisresilience.agent.ops.Redirects;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@code redirect} for Jedis (issue 9). Client-free; called from the connect hooks (every generation) and
 * from the 4.x+ handshake hook, only when {@link Redirects#active}.
 *
 * <ul>
 *   <li>Address: 2.x (and 3.0-3.2) keep {@code host}/{@code port}/{@code ssl} in the {@code Connection}; 3.x+
 *       keep a {@code HostAndPort} in their {@code DefaultJedisSocketFactory} (shared by a pool's connections).
 *       A match is rewritten in place, before the socket is opened, so the socket, the pool's validation and
 *       the agent's guard all see the target.</li>
 *   <li>Credentials and database: 2.x/3.x {@code BinaryClient} fields {@code user}/{@code password}/{@code db},
 *       which its {@code connect()} sends as AUTH/SELECT right after the socket is open; 4.x+ get a
 *       {@code JedisClientConfig} proxy answering the target's user, password, database and TLS (everything
 *       else from the application's config) for the handshake in {@code initializeFromClientConfig}.</li>
 * </ul>
 * A custom {@code JedisSocketFactory} (not {@code DefaultJedisSocketFactory}) is left alone.
 */
public final class JedisRedirect {
    private JedisRedirect() { }

    /** Connect enter (socket not open yet): points the connection at the rule's target. */
    public static void beforeConnect(Object conn) {
        try {
            RedirectRule rule = rewriteAddress(conn);
            if (rule == null) {
                rule = targetOf(conn); // a reconnect (3.x disconnect() resets db) or another connection of a shared factory
            }
            if (rule != null && JedisBridge.field(conn.getClass(), "password") != null) {
                // 2.x/3.x BinaryClient: connect() sends AUTH/SELECT from these fields right after the socket opens
                if (rule.password() != null) {
                    JedisBridge.set(conn, "password", rule.password());
                    if (JedisBridge.field(conn.getClass(), "user") != null) {
                        JedisBridge.set(conn, "user", rule.username());
                    }
                }
                if (rule.database() >= 0) {
                    JedisBridge.set(conn, "db", Integer.valueOf(rule.database()));
                }
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(JedisSupport.COMPONENT, t);
        }
    }

    /**
     * 4.x+ {@code initializeFromClientConfig} enter: points the connection at the target and returns the
     * config the handshake is to use (a proxy with the target's credentials, or {@code config} itself).
     */
    public static Object handshakeConfig(Object conn, Object config) {
        try {
            RedirectRule rule = rewriteAddress(conn);
            if (rule == null) {
                rule = targetOf(conn);
            }
            if (rule == null || config == null || Proxy.isProxyClass(config.getClass())) {
                return config;
            }
            if (rule.password() == null && rule.database() < 0 && !rule.tls()) {
                return config;
            }
            Class<?> iface = interfaceNamed(config.getClass(), "redis.clients.jedis.JedisClientConfig");
            if (iface == null) {
                return config;
            }
            PROXIED.put(conn, Boolean.TRUE);
            Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new ConfigHandler(config, rule));
            if (JedisBridge.get(conn, "clientConfig") == config) { // 7.x+ keep it: the agent reads it later
                JedisBridge.set(conn, "clientConfig", proxy);
            }
            return proxy;
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(JedisSupport.COMPONENT, t);
            return config;
        }
    }

    /**
     * Connect exit with a new socket to Redis: a 4.x+ connection that reached a redirect target without a
     * client config handshake (lazy {@code new Jedis(host, port)}) authenticates and selects here.
     */
    public static void afterConnect(Object conn) {
        try {
            RedirectRule rule = targetOf(conn);
            if (rule == null || PROXIED.containsKey(conn) || JedisBridge.field(conn.getClass(), "password") != null
                    || (rule.password() == null && rule.database() < 0)) {
                return;
            }
            JedisSupport.redirectHandshake(conn, rule.username(), rule.password(), rule.database());
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(JedisSupport.COMPONENT, t);
        }
    }

    /**
     * 2.x/3.x {@code JedisFactory} constructed: when a rule covers its address and carries a database, the
     * factory's own database (2.x: {@code database}; 3.x: its {@code clientConfig}) becomes the rule's, so
     * {@code activateObject} keeps borrowed connections in TO's database instead of re-selecting the pool's.
     */
    public static void poolFactoryCreated(Object factory) {
        try {
            Object hp = JedisBridge.get(factory, "hostAndPort"); // 2.x: AtomicReference<HostAndPort>
            if (hp instanceof java.util.concurrent.atomic.AtomicReference) {
                hp = ((java.util.concurrent.atomic.AtomicReference<?>) hp).get();
            } else if (hp == null) {
                hp = JedisBridge.get(JedisBridge.get(factory, "jedisSocketFactory"), "hostAndPort"); // 3.x
            }
            if (hp == null) {
                return;
            }
            Object h = JedisBridge.quiet(hp, "getHost");
            Object p = JedisBridge.quiet(hp, "getPort");
            if (!(h instanceof String) || !(p instanceof Integer)) {
                return;
            }
            RedirectRule rule = Redirects.match((String) h, (Integer) p);
            if (rule == null || rule.database() < 0) {
                return;
            }
            if (JedisBridge.field(factory.getClass(), "database") != null) {
                JedisBridge.set(factory, "database", Integer.valueOf(rule.database()));
                return;
            }
            Object config = JedisBridge.get(factory, "clientConfig");
            Class<?> iface = config == null ? null : interfaceNamed(config.getClass(), "redis.clients.jedis.JedisClientConfig");
            if (iface != null && !Proxy.isProxyClass(config.getClass())) {
                JedisBridge.set(factory, "clientConfig",
                        Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new ConfigHandler(config, rule)));
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(JedisSupport.COMPONENT, t);
        }
    }

    private static final WeakIdentityMap<Object, Boolean> PROXIED = new WeakIdentityMap<Object, Boolean>();

    /** Rewrites host/port (and TLS) in place when a rule covers them; the rule, or null. */
    private static RedirectRule rewriteAddress(Object conn) throws Exception {
        Object host = JedisBridge.get(conn, "host");
        Object port = JedisBridge.get(conn, "port");
        if (host instanceof String && port instanceof Integer) { // 2.x, 3.0-3.2
            RedirectRule rule = Redirects.match((String) host, (Integer) port);
            if (rule != null) {
                JedisBridge.set(conn, "host", rule.toHost());
                JedisBridge.set(conn, "port", Integer.valueOf(rule.toPort()));
                if (rule.tls() && JedisBridge.field(conn.getClass(), "ssl") != null) {
                    JedisBridge.set(conn, "ssl", Boolean.TRUE);
                }
                remember(conn, rule);
                Redirects.applied(rule, "Jedis");
            }
            return rule;
        }
        Object factory = JedisBridge.get(conn, "socketFactory");
        if (factory == null || !factory.getClass().getName().equals("redis.clients.jedis.DefaultJedisSocketFactory")) {
            return null;
        }
        synchronized (factory) {
            Object hp = JedisBridge.get(factory, "hostAndPort");
            if (hp == null) {
                return null;
            }
            Object h = JedisBridge.quiet(hp, "getHost");
            Object p = JedisBridge.quiet(hp, "getPort");
            if (!(h instanceof String) || !(p instanceof Integer)) {
                return null;
            }
            RedirectRule rule = Redirects.match((String) h, (Integer) p);
            if (rule == null) {
                return null;
            }
            Object target = hp.getClass().getConstructor(String.class, int.class).newInstance(rule.toHost(), rule.toPort());
            JedisBridge.set(factory, "hostAndPort", target);
            if (rule.tls() && JedisBridge.field(factory.getClass(), "ssl") != null) {
                JedisBridge.set(factory, "ssl", Boolean.TRUE);
            }
            remember(factory, rule);
            remember(conn, rule);
            Redirects.applied(rule, "Jedis");
            return rule;
        }
    }

    private static final WeakIdentityMap<Object, RedirectRule> TARGETS = new WeakIdentityMap<Object, RedirectRule>();

    private static void remember(Object o, RedirectRule rule) {
        TARGETS.put(o, rule);
    }

    /** The rule a connection (or its shared socket factory) was already redirected by, or null. */
    private static RedirectRule targetOf(Object conn) {
        RedirectRule r = TARGETS.get(conn);
        if (r == null) {
            Object factory = JedisBridge.get(conn, "socketFactory");
            if (factory != null) {
                r = TARGETS.get(factory);
                if (r != null) {
                    TARGETS.put(conn, r);
                }
            }
        }
        return r;
    }

    private static Class<?> interfaceNamed(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
                Class<?> deeper = interfaceNamed(i, name);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    /** The application's JedisClientConfig with the redirect target's credentials, database and TLS. */
    static final class ConfigHandler implements InvocationHandler {
        private final Object config;
        private final RedirectRule rule;

        ConfigHandler(Object config, RedirectRule rule) {
            this.config = config;
            this.rule = rule;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            int n = args == null ? 0 : args.length;
            if (n == 0) {
                if (rule.password() != null) {
                    if (name.equals("getUser")) {
                        return rule.username();
                    }
                    if (name.equals("getPassword")) {
                        return rule.password();
                    }
                    if (name.equals("getAuthXManager")) {
                        return null;
                    }
                    if (name.equals("getCredentialsProvider")) {
                        return credentialsProvider(method.getReturnType().getClassLoader() != null
                                ? method.getReturnType().getClassLoader() : config.getClass().getClassLoader());
                    }
                }
                if (name.equals("getDatabase") && rule.database() >= 0) {
                    return Integer.valueOf(rule.database());
                }
                if (name.equals("isSsl") && rule.tls()) {
                    return Boolean.TRUE;
                }
                if (name.equals("toString")) {
                    return "redirected(" + rule + ")";
                }
                if (name.equals("hashCode")) {
                    return Integer.valueOf(System.identityHashCode(proxy));
                }
            } else if (n == 1 && name.equals("equals")) {
                return Boolean.valueOf(proxy == args[0]);
            }
            try {
                return method.invoke(config, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object credentialsProvider(ClassLoader ignored) throws Exception {
            ClassLoader loader = config.getClass().getClassLoader();
            Class<?> creds = Class.forName("redis.clients.jedis.DefaultRedisCredentials", false, loader);
            Class<?> credsIface = Class.forName("redis.clients.jedis.RedisCredentials", false, loader);
            Class<?> provider = Class.forName("redis.clients.jedis.DefaultRedisCredentialsProvider", false, loader);
            Object c = creds.getConstructor(String.class, CharSequence.class).newInstance(rule.username(), rule.password());
            return provider.getConstructor(credsIface).newInstance(c);
        }
    }
}
