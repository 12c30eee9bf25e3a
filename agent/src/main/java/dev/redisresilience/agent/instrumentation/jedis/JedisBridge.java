package dev.redisresilience.agent.instrumentation.jedis;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reflective access to Jedis internals, used only on the slow path (an endpoint is degraded, a connection
 * is emulated, or a call just failed). Works by member name across every supported Jedis generation, so
 * this class needs no Jedis type at compile time. Lookups are cached per class.
 */
final class JedisBridge {
    private JedisBridge() { }

    private static final Object NONE = new Object();

    private static final ClassValue<Map<String, Object>> MEMBERS = new ClassValue<Map<String, Object>>() {
        @Override protected Map<String, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<String, Object>();
        }
    };

    static Field field(Class<?> type, String name) {
        Map<String, Object> cache = MEMBERS.get(type);
        String key = "f:" + name;
        Object f = cache.get(key);
        if (f == null) {
            f = NONE;
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    Field found = c.getDeclaredField(name);
                    found.setAccessible(true);
                    f = found;
                    break;
                } catch (NoSuchFieldException ignored) {
                    // keep looking up the hierarchy
                } catch (RuntimeException e) {
                    break;
                }
            }
            cache.put(key, f);
        }
        return f == NONE ? null : (Field) f;
    }

    /** A method by name and parameter count (first match up the hierarchy), made accessible. */
    static Method method(Class<?> type, String name, int params) {
        Map<String, Object> cache = MEMBERS.get(type);
        String key = "m:" + name + "/" + params;
        Object m = cache.get(key);
        if (m == null) {
            m = NONE;
            outer:
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method candidate : c.getDeclaredMethods()) {
                    if (candidate.getName().equals(name) && candidate.getParameterTypes().length == params && !candidate.isBridge()) {
                        try {
                            candidate.setAccessible(true);
                            m = candidate;
                        } catch (RuntimeException e) {
                            // inaccessible: treat as absent
                        }
                        break outer;
                    }
                }
            }
            cache.put(key, m);
        }
        return m == NONE ? null : (Method) m;
    }

    /** A one-parameter method whose parameter type has the given name, made accessible; null when absent. */
    static Method methodWithParam(Class<?> type, String name, String paramType) {
        Map<String, Object> cache = MEMBERS.get(type);
        String key = "p:" + name + "/" + paramType;
        Object m = cache.get(key);
        if (m == null) {
            m = NONE;
            outer:
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method candidate : c.getDeclaredMethods()) {
                    Class<?>[] p = candidate.getParameterTypes();
                    if (candidate.getName().equals(name) && p.length == 1 && p[0].getName().equals(paramType)
                            && !candidate.isBridge()) {
                        try {
                            candidate.setAccessible(true);
                            m = candidate;
                        } catch (RuntimeException e) {
                            // treat as absent
                        }
                        break outer;
                    }
                }
            }
            cache.put(key, m);
        }
        return m == NONE ? null : (Method) m;
    }

    /** {@code sendCommand(ProtocolCommand-or-Command, byte[]...)}, made accessible; null when absent. */
    static Method sendBytes(Class<?> type) {
        Map<String, Object> cache = MEMBERS.get(type);
        Object m = cache.get("sendBytes");
        if (m == null) {
            m = NONE;
            outer:
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method candidate : c.getDeclaredMethods()) {
                    Class<?>[] p = candidate.getParameterTypes();
                    if (candidate.getName().equals("sendCommand") && p.length == 2 && p[1] == byte[][].class
                            && !p[0].getName().endsWith("CommandArguments")) {
                        try {
                            candidate.setAccessible(true);
                            m = candidate;
                        } catch (RuntimeException e) {
                            // treat as absent
                        }
                        break outer;
                    }
                }
            }
            cache.put("sendBytes", m);
        }
        return m == NONE ? null : (Method) m;
    }

    static Object get(Object target, String name) {
        if (target == null) {
            return null;
        }
        Field f = field(target.getClass(), name);
        if (f == null) {
            return null;
        }
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    static boolean set(Object target, String name, Object value) {
        Field f = field(target.getClass(), name);
        if (f == null) {
            return false;
        }
        try {
            f.set(target, value);
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** Calls a method; null when absent. Exceptions thrown by the method propagate unwrapped. */
    static Object call(Object target, String name, Object... args) throws Throwable {
        if (target == null) {
            return null;
        }
        Method m = method(target.getClass(), name, args.length);
        if (m == null) {
            throw new NoSuchMethodException(target.getClass().getName() + "#" + name + "/" + args.length);
        }
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static boolean has(Object target, String name, int params) {
        return target != null && method(target.getClass(), name, params) != null;
    }

    /** Calls a getter-like method, swallowing everything (null when absent or failing). */
    static Object quiet(Object target, String name) {
        try {
            if (!has(target, name, 0)) {
                return null;
            }
            return call(target, name);
        } catch (Throwable t) {
            return null;
        }
    }

    // ------------------------------------------------------------------ connection facts

    /** host and port a Jedis Connection addresses, or null when they cannot be told. */
    static Object[] hostPort(Object conn) {
        Object hp = quiet(conn, "getHostAndPort"); // 8.x
        if (hp == null) {
            Object host = get(conn, "host"); // 2.x
            Object port = get(conn, "port");
            if (host instanceof String && port instanceof Integer) {
                return new Object[] {host, port};
            }
            Object factory = get(conn, "socketFactory"); // 3.x+
            if (factory != null) {
                hp = get(factory, "hostAndPort");
                if (hp == null) {
                    hp = quiet(factory, "getHostAndPort");
                }
                if (hp == null) {
                    Object h = quiet(factory, "getHost");
                    Object p = quiet(factory, "getPort");
                    if (h instanceof String && p instanceof Integer) {
                        return new Object[] {h, p};
                    }
                }
            }
        }
        if (hp != null) {
            Object h = quiet(hp, "getHost");
            Object p = quiet(hp, "getPort");
            if (h instanceof String && p instanceof Integer) {
                return new Object[] {h, p};
            }
        }
        return null;
    }

    /** 3 when the connection negotiated RESP3 (Jedis 5+), 2 otherwise. */
    static int protocol(Object conn) {
        Object p = quiet(conn, "getRedisProtocol");
        if (p == null) {
            p = get(conn, "protocol");
        }
        return p != null && String.valueOf(p).contains("3") ? 3 : 2;
    }

    /** Installs {@code socket} (with fresh Jedis streams on it) in the connection; clears {@code broken}. */
    static void install(Object conn, Socket socket) throws Exception {
        Field out = field(conn.getClass(), "outputStream");
        Field in = field(conn.getClass(), "inputStream");
        Field sock = field(conn.getClass(), "socket");
        if (out == null || in == null || sock == null) {
            throw new IllegalStateException("unknown Jedis Connection shape: " + conn.getClass().getName());
        }
        Constructor<?> outCtor = out.getType().getConstructor(java.io.OutputStream.class);
        Constructor<?> inCtor = in.getType().getConstructor(java.io.InputStream.class);
        Object newOut = outCtor.newInstance(socket.getOutputStream());
        Object newIn = inCtor.newInstance(socket.getInputStream());
        Object old = sock.get(conn);
        sock.set(conn, socket);
        out.set(conn, newOut);
        in.set(conn, newIn);
        set(conn, "broken", Boolean.FALSE);
        if (old instanceof Socket && old != socket) {
            try {
                ((Socket) old).close();
            } catch (Throwable ignored) {
                // closing a dead socket
            }
        }
    }

    /** A copy of what the connection's RedisOutputStream buffer last held (the bytes last sent). */
    static byte[] lastSent(Object conn) {
        Object out = get(conn, "outputStream");
        Object buf = get(out, "buf");
        if (buf instanceof byte[]) {
            return ((byte[]) buf).clone();
        }
        return null;
    }
}
