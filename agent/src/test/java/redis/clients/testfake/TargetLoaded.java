package redis.clients.testfake;

/** A stand-in "client" class for AgentInstallerTest (never a real client). */
public class TargetLoaded {
    public String value() {
        return "original";
    }
}
