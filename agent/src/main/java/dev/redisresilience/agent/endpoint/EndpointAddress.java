package dev.redisresilience.agent.endpoint;

import java.util.Locale;

/**
 * Where an endpoint lives. {@link #id()} is the normalised {@code host:port} used as the guard's cache
 * key, the engine keyspace family and the name in log lines; {@link #connectHost()} is the host string the
 * probe dials (the one the client used first).
 *
 * <p>Normalisation: host lower-cased, IPv6 brackets stripped; every loopback spelling ({@code localhost},
 * {@code 127.x.x.x}, {@code ::1}, {@code 0:0:0:0:0:0:0:1}) becomes {@code localhost}, so an app that mixes
 * them gets one guard and one fallback keyspace. No DNS lookup is made (two different names for one server
 * are two endpoints).
 */
public final class EndpointAddress {
    private final String host;
    private final int port;
    private final String connectHost;
    private final String id;

    public EndpointAddress(String host, int port) {
        String raw = host == null || host.trim().isEmpty() ? "localhost" : host.trim();
        this.connectHost = strip(raw);
        this.host = normaliseHost(raw);
        this.port = port;
        this.id = (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + port;
    }

    static String strip(String h) {
        if (h.startsWith("[") && h.endsWith("]")) {
            return h.substring(1, h.length() - 1);
        }
        return h;
    }

    /** The normalisation used for ids (see class doc). */
    public static String normaliseHost(String host) {
        String h = strip(host == null ? "localhost" : host.trim()).toLowerCase(Locale.ROOT);
        if (h.isEmpty() || h.equals("localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1")) {
            return "localhost";
        }
        return h;
    }

    public String host() { return host; }
    public int port() { return port; }
    public String connectHost() { return connectHost; }
    public String id() { return id; }

    @Override
    public String toString() { return id; }
}
