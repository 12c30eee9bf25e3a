package dev.redisresilience.agent.endpoint;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

final class Await {
    private Await() { }

    static void until(String what, long timeoutMillis, BooleanSupplier condition) {
        until(what, timeoutMillis, condition, () -> "");
    }

    static void until(String what, long timeoutMillis, BooleanSupplier condition, Supplier<String> detail) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what + " " + detail.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void state(EndpointGuard g, EndpointState s, long timeoutMillis) {
        until(g.id() + " " + s, timeoutMillis, () -> g.state() == s, g::toString);
    }
}
