package dev.redisresilience.agent.config;

import java.util.Locale;

/**
 * One {@code redirect} rule {@code FROM->TO}: clients configured for {@code FROM} ({@code host[:port]}) are
 * pointed at {@code TO}, either {@code host[:port]} or a URL {@code redis[s]://[[user]:password@]host[:port][/db]}.
 * The port defaults to 6379. Hosts are compared case-insensitively and are not resolved. Immutable;
 * {@link #toString()} never shows the password.
 */
public final class RedirectRule {
    private final String fromHost;
    private final int fromPort;
    private final String toHost;
    private final int toPort;
    private final boolean tls;
    private final String username;
    private final String password;
    private final int database;

    private RedirectRule(String fromHost, int fromPort, String toHost, int toPort, boolean tls,
                         String username, String password, int database) {
        this.fromHost = fromHost;
        this.fromPort = fromPort;
        this.toHost = toHost;
        this.toPort = toPort;
        this.tls = tls;
        this.username = username;
        this.password = password;
        this.database = database;
    }

    /**
     * Parses one rule.
     *
     * @throws IllegalArgumentException with a short reason (never containing the password)
     */
    public static RedirectRule parse(String rule) {
        String r = rule.trim();
        int arrow = r.indexOf("->");
        if (arrow < 0) {
            throw new IllegalArgumentException("missing '->'");
        }
        String from = r.substring(0, arrow).trim();
        String to = r.substring(arrow + 2).trim();
        if (from.isEmpty() || to.isEmpty()) {
            throw new IllegalArgumentException("FROM and TO must both be given");
        }
        String[] fromHp = hostPort(from, "FROM");
        String toRest = to;
        boolean tls = false;
        String user = null;
        String pass = null;
        int db = -1;
        int scheme = to.indexOf("://");
        if (scheme >= 0) {
            String s = to.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (s.equals("rediss")) {
                tls = true;
            } else if (!s.equals("redis")) {
                throw new IllegalArgumentException("TO scheme must be redis:// or rediss://");
            }
            toRest = to.substring(scheme + 3);
            int at = toRest.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = toRest.substring(0, at);
                toRest = toRest.substring(at + 1);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    user = userInfo.substring(0, colon);
                    pass = userInfo.substring(colon + 1);
                } else {
                    pass = userInfo; // redis://password@host, as Lettuce reads it
                }
                if (user != null && user.isEmpty()) {
                    user = null;
                }
                if (pass != null && pass.isEmpty()) {
                    pass = null;
                }
            }
            int slash = toRest.indexOf('/');
            if (slash >= 0) {
                String dbText = toRest.substring(slash + 1);
                toRest = toRest.substring(0, slash);
                if (!dbText.isEmpty()) {
                    if (!dbText.matches("[0-9]{1,5}")) {
                        throw new IllegalArgumentException("TO database must be a number");
                    }
                    db = Integer.parseInt(dbText);
                }
            }
        } else if (to.indexOf('@') >= 0 || to.indexOf('/') >= 0) {
            throw new IllegalArgumentException("TO with credentials or a database must be a redis:// or rediss:// URL");
        }
        String[] toHp = hostPort(toRest, "TO");
        return new RedirectRule(fromHp[0].toLowerCase(Locale.ROOT), Integer.parseInt(fromHp[1]),
                toHp[0], Integer.parseInt(toHp[1]), tls, user, pass, db);
    }

    private static String[] hostPort(String hp, String what) {
        String host;
        String port = "6379";
        if (hp.startsWith("[")) {
            int close = hp.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(what + " has an unclosed '[' in its IPv6 address");
            }
            host = hp.substring(1, close);
            String rest = hp.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(what + " must be host[:port]");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = hp.lastIndexOf(':');
            if (colon >= 0) {
                host = hp.substring(0, colon);
                port = hp.substring(colon + 1);
            } else {
                host = hp;
            }
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException(what + " host is missing or malformed");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(what + " port must be 1..65535");
        }
        return new String[] {host, port};
    }

    /** True when a client addressing {@code host:port} is covered by this rule. */
    public boolean matches(String host, int port) {
        return port == fromPort && host != null && fromHost.equalsIgnoreCase(host);
    }

    public String fromHost() { return fromHost; }

    public int fromPort() { return fromPort; }

    public String toHost() { return toHost; }

    public int toPort() { return toPort; }

    /** True for a {@code rediss://} target. */
    public boolean tls() { return tls; }

    /** The ACL user name for the target, or null. */
    public String username() { return username; }

    /** The target's password, or null. Never log it. */
    public String password() { return password; }

    /** The target database from the URL path, or -1 when not given (keep the client's own). */
    public int database() { return database; }

    /** The rule with the password masked, e.g. {@code localhost:6379->rediss://user:***@cache:6380/0}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(bracket(fromHost)).append(':').append(fromPort).append("->");
        boolean url = tls || username != null || password != null || database >= 0;
        if (url) {
            b.append(tls ? "rediss://" : "redis://");
            if (username != null || password != null) {
                if (username != null) {
                    b.append(username);
                }
                if (password != null) {
                    b.append(':').append(Redaction.MASK);
                }
                b.append('@');
            }
        }
        b.append(bracket(toHost)).append(':').append(toPort);
        if (database >= 0) {
            b.append('/').append(database);
        }
        return b.toString();
    }

    private static String bracket(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedirectRule)) {
            return false;
        }
        RedirectRule r = (RedirectRule) o;
        return fromHost.equals(r.fromHost) && fromPort == r.fromPort && toHost.equals(r.toHost)
                && toPort == r.toPort && tls == r.tls && eq(username, r.username) && eq(password, r.password)
                && database == r.database;
    }

    private static boolean eq(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }

    @Override
    public int hashCode() {
        return (fromHost.hashCode() * 31 + fromPort) * 31 + toHost.hashCode() * 7 + toPort;
    }
}
