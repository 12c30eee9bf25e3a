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

    /**
     * Waits until the proxy really refuses connections. FaultProxy.refuse() returns while a connect may
     * still be accepted (then reset) for a few ms — measured: 4-16 of 100 immediate connects; none 50 ms later.
     */
    static void refusing(dev.redisresilience.testkit.FaultProxy proxy) {
        until("proxy " + proxy.port() + " refusing", 5_000, () -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(proxy.host(), proxy.port()), 200);
                return false;
            } catch (java.net.ConnectException e) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    static void state(EndpointGuard g, EndpointState s, long timeoutMillis) {
        until(g.id() + " " + s, timeoutMillis, () -> g.state() == s, g::toString);
    }
}
