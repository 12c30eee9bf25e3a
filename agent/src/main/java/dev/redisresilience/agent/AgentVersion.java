package dev.redisresilience.agent;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version (the Maven project version, filtered into {@code version.properties} at build). */
public final class AgentVersion {
    private static volatile String version;

    private AgentVersion() { }

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the resource is missing. Never throws. */
    public static String get() {
        String v = version;
        if (v == null) {
            v = read();
            version = v;
        }
        return v;
    }

    private static String read() {
        try {
            InputStream in = AgentVersion.class.getResourceAsStream("version.properties");
            if (in == null) {
                in = ClassLoader.getSystemResourceAsStream("dev/redisresilience/agent/version.properties");
            }
            if (in != null) {
                try {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.isEmpty() && !v.startsWith("${")) {
                        return v;
                    }
                } finally {
                    in.close();
                }
            }
        } catch (Throwable ignored) {
            // fall through
        }
        return "unknown";
    }
}
