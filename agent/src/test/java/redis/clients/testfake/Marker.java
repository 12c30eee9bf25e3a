package redis.clients.testfake;

/** Presence marker for module selection in AgentInstallerTest. */
public final class Marker {
    private Marker() { }
}
