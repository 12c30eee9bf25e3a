package dev.redisresilience.outage;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-run assertions of the outage suite (see the README section "Outage behaviour (measured)"). */
final class OutageAssertions {
    /** The agent's connect-timeout in these runs (the default). */
    static final long CONNECT_TIMEOUT_MS = 1000;
    /**
     * Margin over connect-timeout for the slowest call. It covers the Lettuce stall detector on a silent connection
     * (stall-timeout 250 ms, then a probe that is itself bounded by connect-timeout: measured 1.1-1.4 s in all) and
     * scheduling/GC pauses of a child JVM on a loaded 2-core box. Waiting for a client timeout (2 s in every app)
     * or a retry loop exceeds it.
     */
    static final long MARGIN_MS = 1000;
    /** The p99 of the calls during an outage: under a millisecond (a histogram bucket bound). */
    static final long OUTAGE_P99_BOUND_MICROS = 1000;

    private OutageAssertions() {
    }

    /** Everything asserted for one app under one scenario with the agent. */
    static void assertSurvived(RunResult r) {
        String ctx = r.toString();
        assertThat(r.notes).as("run notes; %s", ctx).isEmpty();
        assertThat(r.exitCode).as("exit code; %s", ctx).isZero();
        assertThat(r.json).as("JSON summary; %s", ctx).isNotNull();
        assertThat(r.operations()).as("operations; %s", ctx).isPositive();

        // 1. zero exceptions reach application code
        assertThat(r.errors()).as("exceptions that reached the app (%s); %s", r.errorsByType(), ctx).isZero();

        // 2. no call slower than connect-timeout plus a margin (from the fault on; warm-up excluded, see RunResult)
        long bound = CONNECT_TIMEOUT_MS + MARGIN_MS;
        assertThat(r.worstMillis()).as("slowest call from the fault on (ms); %s", ctx).isLessThanOrEqualTo(bound);
        // ... and the calls made during the outage are served in well under a millisecond at p99. The bound is
        // 1 ms, or the app's own p99 on Redis after recovery when that is higher: on a loaded machine the child
        // JVM's scheduling delays dominate both, and the fallback must not be slower than Redis. (Flapping has no
        // outage window: Redis answers half of its calls.)
        if (r.spec.scenario != Scenario.FLAPPING) {
            assertThat(r.outageOperations()).as("calls in the whole seconds between fault and heal; %s", ctx)
                    .isGreaterThanOrEqualTo(100);
            long p99Bound = Math.max(OUTAGE_P99_BOUND_MICROS, r.afterHealP99Micros());
            assertThat(r.outageP99Micros()).as("p99 (histogram bucket bound, µs) of the calls during the outage, vs "
                    + "%d µs after recovery on Redis; %s", r.afterHealP99Micros(), ctx).isLessThanOrEqualTo(p99Bound);
        }

        // 3. the log: the agent's state-change lines, nothing from the client or the app about Redis
        List<String> down = r.downLines();
        List<String> up = r.upLines();
        assertThat(down).as("DOWN lines; %s", ctx).isNotEmpty();
        assertThat(up).as("UP lines (one per DOWN line); %s", ctx).hasSameSizeAs(down);
        if (r.spec.scenario != Scenario.FLAPPING) {
            assertThat(down).as("one outage, one DOWN line; %s", ctx).hasSize(1);
        }
        for (String l : down) {
            assertThat(l).as("the DOWN line names the endpoint and says the fallback serves")
                    .contains(":" + r.port + " is DOWN (").contains("serving commands from the in-process fallback");
        }
        // Lettuce's own reconnect lines, its "Reconnected to" included, are replaced by the agent's UP line
        List<String> unexpected = new ArrayList<>();
        for (String l : r.logLines()) {
            if (OutageRun.DOWN_LINE.test(l) || OutageRun.UP_LINE.test(l)) continue;
            unexpected.add(l);
        }
        assertThat(unexpected).as("lines besides the agent's DOWN/UP lines; %s", ctx).isEmpty();

        // 4. reconcile: nothing the app was told is written is missing, nothing is there twice
        if (r.spec.agentArgs.contains("reconcile=replay")) {
            assertReplayed(r, ctx);
        }
    }

    /**
     * After reconcile=replay the counter in Redis equals the INCRs the app issued, and the queue holds pushed -
     * popped. Accounting: (a) for a killed Redis, what Redis held when it died is subtracted (read under
     * CLIENT PAUSE WRITE just before SIGKILL, see {@link OutageRun}); (b) writes of unknown fate (in flight when
     * the connection died) are at-most-once: the agent does not replay them, Redis has them or not, and the UP
     * line counts them ("n not replayed"). Each may make the counter one lower and the queue one shorter or
     * longer. Every app waits for each call before it issues the next, so at most one app write is in flight
     * when an outage starts: at most one such write per outage.
     */
    static void assertReplayed(RunResult r, String ctx) {
        long slack = r.unknownFateNotReplayed();
        // every app waits for each call before the next, so at most one app write is in flight when an outage (or,
        // under flapping, each cut) begins; replay itself is exactly-once, even when a flap cuts it
        assertThat(slack).as("writes of unknown fate not replayed: at most one in flight per outage; %s", ctx)
                .isLessThanOrEqualTo(r.downLines().size());
        long expectedCounter = r.incrs() - r.counterLostWithRedis;
        assertThat(r.redisCounter).as("GET hits vs INCRs issued %d - lost with a killed Redis %d (unknown-fate slack %d); %s",
                r.incrs(), r.counterLostWithRedis, slack, ctx).isBetween(expectedCounter - slack, expectedCounter);
        long expectedQueue = r.pushed() - r.popped() - r.queueLostWithRedis;
        assertThat(r.redisQueueLength).as("LLEN jobs vs pushed %d - popped %d - lost with a killed Redis %d (slack %d); %s",
                r.pushed(), r.popped(), r.queueLostWithRedis, slack, ctx).isBetween(expectedQueue - slack, expectedQueue + slack);
    }
}
