package dev.redisresilience.agent.endpoint;

import javax.net.ssl.SSLSocketFactory;

/**
 * How the probe talks to an endpoint like the client does. Immutable. {@link #toString()} never shows the
 * password.
 */
public final class Credentials {
    static final Credentials NONE = new Credentials(null, null, 0, false, null);

    private final String user;
    private final String password;
    private final int db;
    private final boolean tls;
    private final SSLSocketFactory sslSocketFactory;

    Credentials(String user, String password, int db, boolean tls, SSLSocketFactory sslSocketFactory) {
        this.user = user;
        this.password = password;
        this.db = db;
        this.tls = tls;
        this.sslSocketFactory = sslSocketFactory;
    }

    public String user() { return user; }
    String password() { return password; }
    public boolean hasPassword() { return password != null; }
    public int db() { return db; }
    public boolean tls() { return tls; }
    /** The client's own factory when the adapter handed it over, else null (JDK default is used). */
    public SSLSocketFactory sslSocketFactory() { return sslSocketFactory; }

    Credentials with(String user, String password, int db, boolean tls) {
        return new Credentials(user, password, db, tls, sslSocketFactory);
    }

    Credentials withSsl(SSLSocketFactory f) {
        return new Credentials(user, password, db, true, f);
    }

    boolean same(String u, String p, int d, boolean t) {
        return eq(user, u) && eq(password, p) && db == d && tls == t;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    @Override
    public String toString() {
        return "user=" + (user == null ? "(default)" : user) + ", password=" + (password == null ? "(none)" : "***")
                + ", db=" + db + ", tls=" + tls;
    }
}
