package dev.redisresilience.agent.instrumentation;

/** Matched by a test module's type matcher but outside the client packages: must stay untouched. */
public class OutsideTarget {
    public String value() {
        return "original";
    }
}
