package dev.redisresilience.agent.ops;

/** The agent as a whole, registered as {@code dev.redisresilience:type=Agent}. */
public interface AgentMXBean {
    String getVersion();
    /** Drill mode: every endpoint served locally while on (probes paused); off lets them recover. */
    boolean isForceFallback();
    void setForceFallback(boolean on);
    /** False while the fallback is switched off at runtime: nothing is served locally (errors surface). */
    boolean isFallback();
    void setFallback(boolean on);
    void forceFallback(boolean on);
    void fallback(boolean on);
    /** Drops the data the fallback engine holds for every endpoint (journals are kept). Returns entries dropped. */
    long clearFallbackData();
    /** One line per endpoint: {@code host:port STATE ...figures}. */
    String[] getEndpoints();
    /** The redirect rules, passwords masked. */
    String[] getRedirects();
    long getFallbackEntries();
    long getFallbackBytes();
}
